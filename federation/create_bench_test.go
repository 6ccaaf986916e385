//go:build unix

package federation

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// providerKinds are the test providers whose creation BenchmarkCreate and
// BenchmarkFirstProvider measure. SAML includes the first Metadata call,
// which needs the IdP's certificate.
var providerKinds = []struct {
	name string
	make func()
}{
	{"OIDC-RS256", func() { NewOIDCIssuer(oidcTestURL) }},
	{"OIDC-ES256", func() { NewOIDCIssuer(oidcTestURL, WithAlgorithm("ES256")) }},
	{"SAML+Metadata", func() { NewSAMLIdP("https://idp.example/saml").Metadata() }},
}

// BenchmarkCreate measures what creating a provider costs a test, key
// included, under two demands: back-to-back (a table of providers, a loop)
// and spaced (one every 100 ms, as tests that each make a provider with
// other work in between; the pause is not timed). The spaced case needs a
// fixed count: -benchtime 20x.
func BenchmarkCreate(b *testing.B) {
	for _, k := range providerKinds {
		b.Run(k.name+"/back-to-back", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				k.make()
			}
		})
		b.Run(k.name+"/spaced-100ms", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				time.Sleep(100 * time.Millisecond)
				b.StartTimer()
				k.make()
			}
		})
	}
}

// BenchmarkFirstProvider measures the first RSA provider of a process and
// what follows it: first-ms is its creation, bg-cpu-ms the CPU the process
// spends in the next 3 s (key making in the background), goroutines-left
// how many goroutines more than before remain after them. Run it alone in a
// fresh process: go test -run '^$' -bench FirstProvider -benchtime 1x.
func BenchmarkFirstProvider(b *testing.B) {
	if b.N != 1 {
		b.Skip("needs -benchtime 1x in a fresh process")
	}
	g0 := runtime.NumGoroutine()
	start := time.Now()
	NewOIDCIssuer(oidcTestURL)
	first := time.Since(start)
	b.StopTimer()
	cpu0 := processCPU()
	time.Sleep(3 * time.Second)
	b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000, "bg-cpu-ms")
	b.ReportMetric(float64(runtime.NumGoroutine()-g0), "goroutines-left")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
