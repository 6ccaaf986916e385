package fedverify_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

// Expected rejections, spelled out literally so a typo in a constant of the
// code under test cannot hide.
var (
	errSig       = verr("InvalidIdentityToken", "Response signature invalid")
	errMalformed = verr("InvalidIdentityToken", "Invalid SAML response: the SAMLAssertion is not a well-formed base64-encoded SAML 2.0 Response")
)

// editDoc parses raw, applies edit and serialises the result.
func editDoc(t *testing.T, raw []byte, edit func(resp, assertion *etree.Element)) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	resp := doc.Root()
	edit(resp, resp.SelectElement("Assertion"))
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// resign strips the Assertion's signature, applies edit to the assertion and
// signs it again with p: a response the IdP itself could have minted, used to
// pin the rules on signed content.
func resign(t *testing.T, p *testIdP, raw []byte, edit func(assertion *etree.Element)) string {
	t.Helper()
	return b64(editDoc(t, raw, func(_, as *etree.Element) {
		as.RemoveChild(as.SelectElement("Signature"))
		edit(as)
		p.sign(as)
	}))
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// evilAssertion returns a copy of as with a new ID, the NameID and session
// name changed to admin, and no signature.
func evilAssertion(as *etree.Element) *etree.Element {
	e := as.Copy()
	e.RemoveChild(e.SelectElement("Signature"))
	e.RemoveAttr("ID")
	e.CreateAttr("ID", "_evil")
	e.FindElement("./Subject/NameID").SetText("admin")
	return e
}

func TestSAMLAttacks(t *testing.T) {
	p, md := newTestIdP(t, testKey(0))
	pResp, mdResp := newTestIdP(t, testKey(1), federation.WithSignResponse(true), federation.WithSignAssertion(false))
	foreign, _ := newTestIdP(t, testKey(2)) // same entity ID, different key
	unsigned, mdUnsigned := newTestIdP(t, testKey(3), federation.WithSignAssertion(false))
	signed := p.Response(basicAssertion())

	type row struct {
		name string // the attack, and what AWS (and any safe SP) does with it
		b64  string
		md   *fedverify.SAMLMetadata
		want *apierror.Error
	}
	rows := []row{
		{"XSW: evil unsigned assertion inserted before the signed one (two Assertions)", b64(editDoc(t, signed, func(r, as *etree.Element) {
			r.InsertChildAt(as.Index(), evilAssertion(as))
		})), md, errMalformed},
		{"XSW: evil unsigned assertion inserted after the signed one", b64(editDoc(t, signed, func(r, as *etree.Element) {
			r.AddChild(evilAssertion(as))
		})), md, errMalformed},
		{"XSW: signed assertion wrapped inside the evil assertion", b64(editDoc(t, signed, func(r, as *etree.Element) {
			e := evilAssertion(as)
			r.RemoveChild(as)
			e.AddChild(as)
			r.AddChild(e)
		})), md, errMalformed},
		{"XSW: signed assertion moved into Response Extensions, evil one in its place", b64(editDoc(t, signed, func(r, as *etree.Element) {
			e := evilAssertion(as)
			r.RemoveChild(as)
			ext := r.CreateElement("samlp:Extensions")
			ext.AddChild(as)
			r.AddChild(e)
		})), md, errMalformed},
		{"XSW: signed assertion hidden in the evil assertion's Signature/Object, signature copied", b64(editDoc(t, signed, func(r, as *etree.Element) {
			e := evilAssertion(as)
			sig := as.SelectElement("Signature").Copy()
			obj := sig.CreateElement("ds:Object")
			r.RemoveChild(as)
			obj.AddChild(as)
			e.InsertChildAt(1, sig)
			r.AddChild(e)
		})), md, errMalformed},
		{"XSW: evil assertion takes the signed one's ID and signature (digest mismatch)", b64(editDoc(t, signed, func(r, as *etree.Element) {
			e := evilAssertion(as)
			e.RemoveAttr("ID")
			e.CreateAttr("ID", as.SelectAttrValue("ID", ""))
			e.InsertChildAt(1, as.SelectElement("Signature").Copy())
			r.RemoveChild(as)
			r.AddChild(e)
		})), md, errSig},
		{"XSW on a signed Response: evil Response wraps the signed one in Extensions", b64(editDoc(t, pResp.Response(basicAssertion()), func(r, as *etree.Element) {
			orig := r.Copy()
			r.RemoveChild(r.SelectElement("Signature"))
			r.RemoveAttr("ID")
			r.CreateAttr("ID", "_evilresp")
			as.FindElement("./Subject/NameID").SetText("admin")
			r.CreateElement("samlp:Extensions").AddChild(orig)
		})), mdResp, errMalformed},
		{"signature over a sibling: the assertion's signature moved up to the Response, assertion edited", b64(editDoc(t, signed, func(r, as *etree.Element) {
			sig := as.SelectElement("Signature")
			as.RemoveChild(sig)
			r.InsertChildAt(1, sig)
			as.FindElement("./Subject/NameID").SetText("admin")
		})), md, errSig},
		{"signature over a sibling: Response signature referencing a signed Extensions element", b64(editDoc(t, signed, func(r, as *etree.Element) {
			ext := r.CreateElement("samlp:Extensions")
			ext.CreateAttr("xmlns:samlp", fedverify.NSSAMLProtocol)
			ext.CreateAttr("ID", "_ext")
			p.sign(ext)
			sig := ext.SelectElement("Signature")
			ext.RemoveChild(sig)
			r.InsertChildAt(1, sig)
			as.RemoveChild(as.SelectElement("Signature"))
			as.FindElement("./Subject/NameID").SetText("admin")
		})), md, errSig},
		{"two signed Assertion elements from the trusted IdP", b64(editDoc(t, signed, func(r, as *etree.Element) {
			other := p.Response(federation.SAMLAssertion{NameID: "bob", Roles: basicAssertion().Roles, SessionName: "bob"})
			d := etree.NewDocument()
			if err := d.ReadFromBytes(other); err != nil {
				t.Fatal(err)
			}
			r.AddChild(d.Root().SelectElement("Assertion"))
		})), md, errMalformed},
		{"comment injected into a signed NameID changes its text (alice → alice.evil)", b64(editDoc(t, signed, func(_, as *etree.Element) {
			nid := as.FindElement("./Subject/NameID")
			nid.CreateComment("")
			nid.CreateText(".evil")
		})), md, errSig},
		{"tampered attribute value in a signed assertion", b64(editDoc(t, signed, func(_, as *etree.Element) {
			as.FindElement("./AttributeStatement/Attribute/AttributeValue").SetText("arn:aws:iam::123456789012:role/Admin," + testProviderARN)
		})), md, errSig},
		{"signature removed from a signed assertion", b64(editDoc(t, signed, func(_, as *etree.Element) {
			as.RemoveChild(as.SelectElement("Signature"))
		})), md, errSig},
		{"unsigned Response containing an unsigned Assertion", unsigned.Assertion(basicAssertion()), mdUnsigned, errSig},
		{"assertion re-signed with a foreign key (another SAMLIdP instance)", resign(t, foreign, signed, func(as *etree.Element) {
			as.FindElement("./Subject/NameID").SetText("admin")
		}), md, errSig},
		{"verified against the metadata of another IdP instance", p.Assertion(basicAssertion()), mdUnsigned, errSig},
		{"foreign certificate swapped into KeyInfo of the original signature", b64(editDoc(t, signed, func(_, as *etree.Element) {
			as.FindElement("./Signature/KeyInfo/X509Data/X509Certificate").SetText(base64.StdEncoding.EncodeToString(foreign.cert()))
		})), md, errSig},
		{"DOCTYPE with an external entity (XXE)", b64([]byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			strings.Replace(string(signed), "alice@example.com</saml:NameID>", "&xxe;</saml:NameID>", 1))), md, errMalformed},
		{"billion laughs (nested internal entities)", b64([]byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><samlp:Response xmlns:samlp="` + fedverify.NSSAMLProtocol + `">&lol3;</samlp:Response>`)), md, errMalformed},
		{"undeclared entity reference without DOCTYPE", b64([]byte(strings.Replace(string(signed), "alice@example.com</saml:NameID>", "&ent;</saml:NameID>", 1))), md, errMalformed},
		{"processing instruction inside the document", b64([]byte(strings.Replace(string(signed), "<saml:Subject>", "<?evil x?><saml:Subject>", 1))), md, errMalformed},
		{"deep nesting (5000 levels inside an AttributeValue)", b64([]byte(strings.Replace(string(signed), "<saml:Subject>",
			"<saml:Subject>"+strings.Repeat("<a>", 5000)+strings.Repeat("</a>", 5000), 1))), md, errMalformed},
		{"huge attribute list on one element", b64([]byte(strings.Replace(string(signed), "<saml:Subject>", "<saml:Subject"+manyAttrs(1000)+">", 1))), md, errMalformed},
		{"duplicate ID attributes on the assertion", b64([]byte(strings.Replace(string(signed), "<saml:Assertion ", `<saml:Assertion ID="_dup" `, 1))), md, errMalformed},
		{"oversized input (over 100000 base64 characters, behaviour §4)", strings.Repeat("A", 100004), md,
			verr("InvalidIdentityToken", "Invalid SAML response: the SAMLAssertion is longer than 100000 characters")},
		{"not base64", "!!!not base64!!!", md, errMalformed},
		{"base64 of something that is not XML", b64([]byte("hello, world")), md, errMalformed},
		{"well-formed XML that is not a samlp:Response", b64([]byte(`<foo xmlns="urn:x"/>`)), md, errMalformed},
		{"encrypted assertion (unsupported)", b64([]byte(`<samlp:Response xmlns:samlp="` + fedverify.NSSAMLProtocol + `" xmlns:saml="` + fedverify.NSSAMLAssertion + `"><saml:EncryptedAssertion/></samlp:Response>`)), md,
			verr("InvalidIdentityToken", "Invalid SAML response: encrypted assertions are not supported")},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got, err := fedverify.VerifySAMLResponse(r.b64, fedverify.SAMLCheck{Metadata: r.md, Now: samlT0})
			if err == nil {
				t.Fatalf("attack verified: %+v", got)
			}
			if d := cmp.Diff(r.want, verifyErr(t, err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestSAMLCommentInNameID pins the comment-truncation defence: an IdP signs
// "alice.evil"; the attacker inserts a comment ("alice<!---->.evil"). The
// signature still verifies (canonical XML without comments drops it), and
// the verified NameID is the whole signed text "alice.evil", never "alice".
func TestSAMLCommentInNameID(t *testing.T) {
	p, md := newTestIdP(t, testKey(0))
	a := basicAssertion()
	a.NameID = "alice.evil"
	raw := editDoc(t, p.Response(a), func(_, as *etree.Element) {
		nid := as.FindElement("./Subject/NameID")
		nid.SetText("alice")
		nid.CreateComment("")
		nid.CreateText(".evil")
	})
	if !strings.Contains(string(raw), "alice<!---->.evil") {
		t.Fatalf("test did not build the comment: %s", raw)
	}
	got, err := fedverify.VerifySAMLResponse(b64(raw), checkAt(md, 0))
	if err != nil {
		t.Fatalf("VerifySAMLResponse: %v", err)
	}
	if got.NameID != "alice.evil" {
		t.Errorf("NameID = %q, want the full signed value %q", got.NameID, "alice.evil")
	}
}

func manyAttrs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(` a`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(`="1"`)
	}
	return b.String()
}

// TestSAMLRules pins the checks on signed content: each response is minted
// (or re-signed) by the trusted IdP, so only the rule under test fails.
func TestSAMLRules(t *testing.T) {
	p, md := newTestIdP(t, testKey(0))
	base := basicAssertion()
	mint := func(edit func(*federation.SAMLAssertion)) string {
		a := base
		edit(&a)
		return p.Assertion(a)
	}
	signed := p.Response(base)
	inv := func(msg string) *apierror.Error { return verr("InvalidIdentityToken", msg) }
	denied := verr("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")
	otherMD := *md
	otherMD.EntityID = "https://idp.other.example/saml"

	rows := []struct {
		name string
		b64  string
		md   *fedverify.SAMLMetadata
		now  time.Duration
		want *apierror.Error
	}{
		{"Issuer must match the provider metadata (behaviour §11.2)", mint(func(*federation.SAMLAssertion) {}), &otherMD, 0,
			inv("Issuer not present in specified provider")},
		{"NotOnOrAfter passed → ExpiredTokenException (behaviour §11.2)", mint(func(*federation.SAMLAssertion) {}), md, 5 * time.Minute,
			verr("ExpiredTokenException", "Response has expired")},
		{"NotBefore in the future is rejected (own wording)", mint(func(a *federation.SAMLAssertion) { a.NotBefore = samlT0.Add(time.Minute) }), md, 0,
			inv("Invalid SAML response: the assertion is not yet valid: NotBefore 2026-03-01T12:01:00Z is after the current time 2026-03-01T12:00:00Z")},
		{"Audience must be an AWS audience (behaviour §11.2)", mint(func(a *federation.SAMLAssertion) { a.Audience = "https://evil.example/saml" }), md, 0,
			inv("Response does not contain the required audience.")},
		{"no AudienceRestriction at all", resign(t, p, signed, func(as *etree.Element) {
			c := as.SelectElement("Conditions")
			c.RemoveChild(c.SelectElement("AudienceRestriction"))
		}), md, 0, inv("Response does not contain the required audience.")},
		{"Recipient must be an AWS sign-in endpoint (behaviour §11.2)", mint(func(a *federation.SAMLAssertion) { a.Recipient = "https://evil.example/acs" }), md, 0,
			inv("Invalid SAML response: the SubjectConfirmationData Recipient is not an AWS sign-in SAML endpoint")},
		{"exactly one SubjectConfirmation (behaviour §11.2)", resign(t, p, signed, func(as *etree.Element) {
			s := as.SelectElement("Subject")
			s.AddChild(s.SelectElement("SubjectConfirmation").Copy())
		}), md, 0, inv("Invalid SAML response: the Subject must contain exactly one SubjectConfirmation whose SubjectConfirmationData has NotOnOrAfter and Recipient")},
		{"SubjectConfirmationData without Recipient", resign(t, p, signed, func(as *etree.Element) {
			as.FindElement("./Subject/SubjectConfirmation/SubjectConfirmationData").RemoveAttr("Recipient")
		}), md, 0, inv("Invalid SAML response: the Subject must contain exactly one SubjectConfirmation whose SubjectConfirmationData has NotOnOrAfter and Recipient")},
		{"missing NameID → AccessDenied (behaviour §11.2)", mint(func(a *federation.SAMLAssertion) { a.NameID = "" }), md, 0, denied},
		{"no Role attribute → AccessDenied (choice)", mint(func(a *federation.SAMLAssertion) { a.Roles = nil }), md, 0, denied},
		{"Role value that is not a role/provider pair is ignored", mint(func(a *federation.SAMLAssertion) { a.Roles = []string{testRoleARN} }), md, 0, denied},
		{"RoleSessionName missing (behaviour §11.2)", mint(func(a *federation.SAMLAssertion) { a.SessionName = "" }), md, 0,
			inv("RoleSessionName is required in AuthnResponse")},
		{"RoleSessionName with a space (behaviour §11.2)", mint(func(a *federation.SAMLAssertion) { a.SessionName = "John Doe" }), md, 0,
			inv("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")},
		{"RoleSessionName of one character", mint(func(a *federation.SAMLAssertion) { a.SessionName = "x" }), md, 0,
			inv("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")},
		{"SourceIdentity with a colon (behaviour §8)", mint(func(a *federation.SAMLAssertion) { a.SourceIdentity = "aws:alice" }), md, 0,
			inv(`Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`)},
		{"SourceIdentity of 65 characters (behaviour §8)", mint(func(a *federation.SAMLAssertion) { a.SourceIdentity = strings.Repeat("s", 65) }), md, 0,
			inv(`Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`)},
		{"SessionDuration outside 900–43200 (own wording)", mint(func(a *federation.SAMLAssertion) { a.SessionDuration = 600 }), md, 0,
			inv("SessionDuration in AuthnResponse must be an integer between 900 and 43200")},
		{"multi-valued PrincipalTag (behaviour §7: one value per key)", mint(func(a *federation.SAMLAssertion) {
			a.Attributes = map[string][]string{fedverify.SAMLAttrPrincipalTag + "Dept": {"a", "b"}}
		}), md, 0, inv("PrincipalTag attributes in AuthnResponse must have a key and exactly one AttributeValue")},
		{"Response status other than Success", b64(editDoc(t, signed, func(r, _ *etree.Element) {
			r.FindElement("./Status/StatusCode").SelectAttr("Value").Value = "urn:oasis:names:tc:SAML:2.0:status:Requester"
		})), md, 0, inv("Invalid SAML response: the Response status is not Success")},
		{"Response Issuer differing from the Assertion Issuer", b64(editDoc(t, signed, func(r, _ *etree.Element) {
			r.SelectElement("Issuer").SetText("https://evil.example")
		})), md, 0, inv("Issuer not present in specified provider")},
		{"certificate not valid at the engine clock", mint(func(a *federation.SAMLAssertion) { a.NotOnOrAfter = samlT0.AddDate(30, 0, 0) }), md, 21 * 365 * 24 * time.Hour, errSig},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got, err := fedverify.VerifySAMLResponse(r.b64, fedverify.SAMLCheck{Metadata: r.md, Now: samlT0.Add(r.now)})
			if err == nil {
				t.Fatalf("verified: %+v", got)
			}
			if d := cmp.Diff(r.want, verifyErr(t, err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSAMLAcceptedEndpoints(t *testing.T) {
	p, md := newTestIdP(t, testKey(0))
	for _, tc := range []struct{ recipient, audience string }{
		{"https://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml"},
		{"https://us-east-2.signin.aws.amazon.com/saml", "urn:amazon:webservices"},
		{"https://signin.aws.amazon.com/static/saml", "https://ap-southeast-2.signin.aws.amazon.com/saml"},
		{"https://eu-central-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46", "https://signin.aws.amazon.com/saml"},
	} {
		a := basicAssertion()
		a.Recipient, a.Audience = tc.recipient, tc.audience
		got, err := fedverify.VerifySAMLResponse(p.Assertion(a), checkAt(md, 0))
		if err != nil {
			t.Errorf("%s / %s: %v", tc.recipient, tc.audience, err)
			continue
		}
		if got.Recipient != tc.recipient {
			t.Errorf("Recipient = %q, want %q", got.Recipient, tc.recipient)
		}
	}
}
