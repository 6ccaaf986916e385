package fedverify

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/fakests/fakests/apierror"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// samlMaxAssertion is the longest SAMLAssertion the STS model accepts
// (SAMLAssertionType, behaviour §4): 100,000 base64 characters.
const samlMaxAssertion = 100000

// SAMLCheck is what VerifySAMLResponse checks a response against.
type SAMLCheck struct {
	// Metadata is the SAML provider named by PrincipalArn.
	Metadata *SAMLMetadata
	// Now is the engine clock's reading; every time condition is judged on
	// it, and so is the validity period of the signing certificate.
	Now time.Time
}

// SAMLLogin is what a verified response asserts. Every field comes from the
// element that signature validation returned, never from the raw document.
type SAMLLogin struct {
	// Issuer is the Assertion's Issuer (equal to the metadata entityID).
	Issuer string
	// NameID and NameIDFormat are the Subject's NameID and its Format
	// (urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified when absent).
	NameID, NameIDFormat string
	// Recipient is SubjectConfirmationData/@Recipient: the response's
	// Audience and saml:aud (behaviour §11.2, §12).
	Recipient string
	// Audiences are the values of every AudienceRestriction/Audience.
	Audiences []string
	// NotOnOrAfter is SubjectConfirmationData/@NotOnOrAfter;
	// SessionNotOnOrAfter is the AuthnStatement attribute (zero when absent).
	NotOnOrAfter, SessionNotOnOrAfter time.Time
	// Roles are the (roleARN, providerARN) pairs of the Role attribute,
	// normalised so element 0 is the role ARN (AWS accepts either order).
	Roles [][2]string
	// RoleSessionName is the RoleSessionName attribute.
	RoleSessionName string
	// SessionDuration is the SessionDuration attribute; 0 when absent.
	SessionDuration int
	// SourceIdentity is the SourceIdentity attribute ("" when absent).
	SourceIdentity string
	// PrincipalTags are the PrincipalTag:<Key> attributes, key → value.
	PrincipalTags map[string]string
	// TransitiveTagKeys are the values of the TransitiveTagKeys attribute.
	TransitiveTagKeys []string
	// Attributes holds every attribute by its full Name, AWS ones included.
	// ConditionKeys maps them to saml:* keys.
	Attributes map[string][]string
}

// Error codes and messages of the SAML verifier. Those marked with a
// behaviour section are AWS's literal texts (behaviour §11.2, §8, §10); the
// others are this package's own wording, because no source shows what STS
// says in those cases (unverified).
const (
	samlCodeInvalid  = "InvalidIdentityToken"
	samlCodeExpired  = "ExpiredTokenException"
	samlCodeDenied   = "AccessDenied"
	samlMsgSignature = "Response signature invalid"                                                    // behaviour §11.2
	samlMsgIssuer    = "Issuer not present in specified provider"                                      // behaviour §11.2 (code unverified)
	samlMsgAudience  = "Response does not contain the required audience."                              // behaviour §11.2 (code unverified)
	samlMsgNoSession = "RoleSessionName is required in AuthnResponse"                                  // behaviour §11.2
	samlMsgSession   = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"          // behaviour §11.2
	samlMsgSourceID  = `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"` // behaviour §8
	samlMsgDenied    = "Not authorized to perform sts:AssumeRoleWithSAML"                              // behaviour §10
	samlMsgExpired   = "Response has expired"                                                          // behaviour §11.2 (reported)
	// samlMsgMalformed covers input that is not base64, not XML, refused by
	// the hostile-XML limits, or not a SAML 2.0 Response.
	samlMsgMalformed = "Invalid SAML response: the SAMLAssertion is not a well-formed base64-encoded SAML 2.0 Response"
	samlMsgTooLong   = "Invalid SAML response: the SAMLAssertion is longer than 100000 characters"
	samlMsgConfirm   = "Invalid SAML response: the Subject must contain exactly one SubjectConfirmation whose SubjectConfirmationData has NotOnOrAfter and Recipient"
	samlMsgRecipient = "Invalid SAML response: the SubjectConfirmationData Recipient is not an AWS sign-in SAML endpoint"
	samlMsgStatus    = "Invalid SAML response: the Response status is not Success"
	samlMsgEncrypted = "Invalid SAML response: encrypted assertions are not supported"
	samlMsgDuration  = "SessionDuration in AuthnResponse must be an integer between 900 and 43200"
	samlMsgTag       = "PrincipalTag attributes in AuthnResponse must have a key and exactly one AttributeValue"
)

// samlErr returns an *apierror.Error with the given code and message.
func samlErr(code, msg string) *apierror.Error { return apierror.New(code, msg) }

