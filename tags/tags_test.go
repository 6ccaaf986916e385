package tags

import (
	"testing"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
)

func TestChain(t *testing.T) {
	conflict := &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."}
	tests := []struct {
		name           string
		inherited      []Tag
		tags           []Tag
		transitive     []string
		wantSession    []Tag
		wantTransitive []Tag
		wantErr        *apierror.Error
	}{
		{
			name: "no caller tags, no request tags → empty session",
		},
		{
			name:        "§7 first session: requested tags, none transitive unless named",
			tags:        []Tag{{Key: "b", Value: "2"}, {Key: "A", Value: "1"}},
			wantSession: []Tag{{Key: "A", Value: "1"}, {Key: "b", Value: "2"}},
		},
		{
			name:           "§7 requested key named in TransitiveTagKeys (other case) becomes transitive, tag spelling kept",
			tags:           []Tag{{Key: "Project", Value: "x"}, {Key: "Team", Value: "y"}},
			transitive:     []string{"project"},
			wantSession:    []Tag{{Key: "Project", Value: "x"}, {Key: "Team", Value: "y"}},
			wantTransitive: []Tag{{Key: "Project", Value: "x"}},
		},
		{
			name:           "§7 inherited transitive tags flow into the new session and stay transitive",
			inherited:      []Tag{{Key: "Dept", Value: "eng"}},
			tags:           []Tag{{Key: "Team", Value: "y"}},
			wantSession:    []Tag{{Key: "Dept", Value: "eng"}, {Key: "Team", Value: "y"}},
			wantTransitive: []Tag{{Key: "Dept", Value: "eng"}},
		},
		{
			name:           "§7 inherited and newly transitive tags together, sorted by key",
			inherited:      []Tag{{Key: "z", Value: "1"}, {Key: "Dept", Value: "eng"}},
			tags:           []Tag{{Key: "m", Value: "2"}, {Key: "a", Value: "3"}},
			transitive:     []string{"m"},
			wantSession:    []Tag{{Key: "Dept", Value: "eng"}, {Key: "a", Value: "3"}, {Key: "m", Value: "2"}, {Key: "z", Value: "1"}},
			wantTransitive: []Tag{{Key: "Dept", Value: "eng"}, {Key: "m", Value: "2"}, {Key: "z", Value: "1"}},
		},
		{
			name:      "§7 request tag equal to an inherited transitive key → conflict, even without TransitiveTagKeys (AWS-validated)",
			inherited: []Tag{{Key: "Dept", Value: "eng"}},
			tags:      []Tag{{Key: "Dept", Value: "ops"}},
			wantErr:   conflict,
		},
		{
			name:       "§7 conflict is case-insensitive",
			inherited:  []Tag{{Key: "Dept", Value: "eng"}},
			tags:       []Tag{{Key: "DEPT", Value: "ops"}},
			transitive: []string{"dept"},
			wantErr:    conflict,
		},
		{
			name:      "§7 Chain validates the request first: duplicate keys beat the conflict",
			inherited: []Tag{{Key: "Dept", Value: "eng"}},
			tags:      []Tag{{Key: "Dept", Value: "1"}, {Key: "dept", Value: "2"}},
			wantErr:   &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		},
		{
			name:       "§7 an inherited key may not be named in TransitiveTagKeys unless also in Tags",
			inherited:  []Tag{{Key: "Dept", Value: "eng"}},
			transitive: []string{"Dept"},
			wantErr:    &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "The specified transitive tag key must be included in the requested tags."},
		},
		{
			name:           "our choice (unverified): 50 inherited + 50 requested tags make a 100-tag session",
			inherited:      prefixed("in", 50),
			tags:           prefixed("new", 50),
			wantSession:    Sorted(append(prefixed("in", 50), prefixed("new", 50)...)),
			wantTransitive: Sorted(prefixed("in", 50)),
		},
		{
			name:    "§4 the request alone may not exceed 50 tags",
			tags:    prefixed("new", 51),
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '" + awsTagList(prefixed("new", 51)) + "' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			session, transitive, err := Chain(tt.inherited, tt.tags, tt.transitive)
			type result struct {
				Session, Transitive []Tag
				Err                 *apierror.Error
			}
			want := result{tt.wantSession, tt.wantTransitive, tt.wantErr}
			got := result{session, transitive, errOf(t, err)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Chain() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChainDoesNotAliasInputs(t *testing.T) {
	inherited := []Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}}
	req := []Tag{{Key: "d", Value: "3"}, {Key: "c", Value: "4"}}
	session, _, err := Chain(inherited, req, []string{"c"})
	if err != nil {
		t.Fatal(err)
	}
	session[0].Value = "changed"
	want := []Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}, {Key: "d", Value: "3"}, {Key: "c", Value: "4"}}
	if diff := cmp.Diff(want, append(inherited, req...)); diff != "" {
		t.Errorf("Chain modified its inputs (-want +got):\n%s", diff)
	}
}

