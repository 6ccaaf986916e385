package fedverify_test

import (
	"crypto/rsa"
	"errors"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/internal/idpkey"
	dsig "github.com/russellhaering/goxmldsig"
)

// samlT0 is the fixed instant the SAML tests mint and verify at.
var samlT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	testRoleARN     = "arn:aws:iam::123456789012:role/Okta-Admin"
	testProviderARN = "arn:aws:iam::123456789012:saml-provider/Okta"
)

// testIdP is a federation.SAMLIdP whose key the test holds, so that it can
// sign edited documents as the IdP itself would.
type testIdP struct {
	*federation.SAMLIdP
	key     *rsa.PrivateKey
	certDER []byte // the certificate the IdP signs with and publishes
}

// newTestIdP returns an IdP on the fixed clock that signs with key (handed
// to it through internal/idpkey), and its parsed metadata.
func newTestIdP(t testing.TB, key *rsa.PrivateKey, opts ...federation.SAMLOption) (*testIdP, *fedverify.SAMLMetadata) {
	t.Helper()
	opts = append([]federation.SAMLOption{federation.WithSAMLClock(func() time.Time { return samlT0 })}, opts...)
	idpkey.Queue(key)
	p := federation.NewSAMLIdP("http://www.okta.com/exk1fakests", opts...)
	md, err := fedverify.ParseSAMLMetadata(p.Metadata())
	if err != nil {
		t.Fatalf("ParseSAMLMetadata(own metadata): %v", err)
	}
	if pub, ok := md.Certificates[0].PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		t.Fatal("the IdP does not sign with the queued key")
	}
	return &testIdP{SAMLIdP: p, key: key, certDER: md.Certificates[0].Raw}, md
}

// cert returns the IdP's DER certificate.
func (p *testIdP) cert() []byte { return p.certDER }

// sign adds an enveloped signature to el as the IdP signs (RSA-SHA256,
// exclusive canonicalisation, right after el's Issuer child).
func (p *testIdP) sign(el *etree.Element) {
	ctx, err := dsig.NewSigningContext(p.key, [][]byte{p.certDER})
	if err != nil {
		panic(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		panic(err)
	}
	at := 0
	for i, c := range el.Child {
		if ce, ok := c.(*etree.Element); ok && ce.Tag == "Issuer" {
			at = i + 1
			break
		}
	}
	el.InsertChildAt(at, sig)
}

// basicAssertion is a minimal valid login.
func basicAssertion() federation.SAMLAssertion {
	return federation.SAMLAssertion{
		NameID:      "alice@example.com",
		Roles:       []string{testRoleARN + "," + testProviderARN},
		SessionName: "alice@example.com",
	}
}

// checkAt verifies at samlT0 plus d.
func checkAt(md *fedverify.SAMLMetadata, d time.Duration) fedverify.SAMLCheck {
	return fedverify.SAMLCheck{Metadata: md, Now: samlT0.Add(d)}
}

// verifyErr returns the *apierror.Error of err, failing the test otherwise.
func verifyErr(t *testing.T, err error) *apierror.Error {
	t.Helper()
	var ve *apierror.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *apierror.Error", err, err)
	}
	return ve
}
