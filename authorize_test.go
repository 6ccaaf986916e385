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

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// signedRequest builds a client-side request to an S3-like service, signed
// for service "s3" in region with creds (header authentication).
func signedRequest(t testing.TB, creds aws.Credentials, method, url, body, region string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	h := hex.EncodeToString(sum[:])
	r.Header.Set("X-Amz-Content-Sha256", h)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, h, "s3", region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAuthenticate(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "Dana", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "Reader", TrustPolicy: trustAccount(acctA)})
	out := mustAssume(t, e, u.Credentials, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("app")})
	sess := credsOf(out.Credentials)
	const url = "http://s3.local/docs/readme.txt"
	badSecret := u.Credentials
	badSecret.SecretAccessKey = flipChar(badSecret.SecretAccessKey, 0) // always a different first character

	rows := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		advance time.Duration
		body    string // the request's body, which Authenticate must leave readable
		wantARN string
		want    *wantErr
	}{
		{name: "a role session's header-signed request to another service", wantARN: "arn:aws:sts::123456789012:assumed-role/Reader/app",
			req: func(t *testing.T) *http.Request { return signedRequest(t, sess, "GET", url, "", "us-east-1") }},
		{name: "an IAM user's long-term key", wantARN: u.ARN,
			req: func(t *testing.T) *http.Request { return signedRequest(t, u.Credentials, "GET", url, "", "us-east-1") }},
		{name: "a POST with a body and no Content-Length header (client side)", wantARN: u.ARN, body: "hello, world",
			req: func(t *testing.T) *http.Request {
				return signedRequest(t, u.Credentials, "POST", url, "hello, world", "us-east-1")
			}},
		{name: "a presigned URL", wantARN: "arn:aws:sts::123456789012:assumed-role/Reader/app",
			req: func(t *testing.T) *http.Request {
				r, _ := http.NewRequest("GET", url, nil)
				signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), sess, r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now())
				if err != nil {
					t.Fatal(err)
				}
				r, _ = http.NewRequest("GET", signed, nil)
				return r
			}},
		{name: "unsigned request: MissingAuthenticationToken",
			req:  func(t *testing.T) *http.Request { r, _ := http.NewRequest("GET", url, nil); return r },
			want: &wantErr{Code: "MissingAuthenticationToken", Status: 403, Message: "Request is missing Authentication Token"}},
		{name: "scope in another region: SignatureDoesNotMatch",
			req:  func(t *testing.T) *http.Request { return signedRequest(t, sess, "GET", url, "", "eu-west-1") },
			want: &wantErr{Code: "SignatureDoesNotMatch", Status: 403, Message: "Credential should be scoped to a valid region, not 'eu-west-1'. "}},
		{name: "wrong secret: SignatureDoesNotMatch",
			req: func(t *testing.T) *http.Request { return signedRequest(t, badSecret, "GET", url, "", "us-east-1") },
			want: &wantErr{Code: "SignatureDoesNotMatch", Status: 403,
				Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}},
		{name: "unknown key in strict mode: InvalidClientTokenId",
			req: func(t *testing.T) *http.Request {
				return signedRequest(t, aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "s"}, "GET", url, "", "us-east-1")
			},
			want: &wantErr{Code: "InvalidClientTokenId", Status: 403, Message: "The security token included in the request is invalid."}},
		{name: "expired session on the engine clock: ExpiredToken", advance: 2 * time.Hour,
			req:  func(t *testing.T) *http.Request { return signedRequest(t, sess, "GET", url, "", "us-east-1") },
			want: &wantErr{Code: "ExpiredToken", Status: 403, Message: "The security token included in the request is expired"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			req := row.req(t)
			clk.Advance(row.advance)
			defer clk.Advance(-row.advance)
			p, err := e.Authenticate(req)
			var got *wantErr
			var ae *AuthError
			if errors.As(err, &ae) {
				got = &wantErr{Code: ae.Code, Status: ae.HTTPStatus(), Message: ae.Message}
			} else if err != nil {
				t.Fatalf("error %v (%T) is not an *AuthError", err, err)
			}
			if diff := cmp.Diff(row.want, got); diff != "" {
				t.Fatalf("error mismatch (-want +got):\n%s", diff)
			}
			if err == nil && p.ARN != row.wantARN {
				t.Errorf("principal %s, want %s", p.ARN, row.wantARN)
			}
			if row.body != "" {
				if req.Method != http.MethodPost || req.Header.Get("Content-Length") != "" {
					t.Fatalf("the row sent %s with Content-Length header %q, want a POST without one", req.Method, req.Header.Get("Content-Length"))
				}
				if req.Body == nil {
					t.Fatal("request has no body")
				}
				if b, _ := io.ReadAll(req.Body); string(b) != row.body {
					t.Errorf("body after Authenticate = %q, want %q restored", b, row.body)
				}
			}
		})
	}
}

