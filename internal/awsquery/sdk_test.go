package awsquery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cmpOpts compares SDK types: plain cmp.Diff panics on their unexported
// noSmithyDocumentSerde field (behaviour §19).
var cmpOpts = []cmp.Option{
	cmpopts.IgnoreUnexported(
		sts.AssumeRoleInput{}, sts.AssumeRoleOutput{},
		sts.AssumeRoleWithSAMLInput{}, sts.AssumeRoleWithSAMLOutput{},
		sts.AssumeRoleWithWebIdentityInput{}, sts.AssumeRoleWithWebIdentityOutput{},
		sts.AssumeRootInput{}, sts.AssumeRootOutput{},
		sts.DecodeAuthorizationMessageInput{}, sts.DecodeAuthorizationMessageOutput{},
		sts.GetAccessKeyInfoInput{}, sts.GetAccessKeyInfoOutput{},
		sts.GetCallerIdentityInput{}, sts.GetCallerIdentityOutput{},
		sts.GetDelegatedAccessTokenInput{}, sts.GetDelegatedAccessTokenOutput{},
		sts.GetFederationTokenInput{}, sts.GetFederationTokenOutput{},
		sts.GetSessionTokenInput{}, sts.GetSessionTokenOutput{},
		sts.GetWebIdentityTokenInput{}, sts.GetWebIdentityTokenOutput{},
		types.AssumedRoleUser{}, types.Credentials{}, types.FederatedUser{},
		types.PolicyDescriptorType{}, types.ProvidedContext{}, types.Tag{},
	),
	cmpopts.IgnoreFields(sts.AssumeRoleOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRoleWithSAMLOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRoleWithWebIdentityOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRootOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.DecodeAuthorizationMessageOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetAccessKeyInfoOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetCallerIdentityOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetDelegatedAccessTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetFederationTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetSessionTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetWebIdentityTokenOutput{}, "ResultMetadata"),
}

// doerFunc is an SDK HTTPClient made of a function.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// wire is a fake transport: it decodes what the SDK sent and answers with
// what respond returns.
type wire struct {
	form    url.Values
	respond func(action string) (status int, body []byte, header http.Header)
}

func newSDKClient(t *testing.T, w *wire) *sts.Client {
	t.Helper()
	return sts.New(sts.Options{
		Region:      "us-east-1",
		Credentials: aws.AnonymousCredentials{},
		Retryer:     aws.NopRetryer{},
		HTTPClient: doerFunc(func(r *http.Request) (*http.Response, error) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			if w.form, err = ParseForm(body); err != nil {
				return nil, err
			}
			status, out, h := w.respond(w.form.Get("Action"))
			if h == nil {
				h = http.Header{}
			}
			h.Set("Content-Type", "text/xml")
			return &http.Response{StatusCode: status, Header: h, Request: r,
				Body: io.NopCloser(bytes.NewReader(out)), ContentLength: int64(len(out))}, nil
		}),
	})
}

// sdkCase is one operation called through a real client.
type sdkCase struct {
	name   string
	action string
	in     any
	out    any
	call   func(context.Context, *sts.Client) (any, error)
}

func op[I, O any](name, action string, in *I, out *O,
	f func(*sts.Client, context.Context, *I, ...func(*sts.Options)) (*O, error)) sdkCase {
	return sdkCase{name: name, action: action, in: in, out: out,
		call: func(ctx context.Context, c *sts.Client) (any, error) { return f(c, ctx, in) }}
}

var (
	expiry = time.Date(2026, 11, 25, 19, 6, 31, 0, time.UTC)
	creds  = &types.Credentials{
		AccessKeyId:     aws.String("ASIAY34FZKBOKMUTVV7A"),
		SecretAccessKey: aws.String("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
		SessionToken:    aws.String("IQoJb3JpZ2luX2VjEXAMPLE+/="),
		Expiration:      aws.Time(expiry),
	}
	roleUser = &types.AssumedRoleUser{
		AssumedRoleId: aws.String("AROACLKWSDQRAOEXAMPLE:app1"),
		Arn:           aws.String("arn:aws:sts::123456789012:assumed-role/demo/app1"),
	}
	twoTags = []types.Tag{
		{Key: aws.String("Project"), Value: aws.String("Unicorn & <Rainbow>")},
		{Key: aws.String("Cost-Center"), Value: aws.String("")},
	}
	twoArns = []types.PolicyDescriptorType{
		{Arn: aws.String("arn:aws:iam::123456789012:policy/a")},
		{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")},
	}
	policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
)

// many returns n tags, to pin that member 10 follows member 9.
func many(n int) []types.Tag {
	tags := make([]types.Tag, n)
	for i := range tags {
		tags[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i+1)), Value: aws.String(fmt.Sprintf("v%d", i+1))}
	}
	return tags
}