func prefixed(p string, n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: p + string(rune('A'+i/26)) + string(rune('a'+i%26)), Value: "v"}
	}
	return out
}

func TestOverlay(t *testing.T) {
	tests := []struct {
		name       string
		base, over []Tag
		want       []Tag
	}{
		{name: "nothing on either side", want: []Tag{}},
		{
			name: "§7 role tags alone are the principal tags",
			base: []Tag{{Key: "team", Value: "a"}},
			want: []Tag{{Key: "team", Value: "a"}},
		},
		{
			name: "§7 session tag replaces the role tag with the same key regardless of case; session spelling and value win",
			base: []Tag{{Key: "CostCenter", Value: "role"}, {Key: "Other", Value: "keep"}},
			over: []Tag{{Key: "costcenter", Value: "session"}},
			want: []Tag{{Key: "Other", Value: "keep"}, {Key: "costcenter", Value: "session"}},
		},
		{
			name: "§7 (GetFederationToken) session tags override same-key IAM user tags, new keys are added",
			base: []Tag{{Key: "dept", Value: "user"}},
			over: []Tag{{Key: "DEPT", Value: "fed"}, {Key: "extra", Value: "x"}},
			want: []Tag{{Key: "DEPT", Value: "fed"}, {Key: "extra", Value: "x"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Overlay(tt.base, tt.over)); diff != "" {
				t.Errorf("Overlay() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tags := []Tag{{Key: "Dept", Value: "eng"}, {Key: "Empty", Value: ""}}
	type res struct {
		Value string
		OK    bool
	}
	tests := []struct {
		name, key string
		want      res
	}{
		{"§7 exact key", "Dept", res{"eng", true}},
		{"§7 keys are case-insensitive (aws:PrincipalTag/dept finds Dept)", "dEPT", res{"eng", true}},
		{"empty value is present, not missing", "empty", res{"", true}},
		{"absent key", "Team", res{"", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := Lookup(tags, tt.key)
			if diff := cmp.Diff(tt.want, res{v, ok}); diff != "" {
				t.Errorf("Lookup(%q) mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	m := map[string]string{"b": "2", "A": "1", "a": "3"}
	got := struct {
		FromMap []Tag
		Sorted  []Tag
		Keys    []string
		ToMap   map[string]string
	}{
		FromMap: FromMap(m),
		Sorted:  Sorted([]Tag{{Key: "x", Value: "2"}, {Key: "x", Value: "1"}, {Key: "B"}}),
		Keys:    Keys([]Tag{{Key: "q"}, {Key: "p"}}),
		ToMap:   ToMap(FromMap(m)),
	}
	want := struct {
		FromMap []Tag
		Sorted  []Tag
		Keys    []string
		ToMap   map[string]string
	}{
		FromMap: []Tag{{Key: "A", Value: "1"}, {Key: "a", Value: "3"}, {Key: "b", Value: "2"}},
		Sorted:  []Tag{{Key: "B"}, {Key: "x", Value: "1"}, {Key: "x", Value: "2"}},
		Keys:    []string{"q", "p"},
		ToMap:   m,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("helpers mismatch (-want +got):\n%s", diff)
	}
}
