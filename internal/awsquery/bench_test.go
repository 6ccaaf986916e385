package awsquery

import (
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// assumeRoleBody is what the Go SDK sends for a typical AssumeRole with a
// duration, one policy ARN and two session tags.
const assumeRoleBody = "Action=AssumeRole&DurationSeconds=3600" +
	"&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess" +
	"&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=app1" +
	"&Tags.member.1.Key=Project&Tags.member.1.Value=Unicorn&Tags.member.2.Key=Team&Tags.member.2.Value=Blue" +
	"&Version=2011-06-15"

// BenchmarkDecodeAssumeRole measures Decode alone on a parsed form.
func BenchmarkDecodeAssumeRole(b *testing.B) {
	form, err := ParseForm([]byte(assumeRoleBody))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(form); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFormAssumeRole measures ParseForm on the same body.
func BenchmarkParseFormAssumeRole(b *testing.B) {
	body := []byte(assumeRoleBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseForm(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseQueryStdlibAssumeRole is the baseline for ParseForm:
// url.ParseQuery on the same body, through the same string conversion.
func BenchmarkParseQueryStdlibAssumeRole(b *testing.B) {
	body := []byte(assumeRoleBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseStdlib(string(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendResultAssumeRole measures the success document of an
// AssumeRole with every member set, into a reused buffer.
func BenchmarkAppendResultAssumeRole(b *testing.B) {
	out := &sts.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: roleUser,
		PackedPolicySize: aws.Int32(16), SourceIdentity: aws.String("alice")}
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendResult(buf[:0], ActionAssumeRole, out, "c6104cbe-af31-11e0-8154-cbc7ccf896c7"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendError measures an error document into a reused buffer.
func BenchmarkAppendError(b *testing.B) {
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendError(buf[:0], "Sender", "AccessDenied",
			"User: arn:aws:iam::123456789012:user/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/demo",
			"c6104cbe-af31-11e0-8154-cbc7ccf896c7")
	}
}

func parseStdlib(s string) (any, error) { return url.ParseQuery(s) }
