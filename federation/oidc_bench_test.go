package federation

import (
	"crypto/rsa"
	"testing"
)

// BenchmarkNewOIDCIssuer measures creating an issuer after the first one.
// ES256 is end to end (the key is generated on the spot). RS256 measures
// everything but waiting for the key: a 2048-bit key costs tens of
// milliseconds to generate, the pool in keypool.go holds 16 ready ones, and
// taking one is a channel receive; a benchmark loop would drain the pool and
// then time the generator instead, so it builds around one prepared key.
func BenchmarkNewOIDCIssuer(b *testing.B) {
	NewOIDCIssuer(oidcTestURL) // the first: starts and waits for the pool
	b.Run("ES256", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewOIDCIssuer(oidcTestURL, WithAlgorithm("ES256"))
		}
	})
	b.Run("RS256-key-ready", func(b *testing.B) {
		key := newRSAKey()
		ch := make(chan *rsa.PrivateKey, 1)
		b.ReportAllocs()
		for b.Loop() {
			ch <- key // stands for the pool's hand-out
			newOIDCIssuerWithKey(oidcTestURL, oidcConfig{alg: "RS256", clock: oidcFixedClock(oidcT0)}, <-ch)
		}
	})
}

// BenchmarkToken measures minting a GitHub-Actions-style token.
func BenchmarkToken(b *testing.B) {
	for _, alg := range []string{"RS256", "ES256"} {
		b.Run(alg, func(b *testing.B) {
			iss := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg))
			c := oidcBasicClaims()
			b.ReportAllocs()
			for b.Loop() {
				iss.Token(c)
			}
		})
	}
}
