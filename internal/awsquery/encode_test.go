package awsquery

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// TestAppendResultGolden pins the exact bytes of an AssumeRole success:
// the §1.2 envelope, model member order, AssumedRoleId before Arn, UTC
// whole-second Expiration, and no PackedPolicySize when it is nil (§6).
func TestAppendResultGolden(t *testing.T) {
	out := &sts.AssumeRoleOutput{
		Credentials: &types.Credentials{
			AccessKeyId:     aws.String("ASIAY34FZKBOKMUTVV7A"),
			SecretAccessKey: aws.String("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
			SessionToken:    aws.String("IQoJb3JpZ2luX2Vj"),
			Expiration:      aws.Time(time.Date(2026, 11, 25, 20, 6, 31, 999_000_000, time.FixedZone("CET", 3600))),
		},
		AssumedRoleUser: &types.AssumedRoleUser{
			Arn:           aws.String("arn:aws:sts::123456789012:assumed-role/demo/John"),
			AssumedRoleId: aws.String("AROACLKWSDQRAOEXAMPLE:John"),
		},
		SourceIdentity: aws.String("DevUser123"),
	}
	const want = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAY34FZKBOKMUTVV7A</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
      <SessionToken>IQoJb3JpZ2luX2Vj</SessionToken>
      <Expiration>2026-11-25T19:06:31Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:John</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
    </AssumedRoleUser>
    <SourceIdentity>DevUser123</SourceIdentity>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`
	prefix := []byte("kept:")
	got, err := AppendResult(prefix, "AssumeRole", out, "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff("kept:"+want, string(got)); d != "" {
		t.Errorf("-want +got:\n%s", d)
	}
}

// TestAppendResultGetCallerIdentityGolden pins Arn, UserId, Account: the
// order of AWS's sample responses, not the model's.
func TestAppendResultGetCallerIdentityGolden(t *testing.T) {
	out := &sts.GetCallerIdentityOutput{Account: aws.String("123456789012"),
		Arn: aws.String("arn:aws:iam::123456789012:user/Alice"), UserId: aws.String("AIDAJQABLZS4A3QDU576Q")}
	const want = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDAJQABLZS4A3QDU576Q</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`
	got, err := AppendResult(nil, "GetCallerIdentity", out, "01234567-89ab-cdef-0123-456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("-want +got:\n%s", d)
	}
}

// TestAppendErrorGolden pins the exact bytes of the §1.3 error document:
// Type, Code, Message inside Error, RequestId beside it.
func TestAppendErrorGolden(t *testing.T) {
	const want = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidClientTokenId</Code>
    <Message>The security token included in the request is invalid.</Message>
  </Error>
  <RequestId>16fc956c-311e-4199-bee1-1680236e9698</RequestId>
</ErrorResponse>
`
	got := AppendError(nil, "Sender", "InvalidClientTokenId",
		"The security token included in the request is invalid.", "16fc956c-311e-4199-bee1-1680236e9698")
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("-want +got:\n%s", d)
	}
}

// TestAppendText pins the escaping of text content.
func TestAppendText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain ASCII is copied", "arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h", "arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h"},
		{"markup characters", `<a href="x">&'</a>`, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"},
		{"an entity-looking value is escaped, not passed through", "&amp;", "&amp;amp;"},
		{"TAB and LF stay, CR is a character reference", "a\tb\nc\rd", "a\tb\nc&#xD;d"},
		{"C0 controls XML cannot carry become U+FFFD", "a\x00b\x01\x1fc\x7f", "a\uFFFDb\uFFFD\uFFFDc\x7f"},
		{"unicode is copied", "日本語 é 🙂 \u0085 \uFFFD", "日本語 é 🙂 \u0085 \uFFFD"},
		{"U+FFFE and U+FFFF become U+FFFD", "a\uFFFEb\uFFFF", "a\uFFFDb\uFFFD"},
		{"invalid UTF-8 bytes become U+FFFD each", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"encoded surrogate halves are invalid UTF-8", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, string(appendText(nil, tt.in))); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}

// TestAppendErrorParses pins that hostile messages still give a well-formed
// document whose Message a standard XML parser reads back.
func TestAppendErrorParses(t *testing.T) {
	for _, msg := range []string{
		"Value 'a<b>&c\"d'e' at 'roleSessionName'",
		"]]><!-- --><?pi?><!DOCTYPE x [<!ENTITY e 'boom'>]>&e;",
		"line1\r\nline2\rline3\n\ttab",
		"unicode 日本 🙂",
	} {
		var doc struct {
			XMLName xml.Name `xml:"ErrorResponse"`
			Error   struct{ Type, Code, Message string }
			ID      string `xml:"RequestId"`
		}
		body := AppendError(nil, "Sender", "ValidationError", msg, "id<&>")
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%q: %v\n%s", msg, err, body)
		}
		got := []string{doc.XMLName.Space, doc.Error.Type, doc.Error.Code, doc.Error.Message, doc.ID}
		want := []string{Namespace, "Sender", "ValidationError", msg, "id<&>"}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("-want +got:\n%s", d)
		}
	}
}

// TestAppendResultRejects pins that programming mistakes are errors that
// leave buf untouched, never half-written documents (texts are fakests').
func TestAppendResultRejects(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		action string
		out    any
		want   string
	}{
		{"output of another action", "AssumeRole", &sts.GetCallerIdentityOutput{}, `awsquery: output *sts.GetCallerIdentityOutput does not belong to action "AssumeRole"`},
		{"not an STS output", "AssumeRole", &sts.AssumeRoleInput{}, "awsquery: *sts.AssumeRoleInput is not an STS output"},
		{"untyped nil", "AssumeRole", nil, "awsquery: <nil> is not an STS output"},
		{"typed nil", "AssumeRole", (*sts.AssumeRoleOutput)(nil), "awsquery: nil *sts.AssumeRoleOutput"},
		{"year 10000", "AssumeRole", &sts.AssumeRoleOutput{Credentials: &types.Credentials{Expiration: &far}},
			"awsquery: timestamp 10000-01-01 00:00:00 +0000 UTC has a year outside 0-9999"},
		{"negative year", "GetWebIdentityToken", &sts.GetWebIdentityTokenOutput{Expiration: aws.Time(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC))},
			"awsquery: timestamp -0001-01-01 00:00:00 +0000 UTC has a year outside 0-9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := []byte("prefix")
			got, err := AppendResult(buf, tt.action, tt.out, "id")
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
			if string(got) != "prefix" {
				t.Errorf("buf = %q, want it unchanged", got)
			}
		})
	}
}
