package federation

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

// samlT0 is the fixed instant the SAML tests mint and verify at.
var samlT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	testRoleARN     = "arn:aws:iam::123456789012:role/Okta-Admin"
	testProviderARN = "arn:aws:iam::123456789012:saml-provider/Okta"
)

// newTestIdP returns an IdP on the fixed clock and its parsed metadata.
func newTestIdP(t testing.TB, opts ...SAMLOption) (*SAMLIdP, *fedverify.SAMLMetadata) {
	t.Helper()
	opts = append([]SAMLOption{WithSAMLClock(func() time.Time { return samlT0 })}, opts...)
	p := NewSAMLIdP("http://www.okta.com/exk1fakests", opts...)
	md, err := fedverify.ParseSAMLMetadata(p.Metadata())
	if err != nil {
		t.Fatalf("ParseSAMLMetadata(own metadata): %v", err)
	}
	return p, md
}

// basicAssertion is a minimal valid login.
func basicAssertion() SAMLAssertion {
	return SAMLAssertion{
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

func TestSAMLRoundTripAllFields(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []SAMLOption
	}{
		{"assertion signed (default)", nil},
		{"response signed only", []SAMLOption{WithSignResponse(true), WithSignAssertion(false)}},
		{"both signed", []SAMLOption{WithSignResponse(true)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, md := newTestIdP(t, tc.opts...)
			a := SAMLAssertion{
				NameID:              "alice.smith",
				NameIDFormat:        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
				Roles:               []string{testProviderARN + "," + testRoleARN, "arn:aws:iam::123456789012:role/RO, " + testProviderARN},
				SessionName:         "alice.smith@example.com",
				SessionDuration:     1800,
				SourceIdentity:      "alice",
				PrincipalTags:       map[string]string{"Project": "Unicorn", "CostCenter": "12345"},
				TransitiveTagKeys:   []string{"Project"},
				Attributes:          map[string][]string{"urn:oid:0.9.2342.19200300.100.1.3": {"alice@example.com"}, "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": {"staff", "member"}},
				Recipient:           "https://eu-west-1.signin.aws.amazon.com/saml",
				Audience:            "urn:amazon:webservices",
				NotBefore:           samlT0.Add(-time.Minute),
				NotOnOrAfter:        samlT0.Add(10 * time.Minute),
				SessionNotOnOrAfter: samlT0.Add(8 * time.Hour),
			}
			got, err := fedverify.VerifySAMLResponse(q.Assertion(a), checkAt(md, time.Minute))
			if err != nil {
				t.Fatalf("VerifySAMLResponse: %v", err)
			}
			want := &fedverify.SAMLLogin{
				Issuer:              "http://www.okta.com/exk1fakests",
				NameID:              "alice.smith",
				NameIDFormat:        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
				Recipient:           "https://eu-west-1.signin.aws.amazon.com/saml",
				Audiences:           []string{"urn:amazon:webservices"},
				NotOnOrAfter:        samlT0.Add(10 * time.Minute),
				SessionNotOnOrAfter: samlT0.Add(8 * time.Hour),
				Roles:               [][2]string{{testRoleARN, testProviderARN}, {"arn:aws:iam::123456789012:role/RO", testProviderARN}},
				RoleSessionName:     "alice.smith@example.com",
				SessionDuration:     1800,
				SourceIdentity:      "alice",
				PrincipalTags:       map[string]string{"Project": "Unicorn", "CostCenter": "12345"},
				TransitiveTagKeys:   []string{"Project"},
				Attributes: map[string][]string{
					// AWS's attribute names (behaviour §11.2), typed out.
					"https://aws.amazon.com/SAML/Attributes/Role":                    {testProviderARN + "," + testRoleARN, "arn:aws:iam::123456789012:role/RO, " + testProviderARN},
					"https://aws.amazon.com/SAML/Attributes/RoleSessionName":         {"alice.smith@example.com"},
					"https://aws.amazon.com/SAML/Attributes/SessionDuration":         {"1800"},
					"https://aws.amazon.com/SAML/Attributes/SourceIdentity":          {"alice"},
					"https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project":    {"Unicorn"},
					"https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter": {"12345"},
					"https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys":       {"Project"},
					"urn:oid:0.9.2342.19200300.100.1.3":                              {"alice@example.com"},
					"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":                               {"staff", "member"},
				},
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("login mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestSAMLDefaults(t *testing.T) {
	p, md := newTestIdP(t)
	raw := string(p.Response(basicAssertion()))
	for _, want := range []string{
		`Recipient="https://signin.aws.amazon.com/saml"`,
		`<saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience>`,
		`Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"`,
		`NotBefore="2026-03-01T12:00:00.000Z"`,
		`NotOnOrAfter="2026-03-01T12:05:00.000Z"`,
		`IssueInstant="2026-03-01T12:00:00.000Z"`,
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("response lacks %s", want)
		}
	}
	for _, absent := range []string{"SessionDuration", "SourceIdentity", "SessionNotOnOrAfter", "PrincipalTag"} {
		if strings.Contains(raw, absent) {
			t.Errorf("response mentions %s though it was not set", absent)
		}
	}
	got, err := fedverify.VerifySAMLResponse(p.Assertion(basicAssertion()), checkAt(md, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionDuration != 0 || got.SourceIdentity != "" || !got.SessionNotOnOrAfter.IsZero() || got.PrincipalTags != nil {
		t.Errorf("unset optional fields came back set: %+v", got)
	}
	// Assertion is the base64 of Response: equal once the random IDs and the
	// signature values they feed are masked.
	decoded, err := base64.StdEncoding.DecodeString(p.Assertion(basicAssertion()))
	if err != nil {
		t.Fatalf("Assertion is not base64: %v", err)
	}
	mask := regexp.MustCompile(`_[0-9a-f]{32}|<ds:(DigestValue|SignatureValue)>[^<]*</ds:`)
	if d := cmp.Diff(mask.ReplaceAllString(raw, "…"), mask.ReplaceAllString(string(decoded), "…")); d != "" {
		t.Errorf("Assertion is not the base64 of Response (-Response +decoded Assertion):\n%s", d)
	}
}

func TestSAMLIdPsHaveOwnKeys(t *testing.T) {
	p1, md1 := newTestIdP(t)
	_, md2 := newTestIdP(t)
	if md1.Certificates[0].Equal(md2.Certificates[0]) {
		t.Fatal("two IdP instances share a certificate (each instance has a key of its own)")
	}
	_, err := fedverify.VerifySAMLResponse(p1.Assertion(basicAssertion()), checkAt(md2, 0))
	if d := cmp.Diff(verr("InvalidIdentityToken", "Response signature invalid"), verifyErr(t, err)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestSAMLConcurrentUse(t *testing.T) {
	p, md := newTestIdP(t)
	done := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, err := fedverify.VerifySAMLResponse(p.Assertion(basicAssertion()), checkAt(md, 0))
			done <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestSAMLCertificateRolloverOptions checks WithCertificateRollover,
// AfterRollover and WithKeyInfo: the metadata lists both certificates, the
// current first; each IdP signs with its own key, with or without KeyInfo.
func TestSAMLCertificateRolloverOptions(t *testing.T) {
	p, md := newTestIdP(t, WithCertificateRollover(), WithKeyInfo(false))
	next := p.AfterRollover()
	if len(md.Certificates) != 2 {
		t.Fatalf("metadata lists %d certificates, want 2", len(md.Certificates))
	}
	if string(next.Metadata()) != string(p.Metadata()) {
		t.Error("AfterRollover changed the metadata")
	}
	for i, q := range []*SAMLIdP{p, next} {
		raw := q.Response(basicAssertion())
		if strings.Contains(string(raw), "KeyInfo") {
			t.Errorf("IdP %d: WithKeyInfo(false) minted a KeyInfo", i)
		}
		if !strings.Contains(string(raw), "SignatureValue") {
			t.Errorf("IdP %d: response is not signed", i)
		}
		// Against the metadata of certificate i alone, only IdP i verifies.
		for j := range md.Certificates {
			one := &fedverify.SAMLMetadata{EntityID: md.EntityID, Certificates: md.Certificates[j : j+1]}
			_, err := fedverify.VerifySAMLResponse(q.Assertion(basicAssertion()), checkAt(one, 0))
			if (err == nil) != (i == j) {
				t.Errorf("IdP %d against certificate %d: err = %v", i, j, err)
			}
		}
	}
	withKI, _ := newTestIdP(t)
	if !strings.Contains(string(withKI.Response(basicAssertion())), "<ds:KeyInfo>") {
		t.Error("the default IdP signs without KeyInfo")
	}
	defer func() {
		if recover() == nil {
			t.Error("AfterRollover on an IdP without WithCertificateRollover did not panic")
		}
	}()
	withKI.AfterRollover()
}