// TestAuthenticateServerSide verifies requests as an http.Handler receives them.
func TestAuthenticateServerSide(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "Dana"})
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := e.Authenticate(r)
		body, _ := io.ReadAll(r.Body)
		if err != nil {
			got = append(got, err.Error())
			return
		}
		got = append(got, p.ARN+" "+string(body))
	}))
	defer srv.Close()
	for _, body := range []string{"", "payload"} {
		req := signedRequest(t, u.Credentials, "PUT", srv.URL+"/docs/a%20b.txt", body, "us-east-1")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{u.ARN + " ", u.ARN + " payload"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server-side Authenticate (-want +got):\n%s", diff)
	}
}

func TestAuthorize(t *testing.T) {
	const (
		docsRead = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadDocs","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/*"}]}`
		homeDirs = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`
		tagged   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}`
		public   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/public/*"}]}`
		beforeT  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-06-01T13:00:00Z"}}}]}`
		prefix   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::docs","Condition":{"StringLike":{"s3:prefix":"public/*"}}}]}`
	)
	bucketPolicy := func(principal, effect string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"Bucket","Effect":"` + effect + `","Principal":{"AWS":"` + principal + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/*"}]}`
	}
	type who int
	const (
		user who = iota
		roleSession
		limitedSession // role session with the "public" session policy
		federated      // GetFederationToken without a session policy
		rootUser
	)
	rows := []struct {
		name       string
		userPols   []string
		rolePols   []string
		who        who
		si         string // source identity of role sessions
		advance    time.Duration
		req        Request
		allowed    bool
		deny       bool
		wantReason string
	}{
		{name: "identity policy allows", userPols: []string{docsRead}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a"}, allowed: true,
			wantReason: `identity policy "user/Dana-inline-1" statement 0 (Sid "ReadDocs") allows`},
		{name: "no policy allows: implicit deny", userPols: []string{docsRead}, req: Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::docs/a"},
			wantReason: "denied: no identity-based or resource-based policy allows s3:PutObject (implicit deny)"},
		{name: "policy variable ${aws:username}", userPols: []string{homeDirs}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home/Dana/x"}, allowed: true},
		{name: "policy variable for another user", userPols: []string{homeDirs}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::home/Eve/x"}},
		{name: "aws:PrincipalTag from the user's tags", userPols: []string{tagged}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::x/y"}, allowed: true},
		{name: "aws:CurrentTime is the engine clock", userPols: []string{beforeT}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::x/y"}, allowed: true},
		{name: "aws:CurrentTime after the engine clock moved", userPols: []string{beforeT}, advance: 2 * time.Hour, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::x/y"}},
		{name: "the caller's context keys are evaluated", userPols: []string{prefix},
			req: Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::docs", Context: map[string][]string{"s3:prefix": {"public/2024"}}}, allowed: true},
		{name: "the caller's context keys can fail", userPols: []string{prefix},
			req: Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::docs", Context: map[string][]string{"s3:prefix": {"private/"}}}},
		{name: "role session: the role's policies", who: roleSession, rolePols: []string{docsRead}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a"}, allowed: true},
		{name: "role session: aws:PrincipalArn is the role ARN", who: roleSession,
			req:     Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", ResourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Reader"}}}]}`},
			allowed: true},
		{name: "role session: aws:SourceIdentity", who: roleSession, si: "alice",
			req:     Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", ResourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceIdentity":"alice"}}}]}`},
			allowed: true},
		{name: "session policy intersects: inside both", who: limitedSession, rolePols: []string{docsRead}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/public/a"}, allowed: true},
		{name: "session policy intersects: outside the session policy", who: limitedSession, rolePols: []string{docsRead}, req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/private/a"},
			wantReason: "denied: an identity policy allows s3:GetObject but no session policy does"},
		{name: "resource policy naming the session ARN is not limited by the session policy", who: limitedSession,
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/private/a", ResourcePolicy: bucketPolicy("arn:aws:sts::123456789012:assumed-role/Reader/app", "Allow")}, allowed: true},
		{name: "resource policy naming the role ARN is limited by the session policy", who: limitedSession,
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/private/a", ResourcePolicy: bucketPolicy("arn:aws:iam::123456789012:role/Reader", "Allow")}},
		{name: "same account: a resource policy naming the user grants alone",
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", ResourcePolicy: bucketPolicy("arn:aws:iam::123456789012:user/Dana", "Allow")}, allowed: true},
		{name: "explicit deny in the resource policy wins over an identity allow", userPols: []string{docsRead},
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", ResourcePolicy: bucketPolicy("arn:aws:iam::123456789012:root", "Deny")}, deny: true,
			wantReason: "denied: an explicit Deny applies"},
		{name: "cross account: the resource policy alone is not enough",
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", Context: map[string][]string{"aws:ResourceAccount": {acctB}},
				ResourcePolicy: bucketPolicy("arn:aws:iam::123456789012:root", "Allow")},
			wantReason: "denied: cross-account request and no identity-based policy allows s3:GetObject"},
		{name: "cross account: the identity policy alone is not enough", userPols: []string{docsRead},
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", Context: map[string][]string{"aws:ResourceAccount": {acctB}}}},
		{name: "cross account: both allow", userPols: []string{docsRead},
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", Context: map[string][]string{"aws:ResourceAccount": {acctB}},
				ResourcePolicy: bucketPolicy("arn:aws:iam::123456789012:root", "Allow")}, allowed: true},
		{name: "GetFederationToken without a session policy has no permissions", who: federated, userPols: []string{docsRead, allowAssume},
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a"}},
		{name: "a resource policy naming the federated user still grants", who: federated, userPols: []string{allowAssume},
			req: Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/a", ResourcePolicy: bucketPolicy("arn:aws:sts::123456789012:federated-user/fed", "Allow")}, allowed: true},
		{name: "root may do anything in its account", who: rootUser, req: Request{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::docs"}, allowed: true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e, clk := newTestEngine(t)
			u := mustUser(t, e, UserSpec{Name: "Dana", Policies: append([]string{allowAssume}[:0:0], row.userPols...), Tags: map[string]string{"team": "blue"}})
			if row.who == federated || row.who == roleSession || row.who == limitedSession {
				// Dana needs to reach the role or federate; give her the STS actions on the side.
				u = mustUser(t, e, UserSpec{Name: "Dana2", Policies: append([]string{allowAssume}, row.userPols...)})
			}
			mustRole(t, e, RoleSpec{Name: "Reader", TrustPolicy: trustAccount(acctA), Policies: row.rolePols})
			creds := u.Credentials
			switch row.who {
			case roleSession, limitedSession:
				in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/Reader"), RoleSessionName: aws.String("app")}
				if row.who == limitedSession {
					in.Policy = aws.String(public)
				}
				if row.si != "" {
					in.SourceIdentity = aws.String(row.si)
				}
				creds = credsOf(mustAssume(t, e, creds, in).Credentials)
			case federated:
				out, err := e.GetFederationToken(typed(creds), &sts.GetFederationTokenInput{Name: aws.String("fed")})
				if err != nil {
					t.Fatal(err)
				}
				creds = credsOf(out.Credentials)
			case rootUser:
				creds = e.RootCredentials("")
			}
			p, err := e.Authenticate(signedRequest(t, creds, "GET", "http://s3.local/x", "", "us-east-1"))
			if err != nil {
				t.Fatal(err)
			}
			clk.Advance(row.advance)
			d, err := e.Authorize(context.Background(), p, row.req)
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != row.allowed || d.ExplicitDeny != row.deny {
				t.Errorf("Allowed=%v ExplicitDeny=%v, want %v %v; reasons:\n%s", d.Allowed, d.ExplicitDeny, row.allowed, row.deny, strings.Join(d.Reasons, "\n"))
			}
			if row.wantReason != "" && !containsString(d.Reasons, row.wantReason) {
				t.Errorf("reasons %q lack %q", d.Reasons, row.wantReason)
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAuthorizeErrors(t *testing.T) {
	e, _ := newTestEngine(t)
	p, err := e.Authenticate(signedRequest(t, e.DefaultUser().Credentials, "GET", "http://s3.local/x", "", "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	// Programming mistakes get fakests' own texts; a bad resource policy
	// gets IAM's MalformedPolicyDocument text (behaviour §6).
	for _, row := range []struct {
		name string
		p    *Principal
		req  Request
		want string
	}{
		{"nil principal", nil, Request{Action: "s3:GetObject"}, "fakests: Authorize needs a Principal from this engine's Authenticate or Principal"},
		{"no action", p, Request{}, "fakests: Authorize needs an action"},
		{"malformed resource policy", p, Request{Action: "s3:GetObject", ResourcePolicy: `{"Statement":[`}, "Syntax errors in policy."},
	} {
		d, err := e.Authorize(context.Background(), row.p, row.req)
		if err == nil || err.Error() != row.want || d != nil {
			t.Errorf("%s: Authorize = %+v, %v; want nil, %q", row.name, d, err, row.want)
		}
	}
}
