package awsquery

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// TestAppendResultJSONGolden pins whole JSON documents (behaviour §1.2): the
// Response and Result objects named after the action, keys in alphabetical
// order, every member present (null when absent, as PackedPolicySize in a
// real AssumeRole answer), Expiration in whole epoch seconds, compact.
func TestAppendResultJSONGolden(t *testing.T) {
	exp := aws.Time(time.Date(2016, 4, 11, 6, 21, 15, 999_000_000, time.FixedZone("CET", 3600)))
	creds := &types.Credentials{AccessKeyId: aws.String("ASIAY34FZKBOKMUTVV7A"), Expiration: exp,
		SecretAccessKey: aws.String("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), SessionToken: aws.String("IQoJb3JpZ2luX2Vj")}
	const credsJSON = `"Credentials":{"AccessKeyId":"ASIAY34FZKBOKMUTVV7A","Expiration":1460352075,` +
		`"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"IQoJb3JpZ2luX2Vj"}`
	tests := []struct {
		name, action string
		out          any
		want         string
	}{
		{"GetCallerIdentity: the shape aws-iam-authenticator decodes", "GetCallerIdentity",
			&sts.GetCallerIdentityOutput{Account: aws.String("123456789012"), Arn: aws.String("arn:aws:iam::123456789012:user/Alice"), UserId: aws.String("AIDAJQABLZS4A3QDU576Q")},
			`{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/Alice",` +
				`"UserId":"AIDAJQABLZS4A3QDU576Q"},"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"AssumeRole without policies: null members", "AssumeRole",
			&sts.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: &types.AssumedRoleUser{
				Arn: aws.String("arn:aws:sts::123456789012:assumed-role/demo/John"), AssumedRoleId: aws.String("AROACLKWSDQRAOEXAMPLE:John")}},
			`{"AssumeRoleResponse":{"AssumeRoleResult":{"AssumedRoleUser":{"Arn":"arn:aws:sts::123456789012:assumed-role/demo/John",` +
				`"AssumedRoleId":"AROACLKWSDQRAOEXAMPLE:John"},` + credsJSON + `,"PackedPolicySize":null,"SessionTokenSize":null,` +
				`"SessionTokenUtilization":null,"SourceIdentity":null},"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"GetSessionToken with token sizes: numbers", "GetSessionToken",
			&sts.GetSessionTokenOutput{Credentials: creds, SessionTokenSize: aws.Int32(420), SessionTokenUtilization: aws.Int32(11)},
			`{"GetSessionTokenResponse":{"GetSessionTokenResult":{` + credsJSON + `,"SessionTokenSize":420,"SessionTokenUtilization":11},` +
				`"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"GetFederationToken", "GetFederationToken",
			&sts.GetFederationTokenOutput{Credentials: creds, FederatedUser: &types.FederatedUser{
				Arn: aws.String("arn:aws:sts::123456789012:federated-user/Bob"), FederatedUserId: aws.String("123456789012:Bob")}, PackedPolicySize: aws.Int32(0)},
			`{"GetFederationTokenResponse":{"GetFederationTokenResult":{` + credsJSON + `,"FederatedUser":{"Arn":"arn:aws:sts::123456789012:federated-user/Bob",` +
				`"FederatedUserId":"123456789012:Bob"},"PackedPolicySize":0,"SessionTokenSize":null,"SessionTokenUtilization":null},` +
				`"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"DecodeAuthorizationMessage: a JSON text inside a string", "DecodeAuthorizationMessage",
			&sts.DecodeAuthorizationMessageOutput{DecodedMessage: aws.String(`{"allowed":false,"context":{"action":"s3:Get<Object>&"}}`)},
			`{"DecodeAuthorizationMessageResponse":{"DecodeAuthorizationMessageResult":{"DecodedMessage":"{\"allowed\":false,\"context\":{\"action\":\"s3:Get<Object>&\"}}"},` +
				`"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"GetWebIdentityToken: Expiration as a number", "GetWebIdentityToken",
			&sts.GetWebIdentityTokenOutput{Expiration: exp, WebIdentityToken: aws.String("eyJ.x.y")},
			`{"GetWebIdentityTokenResponse":{"GetWebIdentityTokenResult":{"Expiration":1460352075,"WebIdentityToken":"eyJ.x.y"},` +
				`"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
		{"AssumeRoleWithWebIdentity, nothing set", "AssumeRoleWithWebIdentity", &sts.AssumeRoleWithWebIdentityOutput{},
			`{"AssumeRoleWithWebIdentityResponse":{"AssumeRoleWithWebIdentityResult":{"AssumedRoleUser":null,"Audience":null,"Credentials":null,` +
				`"PackedPolicySize":null,"Provider":null,"SessionTokenSize":null,"SessionTokenUtilization":null,"SourceIdentity":null,` +
				`"SubjectFromWebIdentityToken":null},"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendResultJSON([]byte("kept:"), tc.action, tc.out, "01234567-89ab-cdef-0123-456789abcdef")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff("kept:"+tc.want, string(got)); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}

// TestAppendErrorJSONGolden pins the JSON error document: no ErrorResponse
// wrapper, Code, Message and Type in that order, RequestId beside Error, as
// real STS answers show (behaviour §1.3).
func TestAppendErrorJSONGolden(t *testing.T) {
	const want = `{"Error":{"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match the signature you provided. ` +
		`Check your AWS Secret Access Key and signing method. Consult the service documentation for details.","Type":"Sender"},` +
		`"RequestId":"1e370b71-d40f-4ac4-9c08-7e6a304ddd12"}`
	got := AppendErrorJSON(nil, "Sender", "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. "+
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", "1e370b71-d40f-4ac4-9c08-7e6a304ddd12")
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("-want +got:\n%s", d)
	}
}

// TestAppendJSONString pins string escaping.
func TestAppendJSONString(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "arn:aws:iam::1:role/a+b=c,d.e@f-g_h", `"arn:aws:iam::1:role/a+b=c,d.e@f-g_h"`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"short escapes", "\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"other controls", "\x00\x1f", `"\u0000\u001F"`},
		{"markup is copied", "<a>&", `"<a>&"`},
		{"DEL and unicode are copied", "\x7f日本 🙂", "\"\x7f日本 🙂\""},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb\xc3", "\"a\uFFFDb\uFFFD\""},
		{"empty", "", `""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendJSONString(nil, tc.in)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestAppendResultJSONEveryAction: every action's output, empty, is valid
// JSON with the Response, Result and ResponseMetadata objects.
func TestAppendResultJSONEveryAction(t *testing.T) {
	for action, o := range outputs {
		got, err := AppendResultJSON(nil, action, o.out, "id")
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		var doc map[string]map[string]json.RawMessage
		if err := json.Unmarshal(got, &doc); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", action, err, got)
		}
		resp := doc[action+"Response"]
		if len(doc) != 1 || len(resp) != 2 || resp[action+"Result"] == nil || string(resp["ResponseMetadata"]) != `{"RequestId":"id"}` {
			t.Errorf("%s: %s", action, got)
		}
	}
	if _, err := AppendResultJSON(nil, "AssumeRole", &sts.GetCallerIdentityOutput{}, "id"); err == nil ||
		err.Error() != `awsquery: output *sts.GetCallerIdentityOutput does not belong to action "AssumeRole"` {
		t.Errorf("mismatched output: %v", err)
	}
}

// FuzzAppendJSONString pins that any string becomes a JSON string that
// encoding/json reads back as the string itself, invalid UTF-8 as U+FFFD.
func FuzzAppendJSONString(f *testing.F) {
	for _, seed := range []string{"", "plain", `"\`, "\x00\x1f\x7f", "\xff\xfe", "\u2028\u2029", "日本 🙂", "</script>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(enc, &got); err != nil {
			t.Fatalf("not a JSON string: %v\n%q", err, enc)
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if !utf8.ValidString(s) {
			// Each invalid byte becomes one U+FFFD, as encoding/json reads it.
			var b strings.Builder
			for i := 0; i < len(s); {
				r, n := utf8.DecodeRuneInString(s[i:])
				b.WriteRune(r)
				i += n
			}
			want = b.String()
		}
		if got != want {
			t.Fatalf("read back %q, want %q", got, want)
		}
	})
}
