package fedverify_test

import (
	"testing"

	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
)

// BenchmarkVerifyRS256 measures VerifyWebIdentityToken on an RS256 token,
// with the provider's JWKS already parsed (the steady state: one provider,
// many tokens) and, as the baseline, with the key-set cache emptied before
// every call.
func BenchmarkVerifyRS256(b *testing.B) {
	iss := federation.NewOIDCIssuer(oidcTestURL, federation.WithIssuerClock(oidcFixedClock(oidcT0)))
	tok := iss.Token(oidcBasicClaims())
	check := oidcCheck(iss.JWKS())
	b.Run("cached-jwks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fedverify.VerifyWebIdentityToken(tok, check); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse-jwks-each-time", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fedverify.ResetKeyCache()
			if _, err := fedverify.VerifyWebIdentityToken(tok, check); err != nil {
				b.Fatal(err)
			}
		}
	})
}
