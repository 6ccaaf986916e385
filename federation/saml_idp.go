package federation

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/fakests/fakests/internal/fedverify"
	dsig "github.com/russellhaering/goxmldsig"
)

// Defaults of the test IdP: the AWS sign-in endpoint as Recipient and audience (behaviour §11.2).
const (
	// SAMLNameIDPersistent is the default NameID format of SAMLAssertion.
	SAMLNameIDPersistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	// SAMLSignInEndpoint is the AWS sign-in SAML endpoint, the default
	// Recipient and Audience of SAMLAssertion.
	SAMLSignInEndpoint = "https://signin.aws.amazon.com/saml"
	// samlDefaultLifetime is how long an assertion is valid by default.
	samlDefaultLifetime = 5 * time.Minute
	samlTimeFormat      = "2006-01-02T15:04:05.000Z"
)

// samlConfig holds the settings of a SAMLIdP; SAMLOption values change it.
type samlConfig struct {
	clock         func() time.Time
	clockSet      bool // WithSAMLClock was given: the pool's wall-clock certificate will not do
	signAssertion bool
	signResponse  bool
	omitKeyInfo   bool
	rollover      bool
}

// SAMLOption configures a SAMLIdP at creation.
type SAMLOption func(*samlConfig)

// WithSAMLClock sets the clock that stamps IssueInstant, AuthnInstant and the
// default NotBefore/NotOnOrAfter of minted assertions, and the validity of
// the IdP's certificate. Default: time.Now (the wall clock,
// Issue 4).
func WithSAMLClock(now func() time.Time) SAMLOption {
	return func(c *samlConfig) {
		if now != nil {
			c.clock, c.clockSet = now, true
		}
	}
}

// WithSignResponse chooses whether the whole samlp:Response carries an
// enveloped signature. Default: false (only the Assertion is signed, as most
// IdPs do). Combine with WithSignAssertion(false) to sign only the Response.
func WithSignResponse(sign bool) SAMLOption {
	return func(c *samlConfig) { c.signResponse = sign }
}

// WithSignAssertion chooses whether the saml:Assertion carries an enveloped
// signature. Default: true. Turning both signatures off mints unsigned
// responses, which verification rejects (useful in negative tests).
func WithSignAssertion(sign bool) SAMLOption {
	return func(c *samlConfig) { c.signAssertion = sign }
}

// WithKeyInfo chooses whether signatures carry a KeyInfo with the signing
// certificate. Default: true, as most IdPs sign. Without it the verifier
// must find the certificate in the provider's metadata itself, trying each
// when there are several (behaviour §11.2).
func WithKeyInfo(include bool) SAMLOption {
	return func(c *samlConfig) { c.omitKeyInfo = !include }
}

// WithCertificateRollover gives the IdP a second key and publishes both
// certificates in its metadata (two signing KeyDescriptors, its current
// certificate first), as Okta, Entra ID and ADFS do while they roll their
// signing certificate over. The IdP signs with its current key;
// AfterRollover returns it signing with the second.
func WithCertificateRollover() SAMLOption {
	return func(c *samlConfig) { c.rollover = true }
}

// SAMLIdP is a test SAML 2.0 identity provider that mints signed responses
// for AssumeRoleWithSAML. Every instance signs with an RSA-2048 key and a
// self-signed certificate of its own, so a response from one IdP never
// verifies against another's metadata. It is safe for concurrent use.
type SAMLIdP struct {
	entityID string
	cfg      samlConfig
	// keys are the IdP's keys in metadata order: one, or two with
	// WithCertificateRollover; signer indexes the one it signs with.
	keys   []*samlKey
	signer int
}

// samlKey is an IdP key and its self-signed certificate.
type samlKey struct {
	key      *rsa.PrivateKey
	certOnce sync.Once
	certDER  []byte // made on first use, unless the pool prepared it
}

