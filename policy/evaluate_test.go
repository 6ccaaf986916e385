package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v (%s)", doc, err, err.(*Error).Detail)
	}
	return p
}

// idp wraps statements into a 2012 identity policy.
func idp(stmts string) string { return `{"Version":"2012-10-17","Statement":[` + stmts + `]}` }

type verdict struct{ Allowed, ExplicitDeny bool }

func TestEvaluateStatements(t *testing.T) {
	tests := []struct {
		name string // the AWS rule pinned
		doc  string
		req  Request
		want verdict
	}{
		{"an allow with matching action and resource allows",
			idp(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, verdict{true, false}},
		{"nothing applies: implicit deny",
			idp(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
			Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k"}, verdict{false, false}},
		{"explicit deny beats allow",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`),
			Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}, verdict{false, true}},
		{"actions match case-insensitively",
			idp(`{"Effect":"Allow","Action":"S3:getobject","Resource":"*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, verdict{true, false}},
		{"action wildcards ? and *",
			idp(`{"Effect":"Allow","Action":"iam:?et*","Resource":"*"}`),
			Request{Action: "iam:GetRole", Resource: "x"}, verdict{true, false}},
		{"resources match case-sensitively",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::Bucket/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/k"}, verdict{false, false}},
		{"Resource * matches any resource",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`),
			Request{Action: "s3:ListAllMyBuckets", Resource: "*"}, verdict{true, false}},
		{"NotAction allows every other action",
			idp(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`),
			Request{Action: "s3:GetObject", Resource: "x"}, verdict{true, false}},
		{"NotAction does not apply to the listed actions",
			idp(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`),
			Request{Action: "IAM:CreateUser", Resource: "x"}, verdict{false, false}},
		{"NotResource denies everything except the listed resources",
			idp(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::safe/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/k"}, verdict{false, true}},
		{"NotResource spares the listed resources",
			idp(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::safe/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::safe/k"}, verdict{true, false}},
		{"policy variable resolves from the context",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home/alice/x", Context: map[string][]string{"aws:username": {"alice"}}}, verdict{true, false}},
		{"policy variable values are literal, not wildcards",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home/alice", Context: map[string][]string{"aws:username": {"*"}}}, verdict{false, false}},
		{"unresolvable variable: the resource matches nothing",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home//x"}, verdict{false, false}},
		{"variable default applies when the key is absent",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/team, 'shared'}/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/x"}, verdict{true, false}},
		{"variable default is ignored when the key is present",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/team, 'shared'}/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/x", Context: map[string][]string{"aws:principaltag/TEAM": {"red"}}}, verdict{false, false}},
		{"variable keys are case-insensitive",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/Team}/*"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::red/x", Context: map[string][]string{"AWS:principaltag/team": {"red"}}}, verdict{true, false}},
		{"${*} is a literal star",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/x"}, verdict{false, false}},
		{"${*} matches a star in the resource",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}${?}${$}"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*?$"}, verdict{true, false}},
		{"2008 policies have no variables",
			`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:username}"}}`,
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::${aws:username}", Context: map[string][]string{"aws:username": {"a"}}}, verdict{true, false}},
		{"a document without Version has no variables",
			`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:username}"}}`,
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::a", Context: map[string][]string{"aws:username": {"a"}}}, verdict{false, false}},
		{"a multi-valued key cannot fill a variable",
			idp(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:TagKeys}"}`),
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::a", Context: map[string][]string{"aws:TagKeys": {"a", "b"}}}, verdict{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.doc, Identity)
			d := Evaluate(&tt.req, p)
			if diff := cmp.Diff(tt.want, verdict{d.Allowed, d.ExplicitDeny}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateMatchedListsEveryApplyingStatement(t *testing.T) {
	a := mustParse(t, idp(`{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"Other","Effect":"Allow","Action":"ec2:*","Resource":"*"}`), Identity)
	a.Name = "id"
	b := mustParse(t, idp(`{"Effect":"Deny","Action":"s3:Get*","Resource":"*"},{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::other/*"}`), Identity)
	b.Name = "boundary"
	d := Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, a, nil, b)
	want := Decision{ExplicitDeny: true, Matched: []Match{
		{Policy: "id", Sid: "A", Index: 0, Effect: Allow, Actions: []string{"s3:*"}, Resources: []string{"*"}},
		{Policy: "boundary", Index: 0, Effect: Deny, Actions: []string{"s3:Get*"}, Resources: []string{"*"}},
		{Policy: "boundary", Index: 1, Effect: Deny, NotAction: true, NotResource: true,
			Actions: []string{"iam:*", "sts:*"}, Resources: []string{"arn:aws:s3:::other/*"}},
	}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Decision{}, Evaluate(nil, a)); diff != "" {
		t.Errorf("nil request (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Decision{}, Evaluate(&Request{Action: "s3:GetObject"})); diff != "" {
		t.Errorf("no policies (-want +got):\n%s", diff)
	}
}

func TestEvaluatePrincipals(t *testing.T) {
	trust := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"}}`
	}
	notTrust := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","NotPrincipal":` + principal + `,"Action":"sts:AssumeRole"}]}`
	}
	session := &Principal{Type: "AWS", Account: "111122223333", IDs: []string{
		"arn:aws:sts::111122223333:assumed-role/R/s", "arn:aws:iam::111122223333:role/path/R"}}
	user := &Principal{Type: "AWS", Account: "444455556666", IDs: []string{"arn:aws:iam::444455556666:user/alice"}}
	anon := &Principal{}
	web := &Principal{Type: "Federated", IDs: []string{"accounts.google.com"}}
	svc := &Principal{Type: "Service", IDs: []string{"ec2.amazonaws.com"}}
	tests := []struct {
		name string
		doc  string
		p    *Principal
		want verdict
	}{
		{`"*" matches an AWS caller`, trust(`"*"`), user, verdict{true, false}},
		{`"*" matches an anonymous caller`, trust(`"*"`), anon, verdict{true, false}},
		{`{"AWS":"*"} matches an anonymous caller too`, trust(`{"AWS":"*"}`), anon, verdict{true, false}},
		{`nil principal never matches a Principal element`, trust(`"*"`), nil, verdict{false, false}},
		{"a 12-digit account matches any caller in it", trust(`{"AWS":"111122223333"}`), session, verdict{true, false}},
		{"an account root ARN matches any caller in it", trust(`{"AWS":"arn:aws:iam::111122223333:root"}`), session, verdict{true, false}},
		{"another partition's root ARN names the account too", trust(`{"AWS":"arn:aws-cn:iam::111122223333:root"}`), session, verdict{true, false}},
		{"an account does not match another account's caller", trust(`{"AWS":"111122223333"}`), user, verdict{false, false}},
		{"a role ARN matches a session of that role", trust(`{"AWS":"arn:aws:iam::111122223333:role/path/R"}`), session, verdict{true, false}},
		{"a session ARN matches that session", trust(`{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:sts::111122223333:assumed-role/R/s"]}`), session, verdict{true, false}},
		{"ARNs compare exactly", trust(`{"AWS":"arn:aws:iam::444455556666:user/Alice"}`), user, verdict{false, false}},
		{"a Federated provider matches a web identity caller", trust(`{"Federated":"accounts.google.com"}`), web, verdict{true, false}},
		{"a Federated value does not match an AWS caller with that ID", trust(`{"Federated":"arn:aws:iam::444455556666:user/alice"}`), user, verdict{false, false}},
		{"a Service principal matches that service", trust(`{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"]}`), svc, verdict{true, false}},
		{"an AWS account does not match an anonymous caller", trust(`{"AWS":"111122223333"}`), anon, verdict{false, false}},
		{"NotPrincipal spares the listed principal", notTrust(`{"AWS":"arn:aws:iam::444455556666:user/alice"}`), user, verdict{true, false}},
		{"NotPrincipal applies to everyone else", notTrust(`{"AWS":"arn:aws:iam::444455556666:user/alice"}`), session, verdict{false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.doc, Resource)
			d := Evaluate(&Request{Principal: tt.p, Action: "sts:AssumeRole"}, p)
			if diff := cmp.Diff(tt.want, verdict{d.Allowed, d.ExplicitDeny}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestContextKeysCaseInsensitive(t *testing.T) {
	p := mustParse(t, idp(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"red"}}}`), Identity)
	big := map[string][]string{}
	for _, k := range []string{"a:1", "a:2", "a:3", "a:4", "a:5", "a:6", "a:7", "a:8", "a:9"} {
		big[k] = []string{"x"}
	}
	big["AWS:PRINCIPALTAG/TEAM"] = []string{"red"}
	tests := []struct {
		name string
		ctx  map[string][]string
		want bool
	}{
		{"same spelling", map[string][]string{"aws:PrincipalTag/Team": {"red"}}, true},
		{"lower case", map[string][]string{"aws:principaltag/team": {"red"}}, true},
		{"other case, small context", map[string][]string{"Aws:PrincipalTAG/team": {"red"}}, true},
		{"other case, large context", big, true},
		{"values stay case-sensitive", map[string][]string{"aws:principaltag/team": {"Red"}}, false},
		{"a key with no values is absent", map[string][]string{"aws:principaltag/team": {}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(&Request{Action: "s3:GetObject", Resource: "r", Context: tt.ctx}, p)
			if d.Allowed != tt.want {
				t.Errorf("Allowed = %v, want %v", d.Allowed, tt.want)
			}
		})
	}
}
