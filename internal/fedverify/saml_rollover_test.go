package fedverify_test

import (
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/internal/idpkey"
	"github.com/google/go-cmp/cmp"
)

// newRolloverIdP returns an IdP in the middle of a certificate rollover: its
// metadata lists the certificates of cur and next, and it signs with cur
// (AfterRollover signs with next).
func newRolloverIdP(t *testing.T, cur, next *rsa.PrivateKey, opts ...federation.SAMLOption) (*federation.SAMLIdP, *fedverify.SAMLMetadata) {
	t.Helper()
	idpkey.Queue(cur)
	idpkey.Queue(next)
	opts = append([]federation.SAMLOption{federation.WithSAMLClock(func() time.Time { return samlT0 }),
		federation.WithCertificateRollover()}, opts...)
	p := federation.NewSAMLIdP("http://www.okta.com/exk1fakests", opts...)
	md, err := fedverify.ParseSAMLMetadata(p.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Certificates) != 2 ||
		!md.Certificates[0].PublicKey.(*rsa.PublicKey).Equal(&cur.PublicKey) ||
		!md.Certificates[1].PublicKey.(*rsa.PublicKey).Equal(&next.PublicKey) {
		t.Fatalf("metadata does not list the current and the next certificate, in that order: %d certificates", len(md.Certificates))
	}
	return p, md
}

// TestSAMLCertificateRollover pins behaviour §11.2: during a certificate
// rollover the provider's metadata lists two signing certificates, and a
// response signed by either key verifies, whether or not its signature
// carries a KeyInfo. goxmldsig alone uses the only trusted certificate when
// a signature has no KeyInfo and gives up when there are several, which
// rejected every such response.
func TestSAMLCertificateRollover(t *testing.T) {
	noKI, md := newRolloverIdP(t, testKey(0), testKey(1), federation.WithKeyInfo(false))
	withKI, mdKI := newRolloverIdP(t, testKey(0), testKey(1))
	respNoKI, mdResp := newRolloverIdP(t, testKey(0), testKey(1), federation.WithKeyInfo(false),
		federation.WithSignResponse(true), federation.WithSignAssertion(false))
	bothNoKI, mdBoth := newRolloverIdP(t, testKey(0), testKey(1), federation.WithKeyInfo(false),
		federation.WithSignResponse(true))
	foreign, _ := newTestIdP(t, testKey(2), federation.WithKeyInfo(false))
	foreignKI, _ := newTestIdP(t, testKey(2))
	// Metadata of the first key alone: a response by the second does not verify.
	oneCert := &fedverify.SAMLMetadata{EntityID: md.EntityID, Certificates: md.Certificates[:1]}

	for _, raw := range [][]byte{noKI.Response(basicAssertion()), respNoKI.AfterRollover().Response(basicAssertion())} {
		if strings.Contains(string(raw), "KeyInfo") {
			t.Fatal("WithKeyInfo(false) minted a signature with a KeyInfo")
		}
	}

	for _, tc := range []struct {
		name string
		idp  *federation.SAMLIdP
		md   *fedverify.SAMLMetadata
		want *apierror.Error // nil: verifies
	}{
		{"assertion signed by the current key, no KeyInfo", noKI, md, nil},
		{"assertion signed by the next key, no KeyInfo", noKI.AfterRollover(), md, nil},
		{"response signed by the current key, no KeyInfo", respNoKI, mdResp, nil},
		{"response signed by the next key, no KeyInfo", respNoKI.AfterRollover(), mdResp, nil},
		{"response and assertion signed by the next key, no KeyInfo", bothNoKI.AfterRollover(), mdBoth, nil},
		{"assertion signed by the current key, with KeyInfo", withKI, mdKI, nil},
		{"assertion signed by the next key, with KeyInfo", withKI.AfterRollover(), mdKI, nil},
		{"signed by a key in neither certificate, no KeyInfo", foreign.SAMLIdP, md, errSig},
		{"signed by a key in neither certificate, with KeyInfo", foreignKI.SAMLIdP, md, errSig},
		{"next key, no KeyInfo, metadata listing only the current certificate", noKI.AfterRollover(), oneCert, errSig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			login, err := fedverify.VerifySAMLResponse(tc.idp.Assertion(basicAssertion()), checkAt(tc.md, 0))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("VerifySAMLResponse: %v", err)
				}
				if login.NameID != "alice@example.com" {
					t.Errorf("NameID = %q, want alice@example.com", login.NameID)
				}
				return
			}
			if diff := cmp.Diff(tc.want, verifyErr(t, err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
