package federation

import (
	"testing"
	"time"
)

// waitPoolFull waits (up to a minute) until the background RSA generator has
// filled the key pool and stopped, so that it does not share the CPU with
// the code being measured.
func waitPoolFull(b *testing.B) {
	b.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(rsaPool) < cap(rsaPool) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	b.ResetTimer()
}

// BenchmarkNewSAMLIdP measures creating an IdP once the key pool has a key
// ready ("after the first"). Each iteration first returns a key (with its
// pooled certificate) to the pool, so the benchmark measures the
// constructor, not RSA key generation; the channel send is included (tens
// of nanoseconds: stopping the timer instead would cost far more per op). The "with certificate"
// case adds the first Metadata call, which uses the certificate the pool
// prepared alongside the key.
func BenchmarkNewSAMLIdP(b *testing.B) {
	key, cert := newRSAKeyWithCert() // starts the pool
	waitPoolFull(b)
	refill := func() {
		select {
		case rsaPool <- pooledKey{key: key, cert: cert}:
		default: // pool already full
		}
	}
	b.Run("constructor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			refill()
			p := NewSAMLIdP("https://idp.example/saml")
			key, cert = p.keys[0].key, p.cert()
		}
	})
	b.Run("with certificate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			refill()
			p := NewSAMLIdP("https://idp.example/saml")
			_ = p.Metadata()
			key, cert = p.keys[0].key, p.cert()
		}
	})
}

// BenchmarkAssertion mints a signed, base64-encoded response.
func BenchmarkAssertion(b *testing.B) {
	p, _ := newTestIdP(b)
	a := basicAssertion()
	_ = p.Assertion(a) // makes the certificate
	waitPoolFull(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Assertion(a)
	}
}
