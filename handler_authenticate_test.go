package fakests

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// These tests call the Handler and Authenticate directly, as emulators do,
// with requests that no net/http server would build: a nil Body (allowed
// for a request built by hand, and what a GET usually carries) or a nil URL.

// TestHandlerNilBody: a request whose Body is nil is a request without a
// body, not a panic. Its query string still carries the operation.
func TestHandlerNilBody(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "nil-body"})
	me := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse",
		Arn: "arn:aws:iam::123456789012:user/nil-body", UserID: u.UserID, Account: "123456789012"}
	missing := handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "MissingAction", Message: "Missing Action"}
	for _, tc := range []struct {
		name string
		req  func() *http.Request
		want handlerAnswer
	}{
		{"signed GET with a nil Body", func() *http.Request {
			r := &http.Request{Method: http.MethodGet, Host: "sts.us-east-1.amazonaws.com", Header: http.Header{},
				URL: &url.URL{Scheme: "http", Host: "sts.us-east-1.amazonaws.com", Path: "/", RawQuery: "Action=GetCallerIdentity&Version=2011-06-15"}}
			handlerSign(t, r, nil, u.Credentials, time.Now())
			r.Body = nil // the signer may have set one
			return r
		}, me},
		{"POST with a nil Body: an empty form", func() *http.Request {
			return &http.Request{Method: http.MethodPost, Header: http.Header{}, URL: &url.URL{Path: "/"}}
		}, missing},
		{"nil URL and nil Body: an empty form", func() *http.Request {
			return &http.Request{Method: http.MethodPost, Header: http.Header{}}
		}, missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			e.Handler().ServeHTTP(rec, tc.req())
			got, id := handlerParseID(t, rec.Code, rec.Body.Bytes())
			handlerCheckHeaders(t, rec.Header(), rec.Body.Bytes(), id)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAuthenticateNilBody: Authenticate verifies a signed request whose
// Body is nil (as hashing an empty body) and leaves the Body nil; an
// unsigned one with a nil URL is MissingAuthenticationToken.
func TestAuthenticateNilBody(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "nil-body"})
	r := signedRequest(t, u.Credentials, http.MethodGet, "http://s3.local/bucket/key", "", "us-east-1")
	r.Body = nil
	p, err := e.Authenticate(r)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if p.ARN != "arn:aws:iam::123456789012:user/nil-body" || r.Body != nil {
		t.Errorf("principal %s, Body %v; want the user and a nil Body", p.ARN, r.Body)
	}

	_, err = e.Authenticate(&http.Request{Method: http.MethodGet, Header: http.Header{}})
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *AuthError", err, err)
	}
	got := wantErr{Code: ae.Code, Status: ae.HTTPStatus(), Message: ae.Message}
	want := wantErr{Code: "MissingAuthenticationToken", Status: 403, Message: "Request is missing Authentication Token"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unsigned request with a nil URL (-want +got):\n%s", diff)
	}
}
