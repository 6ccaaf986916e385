package fakests

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// These tests drive IAM's control plane on the Handler with botocore and
// the aws CLI, which are strict about the wire (behaviour §18, §19). CI
// makes them required (FAKESTS_REQUIRE_PYTHON=1).

// TestHandlerIAMBoto3 runs boto_iam.py: the scenario (a user and
// its key, a role trusting it, a managed policy attached, AssumeRole with
// the new key), the error cases, pagination and MFA enrolment.
func TestHandlerIAMBoto3(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	admin := mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	var got map[string]pyOutcome
	handlerRunPython(t, "boto_iam.py", map[string]string{
		"FAKESTS_ENDPOINT":     srv.URL,
		"FAKESTS_ADMIN_AKID":   admin.Credentials.AccessKeyID,
		"FAKESTS_ADMIN_SECRET": admin.Credentials.SecretAccessKey,
		"FAKESTS_ENGINE_UNIX":  fmt.Sprint(clk.Now().Unix()),
	}, &got)

	ok := func(fields map[string]any) pyOutcome {
		fields["HTTPStatusCode"] = 200.0
		fields["RequestIdMatchesHeader"] = true
		return pyOutcome{OK: fields}
	}
	plain := func(fields map[string]any) pyOutcome { return pyOutcome{OK: fields} }
	fail := func(code, msg string, status float64) pyOutcome {
		return pyOutcome{Error: map[string]any{"Type": "Sender", "Code": code, "Message": msg,
			"HTTPStatusCode": status, "RequestIdMatchesHeader": true}}
	}
	// botocore URL-decodes and parses policy documents (its
	// json_decode_policies handler): the encoding round-trips.
	trust := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:user/ci/ci"}, "Action": "sts:AssumeRole"}}}
	allow := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow",
		"Action": "sts:AssumeRole", "Resource": "*"}}}
	inline := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Sid": "with space",
		"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::a*"}}}
	want := map[string]pyOutcome{
		"CreateUser": ok(map[string]any{"Arn": "arn:aws:iam::123456789012:user/ci/ci", "Path": "/ci/", "UserName": "ci",
			"UserIdPrefix": "AIDA", "CreateDate": "2030-06-01T12:00:00+00:00"}),
		"CreateAccessKey":  plain(map[string]any{"AccessKeyIdPrefix": "AKIA", "SecretLen": 40.0, "Status": "Active", "UserName": "ci"}),
		"CreateRole":       ok(map[string]any{"Arn": "arn:aws:iam::123456789012:role/deployer", "Document": trust, "HasMaxSessionDuration": false}),
		"CreatePolicy":     plain(map[string]any{"Arn": "arn:aws:iam::123456789012:policy/assume", "DefaultVersionId": "v1", "AttachmentCount": 0.0, "IsAttachable": true}),
		"AttachUserPolicy": ok(map[string]any{}),
		"SessionIdentity":  ok(map[string]any{"Arn": "arn:aws:sts::123456789012:assumed-role/deployer/ci-run"}),
		"GetRole":          ok(map[string]any{"Document": trust, "MaxSessionDuration": 3600.0, "RoleLastUsed": map[string]any{}}),
		"GetRolePolicy":    ok(map[string]any{"PolicyDocument": inline, "PolicyName": "inline"}),
		"GetPolicyVersion": ok(map[string]any{"Document": allow, "IsDefaultVersion": true}),
		"ListAttachedUserPolicies": ok(map[string]any{"AttachedPolicies": []any{map[string]any{"PolicyName": "assume",
			"PolicyArn": "arn:aws:iam::123456789012:policy/assume"}}, "IsTruncated": false}),
		"GetMissingUser":     fail("NoSuchEntity", "The user with name missing cannot be found.", 404),
		"CreateUserAgain":    fail("EntityAlreadyExists", "User with name CI already exists.", 409),
		"DeleteUserWithKeys": fail("DeleteConflict", "Cannot delete entity, must delete access keys first.", 409),
		"ThirdAccessKey":     fail("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409),
		"MalformedTrust":     fail("MalformedPolicyDocument", "This policy contains invalid Json", 400),
		"InvalidMarker":      fail("ValidationError", "Invalid Marker.", 400),
		"AttachMissing":      fail("NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/none does not exist or is not attachable.", 404),
		"LongUserName": fail("ValidationError", "1 validation error detected: Value at 'userName' failed to satisfy constraint: "+
			"Member must have length less than or equal to 64", 400),
		"Paginate":        plain(map[string]any{"Names": []any{"p1", "p2", "p3"}, "Pages": 2.0}),
		"InactiveKey":     fail("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
		"EnableMFADevice": ok(map[string]any{}),
		"ListMFADevices":  ok(map[string]any{"Serials": []any{"arn:aws:iam::123456789012:mfa/phone"}}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 against IAM's control plane (-want +got):\n%s", diff)
	}
}

// TestHandlerIAMAWSCLI runs aws iam commands against the Handler, with
// --endpoint-url and with AWS_ENDPOINT_URL_IAM.
func TestHandlerIAMAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		handlerSkipOrFail(t, "the aws CLI", err)
	}
	e, _ := newTestEngine(t, Strict())
	admin := mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	env := map[string]string{"AWS_ACCESS_KEY_ID": admin.Credentials.AccessKeyID, "AWS_SECRET_ACCESS_KEY": admin.Credentials.SecretAccessKey,
		"AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"}
	run := func(extra map[string]string, args ...string) (string, string, int) {
		t.Helper()
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		for k, v := range extra {
			e[k] = v
		}
		return handlerRunAWS(t, e, args...)
	}
	endpoint := []string{"--endpoint-url", srv.URL, "--output", "json"}

	stdout, stderr, code := run(nil, append([]string{"iam", "create-user", "--user-name", "cli-user", "--path", "/cli/"}, endpoint...)...)
	if code != 0 {
		t.Fatalf("aws iam create-user exited %d\n%s", code, stderr)
	}
	var created struct {
		User struct{ Arn, UserName, Path string }
	}
	if err := json.Unmarshal([]byte(stdout), &created); err != nil {
		t.Fatalf("create-user printed no JSON: %v\n%s", err, stdout)
	}
	if created.User.Arn != "arn:aws:iam::123456789012:user/cli/cli-user" || created.User.Path != "/cli/" {
		t.Errorf("create-user: %+v", created.User)
	}

	// The service-specific endpoint variable reaches IAM too (botocore's
	// AWS_ENDPOINT_URL_<SERVICE>).
	stdout, stderr, code = run(map[string]string{"AWS_ENDPOINT_URL_IAM": srv.URL}, "iam", "list-users", "--output", "json")
	if code != 0 {
		t.Fatalf("aws iam list-users with AWS_ENDPOINT_URL_IAM exited %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, `"UserName": "cli-user"`) || !strings.Contains(stdout, `"UserName": "admin"`) {
		t.Errorf("list-users:\n%s", stdout)
	}

	// The CLI prints the code and message of IAM's error document.
	stdout, stderr, code = run(nil, append([]string{"iam", "get-user", "--user-name", "nobody"}, endpoint...)...)
	if !(code == 254 || code == 255) || stdout != "" ||
		stderr != "\nAn error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.\n" {
		t.Errorf("get-user of a missing user: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// Documents come back URL-encoded; the CLI decodes them.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, stderr, code = run(nil, append([]string{"iam", "create-role", "--role-name", "fn", "--assume-role-policy-document", trust}, endpoint...)...); code != 0 {
		t.Fatalf("create-role exited %d\n%s", code, stderr)
	}
	stdout, stderr, code = run(nil, append([]string{"iam", "get-role", "--role-name", "fn", "--query", "Role.AssumeRolePolicyDocument.Statement[0].Principal.Service"}, endpoint...)...)
	if code != 0 || strings.TrimSpace(stdout) != `"lambda.amazonaws.com"` {
		t.Errorf("get-role's decoded document: exit %d, %q, %s", code, stdout, stderr)
	}
}