// NewSAMLIdP returns an IdP whose Issuer and metadata entityID are entityID.
// Its key (two with WithCertificateRollover) comes from the package's key
// pool, so creation is cheap when the pool has keys ready; a self-signed
// certificate is made on the first call that needs it (Metadata, Assertion
// or Response) unless the pool prepared one.
func NewSAMLIdP(entityID string, opts ...SAMLOption) *SAMLIdP {
	key, cert := newRSAKeyWithCert()
	p := newSAMLIdPWithKey(entityID, key, opts...)
	p.keys[0].usePooledCert(p.cfg, cert)
	if p.cfg.rollover {
		key, cert := newRSAKeyWithCert()
		next := &samlKey{key: key}
		next.usePooledCert(p.cfg, cert)
		p.keys = append(p.keys, next)
	}
	return p
}

// newSAMLIdPWithKey is NewSAMLIdP with a given key (and no second key).
func newSAMLIdPWithKey(entityID string, key *rsa.PrivateKey, opts ...SAMLOption) *SAMLIdP {
	cfg := samlConfig{clock: time.Now, signAssertion: true}
	for _, o := range opts {
		o(&cfg)
	}
	return &SAMLIdP{entityID: entityID, cfg: cfg, keys: []*samlKey{{key: key}}}
}

// usePooledCert adopts the certificate the pool made with the key, when
// there is one and the IdP runs on the wall clock the pool used.
func (k *samlKey) usePooledCert(cfg samlConfig, cert []byte) {
	if !cfg.clockSet && cert != nil {
		k.certOnce.Do(func() { k.certDER = cert })
	}
}

// AfterRollover returns the IdP as it is once it has switched to its second
// certificate: the same entity ID, options and metadata (still listing both
// certificates), signing with the second key. The two share their keys. It
// panics unless the IdP was made WithCertificateRollover, since the mistake
// is the test's.
func (p *SAMLIdP) AfterRollover() *SAMLIdP {
	if len(p.keys) < 2 {
		panic("federation: AfterRollover needs an IdP made WithCertificateRollover")
	}
	q := *p
	q.signer = 1
	return &q
}

// EntityID returns the IdP's entity ID, which is also the Issuer of every
// response it mints.
func (p *SAMLIdP) EntityID() string { return p.entityID }

// cert returns the DER certificate of the key the IdP signs with.
func (p *SAMLIdP) cert() []byte { return p.keys[p.signer].cert(p.cfg.clock) }

// cert returns the key's DER certificate, creating it on first use. It is
// valid from a day before the clock's reading to 20 years after it.
func (k *samlKey) cert(clock func() time.Time) []byte {
	k.certOnce.Do(func() { k.certDER = selfSignedCert(k.key, clock()) })
	return k.certDER
}

// Metadata returns the IdP's SAML metadata: an EntityDescriptor with an
// IDPSSODescriptor holding a signing KeyDescriptor (an X509Certificate) per
// key, the NameID formats and a placeholder SingleSignOnService. This is the
// document CreateSAMLProvider takes.
func (p *SAMLIdP) Metadata() []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	ed := doc.CreateElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", fedverify.NSSAMLMetadata)
	ed.CreateAttr("xmlns:ds", fedverify.NSXMLDSig)
	ed.CreateAttr("entityID", p.entityID)
	idp := ed.CreateElement("md:IDPSSODescriptor")
	idp.CreateAttr("WantAuthnRequestsSigned", "false")
	idp.CreateAttr("protocolSupportEnumeration", fedverify.NSSAMLProtocol)
	for _, k := range p.keys {
		kd := idp.CreateElement("md:KeyDescriptor")
		kd.CreateAttr("use", "signing")
		kd.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
			SetText(base64.StdEncoding.EncodeToString(k.cert(p.cfg.clock)))
	}
	for _, f := range []string{SAMLNameIDPersistent, "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
		"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"} {
		idp.CreateElement("md:NameIDFormat").SetText(f)
	}
	sso := idp.CreateElement("md:SingleSignOnService")
	sso.CreateAttr("Binding", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect")
	sso.CreateAttr("Location", p.entityID+"/sso")
	doc.Indent(2)
	b, err := doc.WriteToBytes()
	if err != nil {
		panic("federation: cannot serialise metadata: " + err.Error())
	}
	return b
}

