package fakests

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// These benchmarks measure the engine against the baselines of
// bench_baseline_test.go, side by side in one run (BENCHMARKS.md):
//
//	go test -run '^$' -bench . -benchmem -count 5 -cpu 1,2 .
//
// floor and httptest answer the bytes and headers the engine answered to
// the same request, captured before the timed loop; adapter drives a real
// *sts.Client into the engine through Config (signature verified, policies
// evaluated, a session issued and stored on every AssumeRole); typed calls
// the engine's method directly. The engines use New's defaults (wall clock,
// crypto/rand), which is what users get.

// benchFixture is an engine with a user allowed to assume a role.
type benchFixture struct {
	e    *Engine
	user *User
	role *Role
}

// newBenchFixture creates the user and the role: the role's trust policy
// names the account, so the user's identity policy must allow
// sts:AssumeRole too, and both are evaluated on every call.
func newBenchFixture(b *testing.B) benchFixture {
	b.Helper()
	e := New()
	u := mustUser(b, e, UserSpec{Name: "bench-user", Policies: []string{allowAssume}})
	r := mustRole(b, e, RoleSpec{Name: "bench-role", TrustPolicy: trustAccount(e.AccountID())})
	return benchFixture{e: e, user: u, role: r}
}

// assumeInput is the AssumeRole request every benchmark sends.
func (f benchFixture) assumeInput() *sts.AssumeRoleInput {
	return &sts.AssumeRoleInput{RoleArn: aws.String(f.role.ARN), RoleSessionName: aws.String("bench")}
}

// cpuMeter reports the process's CPU time per op (cpu-ns/op) beside the
// wall time: on a shared machine a benchmark that is descheduled loses wall
// time but not CPU time, so ratios of cpu-ns/op stay meaningful under load.
// It counts every thread, so the GC's background work is included.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

// startCPU starts a cpuMeter; call it just before the timed loop.
func startCPU() cpuMeter {
	t, ok := processCPU()
	return cpuMeter{start: t, ok: ok}
}

// report adds cpu-ns/op to b's results; call it just after the timed loop.
func (m cpuMeter) report(b *testing.B) {
	if t, ok := processCPU(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64(t-m.start)/float64(b.N), "cpu-ns/op")
	}
}

// benchAssume calls AssumeRole b.N times, failing at once on an error so
// that no error path is ever measured as a success.
func benchAssume(b *testing.B, ctx context.Context, api stsAPI, in *sts.AssumeRoleInput) {
	b.Helper()
	b.ReportAllocs()
	defer startCPU().report(b)
	for b.Loop() {
		out, err := api.AssumeRole(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if out.Credentials == nil {
			b.Fatal("AssumeRole returned no credentials")
		}
	}
}

// benchIdentity calls GetCallerIdentity b.N times.
func benchIdentity(b *testing.B, ctx context.Context, api stsAPI) {
	b.Helper()
	b.ReportAllocs()
	in := &sts.GetCallerIdentityInput{}
	defer startCPU().report(b)
	for b.Loop() {
		out, err := api.GetCallerIdentity(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if out.Arn == nil {
			b.Fatal("GetCallerIdentity returned no ARN")
		}
	}
}

// BenchmarkAssumeRole compares the four ways to answer an AssumeRole.
// Targets (issue): adapter ≤ 1.5× floor and ≤ 0.5× httptest; typed ≤ 20 µs;
// since the floor replays the engine's own answer (issue 11), adapter ≤ 1.3×.
func BenchmarkAssumeRole(b *testing.B) {
	ctx := context.Background()
	b.Run("floor", func(b *testing.B) {
		f := newBenchFixture(b)
		a := captureAssumeRole(b, f.e, f.user.Credentials, f.assumeInput())
		benchAssume(b, ctx, newFloorClient(a), f.assumeInput())
	})
	b.Run("httptest", func(b *testing.B) {
		f := newBenchFixture(b)
		a := captureAssumeRole(b, f.e, f.user.Credentials, f.assumeInput())
		benchAssume(b, ctx, newHTTPTestClient(b, a), f.assumeInput())
	})
	b.Run("adapter", func(b *testing.B) {
		f := newBenchFixture(b)
		c := sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer)
		benchAssume(b, ctx, c, f.assumeInput())
	})
	b.Run("typed", func(b *testing.B) {
		f := newBenchFixture(b)
		benchAssume(b, WithCaller(ctx, f.user.Credentials), f.e, f.assumeInput())
	})
}

// BenchmarkGetCallerIdentity compares the same four paths on the cheapest
// operation, where the SDK's stack and the signature check dominate.
func BenchmarkGetCallerIdentity(b *testing.B) {
	ctx := context.Background()
	b.Run("floor", func(b *testing.B) {
		f := newBenchFixture(b)
		benchIdentity(b, ctx, newFloorClient(captureGetCallerIdentity(b, f.e, f.user.Credentials)))
	})
	b.Run("httptest", func(b *testing.B) {
		f := newBenchFixture(b)
		benchIdentity(b, ctx, newHTTPTestClient(b, captureGetCallerIdentity(b, f.e, f.user.Credentials)))
	})
	b.Run("adapter", func(b *testing.B) {
		f := newBenchFixture(b)
		benchIdentity(b, ctx, sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer))
	})
	b.Run("typed", func(b *testing.B) {
		f := newBenchFixture(b)
		benchIdentity(b, WithCaller(ctx, f.user.Credentials), f.e)
	})
}

// BenchmarkAssumeRoleParallel measures AssumeRole from GOMAXPROCS
// goroutines sharing one engine (and, for adapter, one client). Run with
// -cpu 1,2: the target is 2 cores ≥ 1.6× the throughput of one.
func BenchmarkAssumeRoleParallel(b *testing.B) {
	run := func(b *testing.B, ctx context.Context, api stsAPI, in *sts.AssumeRoleInput) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := api.AssumeRole(ctx, in); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	ctx := context.Background()
	b.Run("adapter", func(b *testing.B) {
		f := newBenchFixture(b)
		run(b, ctx, sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer), f.assumeInput())
	})
	b.Run("typed", func(b *testing.B) {
		f := newBenchFixture(b)
		run(b, WithCaller(ctx, f.user.Credentials), f.e, f.assumeInput())
	})
}

// BenchmarkNew measures New with no options: one account, the default user
// and its key. Target (issue): ≤ 100 µs.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if New() == nil {
			b.Fatal("New returned nil")
		}
	}
}

// liveSessions is how many sessions BenchmarkLiveSessionHeap issues.
const liveSessions = 100_000

// BenchmarkLiveSessionHeap measures the heap that live sessions hold: it
// issues liveSessions typed AssumeRole sessions on one engine and reports
// the growth of the live heap (after a full GC) per session, as B/session.
// Target (issue): ≤ 2 KiB. One iteration takes seconds; run it with
// -benchtime=1x.
func BenchmarkLiveSessionHeap(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f := newBenchFixture(b)
		ctx := WithCaller(context.Background(), f.user.Credentials)
		in := f.assumeInput()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var first string
		for i := range liveSessions {
			out, err := f.e.AssumeRole(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				first = aws.ToString(out.Credentials.AccessKeyId)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		// The sessions must still be live for the number to mean anything.
		if _, ok := f.e.sessions.Get(first); !ok {
			b.Fatal("the first session the benchmark issued is no longer in the store")
		}
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/liveSessions, "B/session")
		b.ReportMetric(float64(after.HeapObjects-before.HeapObjects)/liveSessions, "objects/session")
		runtime.KeepAlive(f.e)
	}
}
