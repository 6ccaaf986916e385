package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"
)

// Presigned GetCallerIdentity is how aws-iam-authenticator (EKS tokens) and
// Vault's AWS auth prove an identity: the client presigns the call, hands the
// URL to a server, and the server GETs it from STS. Presigning never reaches
// the client adapter (behaviour §19), so the Handler must verify query-string
// SigV4 (behaviour §1.1, §1.4).

// handlerPresign presigns GetCallerIdentity with a real Go client pointed at
// endpoint and signed with creds; extra customizes the client (as
// aws-iam-authenticator does to add its header and X-Amz-Expires).
func handlerPresign(t *testing.T, endpoint string, creds aws.Credentials, extra ...func(*sts.Options)) *v4.PresignedHTTPRequest {
	t.Helper()
	p, err := sts.NewPresignClient(handlerHTTPClient(endpoint, creds, extra...)).
		PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// handlerHTTPClient returns a real Go client that reaches endpoint over HTTP
// (not through the adapter), signed with creds, making one attempt per call.
func handlerHTTPClient(endpoint string, creds aws.Credentials, extra ...func(*sts.Options)) *sts.Client {
	return sts.New(sts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		RetryMaxAttempts: 1,
	}, extra...)
}

// handlerEKSStyle adds what aws-iam-authenticator adds before signing: the
// signed x-k8s-aws-id header naming the cluster, and X-Amz-Expires=60.
func handlerEKSStyle(o *sts.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Build.Add(middleware.BuildMiddlewareFunc("eks-token", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				req.Header.Set("x-k8s-aws-id", "my-cluster")
				q := req.URL.Query()
				q.Set("X-Amz-Expires", "60")
				req.URL.RawQuery = q.Encode()
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
	})
}

// handlerSignAt presigns GetCallerIdentity with the SDK's signer at a chosen
// time; expires, when not empty, is sent as X-Amz-Expires.
func handlerSignAt(t *testing.T, endpoint string, creds aws.Credentials, at time.Time, expires string) string {
	t.Helper()
	u := endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15"
	if expires != "" {
		u += "&X-Amz-Expires=" + expires
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hex.EncodeToString(empty[:]), "sts", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// handlerGet sends method to url with headers (Host is taken from the URL)
// and returns the status and body.
func handlerGet(t *testing.T, method, url string, header http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = v
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// expiredRE is the shape of STS's stale-signature message (behaviour §10).
var expiredRE = regexp.MustCompile(`^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - (\d+ min|\d+ sec)\.\)$`)

// checkExpiredMessage checks a "Signature expired" text: the request's own
// stamp, a server time between before and after, the limit window before it.
func checkExpiredMessage(t *testing.T, msg string, signedAt time.Time, window string, before, after time.Time) {
	t.Helper()
	m := expiredRE.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("message %q is not STS's Signature expired text", msg)
	}
	const layout = "20060102T150405Z"
	now, _ := time.Parse(layout, m[3])
	limit, _ := time.Parse(layout, m[2])
	d, _ := time.ParseDuration(strings.NewReplacer(" min", "m", " sec", "s").Replace(m[4]))
	if m[1] != signedAt.UTC().Format(layout) || m[4] != window || !limit.Equal(now.Add(-d)) ||
		now.Before(before.Truncate(time.Second)) || now.After(after) {
		t.Errorf("message %q: want request stamp %s, window %s, server time in [%s, %s]",
			msg, signedAt.UTC().Format(layout), window, before.Format(layout), after.Format(layout))
	}
}

// TestHandlerPresignedGetCallerIdentity pins the presigned login flow: valid
// URLs from the Go presign client answer the signer's identity, and altered,
// stale or wrongly signed URLs get STS's auth errors.
func TestHandlerPresignedGetCallerIdentity(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "vault-user", Path: "/apps/", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "eks-admin", TrustPolicy: trustPrincipal(u.ARN)})
	st, err := e.GetSessionToken(WithCaller(context.Background(), u.Credentials), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour) // st has expired on the engine clock
	ar, err := e.AssumeRole(WithCaller(context.Background(), u.Credentials),
		&sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("node")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	ok := func(arn, userID string) handlerAnswer {
		return handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: arn, UserID: userID, Account: "123456789012"}
	}
	denied := func(code, msg string) handlerAnswer {
		return handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: code, Message: msg}
	}
	mismatch := denied("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	wrong := u.Credentials
	wrong.SecretAccessKey = strings.Repeat("w", 40)
	stale := time.Now().Add(-2 * time.Minute)
	older := time.Now().Add(-20 * time.Minute)

	tests := []struct {
		name string
		// send performs the request and returns what came back.
		send func(t *testing.T) (int, []byte)
		want handlerAnswer
		// window, when set, is the expected window of a "Signature expired"
		// message, whose times are checked apart from the rest.
		window   string
		signedAt time.Time
	}{
		{name: "user's presigned URL answers the user (§11.7)", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials)
			if p.Method != http.MethodGet {
				t.Errorf("presigned method %s, want GET", p.Method)
			}
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, want: ok("arn:aws:iam::123456789012:user/apps/vault-user", u.UserID)},
		{name: "role session's URL carries X-Amz-Security-Token (§1.4)", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, credsOf(ar.Credentials))
			if !strings.Contains(p.URL, "X-Amz-Security-Token=") {
				t.Errorf("presigned URL has no X-Amz-Security-Token: %s", p.URL)
			}
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, want: ok("arn:aws:sts::123456789012:assumed-role/eks-admin/node", r.RoleID+":node")},
		{name: "EKS token: signed x-k8s-aws-id header and X-Amz-Expires=60", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials, handlerEKSStyle)
			if p.SignedHeader.Get("x-k8s-aws-id") != "my-cluster" || !strings.Contains(p.URL, "X-Amz-Expires=60") {
				t.Errorf("presign did not sign the EKS header and expiry: %s %v", p.URL, p.SignedHeader)
			}
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, want: ok("arn:aws:iam::123456789012:user/apps/vault-user", u.UserID)},
		{name: "EKS token without its signed header: the signature covers it", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials, handlerEKSStyle)
			return handlerGet(t, p.Method, p.URL, nil)
		}, want: mismatch},
		{name: "tampered X-Amz-Signature (§10)", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials)
			i := strings.Index(p.URL, "X-Amz-Signature=") + len("X-Amz-Signature=")
			flip := byte('0')
			if p.URL[i] == '0' {
				flip = '1'
			}
			return handlerGet(t, p.Method, p.URL[:i]+string(flip)+p.URL[i+1:], p.SignedHeader)
		}, want: mismatch},
		{name: "Action changed after signing", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials)
			return handlerGet(t, p.Method, strings.Replace(p.URL, "Action=GetCallerIdentity", "Action=GetSessionToken", 1), p.SignedHeader)
		}, want: mismatch},
		{name: "wrong secret (§10)", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, wrong)
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, want: mismatch},
		{name: "expired session's URL (§10 ExpiredToken)", send: func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, credsOf(st.Credentials))
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, want: denied("ExpiredToken", "The security token included in the request is expired")},
		{name: "X-Amz-Expires=60 signed two minutes ago", send: func(t *testing.T) (int, []byte) {
			return handlerGet(t, http.MethodGet, handlerSignAt(t, srv.URL, u.Credentials, stale, "60"), nil)
		}, want: denied("SignatureDoesNotMatch", ""), window: "1 min", signedAt: stale},
		{name: "no X-Amz-Expires, signed 20 minutes ago: STS's 15 minutes (§10)", send: func(t *testing.T) (int, []byte) {
			return handlerGet(t, http.MethodGet, handlerSignAt(t, srv.URL, u.Credentials, older, ""), nil)
		}, want: denied("SignatureDoesNotMatch", ""), window: "15 min", signedAt: older},
		{name: "X-Amz-Expires=60 signed just now", send: func(t *testing.T) (int, []byte) {
			return handlerGet(t, http.MethodGet, handlerSignAt(t, srv.URL, u.Credentials, time.Now(), "60"), nil)
		}, want: ok("arn:aws:iam::123456789012:user/apps/vault-user", u.UserID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := time.Now()
			status, body := tc.send(t)
			got := handlerParse(t, status, body)
			if tc.window != "" {
				checkExpiredMessage(t, got.Message, tc.signedAt, tc.window, before, time.Now())
				got.Message = ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s\nbody:\n%s", diff, body)
			}
		})
	}
}

