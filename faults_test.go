package fakests

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// These tests pin fault injection (behaviour §22) on the typed path and
// through a real client, whose own retryer meets the injected errors.

// onceClient is a real client routed into e that makes one attempt.
func onceClient(e *Engine, creds aws.Credentials) *sts.Client {
	return sts.NewFromConfig(e.Config(creds), func(o *sts.Options) { o.Retryer = aws.NopRetryer{} })
}

// onceAPI is p's API acting as creds, with no retries on the client path.
func onceAPI(p path, creds aws.Credentials) (stsAPI, context.Context) {
	if p.name == "client" {
		return onceClient(p.e, creds), context.Background()
	}
	return p.api(creds)
}

// TestFaultErrors pins the error each injected code answers with, on both
// paths: AWS's status and message for the code, the modelled exception
// where the operation's model lists it.
func TestFaultErrors(t *testing.T) {
	const other = "210987654321"
	rows := []struct {
		name  string
		fault Fault
		call  func(ctx context.Context, api stsAPI) error
		want  *wantErr
		typed func(error) bool // the modelled exception, when there is one
	}{
		{"throttling", Fault{Code: "Throttling"}, callerIdentity,
			&wantErr{"Throttling", "Rate exceeded", 400}, nil},
		{"internal failure", Fault{Code: "InternalFailure"}, assumeOther,
			&wantErr{"InternalFailure", "UnknownError", 500}, nil}, // STS sends no message; the client says "UnknownError" (§19)
		{"service unavailable", Fault{Code: "ServiceUnavailable"}, sessionToken,
			&wantErr{"ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503}, nil},
		{"region disabled, modelled", Fault{Operation: "AssumeRole", Code: "RegionDisabledException"}, assumeOther,
			&wantErr{"RegionDisabledException", "STS is not activated in this region for account:210987654321. Your account administrator can activate STS in this region using the IAM Console.", 403},
			func(err error) bool { var x *types.RegionDisabledException; return errors.As(err, &x) }},
		{"region disabled, not modelled", Fault{Code: "RegionDisabledException"}, callerIdentity,
			&wantErr{"RegionDisabledException", "STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.", 403},
			func(err error) bool { var x *smithy.GenericAPIError; return errors.As(err, &x) }},
		{"expired token", Fault{Code: "ExpiredToken"}, callerIdentity,
			&wantErr{"ExpiredToken", "The security token included in the request is expired", 403}, nil},
		{"access denied", Fault{Code: "AccessDenied"}, assumeOther,
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/r", 403}, nil},
		{"message and status given", Fault{Code: "Throttling", Message: "Slow down", Status: 429}, callerIdentity,
			&wantErr{"Throttling", "Slow down", 429}, nil},
		{"a code fakests has no text for", Fault{Code: "RequestLimitExceeded"}, callerIdentity,
			&wantErr{"RequestLimitExceeded", "UnknownError", 400}, nil},
	}
	for _, p := range paths(nil) {
		for _, row := range rows {
			t.Run(p.name+"/"+row.name, func(t *testing.T) {
				e, _ := newTestEngine(t)
				u := mustUser(t, e, UserSpec{Name: "alice", Policies: []string{allowAssume}})
				mustRole(t, e, RoleSpec{Account: other, Name: "r", TrustPolicy: trustAccount("123456789012")})
				e.InjectFault(row.fault)
				api, ctx := onceAPI(paths(e).byName(p.name), u.Credentials)
				err := row.call(ctx, api)
				checkErr(t, err, row.want)
				if row.typed != nil && !row.typed(err) {
					t.Errorf("error %T %v is not the expected Go type", errors.Unwrap(errors.Unwrap(err)), err)
				}
				if n := e.SessionCount(); n != 0 {
					t.Errorf("a failed call issued %d sessions", n)
				}
				evs := e.Events()
				wantMsg := strings.TrimPrefix(row.want.Message, "UnknownError") // the journal has what STS sent
				if len(evs) == 0 || evs[0].ErrorCode != row.want.Code || evs[0].ErrorMessage != wantMsg || evs[0].RequestID != requestIDOf(t, err) {
					t.Errorf("events %+v", evs)
				}
			})
		}
	}
}

func callerIdentity(ctx context.Context, api stsAPI) error {
	_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	return err
}

func sessionToken(ctx context.Context, api stsAPI) error {
	_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	return err
}

func assumeOther(ctx context.Context, api stsAPI) error {
	_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/r"), RoleSessionName: aws.String("s1")})
	return err
}

// TestFaultIDPCommunicationError pins the modelled exception of the
// unsigned AssumeRoleWithWebIdentity, and that the client retries it.
func TestFaultIDPCommunicationError(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t)
			w.e.InjectFault(Fault{Operation: "AssumeRoleWithWebIdentity", Code: "IDPCommunicationError", Times: 1})
			api, ctx := paths(w.e).byName(p.name).unsigned()
			_, err := api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, w.token(nil)))
			if p.name == "client" {
				// The STS client retries IDPCommunicationError (behaviour §19).
				if err != nil {
					t.Fatalf("the retried call failed: %v", err)
				}
				if evs := w.e.Events(); len(evs) != 2 || evs[0].ErrorCode != "IDPCommunicationError" || evs[1].ErrorCode != "" {
					t.Errorf("events %+v", summarize(evs))
				}
				return
			}
			checkErr(t, err, &wantErr{"IDPCommunicationError",
				"The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.", 400})
			var x *types.IDPCommunicationErrorException
			if !errors.As(err, &x) {
				t.Errorf("error %v is not *types.IDPCommunicationErrorException", err)
			}
		})
	}
}

