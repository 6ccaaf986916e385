package fakests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// These tests drive the Handler with botocore (boto3) and the aws CLI, which,
// unlike the Go SDK, are strict about the wire: error documents need
// Type/Code/Message under Error and RequestId beside it, and the request ID
// of a success is read from the body (behaviour §19). Each suite launches as few processes as it can: one python run
// carries a whole batch of calls.

// handlerRequirePython reports whether a missing python3, boto3 or aws CLI
// must fail the test rather than skip it (CI sets FAKESTS_REQUIRE_PYTHON=1).
func handlerRequirePython() bool { return os.Getenv("FAKESTS_REQUIRE_PYTHON") == "1" }

// handlerSkipOrFail skips the test for a missing tool, or fails it when CI
// requires the tool.
func handlerSkipOrFail(t *testing.T, what string, err error) {
	t.Helper()
	if handlerRequirePython() {
		t.Fatalf("FAKESTS_REQUIRE_PYTHON=1 but %s is unavailable: %v", what, err)
	}
	t.Skipf("%s is unavailable (%v); set FAKESTS_REQUIRE_PYTHON=1 to make this a failure", what, err)
}

// handlerPython returns the python3 interpreter. Whether boto3 imports is
// learnt from the script's own run (exit status handlerNoBoto3), which saves
// a process launch per test.
func handlerPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		handlerSkipOrFail(t, "python3", err)
	}
	return py
}

// handlerNoBoto3 is the exit status of a testdata/handler script that cannot
// import boto3.
const handlerNoBoto3 = 77

// handlerRunPython runs testdata/handler/<script> with env added to a clean
// environment (no user AWS configuration leaks in) and decodes its JSON
// output into out.
func handlerRunPython(t *testing.T, script string, env map[string]string, out any) {
	t.Helper()
	py := handlerPython(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "handler", script))
	cmd.Env = handlerCleanEnv(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == handlerNoBoto3 {
			handlerSkipOrFail(t, "boto3", errors.New(strings.TrimSpace(stderr.String())))
		}
		t.Fatalf("%s: %v\nstderr:\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("%s printed no JSON: %v\n%s\nstderr:\n%s", script, err, stdout.String(), stderr.String())
	}
}

