package fakests

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// TestConformanceErrorWrapping pins the form errors take on both paths (the
// typed methods wrap as the client does): an *smithy.OperationError naming
// STS and the operation, around an *awshttp.ResponseError with the HTTP
// status and a request ID (behaviour §1.3); inside it the modelled codes are the
// SDK's types.* exceptions with a client fault, the others a
// *smithy.GenericAPIError, whose fault the client's deserializer leaves
// unknown.
func TestConformanceErrorWrapping(t *testing.T) {
	w := newWorld(t)
	badPolicy := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"`) // truncated JSON
	malformed := &wantErr{"MalformedPolicyDocument", "Syntax errors in policy.", 400}
	rows := []struct {
		name  string
		op    string
		call  func(context.Context, stsAPI) error
		want  *wantErr
		fault smithy.ErrorFault
		typed func(error) bool // errors.As into the expected concrete type
	}{
		{"a malformed session policy on AssumeRole is a typed MalformedPolicyDocumentException", "AssumeRole",
			func(ctx context.Context, api stsAPI) error {
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("pol"), Policy: badPolicy})
				return err
			}, malformed, smithy.FaultClient,
			func(err error) bool { var x *types.MalformedPolicyDocumentException; return errors.As(err, &x) }},
		{"a malformed session policy on GetFederationToken is a typed MalformedPolicyDocumentException", "GetFederationToken",
			func(ctx context.Context, api stsAPI) error {
				_, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("pol"), Policy: badPolicy})
				return err
			}, malformed, smithy.FaultClient,
			func(err error) bool { var x *types.MalformedPolicyDocumentException; return errors.As(err, &x) }},
		{"AccessDenied is not modelled: a generic API error", "AssumeRole",
			func(ctx context.Context, api stsAPI) error {
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/long"), RoleSessionName: aws.String("case")})
				return err
			}, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/division/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/long", 403},
			smithy.FaultUnknown,
			func(err error) bool { var x *smithy.GenericAPIError; return errors.As(err, &x) }},
		{"ValidationError is not modelled: a generic API error", "GetSessionToken",
			func(ctx context.Context, api stsAPI) error {
				_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(600)})
				return err
			}, &wantErr{"ValidationError", "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", 400},
			smithy.FaultUnknown,
			func(err error) bool { var x *smithy.GenericAPIError; return errors.As(err, &x) }},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.bob.Credentials)
				err := row.call(ctx, api)
				checkErr(t, err, row.want) // code, message, HTTP status and a request ID
				if err == nil {
					return
				}
				if !row.typed(err) {
					t.Errorf("error %v (%T) is not of the expected type", err, err)
				}
				var ae smithy.APIError
				if errors.As(err, &ae) && ae.ErrorFault() != row.fault {
					t.Errorf("fault %v, want %v", ae.ErrorFault(), row.fault)
				}
				var oe *smithy.OperationError
				if !errors.As(err, &oe) || oe.Service() != "STS" || oe.Operation() != row.op {
					t.Errorf("error %v: want an *smithy.OperationError for STS %s", err, row.op)
				}
			})
		}
	}
}

