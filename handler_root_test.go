package fakests

import (
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHandlerBoto3AssumeRoot runs AssumeRoot and the region model through
// botocore (boto_root.py), whose model (1.43) has AssumeRoot: its answers
// parse, the recorded messages arrive as botocore reports them, and
// RegionDisabledException is raised as the modelled exception (behaviour
// §11.4, §13, §19).
func TestHandlerBoto3AssumeRoot(t *testing.T) {
	w := newRootWorld(t, OrganizationSpec{DelegatedAdministrator: rootDelegate, RootCredentialsManagement: true})
	if err := w.e.DeactivateSTSRegion(rootMember, "eu-west-2"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.e.Handler())
	defer srv.Close()
	var got map[string]pyOutcome
	handlerRunPython(t, "boto_root.py", map[string]string{
		"FAKESTS_ENDPOINT":           srv.URL,
		"FAKESTS_ADMIN_AKID":         w.admin.Credentials.AccessKeyID,
		"FAKESTS_ADMIN_SECRET":       w.admin.Credentials.SecretAccessKey,
		"FAKESTS_ADMIN_ARN":          w.admin.ARN,
		"FAKESTS_MEMBER":             rootMember,
		"FAKESTS_MANAGEMENT":         rootMgmt,
		"FAKESTS_DEACTIVATED_REGION": "eu-west-2",
		"FAKESTS_OPT_IN_REGION":      "af-south-1",
	}, &got)

	fail := func(code, msg string, status float64, class string) pyOutcome {
		return pyOutcome{Error: map[string]any{"Type": "Sender", "Code": code, "Message": msg, "HTTPStatusCode": status, "Class": class}}
	}
	want := map[string]pyOutcome{
		// §11.4: Credentials only (no AssumedRoleUser), 900 s by default.
		"AssumeRoot": {OK: map[string]any{"HTTPStatusCode": 200.0,
			"Keys": []any{"Credentials", "ResponseMetadata"},
			"Credentials": map[string]any{"AccessKeyIdPrefix": "ASIA", "SecretLen": 40.0, "HasSessionToken": true,
				"Expiration": testEpoch.Add(900 * time.Second).Format("2006-01-02T15:04:05+00:00")}}},
		// §2.5: the member's root.
		"RootSession.GetCallerIdentity": {OK: map[string]any{"HTTPStatusCode": 200.0,
			"Arn": "arn:aws:iam::333333333333:root", "UserId": "333333333333", "Account": "333333333333"}},
		// The recorded texts (stackd iam/root_sessions.json, iam/root_access.json).
		"FeatureOff":           fail("AccessDenied", "Root sessions feature is not enabled for your AWS Organization.", 403, "ClientError"),
		"ManagementTarget":     fail("AccessDenied", "User: "+w.admin.ARN+" is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::111111111111:root", 403, "ClientError"),
		"DurationOverLimit":    fail("ValidationError", "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900", 400, "ClientError"),
		"TaskPolicyMissingArn": fail("ValidationError", "1 validation error detected: Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null", 400, "ClientError"),
		"InvalidTaskPolicy":    fail("ValidationError", "Request must contain valid AWS managed task policy ARN", 400, "ClientError"),
		"InvalidTarget":        fail("ValidationError", "Request must contain a valid target principal", 400, "ClientError"),
		// §10, §13.
		"RegionDisabled": fail("RegionDisabledException", "STS is not activated in this region for account:333333333333. Your account administrator can activate STS in this region using the IAM Console.", 403, "RegionDisabledException"),
		"OptInRegion":    fail("InvalidClientTokenId", "The security token included in the request is invalid", 403, "ClientError"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 results (-want +got):\n%s", diff)
	}
}

// TestHandlerAWSCLIAssumeRoot runs `aws sts assume-root` against the
// Handler: a success the CLI prints as JSON, and a refusal it reports with
// the recorded text (stackd iam/root_sessions.json shows the CLI's line).
func TestHandlerAWSCLIAssumeRoot(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		handlerSkipOrFail(t, "the aws CLI", err)
	}
	w := newRootWorld(t, OrganizationSpec{RootCredentialsManagement: true})
	srv := httptest.NewServer(w.e.Handler())
	defer srv.Close()
	env := map[string]string{"AWS_ACCESS_KEY_ID": w.admin.Credentials.AccessKeyID, "AWS_SECRET_ACCESS_KEY": w.admin.Credentials.SecretAccessKey,
		"AWS_DEFAULT_REGION": "us-west-2", "AWS_MAX_ATTEMPTS": "1"}
	args := func(task string) []string {
		return []string{"sts", "assume-root", "--endpoint-url", srv.URL, "--output", "json",
			"--target-principal", rootMember, "--task-policy-arn", "arn=arn:aws:iam::aws:policy/root-task/" + task}
	}

	stdout, stderr, code := handlerRunAWS(t, env, args("IAMAuditRootUserCredentials")...)
	if code != 0 {
		t.Fatalf("aws sts assume-root exited %d\nstderr:\n%s", code, stderr)
	}
	var got struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	c := got.Credentials
	exp, err := time.Parse(time.RFC3339, c.Expiration) // CLI v1 prints …Z, v2 …+00:00
	if !strings.HasPrefix(c.AccessKeyId, "ASIA") || len(c.SecretAccessKey) != 40 || c.SessionToken == "" ||
		err != nil || !exp.Equal(testEpoch.Add(900*time.Second)) {
		t.Errorf("credentials %+v", c)
	}

	stdout, stderr, code = handlerRunAWS(t, env, args("SQSUnlockQueuePolicy")...)
	wantErr := "\nAn error occurred (AccessDenied) when calling the AssumeRoot operation: Root sessions feature is not enabled for your AWS Organization.\n"
	if code != 254 && code != 255 || stdout != "" || stderr != wantErr {
		t.Errorf("exit %d, stdout %q, stderr %q; want a service error and %q", code, stdout, stderr, wantErr)
	}
}
