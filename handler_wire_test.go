package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

// These tests pin the Handler's bytes: the document envelopes of behaviour §1.2
// and §1.3, the headers botocore and the SDKs read, and the wire-level errors
// (behaviour §1.3, §10) that no typed method can produce.

// stsNamespace is the XML namespace of every STS document (behaviour §1.1).
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// handlerAnswer is an STS answer reduced to what the tests compare: the
// status, the root element, GetCallerIdentity's fields or the error's.
type handlerAnswer struct {
	Status               int
	Root                 string
	Arn, UserID, Account string
	Type, Code, Message  string
}

// handlerDoc reads either document shape; fields of the other shape stay empty.
type handlerDoc struct {
	XMLName xml.Name
	Result  struct {
		Arn, UserId, Account string
	} `xml:"GetCallerIdentityResult"`
	Meta struct {
		RequestID string `xml:"RequestId"`
	} `xml:"ResponseMetadata"`
	Error struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// handlerParseID parses an STS document and returns it with its request ID:
// ResponseMetadata/RequestId in a success, the RequestId beside Error in an
// error document (behaviour §1.2, §1.3). A document in the wrong namespace, or
// one without its request ID in the right place, fails the test.
func handlerParseID(t testing.TB, status int, body []byte) (handlerAnswer, string) {
	t.Helper()
	var d handlerDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("answer is not XML: %v\n%s", err, body)
	}
	if d.XMLName.Space != stsNamespace {
		t.Errorf("root namespace %q, want %q", d.XMLName.Space, stsNamespace)
	}
	a := handlerAnswer{Status: status, Root: d.XMLName.Local, Arn: d.Result.Arn, UserID: d.Result.UserId,
		Account: d.Result.Account, Type: d.Error.Type, Code: d.Error.Code, Message: d.Error.Message}
	id := d.Meta.RequestID
	if a.Root == "ErrorResponse" {
		id = d.RequestID
		if d.Meta.RequestID != "" {
			t.Errorf("error document has ResponseMetadata: %s", body)
		}
	} else if d.RequestID != "" {
		t.Errorf("success document has a top-level RequestId: %s", body)
	}
	if id == "" {
		t.Errorf("document has no RequestId where botocore reads it:\n%s", body)
	}
	return a, id
}

// handlerParse is handlerParseID without the request ID.
func handlerParse(t testing.TB, status int, body []byte) handlerAnswer {
	t.Helper()
	a, _ := handlerParseID(t, status, body)
	return a
}

// handlerCheckHeaders checks the headers every answer carries (behaviour §1.2,
// behaviour §19): text/xml, X-Amzn-Requestid equal to the body's RequestId, a
// matching Content-Length and a Date from the wall clock.
func handlerCheckHeaders(t testing.TB, h http.Header, body []byte, bodyID string) {
	t.Helper()
	type headers struct {
		ContentType, ContentLength, RequestID string
		DateFresh                             bool
	}
	date, err := http.ParseTime(h.Get("Date"))
	fresh := err == nil && time.Since(date).Abs() <= 5*time.Second
	got := headers{h.Get("Content-Type"), h.Get("Content-Length"), h.Get("X-Amzn-Requestid"), fresh}
	want := headers{"text/xml", strconv.Itoa(len(body)), bodyID, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s\nDate: %q", diff, h.Get("Date"))
	}
}

// handlerSign signs r (whose body is body) as the Go SDK would, at time at.
func handlerSign(t testing.TB, r *http.Request, body []byte, creds aws.Credentials, at time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "sts", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
}

// handlerPost builds a form POST to the Handler.
func handlerPost(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://sts.us-east-1.amazonaws.com/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// handlerServe runs r through e's Handler.
func handlerServe(e *Engine, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, r)
	return rec
}

// TestHandlerWireExactBytes pins whole documents: the success envelope of
// §1.2 and the error envelope of §1.3, with the engine clock years away from
// the wall clock, which must not leak into Date.
func TestHandlerWireExactBytes(t *testing.T) {
	e, _ := newTestEngine(t, Strict()) // engine clock: 2030
	u := mustUser(t, e, UserSpec{Name: "wire-user"})

	const form = "Action=GetCallerIdentity&Version=2011-06-15"
	r := handlerPost(form)
	handlerSign(t, r, []byte(form), u.Credentials, time.Now())
	rec := handlerServe(e, r)
	_, id := handlerParseID(t, rec.Code, rec.Body.Bytes())
	handlerCheckHeaders(t, rec.Header(), rec.Body.Bytes(), id)
	want := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/wire-user</Arn>
    <UserId>` + u.UserID + `</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>` + id + `</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 200 {
		t.Errorf("status %d, body (-want +got):\n%s", rec.Code, diff)
	}

	r = handlerPost(form)
	bad := u.Credentials
	bad.SecretAccessKey = strings.Repeat("b", 40)
	handlerSign(t, r, []byte(form), bad, time.Now())
	rec = handlerServe(e, r)
	_, id = handlerParseID(t, rec.Code, rec.Body.Bytes())
	handlerCheckHeaders(t, rec.Header(), rec.Body.Bytes(), id)
	want = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>SignatureDoesNotMatch</Code>
    <Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.</Message>
  </Error>
  <RequestId>` + id + `</RequestId>
</ErrorResponse>
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 403 {
		t.Errorf("status %d, body (-want +got):\n%s", rec.Code, diff)
	}
}

