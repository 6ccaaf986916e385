package fakests

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/federation"
)

// BenchmarkAssumeRoleWithSAML measures a full AssumeRoleWithSAML with an
// Assertion-signed response (RSA-SHA256, exclusive c14n, the common IdP
// shape) and a trust policy with a saml:aud condition: adapter through a
// real unsigned *sts.Client routed by Config, typed by the engine's method.
// Every call verifies the XML signature and issues a session. Compare with
// BenchmarkAssumeRole/floor (target: ≤ 10× the floor):
//
//	go test -run '^$' -bench 'AssumeRoleWithSAML|AssumeRole$' -benchmem .
func BenchmarkAssumeRoleWithSAML(b *testing.B) {
	for _, name := range []string{"adapter", "typed"} {
		b.Run(name, func(b *testing.B) {
			e := New()
			idp := federation.NewSAMLIdP("http://www.okta.com/exkbench")
			prov, err := e.CreateSAMLProvider(SAMLProviderSpec{Name: "Okta", Metadata: idp.Metadata()})
			if err != nil {
				b.Fatal(err)
			}
			r := mustRole(b, e, RoleSpec{Name: "SAMLBench", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
				`"Principal":{"Federated":"` + prov + `"},"Action":"sts:AssumeRoleWithSAML",` +
				`"Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml"}}}]}`})
			in := &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(r.ARN), PrincipalArn: aws.String(prov),
				SAMLAssertion: aws.String(idp.Assertion(federation.SAMLAssertion{NameID: "jane@example.com",
					SessionName: "jane", Roles: []string{r.ARN + "," + prov}, NotOnOrAfter: time.Now().Add(time.Hour)}))}
			var api stsAPI = e
			if name == "adapter" {
				api = newClient(e, aws.Credentials{})
			}
			waitKeyPoolFull(b)
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				out, err := api.AssumeRoleWithSAML(ctx, in)
				if err != nil {
					b.Fatal(err)
				}
				if out.Credentials == nil {
					b.Fatal("AssumeRoleWithSAML returned no credentials")
				}
			}
		})
	}
}

// waitKeyPoolFull waits (up to a minute) until the federation package's
// background RSA generator, started by the first NewSAMLIdP, has filled its
// pool and blocks on a channel send, so that it does not share the CPU with
// the code being measured. The pool is internal to that package, so its
// goroutine's state is read from the goroutine dump.
func waitKeyPoolFull(b *testing.B) {
	b.Helper()
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n := runtime.Stack(buf, true)
		for g := range strings.SplitSeq(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "federation.startRSAPool") && strings.Contains(g, "[chan send") {
				b.ResetTimer()
				return
			}
		}
	}
	b.ResetTimer()
}