// SAMLAssertion describes the login a SAMLIdP asserts. Zero fields take the
// defaults documented on each.
type SAMLAssertion struct {
	// NameID is the Subject's NameID ("" ⇒ no NameID element). NameIDFormat
	// defaults to SAMLNameIDPersistent.
	NameID, NameIDFormat string
	// Roles are values of https://aws.amazon.com/SAML/Attributes/Role, each
	// "<roleARN>,<providerARN>".
	Roles []string
	// SessionName is .../RoleSessionName ("" ⇒ omitted).
	SessionName string
	// SessionDuration is .../SessionDuration in seconds (0 ⇒ omitted).
	SessionDuration int
	// SourceIdentity is .../SourceIdentity ("" ⇒ omitted).
	SourceIdentity string
	// PrincipalTags become .../PrincipalTag:<Key> attributes.
	PrincipalTags map[string]string
	// TransitiveTagKeys is the multi-valued .../TransitiveTagKeys.
	TransitiveTagKeys []string
	// Attributes are any other attributes, by full Name.
	Attributes map[string][]string
	// Recipient (SubjectConfirmationData) and Audience (AudienceRestriction)
	// both default to SAMLSignInEndpoint.
	Recipient, Audience string
	// NotBefore and NotOnOrAfter bound Conditions; zero ⇒ the IdP clock and
	// clock+5min. SubjectConfirmationData/@NotOnOrAfter equals NotOnOrAfter.
	NotBefore, NotOnOrAfter time.Time
	// SessionNotOnOrAfter is the AuthnStatement attribute (zero ⇒ omitted).
	SessionNotOnOrAfter time.Time
}

// Assertion returns the base64 encoding of a signed samlp:Response carrying
// a, ready to pass as SAMLAssertion to AssumeRoleWithSAML.
func (p *SAMLIdP) Assertion(a SAMLAssertion) string {
	return base64.StdEncoding.EncodeToString(p.Response(a))
}

// Response returns the same signed samlp:Response as raw XML, for tests that
// edit it and re-encode it.
func (p *SAMLIdP) Response(a SAMLAssertion) []byte {
	now := p.cfg.clock().UTC()
	if a.NameIDFormat == "" {
		a.NameIDFormat = SAMLNameIDPersistent
	}
	if a.Recipient == "" {
		a.Recipient = SAMLSignInEndpoint
	}
	if a.Audience == "" {
		a.Audience = SAMLSignInEndpoint
	}
	if a.NotBefore.IsZero() {
		a.NotBefore = now
	}
	if a.NotOnOrAfter.IsZero() {
		a.NotOnOrAfter = now.Add(samlDefaultLifetime)
	}
	ts := func(t time.Time) string { return t.UTC().Format(samlTimeFormat) }

	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", fedverify.NSSAMLProtocol)
	resp.CreateAttr("xmlns:saml", fedverify.NSSAMLAssertion)
	resp.CreateAttr("ID", newSAMLID())
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", ts(now))
	resp.CreateAttr("Destination", a.Recipient)
	resp.CreateElement("saml:Issuer").SetText(p.entityID)
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").
		CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")

	as := resp.CreateElement("saml:Assertion")
	as.CreateAttr("xmlns:saml", fedverify.NSSAMLAssertion)
	as.CreateAttr("ID", newSAMLID())
	as.CreateAttr("Version", "2.0")
	as.CreateAttr("IssueInstant", ts(now))
	as.CreateElement("saml:Issuer").SetText(p.entityID)

	subj := as.CreateElement("saml:Subject")
	if a.NameID != "" {
		nid := subj.CreateElement("saml:NameID")
		nid.CreateAttr("Format", a.NameIDFormat)
		nid.SetText(a.NameID)
	}
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", ts(a.NotOnOrAfter))
	scd.CreateAttr("Recipient", a.Recipient)

	cond := as.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", ts(a.NotBefore))
	cond.CreateAttr("NotOnOrAfter", ts(a.NotOnOrAfter))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(a.Audience)

	authn := as.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", ts(now))
	authn.CreateAttr("SessionIndex", newSAMLID())
	if !a.SessionNotOnOrAfter.IsZero() {
		authn.CreateAttr("SessionNotOnOrAfter", ts(a.SessionNotOnOrAfter))
	}
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")

	if attrs := a.attributes(); len(attrs) > 0 {
		st := as.CreateElement("saml:AttributeStatement")
		for _, at := range attrs {
			el := st.CreateElement("saml:Attribute")
			el.CreateAttr("Name", at.name)
			el.CreateAttr("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri")
			for _, v := range at.values {
				el.CreateElement("saml:AttributeValue").SetText(v)
			}
		}
	}

	if p.cfg.signAssertion {
		p.sign(as)
	}
	if p.cfg.signResponse {
		p.sign(resp)
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		panic("federation: cannot serialise a SAML response: " + err.Error())
	}
	return b
}

