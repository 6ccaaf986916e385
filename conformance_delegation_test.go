package fakests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// These tests pin GetDelegatedAccessToken (behaviour §11.8): the exchange of
// a trade-in token from CreateDelegation for a session acting as the
// accepting identity, with the delegated policies as its ceiling. AWS's
// answers for bad tokens are unrecorded; the rows marked "choice" pin
// fakests' own.

// delegationWorld is a customer account with an accepting user and role, a
// partner user in another account, and a managed policy.
type delegationWorld struct {
	e       *Engine
	clk     *manualClock
	admin   *User // the customer's accepting identity
	role    *Role
	partner *User
	managed string
}

const (
	delegatedS3Read = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	allowS3         = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
)

func newDelegationWorld(t *testing.T) *delegationWorld {
	t.Helper()
	e, clk := newTestEngine(t, Strict())
	w := &delegationWorld{e: e, clk: clk}
	w.admin = mustUser(t, e, UserSpec{Path: "/admins/", Name: "Alice", Policies: []string{allowS3}, Tags: map[string]string{"team": "ops"}})
	w.role = mustRole(t, e, RoleSpec{Path: "/ops/", Name: "Operator", TrustPolicy: trustAccount("123456789012"), Policies: []string{allowS3}})
	w.partner = mustUser(t, e, UserSpec{Account: "999988887777", Name: "partner-app"})
	var err error
	if w.managed, err = e.CreateManagedPolicy("", "S3List", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	return w
}

// delegate creates a delegation or fails the test.
func (w *delegationWorld) delegate(t *testing.T, spec DelegationSpec) string {
	t.Helper()
	tok, err := w.e.CreateDelegation(spec)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// exchange calls GetDelegatedAccessToken on a path as the partner.
func (w *delegationWorld) exchange(p path, token string) (*sts.GetDelegatedAccessTokenOutput, error) {
	api, ctx := p.api(w.partner.Credentials)
	return api.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(token)})
}

// allowed reports whether creds may perform action, as Authorize decides.
func (w *delegationWorld) allowed(t *testing.T, creds aws.Credentials, action string) bool {
	t.Helper()
	p, err := w.e.Principal(creds)
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.e.Authorize(context.Background(), p, Request{Action: action, Resource: "arn:aws:s3:::bucket/key"})
	if err != nil {
		t.Fatal(err)
	}
	return d.Allowed
}