func sdkCases() []sdkCase {
	return []sdkCase{
		op("AssumeRole every field; members 1..12 in index order", ActionAssumeRole,
			&sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::123456789012:role/demo"), RoleSessionName: aws.String("app1"),
				DurationSeconds: aws.Int32(3600), ExternalId: aws.String("ext:id/1"),
				MinimumSessionTokenSize: aws.Int32(2048), Policy: aws.String(policy), PolicyArns: twoArns,
				ProvidedContexts: []types.ProvidedContext{{
					ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("opaque=="),
				}},
				SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/user"), SourceIdentity: aws.String("alice"),
				Tags: many(12), TokenCode: aws.String("123456"), TransitiveTagKeys: []string{"k1", "k10", "k2"},
			},
			&sts.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: roleUser, PackedPolicySize: aws.Int32(16),
				SourceIdentity: aws.String("alice"), SessionTokenSize: aws.Int32(1100), SessionTokenUtilization: aws.Int32(27)},
			(*sts.Client).AssumeRole),
		op("AssumeRole empty lists are sent as Name= and come back empty, not nil", ActionAssumeRole,
			&sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::123456789012:role/demo"), RoleSessionName: aws.String(""),
				PolicyArns: []types.PolicyDescriptorType{}, ProvidedContexts: []types.ProvidedContext{},
				Tags: []types.Tag{}, TransitiveTagKeys: []string{},
			},
			&sts.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: roleUser},
			(*sts.Client).AssumeRole),
		op("AssumeRoleWithSAML every field", ActionAssumeRoleWithSAML,
			&sts.AssumeRoleWithSAMLInput{
				PrincipalArn: aws.String("arn:aws:iam::123456789012:saml-provider/idp"),
				RoleArn:      aws.String("arn:aws:iam::123456789012:role/saml"), SAMLAssertion: aws.String("PHNhbWxwOlJlc3BvbnNlLz4="),
				DurationSeconds: aws.Int32(900), MinimumSessionTokenSize: aws.Int32(0), Policy: aws.String(policy), PolicyArns: twoArns,
			},
			&sts.AssumeRoleWithSAMLOutput{Credentials: creds, AssumedRoleUser: roleUser, PackedPolicySize: aws.Int32(6),
				Subject: aws.String("alice@example.com"), SubjectType: aws.String("persistent"),
				Issuer: aws.String("https://idp.example.com/"), Audience: aws.String("https://signin.aws.amazon.com/saml"),
				NameQualifier: aws.String("SbdGOnUkh1i4+EXAMPLExL/jEvs="), SourceIdentity: aws.String("alice"),
				SessionTokenSize: aws.Int32(900), SessionTokenUtilization: aws.Int32(22)},
			(*sts.Client).AssumeRoleWithSAML),
		op("AssumeRoleWithSAML empty PolicyArns", ActionAssumeRoleWithSAML,
			&sts.AssumeRoleWithSAMLInput{PrincipalArn: aws.String("p"), RoleArn: aws.String("r"), SAMLAssertion: aws.String("s"),
				PolicyArns: []types.PolicyDescriptorType{}},
			&sts.AssumeRoleWithSAMLOutput{},
			(*sts.Client).AssumeRoleWithSAML),
		op("AssumeRoleWithWebIdentity every field", ActionAssumeRoleWithWebIdentity,
			&sts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String("arn:aws:iam::123456789012:role/web"), RoleSessionName: aws.String("web-session"),
				WebIdentityToken: aws.String("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"), DurationSeconds: aws.Int32(43200),
				MinimumSessionTokenSize: aws.Int32(4096), Policy: aws.String(policy), PolicyArns: twoArns,
				ProviderId: aws.String("www.amazon.com"),
			},
			&sts.AssumeRoleWithWebIdentityOutput{Credentials: creds, SubjectFromWebIdentityToken: aws.String("amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A"),
				AssumedRoleUser: roleUser, PackedPolicySize: aws.Int32(0), Provider: aws.String("arn:aws:iam::123456789012:oidc-provider/oidc.example.com"),
				Audience: aws.String("client.5498841531868486423.1548@apps.example.com"), SourceIdentity: aws.String("bob"),
				SessionTokenSize: aws.Int32(1), SessionTokenUtilization: aws.Int32(100)},
			(*sts.Client).AssumeRoleWithWebIdentity),
		op("AssumeRoleWithWebIdentity empty PolicyArns", ActionAssumeRoleWithWebIdentity,
			&sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("r"), RoleSessionName: aws.String("s"), WebIdentityToken: aws.String("t"),
				PolicyArns: []types.PolicyDescriptorType{}},
			&sts.AssumeRoleWithWebIdentityOutput{Credentials: creds},
			(*sts.Client).AssumeRoleWithWebIdentity),
		op("AssumeRoot every field; TaskPolicyArn.arn", ActionAssumeRoot,
			&sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"),
				TaskPolicyArn:   &types.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy")},
				DurationSeconds: aws.Int32(0), MinimumSessionTokenSize: aws.Int32(-1)},
			&sts.AssumeRootOutput{Credentials: creds, SourceIdentity: aws.String("admin"),
				SessionTokenSize: aws.Int32(700), SessionTokenUtilization: aws.Int32(17)},
			(*sts.Client).AssumeRoot),
		op("DecodeAuthorizationMessage: JSON with quotes survives", ActionDecodeAuthorizationMessage,
			&sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("a-b_c==")},
			&sts.DecodeAuthorizationMessageOutput{DecodedMessage: aws.String(`{"allowed":false,"context":{"action":"ec2:Stop<'&'>"}}`)},
			(*sts.Client).DecodeAuthorizationMessage),
		op("GetAccessKeyInfo", ActionGetAccessKeyInfo,
			&sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("ASIAY34FZKBOKMUTVV7A")},
			&sts.GetAccessKeyInfoOutput{Account: aws.String("609629065308")},
			(*sts.Client).GetAccessKeyInfo),
		op("GetCallerIdentity", ActionGetCallerIdentity,
			&sts.GetCallerIdentityInput{},
			&sts.GetCallerIdentityOutput{Arn: aws.String("arn:aws:iam::123456789012:user/division_abc/Bob"),
				UserId: aws.String("AIDAJQABLZS4A3QDU576Q"), Account: aws.String("123456789012")},
			(*sts.Client).GetCallerIdentity),
		op("GetCallerIdentity with an empty output", ActionGetCallerIdentity,
			&sts.GetCallerIdentityInput{}, &sts.GetCallerIdentityOutput{},
			(*sts.Client).GetCallerIdentity),
		op("GetDelegatedAccessToken", ActionGetDelegatedAccessToken,
			&sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String("trade-in/+=")},
			&sts.GetDelegatedAccessTokenOutput{Credentials: creds, PackedPolicySize: aws.Int32(3),
				AssumedPrincipal: aws.String("arn:aws:iam::123456789012:user/Bob")},
			(*sts.Client).GetDelegatedAccessToken),
		op("GetFederationToken every field", ActionGetFederationToken,
			&sts.GetFederationTokenInput{Name: aws.String("Bob"), DurationSeconds: aws.Int32(129600),
				MinimumSessionTokenSize: aws.Int32(100), Policy: aws.String(policy), PolicyArns: twoArns, Tags: twoTags},
			&sts.GetFederationTokenOutput{Credentials: creds,
				FederatedUser:    &types.FederatedUser{FederatedUserId: aws.String("123456789012:Bob"), Arn: aws.String("arn:aws:sts::123456789012:federated-user/Bob")},
				PackedPolicySize: aws.Int32(0), SessionTokenSize: aws.Int32(800), SessionTokenUtilization: aws.Int32(19)},
			(*sts.Client).GetFederationToken),
		op("GetFederationToken empty lists", ActionGetFederationToken,
			&sts.GetFederationTokenInput{Name: aws.String("Bob"), PolicyArns: []types.PolicyDescriptorType{}, Tags: []types.Tag{}},
			&sts.GetFederationTokenOutput{Credentials: creds},
			(*sts.Client).GetFederationToken),
		op("GetSessionToken every field", ActionGetSessionToken,
			&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(-2147483648), MinimumSessionTokenSize: aws.Int32(2147483647),
				SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("000000")},
			&sts.GetSessionTokenOutput{Credentials: creds, SessionTokenSize: aws.Int32(4096), SessionTokenUtilization: aws.Int32(100)},
			(*sts.Client).GetSessionToken),
		op("GetWebIdentityToken every field", ActionGetWebIdentityToken,
			&sts.GetWebIdentityTokenInput{Audience: []string{"https://a.example", "b", "unicode é 日本"}, SigningAlgorithm: aws.String("ES384"),
				DurationSeconds: aws.Int32(300), Tags: twoTags},
			&sts.GetWebIdentityTokenOutput{WebIdentityToken: aws.String("eyJ.eyJ.sig"), Expiration: aws.Time(expiry)},
			(*sts.Client).GetWebIdentityToken),
		op("GetWebIdentityToken Expiration keeps its milliseconds", ActionGetWebIdentityToken,
			&sts.GetWebIdentityTokenInput{Audience: []string{"a"}, SigningAlgorithm: aws.String("RS256")},
			&sts.GetWebIdentityTokenOutput{WebIdentityToken: aws.String("eyJ.eyJ.sig"), Expiration: aws.Time(expiry.Add(507 * time.Millisecond))},
			(*sts.Client).GetWebIdentityToken),
		op("GetWebIdentityToken empty lists", ActionGetWebIdentityToken,
			&sts.GetWebIdentityTokenInput{Audience: []string{}, SigningAlgorithm: aws.String("RS256"), Tags: []types.Tag{}},
			&sts.GetWebIdentityTokenOutput{},
			(*sts.Client).GetWebIdentityToken),
	}
}