// samlAttr is one Attribute of a minted assertion.
type samlAttr struct {
	name   string
	values []string
}

// attributes lists a's attributes in a stable order: the AWS ones first,
// then tags by key, then the free-form ones by name.
func (a *SAMLAssertion) attributes() []samlAttr {
	var out []samlAttr
	if len(a.Roles) > 0 {
		out = append(out, samlAttr{fedverify.SAMLAttrRole, a.Roles})
	}
	if a.SessionName != "" {
		out = append(out, samlAttr{fedverify.SAMLAttrRoleSessionName, []string{a.SessionName}})
	}
	if a.SessionDuration != 0 {
		out = append(out, samlAttr{fedverify.SAMLAttrSessionDuration, []string{strconv.Itoa(a.SessionDuration)}})
	}
	if a.SourceIdentity != "" {
		out = append(out, samlAttr{fedverify.SAMLAttrSourceIdentity, []string{a.SourceIdentity}})
	}
	for _, k := range sortedKeys(a.PrincipalTags) {
		out = append(out, samlAttr{fedverify.SAMLAttrPrincipalTag + k, []string{a.PrincipalTags[k]}})
	}
	if len(a.TransitiveTagKeys) > 0 {
		out = append(out, samlAttr{fedverify.SAMLAttrTransitiveTagKeys, a.TransitiveTagKeys})
	}
	for _, k := range sortedKeys(a.Attributes) {
		out = append(out, samlAttr{k, a.Attributes[k]})
	}
	return out
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// sign adds an enveloped RSA-SHA256 signature with exclusive canonicalisation
// to el, placed right after its Issuer child as the SAML schema requires.
// The KeyInfo goxmldsig writes is outside what the signature covers, so
// removing it (WithKeyInfo(false)) leaves the signature valid.
func (p *SAMLIdP) sign(el *etree.Element) {
	ctx, err := dsig.NewSigningContext(p.keys[p.signer].key, [][]byte{p.cert()})
	if err != nil {
		panic("federation: cannot make a signing context: " + err.Error())
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		panic("federation: cannot sign: " + err.Error())
	}
	if p.cfg.omitKeyInfo {
		if ki := sig.SelectElement("KeyInfo"); ki != nil {
			sig.RemoveChild(ki)
		}
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

// newSAMLID returns a fresh xs:ID value ("_" and 32 hex digits).
func newSAMLID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("federation: cannot read random bytes: %v", err))
	}
	return "_" + hex.EncodeToString(b[:])
}

// selfSignedCert returns a DER certificate for key, valid from a day before
// now to 20 years after it.
func selfSignedCert(key *rsa.PrivateKey, now time.Time) []byte {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		panic("federation: cannot draw a serial number: " + err.Error())
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "fakests test SAML IdP", Organization: []string{"fakests"}},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("federation: cannot create the IdP certificate: " + err.Error())
	}
	return der
}