// TestHandlerBotocorePresign fetches URLs from botocore's
// generate_presigned_url('get_caller_identity'), which signs the empty
// body's hash as the payload hash (SigV4QueryAuth moves the form into the
// query and hashes the emptied body): signed for GET it answers the signer;
// botocore's default signs the method POST, which a GET does not match, as
// real STS reports (boto/boto3#756), and a POST with an empty body does.
func TestHandlerBotocorePresign(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "py-presigner"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	var runs []struct {
		Case   string
		Status int
		Body   string
	}
	handlerRunPython(t, "boto_presign.py", map[string]string{
		"FAKESTS_ENDPOINT": srv.URL,
		"FAKESTS_AKID":     u.Credentials.AccessKeyID,
		"FAKESTS_SECRET":   u.Credentials.SecretAccessKey,
	}, &runs)
	got := map[string]handlerAnswer{}
	for _, r := range runs {
		got[r.Case] = handlerParse(t, r.Status, []byte(r.Body))
	}
	mismatch := handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch",
		Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	want := map[string]handlerAnswer{
		"get":                    {Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/py-presigner", UserID: u.UserID, Account: "123456789012"},
		"get, signature altered": mismatch,
		"default (signed as POST), fetched with GET": mismatch,
		"default (signed as POST), POSTed with an empty body": {Status: 200, Root: "GetCallerIdentityResponse",
			Arn: "arn:aws:iam::123456789012:user/py-presigner", UserID: u.UserID, Account: "123456789012"},
		"default (signed as POST), POSTed with AssumeRole in the body": mismatch,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("botocore presigned answers (-want +got):\n%s", diff)
	}
}

// TestHandlerPresignedPOST posts a presigned URL with an empty body, as a
// client does with botocore's default presigned GetCallerIdentity URL (it
// is signed for POST): the parameters come from the query string.
func TestHandlerPresignedPOST(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "poster"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := sha256.Sum256(nil)
	signed, header, err := v4.NewSigner().PresignHTTP(context.Background(), u.Credentials, req, hex.EncodeToString(empty[:]), "sts", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, body := handlerGet(t, http.MethodPost, signed, header)
	want := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/poster", UserID: u.UserID, Account: "123456789012"}
	if diff := cmp.Diff(want, handlerParse(t, status, body)); diff != "" {
		t.Errorf("POST of a presigned URL (-want +got):\n%s\nbody:\n%s", diff, body)
	}
}
