package federation

import (
	"testing"
)

// BenchmarkNewOIDCIssuer measures creating an issuer after the first one.
// ES256 is end to end (the key is generated on the spot). RS256 measures
// everything but getting the key: a 2048-bit key costs tens of milliseconds
// to generate, and a benchmark loop would drain the pool and time the
// generator instead (BenchmarkCreate does that), so it builds around one
// prepared key, as NewOIDCIssuer does when the pool has one ready.
func BenchmarkNewOIDCIssuer(b *testing.B) {
	NewOIDCIssuer(oidcTestURL) // the first
	rsaPool.Wait()
	b.Run("ES256", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewOIDCIssuer(oidcTestURL, WithAlgorithm("ES256"))
		}
	})
	b.Run("RS256-key-ready", func(b *testing.B) {
		key := newRSAKey()
		rsaPool.Wait()
		b.ReportAllocs()
		for b.Loop() {
			newOIDCIssuerWithKey(oidcTestURL, oidcConfig{alg: "RS256", clock: oidcFixedClock(oidcT0)}, key)
		}
	})
}

// BenchmarkToken measures minting a GitHub-Actions-style token.
func BenchmarkToken(b *testing.B) {
	for _, alg := range []string{"RS256", "ES256"} {
		b.Run(alg, func(b *testing.B) {
			iss := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg))
			rsaPool.Wait()
			c := oidcBasicClaims()
			b.ReportAllocs()
			for b.Loop() {
				iss.Token(c)
			}
		})
	}
}
