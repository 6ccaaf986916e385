package fakests

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/internal/iamquery"
)

// handlerState is what a request without a valid signature must not change.
type handlerState struct {
	accounts, keys, users, roles, sessions int
	iam                                    string // iamFingerprint
}

func handlerStateOf(e *Engine) handlerState {
	e.mu.RLock()
	defer e.mu.RUnlock()
	s := handlerState{accounts: len(e.accounts), keys: len(e.keys), sessions: e.sessions.Len()}
	for _, a := range e.accounts {
		s.users += len(a.users)
		s.roles += len(a.roles) + len(a.implicit)
	}
	s.iam = iamFingerprintLocked(e)
	return s
}

// handlerWellFormed reports why body is not one well-formed XML document
// whose root is an STS answer in STS's namespace, or "" when it is.
func handlerWellFormed(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err.Error()
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if !strings.HasSuffix(tok.Name.Local, "Response") || tok.Name.Space != stsNamespace && tok.Name.Space != iamquery.Namespace {
					return "root element " + tok.Name.Space + " " + tok.Name.Local
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return "text outside the root element"
			}
		}
	}
	if roots != 1 || depth != 0 {
		return "not exactly one complete root element"
	}
	return ""
}

// handlerWellFormedJSON reports why body is not one JSON STS answer whose
// request ID is id, or "" when it is: an {"Error":…,"RequestId":…} document
// for an error, a {"<Op>Response":{…,"ResponseMetadata":{"RequestId":…}}}
// document for a success.
func handlerWellFormedJSON(body []byte, id string, success bool) string {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return err.Error()
	}
	if !success {
		var e struct {
			Error     struct{ Code, Message, Type string }
			RequestID string `json:"RequestId"`
		}
		if err := json.Unmarshal(body, &e); err != nil || len(doc) != 2 || e.Error.Code == "" || e.RequestID != id {
			return fmt.Sprintf("not an error document with request ID %q", id)
		}
		return ""
	}
	for k, v := range doc {
		var resp struct {
			ResponseMetadata struct {
				RequestID string `json:"RequestId"`
			}
		}
		if len(doc) != 1 || !strings.HasSuffix(k, "Response") || json.Unmarshal(v, &resp) != nil || resp.ResponseMetadata.RequestID != id {
			return fmt.Sprintf("not a success document with request ID %q", id)
		}
	}
	return ""
}

