package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// This file pins how the typed methods honour their optFns, as
// *sts.Client's methods do: Credentials say who calls (over WithCaller),
// Region is the call's region.

// staticCreds is a provider of fixed credentials.
func staticCreds(c aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
}

// errNoCreds is what a failing provider returns.
var errNoCreds = errors.New("fakests test: no credentials here")

// TestOptFnsCredentials pins that credentials given by optFns are the
// caller's on both paths, over WithCaller on the typed path and over the
// client's own on the client path; that a provider's failure is the error
// the client returns, aws.AnonymousCredentials included.
func TestOptFnsCredentials(t *testing.T) {
	w := newWorld(t, Strict())
	alice := mustUser(t, w.e, UserSpec{Name: "alice"})
	onlyAlice := mustRole(t, w.e, RoleSpec{Name: "OnlyAlice", TrustPolicy: trustPrincipal(alice.ARN)})
	asAlice := func(o *sts.Options) { o.Credentials = aws.NewCredentialsCache(staticCreds(alice.Credentials)) }
	failing := func(o *sts.Options) {
		o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, errNoCreds })
	}
	anonymous := func(o *sts.Options) { o.Credentials = aws.AnonymousCredentials{} }

	for _, p := range paths(w.e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(w.bob.Credentials) // the engine path: WithCaller(bob); the client: signed as bob

			out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, asAlice)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Arn); got != alice.ARN {
				t.Errorf("GetCallerIdentity with alice's credentials in optFns: %s, want %s", got, alice.ARN)
			}
			ar, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(onlyAlice.ARN), RoleSessionName: aws.String("opt")}, asAlice)
			if err != nil {
				t.Fatalf("AssumeRole as alice through optFns: %v", err)
			}
			if got, want := aws.ToString(ar.AssumedRoleUser.Arn), "arn:aws:sts::123456789012:assumed-role/OnlyAlice/opt"; got != want {
				t.Errorf("AssumedRoleUser.Arn = %s, want %s", got, want)
			}
			_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(onlyAlice.ARN), RoleSessionName: aws.String("opt")})
			checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/division/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/OnlyAlice", 403})

			_, err = api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, failing)
			if err == nil || err.Error() != "operation error STS: GetCallerIdentity, get identity: get credentials: fakests test: no credentials here" {
				t.Errorf("failing provider: %v", err)
			}
			var oe *smithy.OperationError
			if !errors.Is(err, errNoCreds) || !errors.As(err, &oe) || oe.Operation() != "GetCallerIdentity" {
				t.Errorf("failing provider: %#v does not wrap the provider's error in an OperationError", err)
			}

			// A client honours anonymous credentials in its own options
			// only; in optFns they are a provider that fails.
			_, err = api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, anonymous)
			if err == nil || err.Error() != "operation error STS: GetCallerIdentity, get identity: get credentials: the AnonymousCredentials is not a valid credential provider, and cannot be used to sign AWS requests with" {
				t.Errorf("anonymous credentials in optFns: %v", err)
			}

			// Operations sent unsigned never retrieve credentials: the
			// failing provider is not asked, the request reaches STS.
			_, err = api.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(onlyAlice.ARN),
				RoleSessionName: aws.String("opt"), WebIdentityToken: aws.String("tok")}, failing)
			checkErr(t, err, &wantErr{"ValidationError", "1 validation error detected: Value 'tok' at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4", 400})
		})
	}
}