// TestDelegatedAccessExchange: the credentials act as the accepting
// identity (GetCallerIdentity, AssumedPrincipal), within its permissions
// and the delegated policies, until the session window ends; the response
// carries no PackedPolicySize (the Go SDK documents the member as not
// populated for this operation).
func TestDelegatedAccessExchange(t *testing.T) {
	w := newDelegationWorld(t)
	rows := []struct {
		name, principal, callerARN string
		policy                     string
		arns                       []string
		allow, deny                []string
	}{
		{"an IAM user", w.admin.ARN, w.admin.ARN, delegatedS3Read, nil, []string{"s3:GetObject"}, []string{"s3:PutObject", "s3:ListBucket"}},
		{"an IAM user, inline and managed policies", w.admin.ARN, w.admin.ARN, delegatedS3Read, []string{w.managed}, []string{"s3:GetObject", "s3:ListBucket"}, []string{"s3:PutObject"}},
		{"an IAM user without delegated policies keeps its own permissions", w.admin.ARN, w.admin.ARN, "", nil, []string{"s3:PutObject"}, []string{"ec2:RunInstances"}},
		{"a role (choice: session DelegatedAccess)", w.role.ARN, "arn:aws:sts::123456789012:assumed-role/Operator/DelegatedAccess", delegatedS3Read, nil, []string{"s3:GetObject"}, []string{"s3:PutObject"}},
		{"a role session", "arn:aws:sts::123456789012:assumed-role/Operator/alice-console", "arn:aws:sts::123456789012:assumed-role/Operator/alice-console", delegatedS3Read, nil, []string{"s3:GetObject"}, []string{"s3:PutObject"}},
		{"the account root", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root", delegatedS3Read, nil, []string{"s3:GetObject"}, []string{"s3:PutObject"}},
	}
	for _, r := range rows {
		for _, p := range paths(w.e) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				tok := w.delegate(t, DelegationSpec{Principal: r.principal, Policy: r.policy, PolicyARNs: r.arns, SessionDuration: 2 * time.Hour})
				out, err := w.exchange(p, tok)
				if err != nil {
					t.Fatal(err)
				}
				want := &sts.GetDelegatedAccessTokenOutput{AssumedPrincipal: aws.String(r.principal), Credentials: out.Credentials}
				if d := cmp.Diff(want, out, sdkOpts); d != "" {
					t.Errorf("output (-want +got):\n%s", d)
				}
				if exp := aws.ToTime(out.Credentials.Expiration); !exp.Equal(testEpoch.Add(2 * time.Hour)) {
					t.Errorf("Expiration %v, want the session window's end %v", exp, testEpoch.Add(2*time.Hour))
				}
				if k := aws.ToString(out.Credentials.AccessKeyId); !strings.HasPrefix(k, "ASIA") {
					t.Errorf("AccessKeyId %s, want ASIA…", k)
				}
				creds := credsOf(out.Credentials)
				capi, cctx := p.api(creds)
				gci, err := capi.GetCallerIdentity(cctx, &sts.GetCallerIdentityInput{})
				if err != nil || aws.ToString(gci.Arn) != r.callerARN || aws.ToString(gci.Account) != "123456789012" {
					t.Errorf("GetCallerIdentity = %v, %v; want %s in 123456789012", gci, err, r.callerARN)
				}
				for _, a := range r.allow {
					if !w.allowed(t, creds, a) {
						t.Errorf("%s denied; want allowed", a)
					}
				}
				for _, a := range r.deny {
					if w.allowed(t, creds, a) {
						t.Errorf("%s allowed; want denied", a)
					}
				}
			})
		}
	}
}