// classifyingRetryer is the SDK's standard retryer, noting how it and the
// SDK's own throttle check classify each failed attempt.
type classifyingRetryer struct {
	aws.RetryerV2
	mu                  sync.Mutex
	throttle, retryable []bool
}

func (r *classifyingRetryer) IsErrorRetryable(err error) bool {
	ok := r.RetryerV2.IsErrorRetryable(err)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retryable = append(r.retryable, ok)
	r.throttle = append(r.throttle, retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary)
	return ok
}

// TestFaultStandardRetryer pins what the SDK's own retryer does with
// injected faults (behaviour §22): with Times 2 a standard-retryer client
// succeeds on its third attempt and the journal shows the two failures;
// Throttling is classified as a throttle, InternalFailure and
// ServiceUnavailable are retried; a fault that outlasts the attempts is
// the error the client returns.
func TestFaultStandardRetryer(t *testing.T) {
	for _, row := range []struct {
		fault               Fault
		wantErr             *wantErr
		attempts            int
		throttle, retryable bool
	}{
		{Fault{Code: "Throttling", Times: 2}, nil, 3, true, true},
		{Fault{Code: "InternalFailure", Times: 2}, nil, 3, false, true},
		{Fault{Code: "ServiceUnavailable", Times: 1}, nil, 2, false, true},
		{Fault{Code: "Throttling", Times: 3}, &wantErr{"Throttling", "Rate exceeded", 400}, 3, true, true},
		{Fault{Code: "ExpiredToken", Times: 1}, &wantErr{"ExpiredToken", "The security token included in the request is expired", 403}, 1, false, false},
	} {
		t.Run(fmt.Sprintf("%s×%d", row.fault.Code, row.fault.Times), func(t *testing.T) {
			e, _ := newTestEngine(t)
			e.InjectFault(row.fault)
			r := &classifyingRetryer{RetryerV2: retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(noDelay)
			})}
			client := sts.NewFromConfig(e.Config(e.DefaultUser().Credentials), func(o *sts.Options) { o.Retryer = r })
			_, err := client.GetCallerIdentity(context.Background(), nil)
			if row.wantErr == nil {
				if err != nil {
					t.Fatalf("the client gave up: %v", err)
				}
			} else {
				checkErr(t, err, row.wantErr)
			}
			evs := e.Events()
			if len(evs) != row.attempts {
				t.Fatalf("%d events, want one per attempt (%d): %+v", len(evs), row.attempts, summarize(evs))
			}
			failures := min(row.fault.Times, row.attempts)
			ids := map[string]bool{}
			for i, ev := range evs {
				want := ""
				if i < failures {
					want = row.fault.Code
				}
				if ev.ErrorCode != want {
					t.Errorf("attempt %d: errorCode %q, want %q", i+1, ev.ErrorCode, want)
				}
				ids[ev.RequestID] = true
			}
			if len(ids) != len(evs) {
				t.Errorf("attempts share request IDs: %v", ids)
			}
			for i := range r.throttle {
				if r.throttle[i] != row.throttle || r.retryable[i] != row.retryable {
					t.Errorf("attempt %d: throttle %v retryable %v, want %v %v", i+1, r.throttle[i], r.retryable[i], row.throttle, row.retryable)
				}
			}
			if len(r.throttle) < failures {
				t.Errorf("the retryer saw %d failures, want %d", len(r.throttle), failures)
			}
		})
	}
}

