package federation

import (
	"testing"
)

// BenchmarkVerifySAML verifies a response whose Assertion is signed
// (RSA-SHA256, exclusive c14n), the common IdP shape.
func BenchmarkVerifySAML(b *testing.B) {
	p, md := newTestIdP(b)
	a := basicAssertion()
	a.PrincipalTags = map[string]string{"Project": "Unicorn", "CostCenter": "12345"}
	a.SourceIdentity = "alice"
	resp := p.Assertion(a)
	c := checkAt(md, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifySAMLResponse(resp, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewSAMLIdP measures creating an IdP once the key pool has a key
// ready ("after the first"). Each iteration first returns a key to the pool
// with the timer stopped, so the benchmark measures the constructor, not
// RSA key generation. The "with certificate" case adds the first Metadata
// call, which makes the IdP's self-signed certificate (one RSA signature).
func BenchmarkNewSAMLIdP(b *testing.B) {
	key := newRSAKey() // starts the pool
	refill := func() {
		select {
		case rsaPool <- key:
		default: // pool already full
		}
	}
	b.Run("constructor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			refill()
			b.StartTimer()
			p := NewSAMLIdP("https://idp.example/saml")
			key = p.key
		}
	})
	b.Run("with certificate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			refill()
			b.StartTimer()
			p := NewSAMLIdP("https://idp.example/saml")
			_ = p.Metadata()
			key = p.key
		}
	})
}

// BenchmarkAssertion mints a signed, base64-encoded response.
func BenchmarkAssertion(b *testing.B) {
	p, _ := newTestIdP(b)
	a := basicAssertion()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Assertion(a)
	}
}
