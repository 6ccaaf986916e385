package fakests

import (
	"errors"
	"testing"

	"github.com/fakests/fakests/apierror"
)

// TestCreateRolePolicyErrors pins how CreateRole refuses a trust policy:
// IAM's MalformedPolicyDocument and text (wrapped, for errors.As), and in
// the error's own text where a JSON mistake is and what was expected there;
// a principal that is neither an ARN, an account ID nor "*" is refused with
// IAM's text naming it (behaviour §18).
func TestCreateRolePolicyErrors(t *testing.T) {
	const head = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":`
	rows := []struct {
		name, trust string
		wantText    string
		wantMsg     string // IAM's text, the wrapped *apierror.Error's message
	}{
		{"a stray comma, on line 3",
			"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\",, \"Action\": \"sts:AssumeRole\"}]\n}",
			"fakests: trust policy of role r: MalformedPolicyDocument: Syntax errors in policy. (line 3, column 36: invalid character ',' looking for beginning of object key string)",
			"Syntax errors in policy."},
		{"a document cut short",
			"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [",
			"fakests: trust policy of role r: MalformedPolicyDocument: Syntax errors in policy. (line 3, column 17: unexpected end of JSON input)",
			"Syntax errors in policy."},
		{"a name where an ARN belongs", head + `"alice"}}]}`,
			`fakests: trust policy of role r: MalformedPolicyDocument: Invalid principal in policy: "AWS":"alice"`,
			`Invalid principal in policy: "AWS":"alice"`},
		{"an ARN with an extra colon, in a list (cfn-lint issue #4287)", head + `["123456789012","arn:aws::iam::123456789012:root"]}}]}`,
			`fakests: trust policy of role r: MalformedPolicyDocument: Invalid principal in policy: "AWS":"arn:aws::iam::123456789012:root"`,
			`Invalid principal in policy: "AWS":"arn:aws::iam::123456789012:root"`},
		{"an account ID of 11 digits", head + `"12345678901"}}]}`,
			`fakests: trust policy of role r: MalformedPolicyDocument: Invalid principal in policy: "AWS":"12345678901"`,
			`Invalid principal in policy: "AWS":"12345678901"`},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e, _ := newTestEngine(t)
			_, err := e.CreateRole(RoleSpec{Name: "r", TrustPolicy: row.trust})
			if err == nil {
				t.Fatal("CreateRole accepted the trust policy")
			}
			if err.Error() != row.wantText {
				t.Errorf("error text:\n got %s\nwant %s", err.Error(), row.wantText)
			}
			var ae *apierror.Error
			if !errors.As(err, &ae) || ae.Code != "MalformedPolicyDocument" || ae.Message != row.wantMsg || ae.Status != 400 {
				t.Errorf("wrapped error %#v, want MalformedPolicyDocument 400 %q", ae, row.wantMsg)
			}
			if s := handlerStateOf(e); s.roles != 0 {
				t.Errorf("a refused role was kept: %+v", s)
			}
		})
	}
	for _, ok := range []string{`"*"`, `"123456789012"`, `"arn:aws:iam::123456789012:root"`, `["arn:aws:iam::123456789012:user/a","arn:aws:sts::123456789012:assumed-role/R/s"]`} {
		e, _ := newTestEngine(t)
		if _, err := e.CreateRole(RoleSpec{Name: "r", TrustPolicy: head + ok + `}}]}`}); err != nil {
			t.Errorf("principal %s refused: %v", ok, err)
		}
	}
	// Identity policies of users and managed policies are placed too.
	e, _ := newTestEngine(t)
	_, err := e.CreateUser(UserSpec{Name: "u", Policies: []string{"{\"Version\":\"2012-10-17\"\n\"Statement\":[]}"}})
	if want := "fakests: user/u policy 1: MalformedPolicyDocument: Syntax errors in policy. (line 2, column 1: invalid character '\"' after object key:value pair)"; err == nil || err.Error() != want {
		t.Errorf("CreateUser:\n got %v\nwant %s", err, want)
	}
}