// TestFaultTimesTyped pins Times on the typed path, which has no retryer:
// the first two calls fail, the third succeeds.
func TestFaultTimesTyped(t *testing.T) {
	e, _ := newTestEngine(t)
	e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Times: 2})
	var got []string
	for i := 0; i < 3; i++ {
		_, err := e.GetCallerIdentity(context.Background(), nil)
		got = append(got, fmt.Sprint(err != nil))
	}
	if diff := cmp.Diff([]string{"true", "true", "false"}, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// TestFaultMatching pins which calls a fault matches: its Operation, its
// Principal pattern ('*' wildcards; the session ARN of a role session),
// until removed; with several faults every Delay applies and the oldest
// Code decides, the others unused.
func TestFaultMatching(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			alice := mustUser(t, e, UserSpec{Name: "alice", Policies: []string{allowAssume}})
			bob := mustUser(t, e, UserSpec{Name: "bob", Policies: []string{allowAssume}})
			deployer := mustRole(t, e, RoleSpec{Name: "deployer", TrustPolicy: trustAccount("123456789012")})
			path := paths(e).byName(p.name)
			failed := func(creds aws.Credentials, call func(context.Context, stsAPI) error) string {
				api, ctx := onceAPI(path, creds)
				err := call(ctx, api)
				if err == nil {
					return "ok"
				}
				return errOf(t, err).Code
			}
			assume := func(ctx context.Context, api stsAPI) error {
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(deployer.ARN), RoleSessionName: aws.String("ci")})
				return err
			}

			f := e.InjectFault(Fault{Operation: "AssumeRole", Principal: "arn:aws:iam::123456789012:user/a*", Code: "Throttling"})
			if got := failed(alice.Credentials, assume); got != "Throttling" {
				t.Errorf("alice's AssumeRole: %s", got)
			}
			if got := failed(bob.Credentials, assume); got != "ok" {
				t.Errorf("bob's AssumeRole: %s", got)
			}
			if got := failed(alice.Credentials, callerIdentity); got != "ok" {
				t.Errorf("alice's GetCallerIdentity: %s", got)
			}
			f.Remove()
			f.Remove()
			if got := failed(alice.Credentials, assume); got != "ok" {
				t.Errorf("after Remove: %s", got)
			}

			// A role session is matched by its session ARN.
			out, err := e.AssumeRole(typed(bob.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(deployer.ARN), RoleSessionName: aws.String("ci")})
			if err != nil {
				t.Fatal(err)
			}
			f = e.InjectFault(Fault{Principal: "arn:aws:sts::*:assumed-role/deployer/*", Code: "InternalFailure"})
			if got := failed(credsOf(out.Credentials), callerIdentity); got != "InternalFailure" {
				t.Errorf("the deployer session: %s", got)
			}
			if got := failed(bob.Credentials, callerIdentity); got != "ok" {
				t.Errorf("bob: %s", got)
			}
			f.Remove()

			// Two codes: the oldest decides and the other is not used up.
			first := e.InjectFault(Fault{Code: "Throttling", Times: 1})
			second := e.InjectFault(Fault{Code: "ServiceUnavailable", Times: 1})
			got := []string{failed(bob.Credentials, callerIdentity), failed(bob.Credentials, callerIdentity), failed(bob.Credentials, callerIdentity)}
			if diff := cmp.Diff([]string{"Throttling", "ServiceUnavailable", "ok"}, got); diff != "" {
				t.Errorf("two faults (-want +got):\n%s", diff)
			}
			first.Remove()
			second.Remove()

			// A Delay with another fault's Code: both apply.
			e.InjectFault(Fault{Delay: 20 * time.Millisecond, Times: 1})
			e.InjectFault(Fault{Code: "Throttling", Times: 1})
			start := time.Now()
			if got := failed(bob.Credentials, callerIdentity); got != "Throttling" || time.Since(start) < 20*time.Millisecond {
				t.Errorf("delay and code: %s after %v", got, time.Since(start))
			}
			if rules := e.faultRules(); len(rules) != 0 {
				t.Errorf("spent faults remain: %+v", rules)
			}
		})
	}
}

