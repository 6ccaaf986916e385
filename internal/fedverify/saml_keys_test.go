package fedverify_test

import (
	"crypto/rsa"
	"strings"
	"testing"

	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

func TestSubjectType(t *testing.T) {
	for _, tc := range []struct{ name, format, want string }{
		{"SAML2 persistent loses its prefix (behaviour §11.2)", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "persistent"},
		{"SAML2 transient loses its prefix", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient"},
		{"SAML1.1 emailAddress is returned unchanged", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"},
		{"custom format unchanged", "urn:example:custom", "urn:example:custom"},
	} {
		if got := fedverify.SubjectType(tc.format); got != tc.want {
			t.Errorf("%s: SubjectType(%q) = %q, want %q", tc.name, tc.format, got, tc.want)
		}
	}
}

func TestNameQualifier(t *testing.T) {
	// Expected values computed independently with
	// printf '%s' "<issuer><account>/<name>" | openssl sha1 -binary | base64.
	for _, tc := range []struct{ issuer, account, name, want string }{
		{"https://example.com/saml", "123456789012", "MySAMLIdP", "1uAJanUnBc2XeUkHURMht+xam2c="},
		{"http://www.okta.com/exk1a2b3c4d5e6f7g8h9", "123456789012", "Okta", "fupPtPmFXiSBxb+u58UVognCbG4="},
	} {
		got := fedverify.NameQualifier(tc.issuer, tc.account, tc.name)
		if got != tc.want || len(got) != 28 {
			t.Errorf("NameQualifier(%q, %q, %q) = %q, want %q (28 chars, behaviour §11.2)", tc.issuer, tc.account, tc.name, got, tc.want)
		}
	}
}

func TestSAMLConditionKeys(t *testing.T) {
	p, md := newTestIdP(t, testKey(0))
	a := basicAssertion()
	a.Attributes = map[string][]string{
		"urn:oid:2.5.4.3":                  {"Alice Smith"},
		"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": {"staff", "member"},
		"urn:oid:1.3.6.1.4.1.5923.1.1.1.3": {"ExampleOrg"},
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": {"alice@example.com"},
		"urn:oid:0.9.2342.19200300.100.1.3":                                  {"other@example.com"},
		"https://example.com/unmapped":                                       {"x"},
	}
	l, err := fedverify.VerifySAMLResponse(p.Assertion(a), checkAt(md, 0))
	if err != nil {
		t.Fatal(err)
	}
	got := l.ConditionKeys("123456789012", "Okta")
	want := map[string][]string{
		"saml:aud":      {"https://signin.aws.amazon.com/saml"}, // the Recipient (behaviour §12)
		"saml:iss":      {"http://www.okta.com/exk1fakests"},
		"saml:sub":      {"alice@example.com"},
		"saml:sub_type": {"persistent"},
		// printf '%s' "http://www.okta.com/exk1fakests123456789012/Okta" | openssl sha1 -binary | base64
		"saml:namequalifier":        {"2f9vy1ausxIHf6pvjtbOi2+YMIU="},
		"saml:doc":                  {"123456789012/Okta"},
		"saml:cn":                   {"Alice Smith"},
		"saml:edupersonaffiliation": {"staff", "member"},
		"saml:edupersonorgdn":       {"ExampleOrg"},
		// Two claims map to saml:mail; only the one whose Name sorts first counts.
		"saml:mail": {"alice@example.com"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for k := range got {
		if !strings.HasPrefix(k, "saml:") {
			t.Errorf("unexpected key %q", k)
		}
	}
}

func TestParseSAMLMetadata(t *testing.T) {
	p, _ := newTestIdP(t, testKey(0))
	md, err := fedverify.ParseSAMLMetadata(p.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	if md.EntityID != p.EntityID() || len(md.Certificates) != 1 || md.Certificates[0].PublicKey.(*rsa.PublicKey).N.Cmp(p.key.N) != 0 {
		t.Fatalf("metadata = %+v", md)
	}
	good := string(p.Metadata())
	// The refusals are fakests' texts: an administration input, not STS's.
	for _, tc := range []struct{ name, doc, want string }{
		{"empty document", "", "saml metadata: xml rejected: exactly one root element is required"},
		{"not XML", "hello", "saml metadata: xml rejected: text outside the root element"},
		{"wrong root element", `<x xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a"/>`, "saml metadata: root element is not md:EntityDescriptor"},
		{"no entityID", strings.Replace(good, `entityID=`, `other=`, 1), "saml metadata: EntityDescriptor has no entityID"},
		{"no IDPSSODescriptor", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a"/>`, "saml metadata: no IDPSSODescriptor"},
		{"no signing certificate", strings.Replace(good, `use="signing"`, `use="encryption"`, 1), "saml metadata: no signing certificate"},
		{"corrupt certificate", strings.Replace(good, "<ds:X509Certificate>", "<ds:X509Certificate>AAAA", 1), "saml metadata: X509Certificate: x509: malformed certificate"},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY e "e">]>` + good[strings.Index(good, "<md:"):], "saml metadata: xml rejected: DOCTYPE and other directives are not allowed"},
		{"oversized", good + strings.Repeat(" ", 1<<20), "saml metadata: document larger than 1048576 bytes"},
	} {
		md, err := fedverify.ParseSAMLMetadata([]byte(tc.doc))
		if err == nil || err.Error() != tc.want || md != nil {
			t.Errorf("%s: ParseSAMLMetadata = %+v, %v; want nil, %q", tc.name, md, err, tc.want)
		}
	}
}
