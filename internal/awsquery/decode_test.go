package awsquery

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
)

func mustQuery(t *testing.T, s string) url.Values {
	t.Helper()
	form, err := ParseQuery(s)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", s, err)
	}
	return form
}

// TestDecode pins how hand-written forms (other SDKs, curl, hostile
// clients) decode; the Go SDK's own encoding is pinned by TestSDKRoundTrip.
func TestDecode(t *testing.T) {
	const ar = "Action=AssumeRole&Version=2011-06-15&"
	tests := []struct {
		name       string
		form       string
		wantAction string
		wantInput  any
		wantErr    *apierror.Error
	}{
		{name: "no Action is MissingAction (§1.3)", form: "Version=2011-06-15",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MissingAction", Message: "Missing Action"}},
		{name: "empty Action is InvalidAction naming no operation (justincormack/argmin sts_oracle.rs empty-action)", form: "Action=&Version=2011-06-15",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidAction", Message: "Could not find operation  for version 2011-06-15"}},
		{name: "empty Version is InvalidAction (justincormack/argmin sts_oracle.rs empty-version)", form: "Action=GetCallerIdentity&Version=", wantAction: "GetCallerIdentity",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidAction", Message: "Could not find operation GetCallerIdentity for version "}},
		{name: "unknown Action is InvalidAction (§1.3, §10)", form: "Action=ListRoles&Version=2011-06-15", wantAction: "ListRoles",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidAction", Message: "Could not find operation ListRoles for version 2011-06-15"}},
		{name: "Action is case-sensitive", form: "Action=assumerole&Version=2011-06-15", wantAction: "assumerole",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidAction", Message: "Could not find operation assumerole for version 2011-06-15"}},
		{name: "another Version is InvalidAction naming it", form: "Action=GetCallerIdentity&Version=2010-01-01", wantAction: "GetCallerIdentity",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "InvalidAction", Message: "Could not find operation GetCallerIdentity for version 2010-01-01"}},
		{name: "missing Version is accepted", form: "Action=GetCallerIdentity",
			wantAction: "GetCallerIdentity", wantInput: &sts.GetCallerIdentityInput{}},
		{name: "parameters of other operations and unknown ones are ignored",
			form:       "Action=GetCallerIdentity&Version=2011-06-15&RoleArn=x&Tags.member.1.Key=a&X-Amz-Date=20260101T000000Z",
			wantAction: "GetCallerIdentity", wantInput: &sts.GetCallerIdentityInput{}},
		{name: "non-numeric DurationSeconds is MalformedInput with no message (§1.1)", form: ar + "DurationSeconds=abc", wantAction: "AssumeRole",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MalformedInput"}},
		{name: "int32 overflow is MalformedInput (radkawar/stackd sts/query_inputs.json)", form: "Action=GetSessionToken&DurationSeconds=2147483648", wantAction: "GetSessionToken",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MalformedInput"}},
		{name: "a decimal MinimumSessionTokenSize is MalformedInput", form: "Action=GetSessionToken&MinimumSessionTokenSize=1.5", wantAction: "GetSessionToken",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MalformedInput"}},
		{name: "an empty integer is MalformedInput 'missing value for decimal type' (justincormack/argmin sts_oracle.rs)",
			form: "Action=GetSessionToken&DurationSeconds=", wantAction: "GetSessionToken",
			wantErr: &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MalformedInput", Message: "missing value for decimal type"}},
		{name: "signs, leading zeros and range limits parse",
			form:       "Action=GetSessionToken&DurationSeconds=%2B0900&MinimumSessionTokenSize=-2147483648",
			wantAction: "GetSessionToken", wantInput: &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900), MinimumSessionTokenSize: aws.Int32(-2147483648)}},
		{name: "empty strings are present (Go SDK sends RoleArn= for \"\")",
			form:       ar + "RoleArn=&RoleSessionName=",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{RoleArn: aws.String(""), RoleSessionName: aws.String("")}},
		{name: "a repeated key: the first value wins",
			form:       ar + "RoleSessionName=one&RoleSessionName=two",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{RoleSessionName: aws.String("one")}},
		{name: "Tags= is an empty, non-nil list (§1.1)",
			form:       ar + "Tags=&PolicyArns=&TransitiveTagKeys=&ProvidedContexts=",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{Tags: []types.Tag{}, PolicyArns: []types.PolicyDescriptorType{},
				TransitiveTagKeys: []string{}, ProvidedContexts: []types.ProvidedContext{}}},
		{name: "members are ordered numerically, not as text (member.10 after member.9)",
			form:       ar + "TransitiveTagKeys.member.10=ten&TransitiveTagKeys.member.9=nine&TransitiveTagKeys.member.1=one",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{TransitiveTagKeys: []string{"one", "nine", "ten"}}},
		{name: "gaps are closed up; a huge index costs nothing",
			form:       ar + "Tags.member.999999999.Key=z&Tags.member.3.Key=c&Tags.member.3.Value=3&Tags.member.1.Value=1",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{Tags: []types.Tag{
				{Value: aws.String("1")}, {Key: aws.String("c"), Value: aws.String("3")}, {Key: aws.String("z")}}}},
		{name: "non-canonical indexes and unknown fields are unknown keys, ignored",
			form: ar + "Tags.member.0.Key=a&Tags.member.01.Key=b&Tags.member.+1.Key=c&Tags.member.1x.Key=d&Tags.member.1000000000.Key=e" +
				"&Tags.member.1.key=f&Tags.member..Key=g&Tags.member.1=h&Tags.1.Key=i&TagsX=j&PolicyArns.member.1.Arn=k&Audience.member.1=l",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{}},
		{name: "PolicyArns member name is lowercase arn; ProvidedContexts fields",
			form: ar + "PolicyArns.member.2.arn=p2&PolicyArns.member.1.arn=p1" +
				"&ProvidedContexts.member.1.ProviderArn=pa&ProvidedContexts.member.1.ContextAssertion=ca",
			wantAction: "AssumeRole", wantInput: &sts.AssumeRoleInput{
				PolicyArns:       []types.PolicyDescriptorType{{Arn: aws.String("p1")}, {Arn: aws.String("p2")}},
				ProvidedContexts: []types.ProvidedContext{{ProviderArn: aws.String("pa"), ContextAssertion: aws.String("ca")}}}},
		{name: "AssumeRoot TaskPolicyArn.arn",
			form:       "Action=AssumeRoot&TargetPrincipal=111122223333&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FX",
			wantAction: "AssumeRoot", wantInput: &sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"),
				TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/X")}}},
		{name: "GetWebIdentityToken Audience list and Tags",
			form:       "Action=GetWebIdentityToken&Audience.member.2=b&Audience.member.1=a&SigningAlgorithm=RS256&Tags.member.1.Key=k&Tags.member.1.Value=v",
			wantAction: "GetWebIdentityToken", wantInput: &sts.GetWebIdentityTokenInput{Audience: []string{"a", "b"}, SigningAlgorithm: aws.String("RS256"),
				Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}},
		{name: "GetFederationToken ignores AssumeRole-only lists",
			form:       "Action=GetFederationToken&Name=Bob&TransitiveTagKeys.member.1=x&Tags.member.1.Key=k",
			wantAction: "GetFederationToken", wantInput: &sts.GetFederationTokenInput{Name: aws.String("Bob"), Tags: []types.Tag{{Key: aws.String("k")}}}},
		{name: "values keep unicode and control characters as sent",
			form:       "Action=DecodeAuthorizationMessage&EncodedMessage=%E6%97%A5%00%0D%0A%3C%26",
			wantAction: "DecodeAuthorizationMessage", wantInput: &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("日\x00\r\n<&")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			action, in, err := Decode(mustQuery(t, tt.form))
			if action != tt.wantAction {
				t.Errorf("action = %q, want %q", action, tt.wantAction)
			}
			if tt.wantErr != nil {
				if d := cmp.Diff(tt.wantErr, err); d != "" {
					t.Errorf("error -want +got:\n%s", d)
				}
				if in != nil {
					t.Errorf("input = %#v on error, want nil", in)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d := cmp.Diff(tt.wantInput, in, cmpOpts...); d != "" {
				t.Errorf("input -want +got:\n%s", d)
			}
		})
	}
}

// TestParseForm pins the form syntax rules and the hostile-input limits; the
// refusals' codes and texts are fakests' choice (errors.go).
func TestParseForm(t *testing.T) {
	malformed := func(part string) *apierror.Error {
		return &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "MalformedQueryString", Message: "Invalid percent-encoding in request parameters: " + part}
	}
	tooLarge := func(msg string) *apierror.Error {
		return &apierror.Error{Status: 400, Fault: smithy.FaultClient, Code: "ValidationError", Message: msg}
	}
	tests := []struct {
		name    string
		body    string
		want    url.Values
		wantErr *apierror.Error
	}{
		{name: "plus is a space, %2B a plus", body: "a=x+y%2Bz", want: url.Values{"a": {"x y+z"}}},
		{name: "a key without = has an empty value", body: "Tags&b=", want: url.Values{"Tags": {""}, "b": {""}}},
		{name: "empty pairs are skipped", body: "&&a=1&&", want: url.Values{"a": {"1"}}},
		{name: "semicolon is data, not a separator", body: "a=1;b=2", want: url.Values{"a": {"1;b=2"}}},
		{name: "repeated keys keep every value in order", body: "a=1&a=2&a=3", want: url.Values{"a": {"1", "2", "3"}}},
		{name: "encoded keys", body: "Tags.member.1%2EKey=k", want: url.Values{"Tags.member.1.Key": {"k"}}},
		{name: "empty body", body: "", want: url.Values{}},
		{name: "bad percent-encoding in a value is MalformedQueryString", body: "a=%zz", wantErr: malformed(`"%zz"`)},
		{name: "truncated percent-encoding in a key", body: "a%2=1", wantErr: malformed(`"a%2"`)},
		{name: "over MaxFormParams pairs is a ValidationError", body: strings.Repeat("a=1&", MaxFormParams+1),
			wantErr: tooLarge("Request has more than 1000 parameters")},
		{name: "exactly MaxFormParams pairs is fine", body: strings.Repeat("a&", MaxFormParams), want: url.Values{"a": make([]string, MaxFormParams)}},
		{name: "over MaxFormBytes is a ValidationError", body: "a=" + strings.Repeat("x", MaxFormBytes),
			wantErr: tooLarge("Request of 1048578 bytes exceeds the limit of 1048576 bytes")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, parse := range []func(string) (url.Values, error){
				func(s string) (url.Values, error) { return ParseForm([]byte(s)) }, ParseQuery,
			} {
				got, err := parse(tt.body)
				if tt.wantErr != nil {
					if d := cmp.Diff(tt.wantErr, err); d != "" {
						t.Errorf("error -want +got:\n%s", d)
					}
					continue
				}
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("-want +got:\n%s", d)
				}
			}
		})
	}
}

// TestParseFormValuesDoNotAlias pins that appending to one key's values
// never overwrites another key's (values share one backing array).
func TestParseFormValuesDoNotAlias(t *testing.T) {
	form, err := ParseForm([]byte("a=1&b=2"))
	if err != nil {
		t.Fatal(err)
	}
	form["a"] = append(form["a"], "x")
	if d := cmp.Diff(url.Values{"a": {"1", "x"}, "b": {"2"}}, form); d != "" {
		t.Errorf("-want +got:\n%s", d)
	}
}
