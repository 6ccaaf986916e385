package fakests

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// iamFingerprintLocked renders the IAM state that requests may change, so
// that a test can tell whether a request changed it. e.mu must be held.
func iamFingerprintLocked(e *Engine) string {
	var b strings.Builder
	ids := make([]string, 0, len(e.accounts))
	for id := range e.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		a := e.accounts[id]
		fmt.Fprintf(&b, "account %s deleted %d\n", id, len(a.deletedRoles))
		for _, u := range sortedValues(a.users) {
			fmt.Fprintf(&b, " user %s %s tags %v managed %v mfa %d", u.name, u.path, u.tags, u.managed, len(u.mfa))
			for _, ip := range u.inline {
				fmt.Fprintf(&b, " inline %s %q", ip.name, ip.doc)
			}
			for _, k := range u.keys {
				fmt.Fprintf(&b, " key %s %v", k.id, k.inactive)
			}
			b.WriteByte('\n')
		}
		for _, r := range sortedValues(a.roles) {
			fmt.Fprintf(&b, " role %s %s %q %v %v tags %v managed %v", r.name, r.path, r.trustDoc, r.maxSession, derefNull(r.description), r.tags, r.managed)
			for _, ip := range r.inline {
				fmt.Fprintf(&b, " inline %s %q", ip.name, ip.doc)
			}
			b.WriteByte('\n')
		}
		for _, mp := range sortedValues(a.policies) {
			fmt.Fprintf(&b, " policy %s default %s", mp.arn, mp.def.id)
			for _, v := range mp.versions {
				fmt.Fprintf(&b, " %s", v.id)
			}
			b.WriteByte('\n')
		}
		for _, d := range sortedValues(a.mfa) {
			fmt.Fprintf(&b, " mfa %s assigned %v\n", d.serial, d.user != nil)
		}
	}
	fs := e.federationState()
	fs.mu.RLock()
	for _, p := range sortedValues(fs.oidc) {
		fmt.Fprintf(&b, "oidc %s %v %v\n", p.arn, p.clientIDs, p.thumbprints)
	}
	for _, p := range sortedValues(fs.saml) {
		fmt.Fprintf(&b, "saml %s %d\n", p.arn, len(p.document))
	}
	fs.mu.RUnlock()
	return b.String()
}

// sortedValues returns a map's values in key order.
func sortedValues[V any](m map[string]V) []V {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// FuzzHandlerIAM sends arbitrary IAM requests to the Handler: bodies,
// query strings and Authorization headers, signed for the service iam by
// the fuzz function when sign is set. Whatever arrives, the Handler must
// not panic and must answer one well-formed document (IAM's namespace, or
// STS's for a request it takes for STS) with a status IAM uses and the
// matching request ID; an unsigned request must not change the engine.
// Signed inputs reach decoding, validation and the operations.
func FuzzHandlerIAM(f *testing.F) {
	e, _ := newTestEngine(f, Strict())
	admin := mustUser(f, e, UserSpec{Name: "fuzz-admin", Policies: []string{adminPolicy}})
	mustRole(f, e, RoleSpec{Name: "fuzz-role", TrustPolicy: trustPrincipal(admin.ARN)})
	h := e.Handler()

	const v = "&Version=2010-05-08"
	seeds := []struct {
		body, query, auth string
		get, sign         bool
	}{
		{body: "Action=ListUsers" + v, sign: true},
		{body: "Action=CreateUser&UserName=fz&Path=%2Fa%2F&Tags.member.1.Key=k&Tags.member.1.Value=v" + v, sign: true},
		{body: "Action=CreateUser&UserName=" + strings.Repeat("x", 70) + v, sign: true},
		{body: "Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%7B%22Version%22%3A" + v, sign: true},
		{body: "Action=CreatePolicy&PolicyName=p&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D" + v, sign: true},
		{body: "Action=TagUser&UserName=fuzz-admin&Tags.member.0.Key=k" + v, sign: true},
		{body: "Action=TagUser&UserName=fuzz-admin&Tags.member.99999999999999999999.Key=k" + v, sign: true},
		{body: "Action=ListUsers&MaxItems=%2B0001&Marker=ZmFrZXN0czp4" + v, sign: true},
		{body: "Action=ListPolicies&OnlyAttached=1&Scope=Bogus" + v, sign: true},
		{body: "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2Fx&ClientIDList.member.1=a&ThumbprintList.member.1=" + strings.Repeat("a", 40) + v, sign: true},
		{body: "Action=CreateSAMLProvider&Name=n&SAMLMetadataDocument=%3C%3E" + v, sign: true},
		{body: "Action=CreateVirtualMFADevice&VirtualMFADeviceName=d" + v, sign: true},
		{body: "Action=EnableMFADevice&UserName=fuzz-admin&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fd&AuthenticationCode1=000000&AuthenticationCode2=000000" + v, sign: true},
		{body: "Action=DeleteUser&UserName=fuzz-admin" + v, sign: true},
		{body: "Action=GetUser" + v},
		{query: "Action=GetUser" + v, get: true, sign: true},
		{body: "Action=Frobnicate" + v, sign: true},
		{body: "Action=CreateUser&UserName=x" + v, auth: "AWS4-HMAC-SHA256 Credential=AKIAY34FZKBOKMUTVV7A/20200128/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"},
		{body: "\x00\xff&Version=2010-05-08&&&==="},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.query, s.auth, s.get, s.sign)
	}

	f.Fuzz(func(t *testing.T, body []byte, query, auth string, get, sign bool) {
		method := http.MethodPost
		if get {
			method = http.MethodGet
		}
		r := &http.Request{
			Method: method, Host: iamGlobalHost, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			URL:    &url.URL{Scheme: "https", Host: iamGlobalHost, Path: "/", RawQuery: query},
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
			RemoteAddr: "192.0.2.1:1234",
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if sign {
			r.Header.Del("Authorization")
			sum := sha256.Sum256(body)
			if err := v4.NewSigner().SignHTTP(context.Background(), admin.Credentials, r, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		before := handlerStateOf(e)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		switch rec.Code {
		case 200, 400, 403, 404, 409, 500:
		default:
			t.Fatalf("status %d:\n%s", rec.Code, rec.Body)
		}
		if why := handlerWellFormed(rec.Body.Bytes()); why != "" {
			t.Fatalf("answer is not a well-formed document (%s):\n%q", why, rec.Body)
		}
		id := rec.Header().Get("X-Amzn-Requestid")
		if rec.Header().Get("Content-Type") != "text/xml" || id == "" || !bytes.Contains(rec.Body.Bytes(), []byte("<RequestId>"+id+"</RequestId>")) {
			t.Fatalf("Content-Type %q, X-Amzn-Requestid %q not matching the body:\n%s", rec.Header().Get("Content-Type"), id, rec.Body)
		}
		if isErr := bytes.HasPrefix(rec.Body.Bytes(), []byte("<ErrorResponse")); isErr != (rec.Code != 200) {
			t.Fatalf("status %d with body:\n%s", rec.Code, rec.Body)
		}
		if !sign {
			if after := handlerStateOf(e); after != before {
				t.Fatalf("an unsigned request changed the engine:\n%+v\n->\n%+v\nanswer:\n%s", before, after, rec.Body)
			}
		}
	})
}
