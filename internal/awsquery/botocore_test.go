package awsquery

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// botocoreParse feeds each document to botocore's own QueryParser with the
// STS model loaded, and prints what it parsed as JSON (timestamps in ISO
// form). botocore, unlike the Go SDK, is strict about the error document:
// it needs Type, Code and Message under Error and RequestId beside it.
const botocoreParse = `
import json, sys, datetime
import botocore.session, botocore.parsers
model = botocore.session.get_session().get_service_model('sts')
out = []
for case in json.load(sys.stdin):
    shape = model.operation_model(case['op']).output_shape
    parsed = botocore.parsers.QueryParser().parse(
        {'body': case['body'].encode('utf-8'), 'headers': {}, 'status_code': case['status']}, shape)
    out.append(parsed)
def enc(o):
    if isinstance(o, datetime.datetime):
        return o.isoformat()
    raise TypeError(repr(o))
json.dump(out, sys.stdout, default=enc)
`

// requirePython reports whether a missing python3/botocore must fail the
// test rather than skip it (CI sets FAKESTS_REQUIRE_PYTHON=1).
func requirePython() bool { return os.Getenv("FAKESTS_REQUIRE_PYTHON") == "1" }

// TestBotocoreParses pins our documents against botocore's parser, the one
// the aws CLI and boto3 use (behaviour §1.2, §1.3).
func TestBotocoreParses(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import botocore.parsers, botocore.session").Run()
	}
	if err != nil {
		if requirePython() {
			t.Fatalf("FAKESTS_REQUIRE_PYTHON=1 but python3 with botocore is unavailable: %v", err)
		}
		t.Skipf("python3 with botocore is unavailable (%v); set FAKESTS_REQUIRE_PYTHON=1 to make this a failure", err)
	}

	mustResult := func(action string, out any) string {
		b, err := AppendResult(nil, action, out, "req-"+action)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, op string
		status   int
		body     string
		want     string // JSON of botocore's parse
	}{
		{
			name: "AssumeRole success with every member (token-size members are unknown to botocore and skipped)",
			op:   "AssumeRole", status: 200,
			body: mustResult("AssumeRole", &sts.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: roleUser,
				PackedPolicySize: aws.Int32(16), SourceIdentity: aws.String("a<&>'\"b"),
				SessionTokenSize: aws.Int32(1), SessionTokenUtilization: aws.Int32(2)}),
			want: `{"Credentials":{"AccessKeyId":"ASIAY34FZKBOKMUTVV7A","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
				"SessionToken":"IQoJb3JpZ2luX2VjEXAMPLE+/=","Expiration":"2026-11-25T19:06:31+00:00"},
				"AssumedRoleUser":{"AssumedRoleId":"AROACLKWSDQRAOEXAMPLE:app1","Arn":"arn:aws:sts::123456789012:assumed-role/demo/app1"},
				"PackedPolicySize":16,"SourceIdentity":"a<&>'\"b",
				"ResponseMetadata":{"RequestId":"req-AssumeRole","HTTPStatusCode":200,"HTTPHeaders":{}}}`,
		},
		{
			name: "GetCallerIdentity success",
			op:   "GetCallerIdentity", status: 200,
			body: mustResult("GetCallerIdentity", &sts.GetCallerIdentityOutput{Arn: aws.String("arn:aws:iam::123456789012:user/Bob"),
				UserId: aws.String("AIDAJQABLZS4A3QDU576Q"), Account: aws.String("123456789012")}),
			want: `{"Arn":"arn:aws:iam::123456789012:user/Bob","UserId":"AIDAJQABLZS4A3QDU576Q","Account":"123456789012",
				"ResponseMetadata":{"RequestId":"req-GetCallerIdentity","HTTPStatusCode":200,"HTTPHeaders":{}}}`,
		},
		{
			name: "GetFederationToken success with FederatedUser and PackedPolicySize 0",
			op:   "GetFederationToken", status: 200,
			body: mustResult("GetFederationToken", &sts.GetFederationTokenOutput{Credentials: creds, PackedPolicySize: aws.Int32(0),
				FederatedUser: &types.FederatedUser{FederatedUserId: aws.String("123456789012:Bob"), Arn: aws.String("arn:aws:sts::123456789012:federated-user/Bob")}}),
			want: `{"Credentials":{"AccessKeyId":"ASIAY34FZKBOKMUTVV7A","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
				"SessionToken":"IQoJb3JpZ2luX2VjEXAMPLE+/=","Expiration":"2026-11-25T19:06:31+00:00"},
				"FederatedUser":{"FederatedUserId":"123456789012:Bob","Arn":"arn:aws:sts::123456789012:federated-user/Bob"},
				"PackedPolicySize":0,
				"ResponseMetadata":{"RequestId":"req-GetFederationToken","HTTPStatusCode":200,"HTTPHeaders":{}}}`,
		},
		{
			name: "error document: Type, Code, Message and the body RequestId (§1.3)",
			op:   "AssumeRole", status: 403,
			body: string(AppendError(nil, "Sender", "AccessDenied",
				"User: arn:aws:iam::123456789012:user/a is not authorized to perform: sts:AssumeRole on resource: <x&y>", "err-1")),
			want: `{"Error":{"Type":"Sender","Code":"AccessDenied",
				"Message":"User: arn:aws:iam::123456789012:user/a is not authorized to perform: sts:AssumeRole on resource: <x&y>"},
				"ResponseMetadata":{"RequestId":"err-1","HTTPStatusCode":403,"HTTPHeaders":{}}}`,
		},
		{
			name: "Receiver fault",
			op:   "GetCallerIdentity", status: 500,
			body: string(AppendError(nil, "Receiver", "InternalFailure", "An internal error has occurred", "err-2")),
			want: `{"Error":{"Type":"Receiver","Code":"InternalFailure","Message":"An internal error has occurred"},
				"ResponseMetadata":{"RequestId":"err-2","HTTPStatusCode":500,"HTTPHeaders":{}}}`,
		},
	}

	type pyCase struct {
		Op     string `json:"op"`
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	in := make([]pyCase, len(tests))
	for i, tt := range tests {
		in[i] = pyCase{tt.op, tt.status, tt.body}
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", botocoreParse)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore parser: %v\n%s", err, stderr.String())
	}
	var got []any
	if err := json.Unmarshal(stdout, &got); err != nil {
		t.Fatalf("botocore output %q: %v", stdout, err)
	}
	if len(got) != len(tests) {
		t.Fatalf("botocore returned %d results for %d documents", len(got), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatalf("bad want JSON: %v", err)
			}
			if d := cmp.Diff(want, got[i]); d != "" {
				t.Errorf("botocore parse -want +got:\n%s\ndocument:\n%s", d, tt.body)
			}
		})
	}
}
