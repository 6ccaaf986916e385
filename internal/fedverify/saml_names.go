package fedverify

// Names of the SAML vocabulary. The verifier reads them and the test IdP of
// package federation writes them, so they are defined once, here.

// Namespaces of the SAML 2.0 and XML Signature vocabularies.
const (
	NSSAMLProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	NSSAMLAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	NSSAMLMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	NSXMLDSig       = "http://www.w3.org/2000/09/xmldsig#"
)

// AWS attribute names a SAML IdP sends to AWS (behaviour §11.2, §7, §8).
const (
	samlAttrPrefix = "https://aws.amazon.com/SAML/Attributes/"
	// SAMLAttrRole holds "<roleARN>,<providerARN>" pairs.
	SAMLAttrRole            = samlAttrPrefix + "Role"
	SAMLAttrRoleSessionName = samlAttrPrefix + "RoleSessionName"
	SAMLAttrSessionDuration = samlAttrPrefix + "SessionDuration"
	SAMLAttrSourceIdentity  = samlAttrPrefix + "SourceIdentity"
	// SAMLAttrPrincipalTag is a prefix: the tag key follows it.
	SAMLAttrPrincipalTag      = samlAttrPrefix + "PrincipalTag:"
	SAMLAttrTransitiveTagKeys = samlAttrPrefix + "TransitiveTagKeys"
)