// TestHandlerWireRequests pins how the Handler answers requests that only a
// hand-made or foreign client sends.
func TestHandlerWireRequests(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "wire-user"})
	signed := func(r *http.Request, body string) *http.Request {
		handlerSign(t, r, []byte(body), u.Credentials, time.Now())
		return r
	}
	post := func(body string) *http.Request { return signed(handlerPost(body), body) }
	sender := func(status int, code, msg string) handlerAnswer {
		return handlerAnswer{Status: status, Root: "ErrorResponse", Type: "Sender", Code: code, Message: msg}
	}
	me := handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/wire-user", UserID: u.UserID, Account: "123456789012"}
	huge := "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + strings.Repeat("a", maxBody)

	tests := []struct {
		name string
		req  func() *http.Request
		want handlerAnswer
	}{
		{name: "MissingAction (§1.3)", req: func() *http.Request { return post("Version=2011-06-15") },
			want: sender(400, "MissingAction", "Missing Action")},
		{name: "unknown Action is InvalidAction (§1.3, §10)", req: func() *http.Request { return post("Action=Frobnicate&Version=2011-06-15") },
			want: sender(400, "InvalidAction", "Could not find operation Frobnicate for version 2011-06-15")},
		{name: "unknown Version is InvalidAction", req: func() *http.Request { return post("Action=GetCallerIdentity&Version=2099-01-01") },
			want: sender(400, "InvalidAction", "Could not find operation GetCallerIdentity for version 2099-01-01")},
		{name: "GET with query parameters and header auth (§1.1)", req: func() *http.Request {
			return signed(httptest.NewRequest(http.MethodGet, "http://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil), "")
		}, want: me},
		{name: "content type with charset (§1.1)", req: func() *http.Request {
			const body = "Action=GetCallerIdentity&Version=2011-06-15"
			r := handlerPost(body)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			return signed(r, body)
		}, want: me},
		{name: "form keys in any order", req: func() *http.Request { return post("Version=2011-06-15&Action=GetCallerIdentity") }, want: me},
		{name: "body over 1 MiB", req: func() *http.Request { return post(huge) },
			want: sender(400, "ValidationError", "Request of 1048577 bytes exceeds the limit of 1048576 bytes")},
		{name: "Authorization without '=' in Credential: IncompleteSignature (§10)", req: func() *http.Request {
			r := handlerPost("Action=GetCallerIdentity&Version=2011-06-15")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+u.Credentials.AccessKeyID+"/20200128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
			r.Header.Set("X-Amz-Date", "20200128T000000Z")
			return r
		}, want: sender(400, "IncompleteSignature", "'"+u.Credentials.AccessKeyID+"/20200128/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 "+u.Credentials.AccessKeyID+"/20200128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'.")},
		{name: "unreadable body: still an STS error document (fakests' choice of code)", req: func() *http.Request {
			r := handlerPost("")
			r.Body = io.NopCloser(io.MultiReader(strings.NewReader("Action=Get"), iotest.ErrReader(errors.New("connection reset"))))
			return r
		}, want: sender(400, "MalformedQueryString", "fakests: reading the request body: connection reset")},
		{name: "unsigned GetSessionToken: MissingAuthenticationToken (§10)", req: func() *http.Request {
			return handlerPost("Action=GetSessionToken&Version=2011-06-15")
		}, want: sender(403, "MissingAuthenticationToken", "Request is missing Authentication Token")},
		{name: "unsigned GET: MissingAuthenticationToken", req: func() *http.Request {
			return httptest.NewRequest(http.MethodGet, "http://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
		}, want: sender(403, "MissingAuthenticationToken", "Request is missing Authentication Token")},
		{name: "unsigned AssumeRoleWithWebIdentity reaches token checks, not a signature demand (§1.4)", req: func() *http.Request {
			return handlerPost("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb&RoleSessionName=web&WebIdentityToken=abcd.efgh.ijkl")
		}, want: sender(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")},
		{name: "unsigned AssumeRoleWithSAML reaches provider checks, not a signature demand (§1.4, §11.2)", req: func() *http.Request {
			return handlerPost("Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsaml&PrincipalArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider%2Fidp&SAMLAssertion=PHNhbWw%2BPC9zYW1sPg%3D%3D")
		}, want: sender(400, "InvalidIdentityToken", "Specified provider doesn't exist.")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := handlerServe(e, tc.req())
			got, id := handlerParseID(t, rec.Code, rec.Body.Bytes())
			handlerCheckHeaders(t, rec.Header(), rec.Body.Bytes(), id)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHandlerWireDateFollowsWallClock advances the engine clock by hours and
// keeps calling through one Go client over HTTP: the Date header stays on the
// wall clock, so the client learns no skew and its next request is still
// fresh (behaviour §10, §19).
func TestHandlerWireDateFollowsWallClock(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "skew-user"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	c := handlerHTTPClient(srv.URL, u.Credentials)
	for i := 0; i < 3; i++ {
		out, err := c.GetCallerIdentity(context.Background(), nil)
		if err != nil {
			t.Fatalf("call %d after advancing the engine clock %d h: %v", i, 2*i, err)
		}
		if got, want := aws.ToString(out.Arn), "arn:aws:iam::123456789012:user/skew-user"; got != want {
			t.Errorf("call %d: Arn %s, want %s", i, got, want)
		}
		clk.Advance(2 * time.Hour)
	}
	rec := handlerServe(e, handlerPost("Action=Frobnicate"))
	if d, err := http.ParseTime(rec.Header().Get("Date")); err != nil || time.Since(d).Abs() > 5*time.Second {
		t.Errorf("Date %q is not the wall clock (engine clock %s)", rec.Header().Get("Date"), e.Now())
	}
	want := handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "InvalidAction",
		Message: "Could not find operation Frobnicate for version 2011-06-15"} // fakests' text: a missing Version counts as 2011-06-15
	if diff := cmp.Diff(want, handlerParse(t, rec.Code, rec.Body.Bytes())); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}