// TestFaultUnsignedCallers pins that a fault with a Principal never
// matches the unsigned operations, which have no caller ARN, and that "*"
// does.
func TestFaultUnsignedCallers(t *testing.T) {
	w := newOIDCWorld(t)
	w.e.InjectFault(Fault{Operation: "AssumeRoleWithWebIdentity", Principal: "arn:*", Code: "Throttling"})
	if _, err := w.e.AssumeRoleWithWebIdentity(context.Background(), webIn(w.deploy.ARN, w.token(nil))); err != nil {
		t.Fatalf("a Principal fault matched an unsigned call: %v", err)
	}
	w.e.InjectFault(Fault{Operation: "AssumeRoleWithWebIdentity", Principal: "*", Code: "Throttling"})
	_, err := w.e.AssumeRoleWithWebIdentity(context.Background(), webIn(w.deploy.ARN, w.token(nil)))
	checkErr(t, err, &wantErr{"Throttling", "Rate exceeded", 400})
}

// TestFaultProbabilityDeterministic pins that Probability draws from
// WithRand's source: the same seed fails the same calls, on either path.
func TestFaultProbabilityDeterministic(t *testing.T) {
	pattern := func(seed byte, pathName string) string {
		var key [32]byte
		key[0] = seed
		e, _ := newTestEngine(t, WithRand(rand.NewChaCha8(key)))
		e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Probability: 0.5})
		api, ctx := onceAPI(paths(e).byName(pathName), e.DefaultUser().Credentials)
		var b strings.Builder
		for i := 0; i < 40; i++ {
			if err := callerIdentity(ctx, api); err != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, again, client, other := pattern(1, "engine"), pattern(1, "engine"), pattern(1, "client"), pattern(2, "engine")
	if a != again || a != client {
		t.Errorf("the same seed failed different calls:\n%s\n%s\n%s (client)", a, again, client)
	}
	if a == other {
		t.Errorf("two seeds failed the same calls: %s", a)
	}
	if n := strings.Count(a, "x"); n < 8 || n > 32 {
		t.Errorf("%d of 40 calls failed with Probability 0.5: %s", n, a)
	}
}

// TestFaultDelay pins Delay: the call waits, then is answered (or fails
// with the fault's Code); a context that ends first ends the call with the
// context's error, as a client reports it, and nothing is journaled.
func TestFaultDelay(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t)
			f := e.InjectFault(Fault{Operation: "GetCallerIdentity", Delay: 30 * time.Millisecond})
			api, ctx := onceAPI(paths(e).byName(p.name), e.DefaultUser().Credentials)
			start := time.Now()
			if err := callerIdentity(ctx, api); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < 30*time.Millisecond {
				t.Errorf("answered after %v, want at least 30ms", d)
			}
			f.Remove()

			e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Delay: time.Hour})
			e.ResetEvents()
			cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
			defer cancel()
			start = time.Now()
			err := callerIdentity(cctx, api)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want the context's", err)
			}
			var ce *smithy.CanceledError
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "operation error STS: GetCallerIdentity, ") {
				t.Errorf("error %q (%T) is not the client's canceled error", err, err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the call took %v", d)
			}
			if evs := e.Events(); len(evs) != 0 {
				t.Errorf("a call abandoned during its delay was journaled: %+v", summarize(evs))
			}
		})
	}
}

