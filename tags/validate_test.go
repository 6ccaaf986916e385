package tags

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
)

// errOf flattens an error into a comparable value; nil stays nil.
func errOf(t *testing.T, err error) *apierror.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var te *apierror.Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *tags.Error", err, err)
	}
	return te
}

func manyTags(n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: "k" + strings.Repeat("x", i), Value: "v"}
	}
	return out
}

func manyKeys(n int) []string {
	return Keys(manyTags(n))
}

func TestValidate(t *testing.T) {
	k129 := strings.Repeat("k", 129)
	v257 := strings.Repeat("v", 257)
	tests := []struct {
		name       string
		tags       []Tag
		transitive []string
		want       *apierror.Error
	}{
		{name: "no tags at all is fine", want: nil},
		{
			name: "§4 value may be empty (min 0) and key may use every allowed ASCII symbol",
			tags: []Tag{{Key: "Cost Center_1.a:b/c=d+e-f@g", Value: ""}},
		},
		{
			name: "§4 \\p{L} \\p{N} \\p{Z}: non-ASCII letters, digits and separators are allowed",
			tags: []Tag{{Key: "Zürich", Value: "東京 ٣\u00a0x\u2028"}},
		},
		{
			name: "§4 key of exactly 128 and value of exactly 256 characters pass",
			tags: []Tag{{Key: strings.Repeat("k", 128), Value: strings.Repeat("v", 256)}},
		},
		{
			name: "§4 lengths count code points, not bytes: 128 two-byte letters pass",
			tags: []Tag{{Key: strings.Repeat("é", 128), Value: strings.Repeat("é", 256)}},
		},
		{
			name: "§4 exactly 50 tags and 50 transitive keys pass",
			tags: manyTags(50), transitive: manyKeys(50),
		},
		{
			name: "§7 transitive keys match tags case-insensitively (sessiontag1 matches SessionTag1)",
			tags: []Tag{{Key: "SessionTag1", Value: "a"}}, transitive: []string{"sessiontag1"},
		},
		{
			name: "§3 key longer than 128 → ValidationError at tags.1.member.key",
			tags: []Tag{{Key: k129, Value: "v"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '" + k129 +
				"' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		},
		{
			name: "§3 value longer than 256 → ValidationError at tags.2.member.value (1-based index)",
			tags: []Tag{{Key: "a", Value: "ok"}, {Key: "b", Value: v257}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '" + v257 +
				"' at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		},
		{
			name: "§3 value outside the pattern (observed text: 'MOJ D&T Cybersecurity')",
			tags: []Tag{{Key: "Owner", Value: "MOJ D&T Cybersecurity"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: `1 validation error detected: Value 'MOJ D&T Cybersecurity' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`},
		},
		{
			name: "§3 key outside the pattern names the + pattern",
			tags: []Tag{{Key: "a,b", Value: "v"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: `1 validation error detected: Value 'a,b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		},
		{
			name: "§4 tab is not \\p{Z}: refused in a value",
			tags: []Tag{{Key: "k", Value: "a\tb"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value 'a\tb' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"},
		},
		{
			name: "§4 invalid UTF-8 never matches the pattern",
			tags: []Tag{{Key: "k\xff", Value: ""}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value 'k\xff' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"},
		},
		{
			name: "§3 empty key (unverified): min length and pattern, length first, counted as 2 errors",
			tags: []Tag{{Key: "", Value: "v"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: `2 validation errors detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		},
		{
			name:       "§3 several violations join with '; ' in request order (key, value, transitive key)",
			tags:       []Tag{{Key: "a!", Value: "b!"}},
			transitive: []string{"c!"},
			want:       &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: `3 validation errors detected: Value 'a!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+; Value 'b!' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*; Value '[c!]' at 'transitiveTagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`},
		},
		{
			name: "§4 51 tags → ValidationError at 'tags', list rendered as Java List.toString (unverified)",
			tags: manyTags(51),
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '" + awsTagList(manyTags(51)) +
				"' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		},
		{
			name: "§4 51 transitive keys → ValidationError at 'transitiveTagKeys'",
			tags: manyTags(50), transitive: append(manyKeys(50), "extra"),
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '[" + strings.Join(append(manyKeys(50), "extra"), ", ") +
				"]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"},
		},
		{
			name: "§3 transitive key over 128 → one element violation at transitiveTagKeys naming all of tagKeyType's constraints",
			tags: []Tag{{Key: "a", Value: ""}}, transitive: []string{"a", k129},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "1 validation error detected: Value '[a, " + k129 +
				"]' at 'transitiveTagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, " +
				`Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`},
		},
		{
			name: "§3 51 transitive keys, one empty → both list violations at transitiveTagKeys, in AWS's set order",
			tags: manyTags(50), transitive: append(manyKeys(50), ""),
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: "2 validation errors detected: Value '[" + strings.Join(append(manyKeys(50), ""), ", ") +
				"]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50; " +
				"Value '[" + strings.Join(append(manyKeys(50), ""), ", ") + "]' at 'transitiveTagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, " +
				`Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`},
		},
		{
			name: "§7 keys differing only in case → InvalidParameterValue duplicate (AWS-validated)",
			tags: []Tag{{Key: "A", Value: "1"}, {Key: "a", Value: "2"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		},
		{
			name: "§7 exact duplicate keys → the same duplicate error",
			tags: []Tag{{Key: "Team", Value: "1"}, {Key: "x", Value: ""}, {Key: "Team", Value: "1"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		},
		{
			name: "§7 transitive key not among the tags → InvalidParameterValue (AWS-validated)",
			tags: []Tag{{Key: "Team", Value: "1"}}, transitive: []string{"Project"},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "The specified transitive tag key must be included in the requested tags."},
		},
		{
			name:       "§7 transitive keys without any tags → the same error",
			transitive: []string{"Project"},
			want:       &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "The specified transitive tag key must be included in the requested tags."},
		},
		{
			name: "§7 aws: prefix (our choice, unverified) → InvalidParameterValue",
			tags: []Tag{{Key: "aws:username", Value: "x"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Tag keys can't begin with the reserved prefix 'aws:'."},
		},
		{
			name: "§7 aws: prefix is matched in any case",
			tags: []Tag{{Key: "AwS:x", Value: "x"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Tag keys can't begin with the reserved prefix 'aws:'."},
		},
		{
			name: "§7 'aws' without the colon, or aws: later in the key, is an ordinary key",
			tags: []Tag{{Key: "awsome", Value: ""}, {Key: "my:aws:key", Value: ""}},
		},
		{
			name: "§3 constraint violations win over semantic errors (duplicates reported only once valid)",
			tags: []Tag{{Key: "A", Value: "1"}, {Key: "a", Value: "bad!"}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: `1 validation error detected: Value 'bad!' at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`},
		},
		{
			name: "order of semantic checks (unverified): reserved prefix before duplicates",
			tags: []Tag{{Key: "A", Value: ""}, {Key: "a", Value: ""}, {Key: "aws:x", Value: ""}},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Tag keys can't begin with the reserved prefix 'aws:'."},
		},
		{
			name: "order of semantic checks (unverified): duplicates before transitive inclusion",
			tags: []Tag{{Key: "A", Value: ""}, {Key: "a", Value: ""}}, transitive: []string{"missing"},
			want: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidParameterValue", Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		},
		{
			name: "a transitive key listed twice is accepted (unverified)",
			tags: []Tag{{Key: "Team", Value: "x"}}, transitive: []string{"Team", "TEAM"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errOf(t, Validate(tt.tags, tt.transitive))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorRendering(t *testing.T) {
	err := Validate([]Tag{{Key: "A"}, {Key: "a"}}, nil)
	te := errOf(t, err)
	got := struct {
		Text   string
		Status int
	}{err.Error(), te.HTTPStatus()}
	want := struct {
		Text   string
		Status int
	}{"InvalidParameterValue: Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error rendering (-want +got):\n%s", diff)
	}
}

func TestValidateDoesNotAllocate(t *testing.T) {
	tags, keys := benchTags(10)
	allocs := testing.AllocsPerRun(100, func() {
		if err := Validate(tags, keys); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Validate of a valid 10-tag request allocates %v times, want 0", allocs)
	}
}

// awsTagList renders tags as AWS's recorded answer to 51 tags shows a Tags
// list in a ValidationError: [Tag(key=0, value=test), Tag(key=1, value=test), …].
func awsTagList(ts []Tag) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("Tag(key=%s, value=%s)", t.Key, t.Value)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TestCheckDuplicates pins the one rule GetWebIdentityToken holds its tags
// to beyond the model (behaviour §11.11, radkawar/stackd
// testdata/aws/iam/outbound_identity.json original_tags_duplicate,
// original_tags_case_duplicate, original_tags_reserved).
func TestCheckDuplicates(t *testing.T) {
	dup := &apierror.Error{Code: "InvalidParameterValue", Status: 400, Fault: smithy.FaultClient,
		Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."}
	sixty := manyTags(60)
	sixty[59].Key = strings.ToUpper(sixty[55].Key)
	rows := []struct {
		name string
		tags []Tag
		want *apierror.Error
	}{
		{"no tags", nil, nil},
		{"the same key twice", []Tag{{"team", "one"}, {"team", "two"}}, dup},
		{"keys differing in case", []Tag{{"team", "one"}, {"Team", "two"}}, dup},
		{"non-ASCII keys differing in case", []Tag{{"ÉQUIPE", "a"}, {"équipe", "b"}}, dup},
		{"aws: keys are accepted", []Tag{{"aws:team", "test"}, {"Team", "request"}}, nil},
		{"fifty distinct keys", manyTags(50), nil},
		{"a duplicate beyond the fiftieth tag", sixty, dup},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if d := cmp.Diff(r.want, errOf(t, CheckDuplicates(r.tags))); d != "" {
				t.Errorf("CheckDuplicates (-want +got):\n%s", d)
			}
		})
	}
}
