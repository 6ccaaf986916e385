package federation

import (
	"testing"
)

// BenchmarkNewSAMLIdP measures creating an IdP once its key is ready ("after
// the first"): the constructor around a prepared key and its pooled
// certificate, as NewSAMLIdP does when the pool has a key ready. The "with
// certificate" case adds the first Metadata call, which uses that
// certificate. BenchmarkCreate measures creation with the key included.
func BenchmarkNewSAMLIdP(b *testing.B) {
	key, cert := newRSAKeyWithCert()
	rsaPool.Wait()
	mk := func() *SAMLIdP {
		p := newSAMLIdPWithKey("https://idp.example/saml", key)
		p.keys[0].usePooledCert(p.cfg, cert)
		return p
	}
	b.Run("constructor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mk()
		}
	})
	b.Run("with certificate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = mk().Metadata()
		}
	})
}

// BenchmarkAssertion mints a signed, base64-encoded response.
func BenchmarkAssertion(b *testing.B) {
	p, _ := newTestIdP(b)
	a := basicAssertion()
	_ = p.Assertion(a) // makes the certificate
	rsaPool.Wait()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Assertion(a)
	}
}
