package fedverify_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"testing"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/fedverify"
)

// newFuzzIdP returns an IdP signing with the committed key in
// testdata/saml_fuzz_key.pem, and its metadata. Fuzz workers run with
// coverage instrumentation, under which generating an RSA key takes minutes;
// a fixed key keeps every worker responsive.
func newFuzzIdP(f *testing.F) (*testIdP, *fedverify.SAMLMetadata) {
	return newTestIdP(f, fixedKey(f))
}

// fixedKey returns the committed key in testdata/saml_fuzz_key.pem.
func fixedKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	pemBytes, err := os.ReadFile("testdata/saml_fuzz_key.pem")
	if err != nil {
		tb.Fatal(err)
	}
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		tb.Fatal("testdata/saml_fuzz_key.pem holds no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

// samlFuzzSeeds are hand-written hostile or odd documents; the committed
// corpus in testdata/fuzz/FuzzVerifySAMLResponse holds more.
var samlFuzzSeeds = []string{
	``,
	`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`,
	`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion ID="_a"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></saml:Assertion></samlp:Response>`,
	`<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><r/>`,
	`<a><b><c><d><e><f><g><h><i><j></j></i></h></g></f></e></d></c></b></a>`,
}

// FuzzVerifySAMLResponse feeds arbitrary bytes, as raw XML (base64-encoded
// for the call) and as the SAMLAssertion string itself, to the verifier: it
// must never panic, and every rejection must be a *apierror.Error with a code
// and a message.
func FuzzVerifySAMLResponse(f *testing.F) {
	p, md := newFuzzIdP(f)
	f.Add(p.Response(basicAssertion()))
	full := basicAssertion()
	full.PrincipalTags = map[string]string{"k": "v"}
	full.SourceIdentity = "src"
	full.SessionDuration = 1800
	f.Add(p.Response(full))
	for _, s := range samlFuzzSeeds {
		f.Add([]byte(s))
	}
	c := checkAt(md, 0)
	check := func(t *testing.T, in string) {
		l, err := fedverify.VerifySAMLResponse(in, c)
		if err == nil {
			if l == nil || l.Issuer != md.EntityID || l.RoleSessionName == "" || len(l.Roles) == 0 {
				t.Fatalf("verified login is incomplete: %+v", l)
			}
			return
		}
		var ve *apierror.Error
		if !errors.As(err, &ve) || ve.Code == "" || ve.Message == "" {
			t.Fatalf("error %v (%T) is not a complete *apierror.Error", err, err)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		check(t, base64.StdEncoding.EncodeToString(doc))
		check(t, string(doc))
	})
}

// FuzzVerifySAMLMetadata feeds arbitrary bytes to ParseSAMLMetadata, which
// must never panic and must return metadata with an entity ID and at least
// one certificate whenever it succeeds.
func FuzzVerifySAMLMetadata(f *testing.F) {
	p, _ := newFuzzIdP(f)
	f.Add(p.Metadata())
	for _, s := range samlFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		md, err := fedverify.ParseSAMLMetadata(doc)
		if err == nil && (md.EntityID == "" || len(md.Certificates) == 0) {
			t.Fatalf("incomplete metadata accepted: %+v", md)
		}
	})
}