// handlerCleanEnv is the process environment without AWS_* variables, with
// AWS configuration files disabled, plus extra.
func handlerCleanEnv(extra map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

// pyOutcome is one call's result as boto_calls.py prints it.
type pyOutcome struct {
	OK    map[string]any `json:"ok,omitempty"`
	Error map[string]any `json:"error,omitempty"`
}

// handlerSessionPolicy is a session policy passed by AssumeRole and
// GetFederationToken.
const handlerSessionPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

// TestHandlerBoto3 runs one batch of boto3 calls (boto_calls.py) against the
// Handler of a Strict engine and compares everything botocore parsed.
func TestHandlerBoto3(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "py-user", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "py-role", Path: "/team/", TrustPolicy: trustPrincipal(u.ARN)})

	// A GetSessionToken session that has expired on the engine clock by the
	// time python calls (expiry follows the engine clock, behaviour §10).
	st, err := e.GetSessionToken(WithCaller(context.Background(), u.Credentials),
		&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)

	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	unknownRole := "arn:aws:iam::123456789012:role/never-created"
	var got map[string]pyOutcome
	handlerRunPython(t, "boto_calls.py", map[string]string{
		"FAKESTS_ENDPOINT":         srv.URL,
		"FAKESTS_USER_AKID":        u.Credentials.AccessKeyID,
		"FAKESTS_USER_SECRET":      u.Credentials.SecretAccessKey,
		"FAKESTS_ROLE_ARN":         r.ARN,
		"FAKESTS_UNKNOWN_ROLE_ARN": unknownRole,
		"FAKESTS_SESSION_POLICY":   handlerSessionPolicy,
		"FAKESTS_FOREIGN_AKID":     "ASIAY34FZKBOKMUTVV7A", // behaviour §14.12
		"FAKESTS_EXPIRED_AKID":     aws.ToString(st.Credentials.AccessKeyId),
		"FAKESTS_EXPIRED_SECRET":   aws.ToString(st.Credentials.SecretAccessKey),
		"FAKESTS_EXPIRED_TOKEN":    aws.ToString(st.Credentials.SessionToken),
	}, &got)

	// Everything python issued expires 900 s after the advanced engine clock;
	// botocore parses Expiration as a timezone-aware datetime.
	expires := clk.Now().Add(900 * time.Second).Format("2006-01-02T15:04:05+00:00")
	creds := func(prefix string) map[string]any {
		return map[string]any{"AccessKeyIdPrefix": prefix, "AccessKeyIdLen": 20.0, "SecretLen": 40.0,
			"HasSessionToken": true, "Expiration": expires}
	}
	ok := func(fields map[string]any) pyOutcome {
		fields["HTTPStatusCode"] = 200.0
		fields["RequestIdMatchesHeader"] = true
		fields["ContentType"] = "text/xml"
		return pyOutcome{OK: fields}
	}
	fail := func(code, msg string, status float64) pyOutcome {
		return pyOutcome{Error: map[string]any{"Type": "Sender", "Code": code, "Message": msg,
			"HTTPStatusCode": status, "RequestIdMatchesHeader": true}}
	}
	sessARN := "arn:aws:sts::123456789012:assumed-role/py-role/py-session" // path dropped, §2.1
	want := map[string]pyOutcome{
		// §11.7, §2.5: a user's identity.
		"GetCallerIdentity": ok(map[string]any{"Arn": "arn:aws:iam::123456789012:user/py-user", "UserId": u.UserID, "Account": "123456789012"}),
		// §11.1: tags, transitive keys and a policy are sent in botocore's
		// list encoding and accepted; PackedPolicySize is present.
		"AssumeRole": ok(map[string]any{
			"AssumedRoleUser":  map[string]any{"Arn": sessARN, "AssumedRoleId": r.RoleID + ":py-session"},
			"PackedPolicySize": 15.0, // fakests' packing of the policy and two tags (AWS's number unverified)
			"Credentials":      creds("ASIA"),
		}),
		// §14.6: the session's own identity matches what AssumeRole said.
		"RoleSession.GetCallerIdentity": ok(map[string]any{"Arn": sessARN, "UserId": r.RoleID + ":py-session", "Account": "123456789012"}),
		// §10, §14.8.
		"RoleSession.GetSessionToken": fail("AccessDenied", "Cannot call GetSessionToken with session credentials", 403),
		"GetSessionToken":             ok(map[string]any{"Credentials": creds("ASIA")}),
		"Session.GetCallerIdentity":   ok(map[string]any{"Arn": "arn:aws:iam::123456789012:user/py-user", "UserId": u.UserID, "Account": "123456789012"}),
		// §2.1, §2.2, §14.10.
		"GetFederationToken": ok(map[string]any{
			"FederatedUser": map[string]any{
				"Arn":             "arn:aws:sts::123456789012:federated-user/py-fed",
				"FederatedUserId": "123456789012:py-fed",
			},
			"PackedPolicySize": 11.0, // the same policy without tags
			"Credentials":      creds("ASIA"),
		}),
		// §14.12.
		"GetAccessKeyInfo": ok(map[string]any{"Account": "609629065308"}),
		// §10: the auth-layer errors, all 403.
		"WrongSecret":    fail("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", 403),
		"UnknownKey":     fail("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
		"ExpiredSession": fail("ExpiredToken", "The security token included in the request is expired", 403),
		// §10: an unknown role is indistinguishable from a denial.
		"AssumeUnknownRole": fail("AccessDenied", "User: arn:aws:iam::123456789012:user/py-user is not authorized to perform: sts:AssumeRole on resource: "+unknownRole, 403),
		// §3: botocore refuses "x" itself; without its validation the server does.
		"ShortSessionName": fail("ValidationError", "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2", 400),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 results (-want +got):\n%s", diff)
	}
}

// handlerRunAWS runs the aws CLI with args and env (in a clean environment)
// and returns its stdout, stderr and exit code.
func handlerRunAWS(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", args...)
	cmd.Env = handlerCleanEnv(env)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return so.String(), se.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return so.String(), se.String(), 0
}

// TestHandlerAWSCLI runs `aws sts get-caller-identity` against the Handler,
// once with a user's keys and once with a wrong secret.
func TestHandlerAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		handlerSkipOrFail(t, "the aws CLI", err)
	}
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "cli-user", Path: "/ops/"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	args := []string{"sts", "get-caller-identity", "--endpoint-url", srv.URL, "--output", "json"}
	env := func(secret string) map[string]string {
		return map[string]string{"AWS_ACCESS_KEY_ID": u.Credentials.AccessKeyID, "AWS_SECRET_ACCESS_KEY": secret,
			"AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"}
	}

	stdout, stderr, code := handlerRunAWS(t, env(u.Credentials.SecretAccessKey), args...)
	if code != 0 {
		t.Fatalf("aws sts get-caller-identity exited %d\nstderr:\n%s", code, stderr)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	want := map[string]string{"UserId": u.UserID, "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/ops/cli-user"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get-caller-identity (-want +got):\n%s", diff)
	}

	// The CLI prints the code and message of the ErrorResponse (behaviour §10)
	// and exits non-zero: 255 (CLI v1) or 254 (CLI v2) for a service error.
	stdout, stderr, code = handlerRunAWS(t, env(strings.Repeat("x", 40)), args...)
	type cliErr struct {
		ServiceErrorExit bool
		Stdout           string
		Stderr           string
	}
	wantErr := cliErr{ServiceErrorExit: true, Stderr: "\nAn error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: " +
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n"}
	if diff := cmp.Diff(wantErr, cliErr{code == 254 || code == 255, stdout, stderr}); diff != "" {
		t.Errorf("get-caller-identity with a wrong secret (-want +got):\n%s", diff)
	}
}