// TestFaultDelayHandler pins that the Handler gives up on a request whose
// client has gone, and that its handler returns (no goroutine left).
func TestFaultDelayHandler(t *testing.T) {
	e, _ := newTestEngine(t)
	e.InjectFault(Fault{Code: "Throttling", Delay: time.Hour})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	client := sts.NewFromConfig(aws.Config{Region: e.Region(), BaseEndpoint: aws.String(srv.URL),
		Credentials: staticCreds(e.DefaultUser().Credentials)}, func(o *sts.Options) { o.Retryer = aws.NopRetryer{} })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := client.GetCallerIdentity(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the context's", err)
	}
	srv.Close() // waits for the handler to return
	if evs := e.Events(); len(evs) != 0 {
		t.Errorf("journaled %+v", summarize(evs))
	}
}

// TestFaultLeavesNoTrace pins that a faulted call changes nothing: no
// session, and the MFA code it carried still works once the fault is gone.
func TestFaultLeavesNoTrace(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "mia", Policies: []string{allowAssume}})
	dev, err := e.CreateVirtualMFADevice(u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	f := e.InjectFault(Fault{Operation: "GetSessionToken", Code: "InternalFailure"})
	in := &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(e.Now()))}
	if _, err := e.GetSessionToken(typed(u.Credentials), in); err == nil {
		t.Fatal("the fault did not apply")
	}
	f.Remove()
	if _, err := e.GetSessionToken(typed(u.Credentials), in); err != nil {
		t.Fatalf("the MFA code was used up by the faulted call: %v", err)
	}
	if n := e.SessionCount(); n != 1 {
		t.Errorf("%d sessions, want 1", n)
	}
}

// TestInjectFaultRefuses pins that a fault that cannot mean anything
// panics at once rather than silently never matching.
func TestInjectFaultRefuses(t *testing.T) {
	e, _ := newTestEngine(t)
	for _, f := range []Fault{
		{},
		{Operation: "Assumerole", Code: "Throttling"},
		{Code: "Throttling", Times: -1},
		{Code: "Throttling", Delay: -time.Second},
		{Code: "Throttling", Probability: 1.5},
		{Code: "Throttling", Probability: -0.1},
		{Code: "Throttling", Status: 99},
		{Delay: time.Second, Message: "no code"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("InjectFault(%+v) did not panic", f)
				}
			}()
			e.InjectFault(f)
		}()
	}
}

// TestFaultRulesRestore pins the accessors Snapshot and Restore use: the
// rules go out as plain data and back in, Times left included, and a
// handle still removes its rule.
func TestFaultRulesRestore(t *testing.T) {
	e, _ := newTestEngine(t)
	keep := e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Times: 2})
	e.GetCallerIdentity(context.Background(), nil)
	rules := e.faultRules()
	if len(rules) != 1 || rules[0].Remaining != 1 || rules[0].Fault.Times != 2 {
		t.Fatalf("rules %+v", rules)
	}
	other, _ := newTestEngine(t)
	other.restoreFaultRules(rules)
	if _, err := other.GetCallerIdentity(context.Background(), nil); err == nil {
		t.Error("the restored fault did not apply")
	}
	if _, err := other.GetCallerIdentity(context.Background(), nil); err != nil {
		t.Errorf("the restored fault applied more than its Times: %v", err)
	}
	e.restoreFaultRules(rules)
	keep.Remove()
	if n := len(e.faultRules()); n != 0 {
		t.Errorf("Remove after restore left %d rules", n)
	}
	if added := e.InjectFault(Fault{Code: "Throttling"}); added.id <= rules[0].ID {
		t.Errorf("a new rule took ID %d, not above the restored %d", added.id, rules[0].ID)
	}
}

