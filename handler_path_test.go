package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

// Vault's AWS login sends the client's signed GetCallerIdentity to
// endpoint + "/" + RequestURI(): a "//" path. STS normalises the path of
// every request (not S3's) before checking the signature, so the login
// works against AWS (behaviour §1.4).

// TestHandlerDoubleSlashGoSigned replays a request the Go SDK's signer
// signed for "/" to "//", over HTTP.
func TestHandlerDoubleSlashGoSigned(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "vault-client"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	const form = "Action=GetCallerIdentity&Version=2011-06-15"
	send := func(t *testing.T, signedPath, sentPath string) handlerAnswer {
		req, err := http.NewRequest(http.MethodPost, srv.URL+signedPath, strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte(form))
		if err := v4.NewSigner().SignHTTP(context.Background(), u.Credentials, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		req.URL.Path = sentPath
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return handlerParse(t, resp.StatusCode, body)
	}
	me := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: u.ARN, UserID: u.UserID, Account: "123456789012"}
	mismatch := handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch",
		Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	for _, tc := range []struct {
		name, signed, sent string
		want               handlerAnswer
	}{
		{"signed for /, sent to // (Vault)", "/", "//", me},
		{"signed for /, sent to ///", "/", "///", me},
		{"signed for /, sent to /x", "/", "/x", mismatch},
		{"the Go signer keeps // as it is: refused", "//", "//", mismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, send(t, tc.signed, tc.sent)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHandlerDoubleSlashBotocore signs with botocore, which normalises the
// path it signs as STS does (testdata/handler/boto_paths.py).
func TestHandlerDoubleSlashBotocore(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "py-vault-client"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	var runs []struct {
		Case   string
		Status int
		Body   string
	}
	handlerRunPython(t, "boto_paths.py", map[string]string{
		"FAKESTS_ENDPOINT": srv.URL,
		"FAKESTS_AKID":     u.Credentials.AccessKeyID,
		"FAKESTS_SECRET":   u.Credentials.SecretAccessKey,
	}, &runs)
	got := map[string]handlerAnswer{}
	for _, r := range runs {
		got[r.Case] = handlerParse(t, r.Status, []byte(r.Body))
	}
	me := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/py-vault-client", UserID: u.UserID, Account: "123456789012"}
	want := map[string]handlerAnswer{
		"signed for /, sent to //":          me,
		"signed for //, sent to //":         me,
		"signed for /a/../, sent to /a/../": me,
		"signed for /, sent to /x": {Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch",
			Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("botocore-signed paths (-want +got):\n%s", diff)
	}
}

// TestAuthenticatePaths pins Authenticate's documented contract for paths:
// S3 (and S3 Object Lambda, S3 Express) paths are signed as sent, as the Go
// SDK's signer with its defaults signs them; every other service's path is
// normalised first, as STS's is.
func TestAuthenticatePaths(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "emulated"})
	sign := func(t *testing.T, service, url string) *http.Request {
		r, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		empty := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), u.Credentials, r, hex.EncodeToString(empty[:]), service, "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		req  func(t *testing.T) *http.Request
		ok   bool
	}{
		{"S3 key with // and ./ signed as sent", func(t *testing.T) *http.Request {
			return sign(t, "s3", "http://s3.local/bucket//a/./b")
		}, true},
		{"S3: signed for /bucket/a/b, sent to /bucket//a/b", func(t *testing.T) *http.Request {
			r := sign(t, "s3", "http://s3.local/bucket/a/b")
			r.URL.Path = "/bucket//a/b"
			return r
		}, false},
		{"API Gateway: signed for /stage/items, sent to /stage//items", func(t *testing.T) *http.Request {
			r := sign(t, "execute-api", "http://api.local/stage/items")
			r.URL.Path = "/stage//items"
			return r
		}, true},
		{"API Gateway: the Go signer keeps /stage//items as it is: refused", func(t *testing.T) *http.Request {
			return sign(t, "execute-api", "http://api.local/stage//items")
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := e.Authenticate(tc.req(t))
			if tc.ok {
				if err != nil || p.ARN != u.ARN {
					t.Fatalf("Authenticate = %v, %v; want %s", p, err, u.ARN)
				}
				return
			}
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v (%T) is not an *AuthError", err, err)
			}
			got := wantErr{Code: ae.Code, Status: ae.HTTPStatus(), Message: ae.Message}
			want := wantErr{Code: "SignatureDoesNotMatch", Status: 403, Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
