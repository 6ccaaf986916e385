package fakests

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// These benchmarks measure outbound identity federation (BENCHMARKS.md,
// "Issue 12"):
//
//	go test -run '^$' -bench 'GetWebIdentityToken|FirstEnable' -benchmem -count 5 .
//
// GetWebIdentityToken/<alg>/adapter drives a real *sts.Client into the
// engine; floor answers the same client with canned bytes of a token as
// long as the engine's; sign is one signature of the same algorithm with the
// same key (what the operation cannot avoid). The target is adapter
// ≤ 1.3 × (floor + sign), both from the same run.

// benchOutboundFixture is an engine with outbound federation on, its keys
// made, and a user allowed to ask for tokens.
type benchOutboundFixture struct {
	e    *Engine
	user *User
	a    *outboundAccount
}

func newBenchOutboundFixture(b *testing.B) benchOutboundFixture {
	b.Helper()
	e := New()
	if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
		b.Fatal(err)
	}
	u := mustUser(b, e, UserSpec{Name: "bench-user", Policies: []string{polOutbound}, Tags: map[string]string{"Team": "platform"}})
	f := benchOutboundFixture{e: e, user: u, a: e.outboundAccountFor(e.AccountID())}
	if _, err := e.keySet(f.a); err != nil { // both keys made before timing
		b.Fatal(err)
	}
	outboundRSAPool.Wait() // no key making in the background while timing
	return f
}

// benchWITInput is the request every benchmark sends.
func benchWITInput(alg string) *sts.GetWebIdentityTokenInput {
	return &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String(alg)}
}

// benchWIT calls GetWebIdentityToken b.N times, failing at once on an error.
func benchWIT(b *testing.B, ctx context.Context, api stsAPI, in *sts.GetWebIdentityTokenInput) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		out, err := api.GetWebIdentityToken(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if out.WebIdentityToken == nil {
			b.Fatal("GetWebIdentityToken returned no token")
		}
	}
}

// captureWebIdentityToken returns the engine's own answer to a
// GetWebIdentityToken by f's user: what the floor replays.
func captureWebIdentityToken(b *testing.B, f benchOutboundFixture, in *sts.GetWebIdentityTokenInput) engineAnswer {
	b.Helper()
	return captureAnswer(b, f.e.Config(f.user.Credentials), func(c *sts.Client) error {
		_, err := c.GetWebIdentityToken(context.Background(), in)
		return err
	})
}

// BenchmarkGetWebIdentityToken compares, per algorithm, the floor, one
// signature, the adapter and the typed method.
func BenchmarkGetWebIdentityToken(b *testing.B) {
	ctx := context.Background()
	for _, alg := range []string{"RS256", "ES384"} {
		b.Run(alg+"/floor", func(b *testing.B) {
			f := newBenchOutboundFixture(b)
			benchWIT(b, ctx, newFloorClient(captureWebIdentityToken(b, f, benchWITInput(alg))), benchWITInput(alg))
		})
		b.Run(alg+"/sign", func(b *testing.B) {
			f := newBenchOutboundFixture(b)
			b.ReportAllocs()
			msg := []byte("eyJraWQiOiJSU0FfMCIsInR5cCI6IkpXVCIsImFsZyI6IlJTMjU2In0.payload")
			if alg == "RS256" {
				digest := sha256.Sum256(msg)
				for b.Loop() {
					if _, err := rsa.SignPKCS1v15(nil, f.a.rsaKey, crypto.SHA256, digest[:]); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			digest := sha512.Sum384(msg)
			for b.Loop() {
				if _, _, err := ecdsa.Sign(rand.Reader, f.a.ecKey, digest[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(alg+"/adapter", func(b *testing.B) {
			f := newBenchOutboundFixture(b)
			benchWIT(b, ctx, sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer), benchWITInput(alg))
		})
		b.Run(alg+"/typed", func(b *testing.B) {
			f := newBenchOutboundFixture(b)
			benchWIT(b, WithCaller(ctx, f.user.Credentials), f.e, benchWITInput(alg))
		})
	}
}

// BenchmarkGetWebIdentityTokenInterleaved measures floor, sign and adapter
// of one algorithm in the same iterations, one call of each in turn, so that
// a machine whose load changes from second to second (a shared VM) slows
// all three alike; it reports each one's ns/op and adapter/(floor+sign),
// the ratio.
func BenchmarkGetWebIdentityTokenInterleaved(b *testing.B) {
	ctx := context.Background()
	for _, alg := range []string{"RS256", "ES384"} {
		b.Run(alg, func(b *testing.B) {
			f := newBenchOutboundFixture(b)
			adapter := sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer)
			in := benchWITInput(alg)
			floor := newFloorClient(captureWebIdentityToken(b, f, in))
			msg := []byte("eyJraWQiOiJSU0FfMCIsInR5cCI6IkpXVCIsImFsZyI6IlJTMjU2In0.payload")
			d256, d384 := sha256.Sum256(msg), sha512.Sum384(msg)
			sign := func() error {
				if alg == "RS256" {
					_, err := rsa.SignPKCS1v15(nil, f.a.rsaKey, crypto.SHA256, d256[:])
					return err
				}
				_, _, err := ecdsa.Sign(rand.Reader, f.a.ecKey, d384[:])
				return err
			}
			var tFloor, tSign, tAdapter time.Duration
			n := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := floor.GetWebIdentityToken(ctx, in); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := sign(); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if out, err := adapter.GetWebIdentityToken(ctx, in); err != nil || out.WebIdentityToken == nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				tFloor, tSign, tAdapter = tFloor+t1.Sub(t0), tSign+t2.Sub(t1), tAdapter+t3.Sub(t2)
				n++
			}
			b.ReportMetric(float64(tFloor.Nanoseconds())/float64(n), "floor-ns/op")
			b.ReportMetric(float64(tSign.Nanoseconds())/float64(n), "sign-ns/op")
			b.ReportMetric(float64(tAdapter.Nanoseconds())/float64(n), "adapter-ns/op")
			b.ReportMetric(float64(tAdapter)/float64(tFloor+tSign), "adapter/(floor+sign)")
		})
	}
}

// BenchmarkFirstEnable measures EnableOutboundWebIdentityFederation on an
// engine fresh from New, which is what a test pays to turn the feature on.
// Target (issue 12): ≤ 50 ms. The account's keys are made when first
// needed; first-token measures, on the same fresh engines, the first
// RS256 token after the enable, where that cost lands (the key the enable
// asked the pool to prepare, or a key generation when it is not ready yet;
// run it with -benchtime 1x in fresh processes for the first of a process);
// first-token-100ms-later leaves the pool 100 ms to make the key first.
func BenchmarkFirstEnable(b *testing.B) {
	b.Run("enable", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e := New()
			b.StartTimer()
			if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		outboundRSAPool.Wait()
	})
	b.Run("first-token-100ms-later", func(b *testing.B) {
		// A test that does other set-up between the enable and its first
		// token finds the key the enable asked for made.
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e := New()
			if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
				b.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			b.StartTimer()
			if _, err := e.GetWebIdentityToken(context.Background(), benchWITInput("RS256")); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		outboundRSAPool.Wait()
	})
	b.Run("first-token", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e := New()
			b.StartTimer()
			if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
				b.Fatal(err)
			}
			if _, err := e.GetWebIdentityToken(context.Background(), benchWITInput("RS256")); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		outboundRSAPool.Wait()
	})
}
