package fakests

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// TestHandlerSigV4Strictness pins the Handler's answers to signatures that a
// correct signer never sends (behaviour §1.4), and to a session token that
// the signature does not cover.
func TestHandlerSigV4Strictness(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "strict-user", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "strict-role", TrustPolicy: trustPrincipal(u.ARN)})
	ar, err := e.AssumeRole(WithCaller(context.Background(), u.Credentials),
		&sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("ss")})
	if err != nil {
		t.Fatal(err)
	}
	sess := credsOf(ar.Credentials)
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	const form = "Action=GetCallerIdentity&Version=2011-06-15"
	mismatch := handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch",
		Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	sessionAnswer := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse",
		Arn: "arn:aws:sts::123456789012:assumed-role/strict-role/ss", UserID: r.RoleID + ":ss", Account: "123456789012"}
	// signedPost signs a POST of form with creds and lets edit change the
	// signed request before it is sent.
	signedPost := func(t *testing.T, creds aws.Credentials, edit func(*http.Request)) (int, []byte) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		handlerSign(t, req, []byte(form), creds, time.Now())
		edit(req)
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
	// signedAs sends form signed over the header names exactly as listed
	// (order and spelling kept), so only the list itself can be wrong.
	signedAs := func(t *testing.T, names ...string) (int, []byte) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		handlerSignListed(t, req, []byte(form), u.Credentials, time.Now(), names)
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
	tests := []struct {
		name string
		send func(t *testing.T) (int, []byte)
		want handlerAnswer
	}{
		{"SignedHeaders sorted and lower-case (the helper signs correctly)", func(t *testing.T) (int, []byte) {
			return signedAs(t, "content-type", "host", "x-amz-date")
		}, handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: u.ARN, UserID: u.UserID, Account: "123456789012"}},
		{"SignedHeaders unsorted", func(t *testing.T) (int, []byte) {
			return signedAs(t, "host", "content-type", "x-amz-date")
		}, mismatch},
		{"SignedHeaders upper-case", func(t *testing.T) (int, []byte) {
			return signedAs(t, "Content-Type", "host", "x-amz-date")
		}, mismatch},
		{"SignedHeaders with a name twice", func(t *testing.T) (int, []byte) {
			return signedAs(t, "content-type", "host", "host", "x-amz-date")
		}, mismatch},
		{"a second Authorization header: IncompleteSignature", func(t *testing.T) (int, []byte) {
			var first string
			status, body := signedPost(t, u.Credentials, func(req *http.Request) {
				first = req.Header.Get("Authorization")
				req.Header.Add("Authorization", first)
			})
			want := "'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in Authorization header: '" + first + ", " + first + "'."
			if got := handlerParse(t, status, body); got.Message != want {
				t.Errorf("message %q, want %q", got.Message, want)
			}
			return status, body
		}, handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "IncompleteSignature"}},
		{"session token header left out of the signature: accepted", func(t *testing.T) (int, []byte) {
			unsigned := sess
			unsigned.SessionToken = ""
			return signedPost(t, unsigned, func(req *http.Request) {
				if strings.Contains(req.Header.Get("Authorization"), "x-amz-security-token") {
					t.Fatal("the token was signed")
				}
				req.Header.Set("X-Amz-Security-Token", sess.SessionToken)
			})
		}, sessionAnswer},
		{"presigned URL with its token appended after signing", func(t *testing.T) (int, []byte) {
			unsigned := sess
			unsigned.SessionToken = ""
			p := handlerPresign(t, srv.URL, unsigned)
			return handlerGet(t, p.Method, p.URL+"&X-Amz-Security-Token="+strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(sess.SessionToken), p.SignedHeader)
		}, mismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.send(t)
			got := handlerParse(t, status, body)
			if tc.want.Code == "IncompleteSignature" {
				got.Message = "" // checked above
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s\nbody:\n%s", diff, body)
			}
		})
	}
}

// handlerSignListed signs r (whose body is body) with creds at time at over
// the header names exactly as listed, unlike a correct signer, which lower-
// cases and sorts them: a SigV4 computation written out for these tests.
func handlerSignListed(t *testing.T, r *http.Request, body []byte, creds aws.Credentials, at time.Time, names []string) {
	t.Helper()
	stamp := at.UTC().Format("20060102T150405Z")
	r.Header.Set("X-Amz-Date", stamp)
	hash := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	var canon strings.Builder
	canon.WriteString(r.Method + "\n/\n\n")
	for _, n := range names {
		v := r.Header.Get(n)
		if strings.EqualFold(n, "host") {
			v = r.URL.Host
		}
		canon.WriteString(n + ":" + v + "\n")
	}
	canon.WriteString("\n" + strings.Join(names, ";") + "\n" + hash(body))
	scope := stamp[:8] + "/us-east-1/sts/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hash([]byte(canon.String()))
	key := mac(mac(mac(mac([]byte("AWS4"+creds.SecretAccessKey), stamp[:8]), "us-east-1"), "sts"), "aws4_request")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+creds.AccessKeyID+"/"+scope+
		", SignedHeaders="+strings.Join(names, ";")+", Signature="+hex.EncodeToString(mac(key, toSign)))
}