// TestConformanceStscreds pins that the SDK's own AssumeRole credential
// provider works against a routed client, and that a second client built
// on its credentials is the assumed role.
func TestConformanceStscreds(t *testing.T) {
	w := newWorld(t)
	vendor := mustRole(t, w.e, RoleSpec{Name: "Vendor", TrustPolicy: trustExternalID(w.bob.ARN)})
	rows := []struct {
		name    string
		role    *Role
		opts    func(*stscreds.AssumeRoleOptions)
		want    *sts.GetCallerIdentityOutput
		prefix  bool // Arn is a prefix: stscreds picks the session name
		wantErr *wantErr
	}{
		{"default session name aws-go-sdk-<time>", w.long, nil,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:sts::123456789012:assumed-role/Long/aws-go-sdk-")}, true, nil},
		{"a chosen session name, cross-account", w.cross, func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "ci-job" },
			&sts.GetCallerIdentityOutput{Account: aws.String(acctB), Arn: aws.String("arn:aws:sts::210987654321:assumed-role/Deployer/ci-job"), UserId: aws.String(w.cross.RoleID + ":ci-job")}, false, nil},
		{"ExternalID is passed through", vendor, func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "ext"; o.ExternalID = aws.String("ext-123") },
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:sts::123456789012:assumed-role/Vendor/ext"), UserId: aws.String(vendor.RoleID + ":ext")}, false, nil},
		{"a wrong ExternalID surfaces AccessDenied from Retrieve", vendor, func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "ext"; o.ExternalID = aws.String("nope-1") },
			nil, false, denied("arn:aws:iam::123456789012:user/division/Bob", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Vendor")},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var opts []func(*stscreds.AssumeRoleOptions)
			if row.opts != nil {
				opts = append(opts, row.opts)
			}
			provider := stscreds.NewAssumeRoleProvider(newClient(w.e, w.bob.Credentials), row.role.ARN, opts...)
			cache := aws.NewCredentialsCache(provider)
			creds, err := cache.Retrieve(context.Background())
			if row.wantErr != nil {
				checkErr(t, err, row.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// stscreds asks for its default 15 minutes (stscreds.DefaultDuration).
			if want := w.e.Now().Add(stscreds.DefaultDuration); !creds.CanExpire || !creds.Expires.Equal(want) {
				t.Errorf("Expires = %v (CanExpire %v), want the engine clock + 15 minutes = %v", creds.Expires, creds.CanExpire, want)
			}
			checkKeyID(t, creds.AccessKeyID, "ASIA", row.role.Account)
			cfg := w.e.Config(aws.Credentials{})
			cfg.Credentials = cache
			got, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if row.prefix {
				// stscreds names the session aws-go-sdk-<UnixNano>; the UserId
				// must carry the same name.
				name := strings.TrimPrefix(aws.ToString(got.Arn), "arn:aws:sts::123456789012:assumed-role/Long/")
				if !regexp.MustCompile(`^aws-go-sdk-[0-9]{19}$`).MatchString(name) || !strings.HasPrefix(aws.ToString(got.Arn), aws.ToString(row.want.Arn)) {
					t.Errorf("Arn = %s, want %s<19 digits>", aws.ToString(got.Arn), aws.ToString(row.want.Arn))
				}
				row.want.Arn, row.want.UserId = got.Arn, aws.String(w.long.RoleID+":"+name)
			}
			if diff := cmp.Diff(row.want, got, sdkOpts); diff != "" {
				t.Errorf("GetCallerIdentity through the provider's credentials (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConformanceConcurrency runs 8 goroutines × 50 AssumeRole and
// GetCallerIdentity calls on one engine, half through real clients, half on
// the typed path; run it with -race. Every session must be distinct and
// answer as itself.
func TestConformanceConcurrency(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{
		{"crypto/rand", nil},
		{"WithRand of a reader unsafe for concurrent use", []Option{WithRand(rand.NewChaCha8([32]byte{9}))}},
	} {
		t.Run(mode.name, func(t *testing.T) { concurrentSessions(t, newWorld(t, mode.opts...)) })
	}
}

// concurrentSessions is TestConformanceConcurrency on one world.
func concurrentSessions(t *testing.T, w *world) {
	const workers, calls = 8, 50
	var mu sync.Mutex
	seen := make(map[string]bool, workers*calls)
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			p := paths(w.e)[g%2]
			api, ctx := p.api(w.bob.Credentials)
			for i := 0; i < calls; i++ {
				name := fmt.Sprintf("w%d-c%d", g, i)
				out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String(name)})
				if err != nil {
					t.Errorf("%s AssumeRole %s: %v", p.name, name, err)
					return
				}
				key := aws.ToString(out.Credentials.AccessKeyId)
				mu.Lock()
				dup := seen[key]
				seen[key] = true
				mu.Unlock()
				if dup {
					t.Errorf("access key %s issued twice", key)
				}
				sapi, sctx := p.api(credsOf(out.Credentials))
				arn, err := callerOf(sctx, sapi)
				if want := "arn:aws:sts::123456789012:assumed-role/Long/" + name; err != nil || arn != want {
					t.Errorf("%s GetCallerIdentity = %s, %v; want %s", p.name, arn, err, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	if len(seen) != workers*calls {
		t.Errorf("%d distinct sessions, want %d", len(seen), workers*calls)
	}
}
