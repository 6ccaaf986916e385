package fakests

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testEpoch is the engine clock's start in tests: far from the wall clock on
// purpose, since expiry follows the engine clock and freshness the wall's.
var testEpoch = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// manualClock is an engine clock that tests move by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestEngine returns an engine on a manual clock.
func newTestEngine(t testing.TB, opts ...Option) (*Engine, *manualClock) {
	t.Helper()
	clk := &manualClock{t: testEpoch}
	return New(append([]Option{WithClock(clk.Now)}, opts...)...), clk
}

// stsAPI is every STS operation of *sts.Client; *Engine has them all too,
// so a row written against stsAPI runs unchanged on either.
type stsAPI interface {
	AssumeRole(context.Context, *sts.AssumeRoleInput, ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
	AssumeRoleWithSAML(context.Context, *sts.AssumeRoleWithSAMLInput, ...func(*sts.Options)) (*sts.AssumeRoleWithSAMLOutput, error)
	AssumeRoleWithWebIdentity(context.Context, *sts.AssumeRoleWithWebIdentityInput, ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error)
	AssumeRoot(context.Context, *sts.AssumeRootInput, ...func(*sts.Options)) (*sts.AssumeRootOutput, error)
	DecodeAuthorizationMessage(context.Context, *sts.DecodeAuthorizationMessageInput, ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error)
	GetAccessKeyInfo(context.Context, *sts.GetAccessKeyInfoInput, ...func(*sts.Options)) (*sts.GetAccessKeyInfoOutput, error)
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	GetDelegatedAccessToken(context.Context, *sts.GetDelegatedAccessTokenInput, ...func(*sts.Options)) (*sts.GetDelegatedAccessTokenOutput, error)
	GetFederationToken(context.Context, *sts.GetFederationTokenInput, ...func(*sts.Options)) (*sts.GetFederationTokenOutput, error)
	GetSessionToken(context.Context, *sts.GetSessionTokenInput, ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
	GetWebIdentityToken(context.Context, *sts.GetWebIdentityTokenInput, ...func(*sts.Options)) (*sts.GetWebIdentityTokenOutput, error)
}

var (
	_ stsAPI = (*Engine)(nil)
	_ stsAPI = (*sts.Client)(nil)
)

// path is one way to reach an engine: its typed methods ("engine"), or a
// real *sts.Client routed into it ("client").
type path struct {
	name string
	e    *Engine
}

// pathSet is what paths returns.
type pathSet []path

// paths returns both ways to call e: every behaviour is pinned on both. A
// test that builds its engine inside the subtest ranges over paths(nil) for
// the names and picks the path with paths(e).byName(p.name).
func paths(e *Engine) pathSet {
	return pathSet{{"engine", e}, {"client", e}}
}

// byName returns the path called name ("engine" or "client").
func (ps pathSet) byName(name string) path {
	for _, p := range ps {
		if p.name == name {
			return p
		}
	}
	panic("no path " + name)
}

// api returns an API that acts as creds, and the context to call it with.
func (p path) api(creds aws.Credentials) (stsAPI, context.Context) {
	if p.name == "engine" {
		return p.e, WithCaller(context.Background(), creds)
	}
	return newClient(p.e, creds), context.Background()
}

// unsigned returns an API for the operations STS serves unsigned
// (AssumeRoleWithSAML, AssumeRoleWithWebIdentity, behaviour §1.4): the typed
// engine with no caller, or a real client with no credentials at all.
func (p path) unsigned() (stsAPI, context.Context) {
	if p.name == "engine" {
		return p.e, context.Background()
	}
	return newClient(p.e, aws.Credentials{}), context.Background()
}

// newClient returns a real *sts.Client routed into e, retrying at once.
func newClient(e *Engine, creds aws.Credentials) *sts.Client {
	return sts.NewFromConfig(e.Config(creds), func(o *sts.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.Backoff = retry.BackoffDelayerFunc(noDelay) })
	})
}

func noDelay(int, error) (time.Duration, error) { return 0, nil }

// wantErr is the error STS gives: code, message and HTTP status.
type wantErr struct {
	Code, Message string
	Status        int
}

// errOf describes err as the caller saw it: code, message and the HTTP
// status of the response that carried it. Both paths give the status (the
// typed methods wrap their errors as the client does), so tests pin AWS's
// literal statuses on each.
func errOf(t testing.TB, err error) *wantErr {
	t.Helper()
	if err == nil {
		return nil
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
	}
	got := &wantErr{Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) carries no HTTP response (status and request ID)", err, err)
	}
	got.Status = re.HTTPStatusCode()
	if re.ServiceRequestID() == "" {
		t.Errorf("error %v carries no request ID", err)
	}
	return got
}

// checkErr compares err with want.
func checkErr(t testing.TB, err error, want *wantErr) {
	t.Helper()
	if diff := cmp.Diff(want, errOf(t, err)); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

// sdkOpts compares SDK output types (plain cmp.Diff panics on them): the
// outputs of all eleven operations and the types they hold.
var sdkOpts = cmp.Options{
	cmpopts.IgnoreUnexported(types.Credentials{}, types.AssumedRoleUser{}, types.FederatedUser{},
		sts.AssumeRoleOutput{}, sts.AssumeRoleWithSAMLOutput{}, sts.AssumeRoleWithWebIdentityOutput{},
		sts.AssumeRootOutput{}, sts.DecodeAuthorizationMessageOutput{}, sts.GetAccessKeyInfoOutput{},
		sts.GetCallerIdentityOutput{}, sts.GetDelegatedAccessTokenOutput{}, sts.GetFederationTokenOutput{},
		sts.GetSessionTokenOutput{}, sts.GetWebIdentityTokenOutput{}),
	cmpopts.IgnoreFields(sts.AssumeRoleOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRoleWithSAMLOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRoleWithWebIdentityOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.AssumeRootOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.DecodeAuthorizationMessageOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetAccessKeyInfoOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetCallerIdentityOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetDelegatedAccessTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetFederationTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetSessionTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetWebIdentityTokenOutput{}, "ResultMetadata"),
}

// credsOf turns issued credentials into aws.Credentials.
func credsOf(c *types.Credentials) aws.Credentials {
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken), CanExpire: true, Expires: aws.ToTime(c.Expiration)}
}

// mustUser creates a user or fails the test.
func mustUser(t testing.TB, e *Engine, spec UserSpec) *User {
	t.Helper()
	u, err := e.CreateUser(spec)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustRole creates a role or fails the test.
func mustRole(t testing.TB, e *Engine, spec RoleSpec) *Role {
	t.Helper()
	r, err := e.CreateRole(spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// trustAccount is a trust policy that names an account.
func trustAccount(acct string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`
}

// trustPrincipal is a trust policy that names principals directly.
func trustPrincipal(arns ...string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["` + strings.Join(arns, `","`) + `"]},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`
}

// allowAssume is an identity policy that allows assuming any role.
const allowAssume = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity","sts:GetFederationToken"],"Resource":"*"}]}`
