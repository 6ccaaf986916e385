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

// stsAPI is the part of *sts.Client the tests drive; *Engine has it too.
type stsAPI interface {
	AssumeRole(context.Context, *sts.AssumeRoleInput, ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	GetAccessKeyInfo(context.Context, *sts.GetAccessKeyInfoInput, ...func(*sts.Options)) (*sts.GetAccessKeyInfoOutput, error)
	GetSessionToken(context.Context, *sts.GetSessionTokenInput, ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
	GetFederationToken(context.Context, *sts.GetFederationTokenInput, ...func(*sts.Options)) (*sts.GetFederationTokenOutput, error)
}

var (
	_ stsAPI = (*Engine)(nil)
	_ stsAPI = (*sts.Client)(nil)
)

// path is one way to reach the engine: its typed methods, or a real client.
type path struct {
	name string
	// api returns an API that acts as creds, and the context to call it with.
	api func(creds aws.Credentials) (stsAPI, context.Context)
}

// paths returns both ways to call e: every behaviour is pinned on both.
func paths(e *Engine) []path {
	return []path{
		{"engine", func(creds aws.Credentials) (stsAPI, context.Context) {
			return e, WithCaller(context.Background(), creds)
		}},
		{"client", func(creds aws.Credentials) (stsAPI, context.Context) {
			return newClient(e, creds), context.Background()
		}},
	}
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

// sdkOpts compares SDK output types (plain cmp.Diff panics on them).
var sdkOpts = cmp.Options{
	cmpopts.IgnoreUnexported(types.Credentials{}, types.AssumedRoleUser{}, types.FederatedUser{},
		sts.AssumeRoleOutput{}, sts.GetCallerIdentityOutput{}, sts.GetFederationTokenOutput{},
		sts.GetSessionTokenOutput{}, sts.GetAccessKeyInfoOutput{}),
	cmpopts.IgnoreFields(sts.AssumeRoleOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetCallerIdentityOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetFederationTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetSessionTokenOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(sts.GetAccessKeyInfoOutput{}, "ResultMetadata"),
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