// FuzzHandler sends arbitrary bodies, query strings, Authorization and
// Accept headers and paths to the Handler. Whatever arrives, it must not
// panic, must answer one well-formed STS document (XML, or JSON when the
// Accept header asked for it) with a status STS uses, the matching
// Content-Type and a request ID; and unless the fuzz function itself signed
// the request with a real key, the engine's state must not change. Signed
// inputs reach decoding, validation and the operations with hostile
// parameters.
func FuzzHandler(f *testing.F) {
	e, _ := newTestEngine(f, Strict())
	u := mustUser(f, e, UserSpec{Name: "fuzz-user", Policies: []string{allowAssume}})
	mustRole(f, e, RoleSpec{Name: "fuzz-role", TrustPolicy: trustPrincipal(u.ARN)})
	h := e.Handler()

	const gci = "Action=GetCallerIdentity&Version=2011-06-15"
	seeds := []struct {
		body, query, auth string
		get, sign         bool
		accept, path      string
	}{
		{body: gci},
		{body: gci, sign: true},
		{query: gci, get: true, sign: true},
		{body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ffuzz-role&RoleSessionName=s1&Tags.member.1.Key=a&Tags.member.1.Value=b&TransitiveTagKeys.member.1=a&Policy=%7B%7D", sign: true},
		{body: "Action=GetFederationToken&Version=2011-06-15&Name=fed&Policy=%7B%22Version%22%3A%222012-10-17%22%7D", sign: true},
		{body: "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fx&RoleSessionName=web&WebIdentityToken=a.b.c"},
		{body: "Action=AssumeRoleWithSAML&Version=2011-06-15&SAMLAssertion=%3C%3E"},
		{body: gci, auth: "AWS4-HMAC-SHA256 Credential=AKIAY34FZKBOKMUTVV7A/20200128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"},
		{body: gci, auth: "AWS4-HMAC-SHA256 AKIAY34FZKBOKMUTVV7A/20200128/us-east-1/sts/aws4_request"},
		{body: gci, auth: "AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/e"},
		{body: gci, auth: "Bearer abc"},
		{query: gci + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20200101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20200101T000000Z&X-Amz-Expires=-1&X-Amz-SignedHeaders=host&X-Amz-Signature=zz", get: true},
		{body: "Action=GetSessionToken&DurationSeconds=99999999999&Version=2011-06-15", sign: true},
		{body: "Action=%ZZ"},
		{body: "Action=Frobnicate&Version=2011-06-15&Action=GetCallerIdentity"},
		{body: "Action=DecodeAuthorizationMessage&Version=2011-06-15&EncodedMessage=%00%FF%3C", sign: true},
		{body: "\x00\xff<?xml?>&&&==="},
		{body: gci, sign: true, accept: "application/json"},
		{body: "Action=Frobnicate", accept: "application/json;q=0.9, text/xml;q=0.1"},
		{query: gci, get: true, sign: true, accept: "application/json", path: "//"},
		{body: gci, sign: true, path: "/a/./b/../"},
		{body: gci, auth: "AWS4-HMAC-SHA256 Credential=AKIAY34FZKBOKMUTVV7A/20200128/us-east-1/sts/aws4_request, SignedHeaders=X-Amz-Date;host;host;, Signature=00"},
		{body: gci, auth: "AWS4-HMAC-SHA256 Credential=A/20200128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00, AWS4-HMAC-SHA256 Credential=B"},
		{body: "Action=GetWebIdentityToken&Version=2011-06-15&Audience.member.1=%22%00%E9&Audience.member.2=&SigningAlgorithm=ES384&DurationSeconds=60&Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=%22", sign: true},
		{body: "Action=GetWebIdentityToken&Version=2011-06-15&Audience=&SigningAlgorithm=RS256x", sign: true},
		{body: "Action=GetDelegatedAccessToken&Version=2011-06-15&TradeInToken=%FF%00", sign: true},
		{query: "", get: true, path: "/.well-known/jwks.json"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.query, s.auth, s.get, s.sign, s.accept, s.path)
	}

	f.Fuzz(func(t *testing.T, body []byte, query, auth string, get, sign bool, accept, path string) {
		method := http.MethodPost
		if get {
			method = http.MethodGet
		}
		r := &http.Request{
			Method: method, Host: "sts.us-east-1.amazonaws.com", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			URL:    &url.URL{Scheme: "http", Host: "sts.us-east-1.amazonaws.com", Path: "/" + strings.TrimPrefix(path, "/"), RawQuery: query},
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
			RemoteAddr: "192.0.2.1:1234",
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if sign {
			r.Header.Del("Authorization")
			handlerSign(t, r, body, u.Credentials, time.Now())
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		before := handlerStateOf(e)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		switch rec.Code {
		case 200, 400, 403, 500:
		default:
			t.Fatalf("status %d, want 200, 400, 403 or 500:\n%s", rec.Code, rec.Body)
		}
		ct, id := rec.Header().Get("Content-Type"), rec.Header().Get("X-Amzn-Requestid")
		// IAM answers XML whatever the Accept header says (iam_wire.go).
		if wantsJSON(r.Header) && !isIAMAnswer(rec.Body.Bytes()) {
			if why := handlerWellFormedJSON(rec.Body.Bytes(), id, rec.Code == 200); why != "" || ct != "application/json" || id == "" {
				t.Fatalf("status %d, Content-Type %q: answer is not a well-formed JSON STS document (%s):\n%q", rec.Code, ct, why, rec.Body)
			}
		} else {
			if why := handlerWellFormed(rec.Body.Bytes()); why != "" {
				t.Fatalf("answer is not a well-formed STS document (%s):\n%q", why, rec.Body)
			}
			if ct != "text/xml" || id == "" || !bytes.Contains(rec.Body.Bytes(), []byte("<RequestId>"+id+"</RequestId>")) {
				t.Fatalf("Content-Type %q, X-Amzn-Requestid %q not matching the body:\n%s", ct, id, rec.Body)
			}
			if isErr := bytes.HasPrefix(rec.Body.Bytes(), []byte("<ErrorResponse")); isErr != (rec.Code != 200) {
				t.Fatalf("status %d with body:\n%s", rec.Code, rec.Body)
			}
		}
		if !sign {
			if after := handlerStateOf(e); after != before {
				t.Fatalf("an unsigned request changed the engine: %+v -> %+v\nanswer:\n%s", before, after, rec.Body)
			}
		}
	})
}

// isIAMAnswer reports whether body is an XML document whose root element
// is in IAM's namespace.
func isIAMAnswer(body []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Space == iamquery.Namespace
		}
	}
}
