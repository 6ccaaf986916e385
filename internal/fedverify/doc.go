// Package fedverify verifies the identity documents that STS accepts from
// outside AWS: OIDC ID tokens for AssumeRoleWithWebIdentity and SAML
// responses for AssumeRoleWithSAML, and the SAML provider metadata that
// CreateSAMLProvider takes. It is the engine's machinery (package fakests is
// its only user), so it lives under internal/. The test identity providers
// that mint these documents are package federation's; the SAML names both
// sides use (namespaces, AWS attribute names) are defined once, here.
//
// Failures are *apierror.Error values carrying the STS error code and
// message, which the engine returns as they are. Nothing in this package
// touches the network. Where its behaviour knowingly differs from AWS's, the
// list is in package federation's documentation, where test authors read
// it: keep the two in step.
//
// # OIDC
//
// VerifyWebIdentityToken checks a token as STS does (behaviour §11.3);
// PeekIssuer reads its unverified issuer first, to find the provider:
//
//	provider, _ := fedverify.PeekIssuer(tok) // unverified: pick the provider
//	id, err := fedverify.VerifyWebIdentityToken(tok, fedverify.WebIdentityCheck{
//		Keys: jwks, ClientIDs: []string{"sts.amazonaws.com"}, Now: engineNow})
//
// The verifier accepts RS256/384/512 and ES256/384/512 only, caps the token
// at 20000 characters and three segments before decoding, refuses duplicate
// JSON keys and text that is not UTF-8, requires integer date claims within
// years 1 to 9999, and reads the session-tag and
// source-identity claims (behaviour §7, §8); tag keys and values are checked
// only for shape here (the tags package applies the rules).
// VerifyWebIdentityToken documents the order of its checks, and
// oidc_errors.go which messages are AWS's literal texts.
//
// # SAML
//
// ParseSAMLMetadata reads a provider's metadata; VerifySAMLResponse checks a
// response against it, resisting signature wrapping, and returns the login
// STS acts on (behaviour §11.2):
//
//	md, _ := fedverify.ParseSAMLMetadata(metadata) // CreateSAMLProvider
//	login, err := fedverify.VerifySAMLResponse(b64, fedverify.SAMLCheck{Metadata: md, Now: engineNow})
//	keys := login.ConditionKeys(accountID, providerName) // saml:* keys
//
// The verifier caps the input at 100000 characters, refuses DOCTYPE,
// entities, processing instructions, nesting deeper than 32, more than 4000
// elements or 32 attributes on one element and duplicate attributes before
// building a tree (the XML guard, which metadata passes through too);
// demands exactly one Assertion in the whole document, as a child of the
// Response; accepts a Response-level or Assertion-level enveloped signature
// (exactly one Reference, to the signed element's unique ID) by any
// certificate of the metadata, trying each in turn when the signature has
// no KeyInfo (metadata lists two during an IdP's certificate rollover); and
// reads every field only from the element
// that goxmldsig rebuilt from the signed bytes. A comment inside a signed
// NameID is ignored: "alice<!---->.evil" signed as "alice.evil" verifies as
// "alice.evil", never "alice".
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package fedverify
