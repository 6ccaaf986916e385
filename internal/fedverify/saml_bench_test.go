package fedverify_test

import (
	"testing"

	"github.com/fakests/fakests/internal/fedverify"
)

// BenchmarkVerifySAML verifies a response whose Assertion is signed
// (RSA-SHA256, exclusive c14n), the common IdP shape. The IdP signs with the
// committed fixed key, so no background key generation shares the CPU with
// the code being measured (run it with -run '^$', as BENCHMARKS.md does, so
// that no test starts federation's key pool either).
func BenchmarkVerifySAML(b *testing.B) {
	p, md := newTestIdP(b, fixedKey(b))
	a := basicAssertion()
	a.PrincipalTags = map[string]string{"Project": "Unicorn", "CostCenter": "12345"}
	a.SourceIdentity = "alice"
	resp := p.Assertion(a)
	c := checkAt(md, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fedverify.VerifySAMLResponse(resp, c); err != nil {
			b.Fatal(err)
		}
	}
}
