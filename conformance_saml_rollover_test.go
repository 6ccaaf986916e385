package fakests

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/fakests/fakests/federation"
)

// TestConformanceSAMLCertificateRollover pins behaviour §11.2: while an IdP
// rolls its signing certificate over, the provider's metadata lists two
// certificates, and a response signed by either key is accepted, also when
// its signature carries no KeyInfo naming the certificate. A key in neither
// is still `Response signature invalid`.
func TestConformanceSAMLCertificateRollover(t *testing.T) {
	clock := federation.WithSAMLClock(func() time.Time { return testEpoch })
	idp := federation.NewSAMLIdP(oktaEntityID, clock, federation.WithCertificateRollover(), federation.WithKeyInfo(false))
	foreign := federation.NewSAMLIdP(oktaEntityID, clock, federation.WithKeyInfo(false))
	jane := federation.SAMLAssertion{NameID: "jane@example.com", SessionName: "jane"}
	for _, tc := range []struct {
		name string
		idp  *federation.SAMLIdP
		want *wantErr
	}{
		{"signed by the current key", idp, nil},
		{"signed by the next key", idp.AfterRollover(), nil},
		{"signed by a key of another IdP with the same entity ID", foreign, &wantErr{"InvalidIdentityToken", "Response signature invalid", 400}},
	} {
		for _, p := range paths(nil) {
			t.Run(tc.name+"/"+p.name, func(t *testing.T) {
				e, _ := newTestEngine(t)
				arn, err := e.CreateSAMLProvider(SAMLProviderSpec{Name: samlProvName, Metadata: idp.Metadata()})
				if err != nil {
					t.Fatal(err)
				}
				role := mustRole(t, e, RoleSpec{Name: "Bare", TrustPolicy: trustSAML(`"sts:AssumeRoleWithSAML"`, `{}`)})
				a := jane
				a.Roles = []string{role.ARN + "," + arn}
				api, ctx := paths(e).byName(p.name).unsigned()
				out, err := api.AssumeRoleWithSAML(ctx, samlIn(role.ARN, tc.idp.Assertion(a)))
				checkErr(t, err, tc.want)
				if err == nil && aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::123456789012:assumed-role/Bare/jane" {
					t.Errorf("AssumedRoleUser.Arn = %s", aws.ToString(out.AssumedRoleUser.Arn))
				}
			})
		}
	}
}