// VerifySAMLResponse verifies a base64 samlp:Response as AssumeRoleWithSAML
// does (behaviour §11.2) and returns what it asserts. Failures are *apierror.Error
// values whose Code is the STS error code (InvalidIdentityToken,
// ExpiredTokenException or AccessDenied) and whose Message is the wire text.
//
// Order of checks: size and base64; hostile-XML limits and SAML shape (one
// Response root with exactly one Assertion, which is its child); signature
// (Response-level or Assertion-level, by any certificate of c.Metadata, with
// a single Reference to the signed element's ID); Issuer; Status; time
// conditions on c.Now (no clock-skew allowance); audience; subject
// confirmation and Recipient; NameID; attributes.
func VerifySAMLResponse(b64 string, c SAMLCheck) (*SAMLLogin, error) {
	if len(b64) > samlMaxAssertion {
		return nil, samlErr(samlCodeInvalid, samlMsgTooLong)
	}
	raw, err := base64.StdEncoding.DecodeString(stripSpace(b64))
	if err != nil {
		return nil, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	doc, err := parseXML(raw)
	if err != nil {
		return nil, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	resp := doc.Root()
	if !isElem(resp, NSSAMLProtocol, "Response") {
		return nil, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	if countDescendants(resp, NSSAMLAssertion, "EncryptedAssertion") > 0 {
		return nil, samlErr(samlCodeInvalid, samlMsgEncrypted)
	}
	// Exactly one Assertion in the whole document, and it is a child of the
	// Response: this alone defeats the wrapping attacks that hide a second
	// (signed or evil) assertion in Extensions, Object, Advice or elsewhere.
	if countDescendants(resp, NSSAMLAssertion, "Assertion") != 1 {
		return nil, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	assertion, ok := childNamed(resp, NSSAMLAssertion, "Assertion")
	if !ok {
		return nil, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	if c.Metadata == nil || len(c.Metadata.Certificates) == 0 {
		return nil, samlErr(samlCodeInvalid, samlMsgSignature)
	}

	vresp, va, err := verifySAMLSignatures(resp, assertion, c.Metadata.Certificates, c.Now)
	if err != nil {
		return nil, err
	}
	if vresp == nil {
		// Only the Assertion is signed: the Response's own Issuer and Status
		// are unauthenticated, so they are only checked for consistency.
		vresp = resp
	}
	return readSAMLLogin(vresp, va, c)
}

// verifySAMLSignatures validates the Response's signature when it has one
// and the Assertion's when it has one; at least one must exist. It returns
// the verified Response (nil when only the Assertion is signed) and the
// verified Assertion: the elements rebuilt from exactly the bytes the
// signature covers.
func verifySAMLSignatures(resp, assertion *etree.Element, certs []*x509.Certificate, now time.Time) (*etree.Element, *etree.Element, error) {
	bad := samlErr(samlCodeInvalid, samlMsgSignature)
	respSigned := len(childrenNamed(resp, NSXMLDSig, "Signature")) > 0
	assertionSigned := len(childrenNamed(assertion, NSXMLDSig, "Signature")) > 0
	if !respSigned && !assertionSigned {
		return nil, nil, bad
	}
	var vresp *etree.Element
	if respSigned {
		v, err := validateEnveloped(resp, resp, certs, now)
		if err != nil {
			return nil, nil, bad
		}
		vresp = v
		// Continue from the verified copy: its Assertion is the signed one.
		if countDescendants(v, NSSAMLAssertion, "Assertion") != 1 {
			return nil, nil, bad
		}
		a, ok := childNamed(v, NSSAMLAssertion, "Assertion")
		if !ok {
			return nil, nil, bad
		}
		assertion = a
		resp = v
	}
	va := assertion
	if assertionSigned {
		v, err := validateEnveloped(resp, assertion, certs, now)
		if err != nil {
			return nil, nil, bad
		}
		va = v
	}
	return vresp, va, nil
}

// validateEnveloped checks the enveloped signature of el (a child Signature
// with exactly one Reference, to "#"+el's ID, an ID no other element of doc
// carries) and returns the element goxmldsig rebuilt from the signed bytes.
func validateEnveloped(doc, el *etree.Element, certs []*x509.Certificate, now time.Time) (*etree.Element, error) {
	id := el.SelectAttrValue("ID", "")
	if id == "" || countIDs(doc, id) != 1 {
		return nil, fmt.Errorf("missing or duplicate ID")
	}
	sigs := childrenNamed(el, NSXMLDSig, "Signature")
	if len(sigs) != 1 {
		return nil, fmt.Errorf("want exactly one Signature")
	}
	si, ok := childNamed(sigs[0], NSXMLDSig, "SignedInfo")
	if !ok {
		return nil, fmt.Errorf("want one SignedInfo")
	}
	refs := childrenNamed(si, NSXMLDSig, "Reference")
	if len(refs) != 1 || refs[0].SelectAttrValue("URI", "") != "#"+id {
		return nil, fmt.Errorf("want one Reference to #%s", id)
	}
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	if _, hasKeyInfo := childNamed(sigs[0], NSXMLDSig, "KeyInfo"); hasKeyInfo || len(certs) == 1 {
		return validateWith(detached, certs, now)
	}
	// No KeyInfo names the certificate: goxmldsig then uses the only trusted
	// one and refuses outright when there are several, as during an IdP's
	// certificate rollover. Try each certificate of the metadata on its own
	// (behaviour §11.2).
	for _, c := range certs {
		if v, err := validateWith(detached, []*x509.Certificate{c}, now); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("no certificate of the metadata verifies the signature")
}

// validateWith validates the enveloped signature of the detached element el
// against the trusted certificates certs, at now.
func validateWith(el *etree.Element, certs []*x509.Certificate, now time.Time) (*etree.Element, error) {
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: certs})
	vc.Clock = dsig.NewFakeClockAt(now)
	return vc.Validate(el)
}

// countIDs counts the elements of el's subtree whose ID attribute is id.
func countIDs(el *etree.Element, id string) int {
	n := 0
	if el.SelectAttrValue("ID", "") == id {
		n++
	}
	for _, c := range el.ChildElements() {
		n += countIDs(c, id)
	}
	return n
}

// stripSpace removes the white space that HTML forms and line-wrapping
// encoders put inside base64 text.
func stripSpace(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
}
