package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

// A presigned URL signs its query; with UNSIGNED-PAYLOAD as the payload
// hash it signs no body. Whoever holds such a URL for GetCallerIdentity
// must not be able to POST it with Action=AssumeRole (or any other
// parameter) in the body and be served as the signer: a request may do only
// what its signature covers (behaviour §1.4).

// handlerPresignAs presigns query (the operation's parameters) for method
// with payloadHash as the signed payload hash.
func handlerPresignAs(t *testing.T, endpoint, method, query string, creds aws.Credentials, payloadHash string) string {
	t.Helper()
	req, err := http.NewRequest(method, endpoint+"/?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, payloadHash, "sts", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// handlerSend sends method to u with body (form-encoded when not empty).
func handlerSend(t *testing.T, method, u, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// TestHandlerPresignedBodyNotSigned: the attack, and the legitimate uses of
// presigned URLs next to it.
func TestHandlerPresignedBodyNotSigned(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "signer", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "prize", TrustPolicy: trustPrincipal(u.ARN)})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	const gci = "Action=GetCallerIdentity&Version=2011-06-15"
	assume := "Action=AssumeRole&Version=2011-06-15&RoleArn=" + url.QueryEscape(r.ARN) + "&RoleSessionName=stolen"
	emptyHash := func() string { s := sha256.Sum256(nil); return hex.EncodeToString(s[:]) }()
	me := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: u.ARN, UserID: u.UserID, Account: "123456789012"}
	mismatch := handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch",
		Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}

	tests := []struct {
		name string
		send func(t *testing.T) (int, []byte)
		want handlerAnswer
	}{
		// The attack: the unsigned body sets Action and the role.
		{"UNSIGNED-PAYLOAD GetCallerIdentity URL POSTed with AssumeRole in the body", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, "UNSIGNED-PAYLOAD"), assume)
		}, mismatch},
		{"... with GetSessionToken in the body", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, "UNSIGNED-PAYLOAD"),
				"Action=GetSessionToken&Version=2011-06-15")
		}, mismatch},
		{"... with a body that only adds a parameter", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, "UNSIGNED-PAYLOAD"),
				"Extra=1")
		}, mismatch},
		// The legitimate uses.
		{"UNSIGNED-PAYLOAD URL POSTed with an empty body", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, "UNSIGNED-PAYLOAD"), "")
		}, me},
		{"UNSIGNED-PAYLOAD URL fetched with GET", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodGet, handlerPresignAs(t, srv.URL, http.MethodGet, gci, u.Credentials, "UNSIGNED-PAYLOAD"), "")
		}, me},
		{"URL signed with the empty body's hash, POSTed with an empty body", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, emptyHash), "")
		}, me},
		{"URL signed with the empty body's hash, POSTed with AssumeRole: the body's hash differs", func(t *testing.T) (int, []byte) {
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, gci, u.Credentials, emptyHash), assume)
		}, mismatch},
		{"URL whose signature covers its body's hash, POSTed with that body", func(t *testing.T) (int, []byte) {
			s := sha256.Sum256([]byte("Action=GetCallerIdentity"))
			return handlerSend(t, http.MethodPost, handlerPresignAs(t, srv.URL, http.MethodPost, "Version=2011-06-15", u.Credentials, hex.EncodeToString(s[:])),
				"Action=GetCallerIdentity")
		}, me},
		{"Go SDK presign client, GET", func(t *testing.T) (int, []byte) {
			p := handlerPresign(t, srv.URL, u.Credentials)
			return handlerGet(t, p.Method, p.URL, p.SignedHeader)
		}, me},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := handlerStateOf(e)
			status, body := tc.send(t)
			if diff := cmp.Diff(tc.want, handlerParse(t, status, body)); diff != "" {
				t.Errorf("answer (-want +got):\n%s\nbody:\n%s", diff, body)
			}
			if after := handlerStateOf(e); tc.want.Status != 200 && after != before {
				t.Errorf("a refused request changed the engine: %+v -> %+v", before, after)
			}
		})
	}
}