// TestSDKRoundTrip pins, for every operation, that (a) Decode reads exactly
// the input the Go SDK serialized (behaviour §1.1) and (b) the SDK parses our
// success document into exactly the output we encoded (behaviour §1.2).
func TestSDKRoundTrip(t *testing.T) {
	for _, tc := range sdkCases() {
		t.Run(tc.name, func(t *testing.T) {
			w := &wire{respond: func(action string) (int, []byte, http.Header) {
				body, err := AppendResult(nil, tc.action, tc.out, "req-1")
				if err != nil {
					t.Fatalf("AppendResult: %v", err)
				}
				return 200, body, http.Header{"X-Amzn-Requestid": {"req-1"}}
			}}
			got, err := tc.call(context.Background(), newSDKClient(t, w))
			if err != nil {
				t.Fatalf("SDK call: %v", err)
			}
			action, in, err := Decode(w.form)
			if err != nil {
				t.Fatalf("Decode(%v): %v", w.form, err)
			}
			if action != tc.action {
				t.Errorf("action = %q, want %q", action, tc.action)
			}
			if d := cmp.Diff(tc.in, in, cmpOpts...); d != "" {
				t.Errorf("Decode(SDK form) -want +got:\n%s\nform: %v", d, w.form)
			}
			if d := cmp.Diff(tc.out, got, cmpOpts...); d != "" {
				t.Errorf("SDK parse of AppendResult -want +got:\n%s", d)
			}
		})
	}
}