// TestDelegatedAccessTokenErrors pins the failures: a token works once and
// an unknown one is refused alike (choices), an expired one is
// ExpiredTradeInTokenException (AWS's code; fakests' text), a missing one is
// the model's null, and a failed exchange leaves the token as it was.
func TestDelegatedAccessTokenErrors(t *testing.T) {
	invalid := &wantErr{"InvalidParameterValue", "The trade-in token is not valid.", 400}
	expired := &wantErr{"ExpiredTradeInTokenException", "The trade-in token has expired.", 400}
	for _, p := range paths(nil) {
		t.Run("single use/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			p := paths(w.e).byName(p.name)
			tok := w.delegate(t, DelegationSpec{Principal: w.admin.ARN, Policy: delegatedS3Read})
			if _, err := w.exchange(p, tok); err != nil {
				t.Fatal(err)
			}
			_, err := w.exchange(p, tok)
			checkErr(t, err, invalid)
		})
		t.Run("a token never issued/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			_, err := w.exchange(paths(w.e).byName(p.name), "not-a-trade-in-token")
			checkErr(t, err, invalid)
		})
		t.Run("an empty token/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			_, err := w.exchange(paths(w.e).byName(p.name), "")
			checkErr(t, err, invalid)
		})
		t.Run("expired after TokenLifetime/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			p := paths(w.e).byName(p.name)
			tok := w.delegate(t, DelegationSpec{Principal: w.admin.ARN, Policy: delegatedS3Read, TokenLifetime: 10 * time.Minute})
			w.clk.Advance(10*time.Minute - time.Second)
			if _, err := w.exchange(p, tok); err != nil {
				t.Fatalf("a second before the token expires: %v", err)
			}
			tok = w.delegate(t, DelegationSpec{Principal: w.admin.ARN, Policy: delegatedS3Read, TokenLifetime: 10 * time.Minute})
			w.clk.Advance(10 * time.Minute)
			_, err := w.exchange(p, tok)
			checkErr(t, err, expired)
			// Still expired, not used up: the failure left it as it was.
			_, err = w.exchange(p, tok)
			checkErr(t, err, expired)
		})
		t.Run("expired once the session window has passed/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			tok := w.delegate(t, DelegationSpec{Principal: w.admin.ARN, SessionDuration: 300 * time.Second, TokenLifetime: time.Hour})
			w.clk.Advance(300 * time.Second)
			_, err := w.exchange(paths(w.e).byName(p.name), tok)
			checkErr(t, err, expired)
		})
		t.Run("packed policy too large, then the token still works elsewhere/"+p.name, func(t *testing.T) {
			w := newDelegationWorld(t)
			p := paths(w.e).byName(p.name)
			var sb strings.Builder
			sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
			for i := 0; i < 400; i++ {
				if i > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-` + strings.Repeat("x", i%37) + itoa(i*7919) + `/*"}`)
			}
			sb.WriteString(`]}`)
			tok := w.delegate(t, DelegationSpec{Principal: w.admin.ARN, Policy: sb.String()})
			_, err := w.exchange(p, tok)
			if got := errOf(t, err); got == nil || got.Code != "PackedPolicyTooLarge" || got.Status != 400 {
				t.Fatalf("got %+v, want PackedPolicyTooLarge 400", got)
			}
			_, err2 := w.exchange(p, tok)
			if d := cmp.Diff(errOf(t, err), errOf(t, err2)); d != "" {
				t.Errorf("a failed exchange changed the token's answer (-first +second):\n%s", d)
			}
		})
	}
	// The Go SDK refuses a missing TradeInToken itself; the engine answers
	// the model's null (botocore carries it over the wire,
	// handler_outbound_python_test.go).
	w := newDelegationWorld(t)
	_, err := w.e.GetDelegatedAccessToken(typed(w.partner.Credentials), &sts.GetDelegatedAccessTokenInput{})
	checkErr(t, err, vErr(veNull("tradeInToken")))
}

// TestCreateDelegationRefuses: CreateDelegation's plain errors for specs
// that name no identity of the engine or break the bounds.
func TestCreateDelegationRefuses(t *testing.T) {
	w := newDelegationWorld(t)
	for _, spec := range []DelegationSpec{
		{},
		{Principal: "arn:aws:iam::123456789012:user/admins/Nobody"},
		{Principal: "arn:aws:iam::123456789012:role/Nobody"},
		{Principal: "arn:aws:sts::123456789012:assumed-role/Nobody/s1"},
		{Principal: "arn:aws:sts::123456789012:federated-user/f"},
		{Principal: w.admin.ARN, Account: "999988887777"},
		{Principal: w.admin.ARN, Policy: "{not json"},
		{Principal: w.admin.ARN, PolicyARNs: []string{"arn:aws:iam::123456789012:policy/Missing"}},
		{Principal: w.admin.ARN, SessionDuration: 299 * time.Second},
		{Principal: w.admin.ARN, SessionDuration: 12*time.Hour + time.Second},
		{Principal: w.admin.ARN, SessionDuration: 1500 * time.Millisecond},
		{Principal: w.admin.ARN, TokenLifetime: -time.Second},
	} {
		if tok, err := w.e.CreateDelegation(spec); err == nil {
			t.Errorf("CreateDelegation(%+v) = %q; want an error", spec, tok)
		}
	}
}

// TestDelegatedAccessConcurrentExchange: of simultaneous exchanges of one
// token, exactly one gets credentials (a token works once, behaviour §11.8).
func TestDelegatedAccessConcurrentExchange(t *testing.T) {
	w := newDelegationWorld(t)
	tok := w.delegate(t, DelegationSpec{Principal: w.admin.ARN, Policy: delegatedS3Read})
	const n = 8
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := w.e.GetDelegatedAccessToken(typed(w.partner.Credentials), &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
			errs <- err
		}()
	}
	ok := 0
	for i := 0; i < n; i++ {
		if err := <-errs; err == nil {
			ok++
		} else {
			checkErr(t, err, &wantErr{"InvalidParameterValue", "The trade-in token is not valid.", 400})
		}
	}
	if ok != 1 {
		t.Errorf("%d exchanges succeeded, want 1", ok)
	}
}