// TestHandlerBoto3Faults meets injected faults with botocore (boto_faults.py):
// it retries Throttling and reads InternalFailure as a Receiver fault, a
// RegionDisabledException as its modelled exception, and the request IDs it
// read are the journal's.
func TestHandlerBoto3Faults(t *testing.T) {
	e, _ := newTestEngine(t)
	role := mustRole(t, e, RoleSpec{Account: "210987654321", Name: "py", TrustPolicy: trustAccount("123456789012")})
	e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Times: 1})
	e.InjectFault(Fault{Operation: "GetSessionToken", Code: "InternalFailure"})
	e.InjectFault(Fault{Operation: "AssumeRole", Code: "RegionDisabledException"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	var got map[string]struct {
		OK    map[string]any `json:"ok"`
		Error map[string]any `json:"error"`
	}
	handlerRunPython(t, "boto_faults.py", map[string]string{
		"FAKESTS_ENDPOINT": srv.URL, "FAKESTS_ROLE_ARN": role.ARN,
		"FAKESTS_AKID": e.DefaultUser().Credentials.AccessKeyID, "FAKESTS_SECRET": e.DefaultUser().Credentials.SecretAccessKey,
	}, &got)
	evs := e.Events()
	if diff := cmp.Diff([]eventSummary{
		{"GetCallerIdentity", "IAMUser", "Throttling", "Rate exceeded"},
		{"GetCallerIdentity", "IAMUser", "", ""},
		{"GetSessionToken", "IAMUser", "InternalFailure", ""},
		{"AssumeRole", "IAMUser", "RegionDisabledException", "STS is not activated in this region for account:210987654321. Your account administrator can activate STS in this region using the IAM Console."},
		{"AssumeRole", "AWSAccount", "RegionDisabledException", "STS is not activated in this region for account:210987654321. Your account administrator can activate STS in this region using the IAM Console."},
	}, summarize(evs)); diff != "" {
		t.Fatalf("journal (-want +got):\n%s", diff)
	}
	if ok := got["GetCallerIdentity"].OK; ok == nil || ok["RetryAttempts"] != 1.0 || ok["RequestId"] != evs[1].RequestID {
		t.Errorf("GetCallerIdentity: %+v, want a success after one retry with request ID %s", got["GetCallerIdentity"], evs[1].RequestID)
	}
	wantErrs := map[string]map[string]any{
		// No <Message>, as STS sent it (behaviour §22): botocore has none.
		"GetSessionToken": {"Type": "Receiver", "Code": "InternalFailure", "HTTPStatusCode": 500.0,
			"RequestId": evs[2].RequestID, "RetryAttempts": 0.0, "Class": "ClientError"},
		"AssumeRole": {"Type": "Sender", "Code": "RegionDisabledException", "Message": evs[3].ErrorMessage, "HTTPStatusCode": 403.0,
			"RequestId": evs[3].RequestID, "RetryAttempts": 0.0, "Class": "RegionDisabledException"},
	}
	for name, want := range wantErrs {
		if diff := cmp.Diff(want, got[name].Error); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

// TestWildcardMatch pins Fault.Principal's patterns against a regular
// expression built the obvious way.
func TestWildcardMatch(t *testing.T) {
	subjects := []string{"", "a", "arn:aws:iam::123456789012:user/alice", "arn:aws:sts::123456789012:assumed-role/deployer/ci",
		strings.Repeat("a", 200) + "b"}
	patterns := []string{"", "*", "**", "a", "a*", "*a", "arn:aws:iam::*:user/a*", "arn:aws:sts::*:assumed-role/deployer/*",
		"*:user/*", "arn:*:ci", strings.Repeat("*a", 20) + "*c", "a*b", "arn:aws:iam::123456789012:user/alice"}
	for _, p := range patterns {
		re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*") + "$")
		for _, s := range subjects {
			if got, want := wildcardMatch(p, s), re.MatchString(s); got != want {
				t.Errorf("wildcardMatch(%q, %q) = %v, want %v", p, s, got, want)
			}
		}
	}
}
