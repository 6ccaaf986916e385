package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// These tests drive the fakests binary as people who do not write Go use
// it (issue 15 §3): a shell script with the aws CLI, a boto3 program, a
// Node program with the JS SDK v3. Each starts `fakests serve -strict` with
// e2e.seed.json, whose administrator has a fixed access key the programs
// use; each creates a user and its access key, a managed policy attached
// to the user, a role that trusts the user; the new key assumes the role
// and the session asks who it is; then IAM's errors, with AWS's literal
// codes, messages and statuses, as each SDK shows them.

// e2eAdmin is e2e.seed.json's administrator key.
var e2eAdmin = []string{"AWS_ACCESS_KEY_ID=AKIAE2EADMINEXAMPLE1", "AWS_SECRET_ACCESS_KEY=e2eAdminSecretKey/EXAMPLE/0123456789abcd"}

// startE2E starts the server the end-to-end tests drive, with extra
// flags.
func startE2E(t *testing.T, extra ...string) *proc {
	t.Helper()
	return startBinary(t, append([]string{"-strict", "-quiet", "-seed", "testdata/e2e.seed.json"}, extra...)...)
}

// TestE2EAWSCLI runs testdata/e2e_cli.sh, a shell script with the aws CLI
// and the seed's fixed administrator key.
func TestE2EAWSCLI(t *testing.T) {
	p := startE2E(t)
	if _, err := exec.LookPath("aws"); err != nil {
		skipOrFail(t, "python", "the aws CLI", err)
	}
	out := runTool(t, "python", "the aws CLI", cleanEnv("AWS_ENDPOINT_URL="+p.url), "", "sh", "testdata/e2e_cli.sh")
	want := `create-user: arn:aws:iam::123456789012:user/e2e/cli-dev
create-access-key: Active
create-policy: arn:aws:iam::123456789012:policy/cli-assume
attached: cli-assume
create-role: arn:aws:iam::123456789012:role/cli-deployer
session: arn:aws:sts::123456789012:assumed-role/cli-deployer/cli
get-user-missing: 25X An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name cli-nobody cannot be found.
`
	// The CLI's exit status for a service error: 255 from v1, 254 from v2.
	got := regexp.MustCompile(`get-user-missing: 25[45] `).ReplaceAllString(string(out), "get-user-missing: 25X ")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("e2e_cli.sh (-want +got):\n%s", diff)
	}
}

// e2eScenario is what e2e_boto3.py and e2e.mjs print for PREFIX, with
// IAM's error codes as the SDK names them (code(c) for the wire code c).
func e2eScenario(prefix string, code func(string) string) map[string]any {
	var m map[string]any
	doc := `{
	  "CreateUser": {"ok": {"Arn": "arn:aws:iam::123456789012:user/e2e/P-dev"}},
	  "CreateAccessKey": {"ok": {"UserName": "P-dev", "Status": "Active", "AccessKeyIdPrefix": "AKIA", "SecretLen": 40}},
	  "CreatePolicy": {"ok": {"Arn": "arn:aws:iam::123456789012:policy/P-assume", "DefaultVersionId": "v1"}},
	  "AttachUserPolicy": {"ok": {}},
	  "CreateRole": {"ok": {"Arn": "arn:aws:iam::123456789012:role/P-deployer"}},
	  "GetCallerIdentityAsUser": {"ok": {"Arn": "arn:aws:iam::123456789012:user/e2e/P-dev"}},
	  "AssumeRole": {"ok": {"AccessKeyIdPrefix": "ASIA"}},
	  "GetCallerIdentityAsSession": {"ok": {"Arn": "arn:aws:sts::123456789012:assumed-role/P-deployer/e2e"}},
	  "GetUserMissing": {"error": {"Code": "NoSuchEntity", "Message": "The user with name P-nobody cannot be found.", "HTTPStatusCode": 404}},
	  "CreateUserAgain": {"error": {"Code": "EntityAlreadyExists", "Message": "User with name P-dev already exists.", "HTTPStatusCode": 409}},
	  "DeleteUserWithKeys": {"error": {"Code": "DeleteConflict", "Message": "Cannot delete entity, must delete access keys first.", "HTTPStatusCode": 409}},
	  "CreatePolicyNotJSON": {"error": {"Code": "MalformedPolicyDocument", "Message": "This policy contains invalid Json", "HTTPStatusCode": 400}},
	  "AssumeRoleNotAllowed": {"error": {"Code": "AccessDenied", "HTTPStatusCode": 403,
	    "Message": "User: arn:aws:iam::123456789012:user/e2e/P-dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/P-other"}}
	}`
	if err := json.Unmarshal([]byte(strings.ReplaceAll(doc, "P-", prefix+"-")), &m); err != nil {
		panic(err)
	}
	for _, step := range m {
		if e, ok := step.(map[string]any)["error"].(map[string]any); ok && e["Code"] != "AccessDenied" {
			e["Code"] = code(e["Code"].(string))
		}
	}
	return m
}

// TestE2EBoto3 runs the scenario with boto3 (e2e_boto3.py), endpoint from
// AWS_ENDPOINT_URL.
func TestE2EBoto3(t *testing.T) {
	p := startE2E(t)
	got := runScenarioBoto3(t, p, "py")
	delete(got, "keys")
	want := e2eScenario("py", func(c string) string { return c })
	want["GetRoleTrustPolicy"] = map[string]any{"ok": map[string]any{"AssumeRolePolicyDocument": map[string]any{
		"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:user/e2e/py-dev"}}}}}}
	want["DeleteRoleMissing"] = map[string]any{"error": map[string]any{"Code": "NoSuchEntity", "HTTPStatusCode": 404.0,
		"Message": "The role with name py-norole cannot be found."}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 (-want +got):\n%s", diff)
	}
}

// runScenarioBoto3 runs e2e_boto3.py's scenario against p as the seed's
// administrator and returns what it printed.
func runScenarioBoto3(t *testing.T, p *proc, prefix string) map[string]any {
	t.Helper()
	var got map[string]any
	runJSON(t, "python", "boto3", cleanEnv(append([]string{"AWS_ENDPOINT_URL=" + p.url}, e2eAdmin...)...), "",
		&got, "python3", "testdata/e2e_boto3.py", "scenario", prefix)
	return got
}

// TestE2EJS runs the scenario with the JS SDK v3 (testdata/js/e2e.mjs,
// after npm ci there), endpoints from AWS_ENDPOINT_URL_IAM and
// AWS_ENDPOINT_URL_STS. The SDK names IAM's modelled errors after their
// shapes (NoSuchEntity arrives as NoSuchEntityException).
func TestE2EJS(t *testing.T) {
	p := startE2E(t)
	if _, err := os.Stat(filepath.Join("testdata", "js", "node_modules", "@aws-sdk", "client-iam", "package.json")); err != nil {
		skipOrFail(t, "node", "the JS SDK (npm ci in cmd/fakests/testdata/js)", err)
	}
	var got map[string]any
	env := cleanEnv(append([]string{"AWS_ENDPOINT_URL_IAM=" + p.url, "AWS_ENDPOINT_URL_STS=" + p.url, "NODE_NO_WARNINGS=1"}, e2eAdmin...)...)
	runJSON(t, "node", "node", env, filepath.Join("testdata", "js"), &got, "node", "e2e.mjs", "js")
	want := e2eScenario("js", func(c string) string { return c + "Exception" })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JS SDK (-want +got):\n%s", diff)
	}
}
