package awsquery

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// outputs maps every action to a zero output and the type of its input.
var outputs = map[string]struct {
	out    any
	inType string
}{
	ActionAssumeRole:                 {&sts.AssumeRoleOutput{}, "*sts.AssumeRoleInput"},
	ActionAssumeRoleWithSAML:         {&sts.AssumeRoleWithSAMLOutput{}, "*sts.AssumeRoleWithSAMLInput"},
	ActionAssumeRoleWithWebIdentity:  {&sts.AssumeRoleWithWebIdentityOutput{}, "*sts.AssumeRoleWithWebIdentityInput"},
	ActionAssumeRoot:                 {&sts.AssumeRootOutput{}, "*sts.AssumeRootInput"},
	ActionDecodeAuthorizationMessage: {&sts.DecodeAuthorizationMessageOutput{}, "*sts.DecodeAuthorizationMessageInput"},
	ActionGetAccessKeyInfo:           {&sts.GetAccessKeyInfoOutput{}, "*sts.GetAccessKeyInfoInput"},
	ActionGetCallerIdentity:          {&sts.GetCallerIdentityOutput{}, "*sts.GetCallerIdentityInput"},
	ActionGetDelegatedAccessToken:    {&sts.GetDelegatedAccessTokenOutput{}, "*sts.GetDelegatedAccessTokenInput"},
	ActionGetFederationToken:         {&sts.GetFederationTokenOutput{}, "*sts.GetFederationTokenInput"},
	ActionGetSessionToken:            {&sts.GetSessionTokenOutput{}, "*sts.GetSessionTokenInput"},
	ActionGetWebIdentityToken:        {&sts.GetWebIdentityTokenOutput{}, "*sts.GetWebIdentityTokenInput"},
}

// FuzzDecode pins that no request form panics, that every failure is an
// *apierror.Error, and that every success names a known action with its input type.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s&DurationSeconds=3600",
		"Action=AssumeRole&Tags=&Tags.member.1.Key=a&Tags.member.999999999.Value=b&Tags.member.01.Key=c",
		"Action=AssumeRole&PolicyArns.member.2.arn=x&ProvidedContexts.member.1.ContextAssertion=y&TransitiveTagKeys.member.10=z",
		"Action=GetWebIdentityToken&Audience.member.1=a&Audience=&SigningAlgorithm=RS256",
		"Action=AssumeRoot&TaskPolicyArn.arn=x&DurationSeconds=-0",
		"Action=GetSessionToken&DurationSeconds=99999999999999999999",
		"Action=Nope&Version=1",
		"Version=2011-06-15",
		"%zz=1",
		"a;b=c&&=&Action=GetCallerIdentity",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		form, err := ParseQuery(s)
		if err != nil {
			var e *apierror.Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseQuery error %T %v is not *apierror.Error", err, err)
			}
			return
		}
		action, in, err := Decode(form)
		if err != nil {
			if _, ok := err.(*apierror.Error); !ok {
				t.Fatalf("Decode error %T %v is not *apierror.Error", err, err)
			}
			if in != nil {
				t.Fatalf("Decode returned input %T with error", in)
			}
			return
		}
		o, ok := outputs[action]
		if !ok {
			t.Fatalf("Decode succeeded for unknown action %q", action)
		}
		if got := fmt.Sprintf("%T", in); got != o.inType {
			t.Fatalf("input type %s for action %s, want %s", got, action, o.inType)
		}
		if _, err := AppendResult(nil, action, o.out, "id"); err != nil {
			t.Fatalf("AppendResult(%s): %v", action, err)
		}
	})
}

// FuzzAppendText pins that any string becomes well-formed XML text that a
// standard parser reads back as the string itself, except that characters
// XML cannot carry come back as U+FFFD.
func FuzzAppendText(f *testing.F) {
	for _, seed := range []string{"", "plain", "<&>\"'", "\r\n\r", "\x00\x1f\x7f", "\xff\xfe", "\uFFFE\uFFFF", "日本 🙂", "]]>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := append([]byte("<a>"), appendText(nil, s)...)
		doc = append(doc, "</a>"...)
		var got struct {
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal(doc, &got); err != nil {
			t.Fatalf("not well-formed: %v\n%q", err, doc)
		}
		want := strings.Map(func(r rune) rune {
			if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
				return '\uFFFD'
			}
			return r
		}, s)
		if got.Text != want {
			t.Fatalf("read back %q, want %q", got.Text, want)
		}
	})
}
