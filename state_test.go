package fakests

import (
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// This file pins the engine's state rules: a key ID is never handed out
// twice while its first holder still has it, and a request that fails
// leaves no trace (behaviour §2.3, §9, §11.1).

// replayReader is a WithRand source that can be wound back, so a test can
// make the engine draw the same bytes, and so the same key IDs, twice.
type replayReader struct {
	mu  sync.Mutex
	src *rand.ChaCha8
	buf []byte
	pos int
}

func newReplayReader() *replayReader { return &replayReader{src: rand.NewChaCha8([32]byte{3})} }

func (r *replayReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.buf) < r.pos+len(p) {
		var b [64]byte
		r.src.Read(b[:])
		r.buf = append(r.buf, b[:]...)
	}
	copy(p, r.buf[r.pos:])
	r.pos += len(p)
	return len(p), nil
}

// mark returns the reader's position; rewind goes back to one.
func (r *replayReader) mark() int { r.mu.Lock(); defer r.mu.Unlock(); return r.pos }
func (r *replayReader) rewind(pos int) {
	r.mu.Lock()
	r.pos = pos
	r.mu.Unlock()
}

// zeroReader gives only zero bytes: every draw of a key ID is the same.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// callerARN returns who creds are, on api.
func callerARN(t *testing.T, api stsAPI, ctx context.Context) string {
	t.Helper()
	out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	return aws.ToString(out.Arn)
}

// TestSessionKeyCollisionDrawsAgain forces the second of two sessions to
// draw the first one's key ID: the engine draws again, and both holders
// keep working (behaviour §2.3).
func TestSessionKeyCollisionDrawsAgain(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			rr := newReplayReader()
			e, _ := newTestEngine(t, WithRand(rr))
			u := mustUser(t, e, UserSpec{Name: "Ann", Policies: []string{allowAssume}})
			mustRole(t, e, RoleSpec{Name: "app", TrustPolicy: trustAccount(acctA)})
			api, ctx := paths(e).byName(p.name).api(u.Credentials)
			for _, op := range []struct {
				name string
				call func() aws.Credentials
				arn  string
			}{
				{"GetSessionToken", func() aws.Credentials {
					out, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
					if err != nil {
						t.Fatal(err)
					}
					return credsOf(out.Credentials)
				}, "arn:aws:iam::123456789012:user/Ann"},
				{"AssumeRole", func() aws.Credentials {
					out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("s1")})
					if err != nil {
						t.Fatal(err)
					}
					return credsOf(out.Credentials)
				}, "arn:aws:sts::123456789012:assumed-role/app/s1"},
			} {
				at := rr.mark()
				first := op.call()
				rr.rewind(at) // the second session draws exactly the first one's bytes
				second := op.call()
				if first.AccessKeyID == second.AccessKeyID {
					t.Fatalf("%s: two live sessions share the key ID %s", op.name, first.AccessKeyID)
				}
				checkKeyID(t, second.AccessKeyID, "ASIA", acctA)
				for i, c := range []aws.Credentials{first, second} {
					capi, cctx := paths(e).byName(p.name).api(c)
					if got := callerARN(t, capi, cctx); got != op.arn {
						t.Errorf("%s: session %d is %s, want %s", op.name, i+1, got, op.arn)
					}
				}
			}
		})
	}
}

// TestLongTermKeyCollisionDrawsAgain forces a second user to draw the first
// one's access key ID: the engine draws again and each key stays its
// user's.
func TestLongTermKeyCollisionDrawsAgain(t *testing.T) {
	rr := newReplayReader()
	e, _ := newTestEngine(t, WithRand(rr), Strict())
	at := rr.mark()
	alice := mustUser(t, e, UserSpec{Name: "alice"})
	rr.rewind(at)
	bob := mustUser(t, e, UserSpec{Name: "bob"})
	if alice.Credentials.AccessKeyID == bob.Credentials.AccessKeyID {
		t.Fatalf("two users share the access key ID %s", alice.Credentials.AccessKeyID)
	}
	checkKeyID(t, bob.Credentials.AccessKeyID, "AKIA", acctA)
	for _, p := range paths(e) {
		for _, u := range []*User{alice, bob} {
			api, ctx := p.api(u.Credentials)
			if got := callerARN(t, api, ctx); got != u.ARN {
				t.Errorf("%s: %s's key is %s", p.name, u.Name, got)
			}
		}
	}
}