// TestCallRegion pins the region recorded in the call frame: on the typed
// path sts.Options.Region after optFns, by default the engine's; on the
// wire the region the request was signed for.
func TestCallRegion(t *testing.T) {
	e, _ := newTestEngine(t, WithRegion("eu-west-1"))
	for _, tt := range []struct {
		name   string
		optFns []func(*sts.Options)
		want   string
	}{
		{"no optFns: the engine's region", nil, "eu-west-1"},
		{"optFns without a region: the engine's region", []func(*sts.Options){func(*sts.Options) {}}, "eu-west-1"},
		{"optFns with a region", []func(*sts.Options){func(o *sts.Options) { o.Region = "ap-south-1" }}, "ap-south-1"},
	} {
		t.Run("typed/"+tt.name, func(t *testing.T) {
			var got string
			_, err := serveTyped(e, context.Background(), opGetCallerIdentity, nil, tt.optFns,
				func(ctx context.Context, c *apiCall, in *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
					got = c.region
					return e.getCallerIdentity(ctx, c, in)
				})
			if err != nil || got != tt.want {
				t.Errorf("region %q, error %v; want %q", got, err, tt.want)
			}
		})
	}
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		t.Run("wire/signed for "+region, func(t *testing.T) {
			body := "Action=GetCallerIdentity&Version=2011-06-15"
			r, _ := http.NewRequest(http.MethodPost, "https://sts."+region+".amazonaws.com/", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			sum := sha256Hex(body)
			if err := v4.NewSigner().SignHTTP(context.Background(), e.DefaultUser().Credentials, r, sum, "sts", region, time.Now()); err != nil {
				t.Fatal(err)
			}
			c := &apiCall{op: opGetCallerIdentity}
			if err := e.authenticate(c, r, []byte(body)); err != nil {
				t.Fatal(err)
			}
			if c.region != region {
				t.Errorf("wire call region %q, want %q", c.region, region)
			}
		})
	}
	// The operations sent unsigned: the region of a regional STS host, the
	// global endpoint's (us-east-1), else the engine's (behaviour §13).
	for _, tt := range []struct{ host, region string }{
		{"sts.amazonaws.com", "us-east-1"},
		{"sts.ap-south-1.amazonaws.com", "ap-south-1"},
		{"127.0.0.1:8080", "eu-west-1"},
	} {
		t.Run("wire/unsigned operation to "+tt.host, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPost, "https://"+tt.host+"/", nil)
			c := &apiCall{op: opAssumeRoleWithWebIdentity}
			if err := e.authenticate(c, r, nil); err != nil || c.region != tt.region {
				t.Errorf("region %q, error %v; want %s", c.region, err, tt.region)
			}
		})
	}
}

// TestErrorFaultSamePaths pins ErrorFault: a generic error has no fault
// (the client's deserializer sets none), a typed exception is a client
// fault, on both paths alike.
func TestErrorFaultSamePaths(t *testing.T) {
	w := newWorld(t, Strict())
	for _, p := range paths(w.e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(w.bob.Credentials)
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/Missing"), RoleSessionName: aws.String("f1")})
			var generic *smithy.GenericAPIError
			if !errors.As(err, &generic) {
				t.Fatalf("AccessDenied: %T, want *smithy.GenericAPIError", err)
			}
			if got := generic.ErrorFault(); got != smithy.FaultUnknown {
				t.Errorf("AccessDenied ErrorFault = %v, want %v", got, smithy.FaultUnknown)
			}
			_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("f2"), Policy: aws.String("{")})
			var typed *types.MalformedPolicyDocumentException
			if !errors.As(err, &typed) {
				t.Fatalf("MalformedPolicyDocument: %T, want *types.MalformedPolicyDocumentException", err)
			}
			var ae smithy.APIError
			errors.As(err, &ae)
			if got := ae.ErrorFault(); got != smithy.FaultClient {
				t.Errorf("MalformedPolicyDocument ErrorFault = %v, want %v", got, smithy.FaultClient)
			}
		})
	}
}

// sha256Hex is the hex SHA-256 of s, the payload hash SigV4 signs.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestWithRegionServesThePartition pins what WithRegion's documentation
// says: a client signing for the engine's region, for us-east-1 (the global
// endpoint's) or for any other region of the aws partition is served, on
// both paths; one signing for a region outside the partition is refused
// (behaviour §1.4, §13).
func TestWithRegionServesThePartition(t *testing.T) {
	e, _ := newTestEngine(t, WithRegion("eu-west-1"))
	for _, tt := range []struct {
		region string
		want   *wantErr
	}{
		{"eu-west-1", nil},
		{"us-east-1", nil},
		{"aws-global", nil},
		{"ap-south-1", nil},
		{"me-south-1", nil}, // opt-in: enabled in lenient mode
		{"cn-north-1", &wantErr{"SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'cn-north-1'. ", 403}},
		{"mars-east-1", &wantErr{"SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'mars-east-1'. ", 403}},
	} {
		for _, p := range paths(e) {
			t.Run(tt.region+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(e.DefaultUser().Credentials)
				_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Region = tt.region })
				checkErr(t, err, tt.want)
			})
		}
	}
}