// TestSDKErrors pins that the SDK surfaces our error documents (behaviour §1.3)
// with the code, the message and the body's RequestId, as a typed error
// exactly where the operation's model lists the code, and as a generic
// API error elsewhere (behaviour §19).
func TestSDKErrors(t *testing.T) {
	cases := sdkCases()
	byAction := map[string]sdkCase{}
	for _, c := range cases {
		if _, ok := byAction[c.action]; !ok {
			byAction[c.action] = c
		}
	}
	tests := []struct {
		name, action, fault, code, message string
		status                             int
		wantType                           string
	}{
		{"AssumeRole models MalformedPolicyDocument", ActionAssumeRole, "Sender", "MalformedPolicyDocument", "Syntax errors in policy.", 400, "*types.MalformedPolicyDocumentException"},
		{"AssumeRole models ExpiredTokenException", ActionAssumeRole, "Sender", "ExpiredTokenException", "Token expired", 400, "*types.ExpiredTokenException"},
		{"AssumeRole models PackedPolicyTooLarge", ActionAssumeRole, "Sender", "PackedPolicyTooLarge", "Packed size of session tags consumes 112% of allotted space.", 400, "*types.PackedPolicyTooLargeException"},
		{"AssumeRole models RegionDisabledException (403)", ActionAssumeRole, "Sender", "RegionDisabledException", "STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.", 403, "*types.RegionDisabledException"},
		{"AssumeRole: ValidationError is unmodelled; message escaping survives", ActionAssumeRole, "Sender", "ValidationError", "1 validation error detected: Value 'a<b&c>\"d' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", 400, "*smithy.GenericAPIError"},
		{"AssumeRole: AccessDenied is unmodelled", ActionAssumeRole, "Sender", "AccessDenied", "Roles may not be assumed by root accounts.", 403, "*smithy.GenericAPIError"},
		{"AssumeRoleWithSAML models IDPRejectedClaim (403)", ActionAssumeRoleWithSAML, "Sender", "IDPRejectedClaim", "rejected", 403, "*types.IDPRejectedClaimException"},
		{"AssumeRoleWithSAML models InvalidIdentityToken", ActionAssumeRoleWithSAML, "Sender", "InvalidIdentityToken", "Response signature invalid", 400, "*types.InvalidIdentityTokenException"},
		{"AssumeRoleWithWebIdentity models InvalidIdentityToken", ActionAssumeRoleWithWebIdentity, "Sender", "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400, "*types.InvalidIdentityTokenException"},
		{"AssumeRoleWithWebIdentity models ExpiredTokenException", ActionAssumeRoleWithWebIdentity, "Sender", "ExpiredTokenException", "Token expired: current date/time 1624482533 must be before the expiration date/time1624482335", 400, "*types.ExpiredTokenException"},
		{"AssumeRoot models ExpiredTokenException", ActionAssumeRoot, "Sender", "ExpiredTokenException", "expired", 400, "*types.ExpiredTokenException"},
		{"DecodeAuthorizationMessage models InvalidAuthorizationMessageException", ActionDecodeAuthorizationMessage, "Sender", "InvalidAuthorizationMessageException", "bad", 400, "*types.InvalidAuthorizationMessageException"},
		{"GetDelegatedAccessToken models ExpiredTradeInTokenException", ActionGetDelegatedAccessToken, "Sender", "ExpiredTradeInTokenException", "expired", 400, "*types.ExpiredTradeInTokenException"},
		{"GetFederationToken models PackedPolicyTooLarge", ActionGetFederationToken, "Sender", "PackedPolicyTooLarge", "too large", 400, "*types.PackedPolicyTooLargeException"},
		{"GetWebIdentityToken models SessionDurationEscalationException (403)", ActionGetWebIdentityToken, "Sender", "SessionDurationEscalationException", "too long", 403, "*types.SessionDurationEscalationException"},
		{"GetWebIdentityToken models OutboundWebIdentityFederationDisabledException (403)", ActionGetWebIdentityToken, "Sender", "OutboundWebIdentityFederationDisabledException", "disabled", 403, "*types.OutboundWebIdentityFederationDisabledException"},
		{"GetWebIdentityToken models JWTPayloadSizeExceededException", ActionGetWebIdentityToken, "Sender", "JWTPayloadSizeExceededException", "too big", 400, "*types.JWTPayloadSizeExceededException"},
		{"GetCallerIdentity models no errors: ExpiredTokenException is generic", ActionGetCallerIdentity, "Sender", "ExpiredTokenException", "expired", 400, "*smithy.GenericAPIError"},
		{"GetSessionToken: session credentials are AccessDenied", ActionGetSessionToken, "Sender", "AccessDenied", "Cannot call GetSessionToken with session credentials", 403, "*smithy.GenericAPIError"},
		{"GetAccessKeyInfo: InvalidClientTokenId", ActionGetAccessKeyInfo, "Sender", "InvalidClientTokenId", "The security token included in the request is invalid.", 403, "*smithy.GenericAPIError"},
		{"Receiver fault InternalFailure (500)", ActionGetCallerIdentity, "Receiver", "InternalFailure", "An internal error has occurred", 500, "*smithy.GenericAPIError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := byAction[tt.action]
			w := &wire{respond: func(string) (int, []byte, http.Header) {
				// No x-amzn-RequestId header: the request ID must come from the body.
				return tt.status, AppendError(nil, tt.fault, tt.code, tt.message, "err-req-7"), nil
			}}
			_, err := c.call(context.Background(), newSDKClient(t, w))
			var api smithy.APIError
			if !errors.As(err, &api) {
				t.Fatalf("error %v is not a smithy.APIError", err)
			}
			var re *awshttp.ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not an *awshttp.ResponseError", err)
			}
			got := struct {
				Type, Code, Message, RequestID string
				Status                         int
			}{fmt.Sprintf("%T", api), api.ErrorCode(), api.ErrorMessage(), re.ServiceRequestID(), re.HTTPStatusCode()}
			want := struct {
				Type, Code, Message, RequestID string
				Status                         int
			}{tt.wantType, tt.code, tt.message, "err-req-7", tt.status}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}