// TestKeyDrawsGiveUp pins what happens when no unused key ID can be drawn
// (a WithRand reader that repeats itself forever): the request fails with
// InternalFailure and the session already issued keeps its key.
func TestKeyDrawsGiveUp(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, WithRand(zeroReader{}))
			api, ctx := paths(e).byName(p.name).api(e.DefaultUser().Credentials)
			out, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			if err != nil {
				t.Fatal(err)
			}
			before := handlerStateOf(e)
			_, err = api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			checkErr(t, err, &wantErr{"InternalFailure", "fakests: no unused access key ID after 8 draws", 500})
			if after := handlerStateOf(e); after != before {
				t.Errorf("the failed request changed the state: %+v, then %+v", before, after)
			}
			capi, cctx := paths(e).byName(p.name).api(credsOf(out.Credentials))
			if got := callerARN(t, capi, cctx); got != "arn:aws:iam::123456789012:user/fakests-default" {
				t.Errorf("the first session is now %s", got)
			}
		})
	}
	// Long-term keys give up the same way, with a plain error.
	e, _ := newTestEngine(t, WithRand(zeroReader{}))
	if _, err := e.CreateUser(UserSpec{Name: "second"}); err == nil || err.Error() != "fakests: no unused access key ID after 8 draws" {
		t.Errorf("CreateUser with no unused key ID: %v", err)
	}
}

// TestFailedAssumeRoleKeepsTheMFACode pins that an AssumeRole that fails
// after its MFA code was checked leaves the code unused: the same code then
// works (behaviour §9).
func TestFailedAssumeRoleKeepsTheMFACode(t *testing.T) {
	w := newWorld(t, Strict())
	mia := mustUser(t, w.e, UserSpec{Name: "Mia", Policies: []string{allowAssume}})
	dev, err := w.e.CreateVirtualMFADevice(mia.ARN)
	if err != nil {
		t.Fatal(err)
	}
	short := mustRole(t, w.e, RoleSpec{Name: "Short", TrustPolicy: trustAccount(acctA)})
	rows := []struct {
		name string
		in   *sts.AssumeRoleInput
		want *wantErr
	}{
		{"role missing", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/Missing")},
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/Mia is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Missing", 403}},
		{"duration over the role's maximum", &sts.AssumeRoleInput{RoleArn: aws.String(short.ARN), DurationSeconds: aws.Int32(7200)},
			&wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400}},
		{"packed policy too large", &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), Tags: incompressibleTags()},
			&wantErr{"PackedPolicyTooLarge", "Packed size of session tags consumes 1616% of allotted space.", 400}},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				w.clk.Advance(time.Minute)
				api, ctx := p.api(mia.Credentials)
				code := dev.Code(w.e.Now())
				in := *row.in
				in.RoleSessionName = aws.String("mfa")
				in.SerialNumber, in.TokenCode = aws.String(dev.SerialNumber), aws.String(code)
				before := handlerStateOf(w.e)
				_, err := api.AssumeRole(ctx, &in)
				checkErr(t, err, row.want)
				if after := handlerStateOf(w.e); after != before {
					t.Errorf("the failed request changed the state: %+v, then %+v", before, after)
				}
				if _, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(code)}); err != nil {
					t.Errorf("the code was used up by the failed AssumeRole: %v", err)
				}
			})
		}
	}
}

// TestFailedAssumeRoleKeepsNoImplicitRole pins that in lenient mode a
// failing AssumeRole on a RoleArn never seen keeps no implicit role (nor
// the account it names), and that the role a successful one keeps has one
// role ID for every later session (behaviour §11.1).
func TestFailedAssumeRoleKeepsNoImplicitRole(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t)
			api, ctx := paths(e).byName(p.name).api(e.DefaultUser().Credentials)
			before := handlerStateOf(e)
			for i := 0; i < 3; i++ {
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::555555555555:role/r" + itoa(i)),
					RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)})
				checkErr(t, err, &wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400})
			}
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::555555555555:role/tagged"),
				RoleSessionName: aws.String("s1"), Tags: incompressibleTags()})
			checkErr(t, err, &wantErr{"PackedPolicyTooLarge", "Packed size of session tags consumes 1616% of allotted space.", 400})
			if after := handlerStateOf(e); after != before {
				t.Errorf("failed requests changed the state: %+v, then %+v", before, after)
			}
			var ids []string
			for i := 0; i < 2; i++ {
				out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::555555555555:role/r0"), RoleSessionName: aws.String("s1")})
				if err != nil {
					t.Fatal(err)
				}
				id, _, _ := strings.Cut(aws.ToString(out.AssumedRoleUser.AssumedRoleId), ":")
				ids = append(ids, id)
			}
			if ids[0] != ids[1] {
				t.Errorf("the implicit role's ID changed between sessions: %s, then %s", ids[0], ids[1])
			}
			if got := handlerStateOf(e); got.roles != before.roles+1 || got.accounts != before.accounts+1 {
				t.Errorf("after two sessions of one implicit role: %+v (before: %+v)", got, before)
			}
		})
	}
}

// mfaFixture is a user with a fresh virtual MFA device on a manual clock.
type mfaFixture struct {
	w    *world
	user *User
	dev  *MFADevice
}

func newMFAFixture(t *testing.T, name string) *mfaFixture {
	t.Helper()
	w := newWorld(t)
	u := mustUser(t, w.e, UserSpec{Name: name, Policies: []string{allowAssume}})
	dev, err := w.e.CreateVirtualMFADevice(u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	return &mfaFixture{w: w, user: u, dev: dev}
}

// gst calls GetSessionToken on p with the code of the step off steps from
// the engine clock's.
func (f *mfaFixture) gst(p path, off int) error {
	api, ctx := p.api(f.user.Credentials)
	code := f.dev.Code(f.w.e.Now().Add(time.Duration(off) * mfaStep))
	_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900),
		SerialNumber: aws.String(f.dev.SerialNumber), TokenCode: aws.String(code)})
	return err
}

// TestMFAWindow replays stackd's iam/mfa_verification.json: a code within
// two steps either side of the device's time is accepted, once; three steps
// off it is refused (behaviour §9).
func TestMFAWindow(t *testing.T) {
	for _, p := range paths(nil) {
		for off := -3; off <= 3; off++ {
			t.Run(p.name+"/offset "+itoa(off), func(t *testing.T) {
				f := newMFAFixture(t, "window")
				p := paths(f.w.e).byName(p.name)
				var want *wantErr
				if off < -2 || off > 2 {
					want = errMFABadCode
				}
				checkErr(t, f.gst(p, off), want)
				checkErr(t, f.gst(p, off), errMFABadCode) // the second use of one code
			})
		}
	}
}

// TestMFACodeOrder replays stackd's iam/mfa_code_order.json: unused codes
// may arrive out of order; an earlier code still works after a later one
// was used (behaviour §9).
func TestMFACodeOrder(t *testing.T) {
	for _, p := range paths(nil) {
		for _, seq := range []struct {
			name string
			offs []int
		}{
			{"future", []int{2, 1, 0}},
			{"current", []int{0, -1, 1}},
			{"past", []int{-2, 0, -1, 1}},
		} {
			t.Run(p.name+"/"+seq.name, func(t *testing.T) {
				f := newMFAFixture(t, seq.name)
				p := paths(f.w.e).byName(p.name)
				for _, off := range seq.offs {
					if err := f.gst(p, off); err != nil {
						t.Fatalf("code at offset %d: %v", off, err)
					}
				}
			})
		}
	}
}

// TestMFARace sends one code from many callers at once: exactly one
// session is issued, the others get the reused-code answer.
func TestMFARace(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			f := newMFAFixture(t, "racer")
			p := paths(f.w.e).byName(p.name)
			const callers = 8
			errs := make([]error, callers)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = f.gst(p, 0)
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
					continue
				}
				checkErr(t, err, errMFABadCode)
			}
			if ok != 1 {
				t.Errorf("%d sessions issued for one code, want 1", ok)
			}
		})
	}
}

// TestHandlerBoto3MFA sends one MFA code twice through botocore: the first
// call gets a session, the second AWS's invalid-code text, trailing space
// and all, as botocore parses it from the Handler's answer (behaviour §9).
func TestHandlerBoto3MFA(t *testing.T) {
	f := newMFAFixture(t, "py-mfa")
	srv := httptest.NewServer(f.w.e.Handler())
	defer srv.Close()
	var got map[string]any
	handlerRunPython(t, "boto_mfa.py", map[string]string{
		"FAKESTS_ENDPOINT":    srv.URL,
		"FAKESTS_USER_AKID":   f.user.Credentials.AccessKeyID,
		"FAKESTS_USER_SECRET": f.user.Credentials.SecretAccessKey,
		"FAKESTS_MFA_SERIAL":  f.dev.SerialNumber,
		"FAKESTS_MFA_CODE":    f.dev.Code(f.w.e.Now()),
	}, &got)
	want := map[string]any{
		"First": map[string]any{"ok": true},
		"Reused": map[string]any{"error": map[string]any{"Code": "AccessDenied",
			"Message": "MultiFactorAuthentication failed with invalid MFA one time pass code. ", "HTTPStatusCode": 403.0}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 MFA (-want +got):\n%s", diff)
	}
}
