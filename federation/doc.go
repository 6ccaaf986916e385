// Package federation verifies the identity documents that STS accepts from
// outside AWS (OIDC ID tokens for AssumeRoleWithWebIdentity, SAML responses
// for AssumeRoleWithSAML) and provides test identity providers that mint
// real, signed ones, so tests exercise genuine signatures rather than a
// bypass. Every issuer and IdP instance signs with a key of its own: a token
// or assertion from one never verifies against another's keys. Failures are
// *apierror.Error values carrying the STS error code and message, which the
// engine maps to its error catalogue. Nothing in this package touches the
// network.
//
// # OIDC
//
// An OIDCIssuer mints JWTs; VerifyWebIdentityToken checks them as STS does
// (facts §11.3):
//
//	iss := federation.NewOIDCIssuer("https://token.actions.githubusercontent.com")
//	tok := iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main",
//		Audience: []string{"sts.amazonaws.com"}})
//	provider, _ := federation.PeekIssuer(tok) // unverified: pick the provider
//	id, err := federation.VerifyWebIdentityToken(tok, federation.WebIdentityCheck{
//		Keys: iss.JWKS(), ClientIDs: []string{"sts.amazonaws.com"}, Now: engineNow})
//
// The verifier accepts RS256/384/512 and ES256/384/512 only, caps the token at
// 20000 characters and three segments before decoding, refuses duplicate JSON
// keys, requires integer date claims, and reads the session-tag and
// source-identity claims (facts §7, §8). VerifyWebIdentityToken documents the
// order of its checks and which messages are AWS's literal texts.
//
// Known differences from AWS (all where AWS's behaviour is unverified):
// messages for malformed tokens, bad signatures, missing or mistyped claims,
// nbf and future iat are this package's own wording; a kid that matches no
// key gets AWS's "Couldn't retrieve verification key…" message; "azp", when
// present, is the audience for every provider (AWS documents this for
// Google); iat may be up to five minutes ahead, nbf not at all; "exp" is
// required; the "Token too old" check on iat is not modelled; tag keys and
// values are checked only for shape here (the tags package applies the rules).
//
// # SAML
//
// A SAMLIdP (NewSAMLIdP) mints base64 SAML responses signed with XML-DSig;
// VerifySAMLResponse checks one against a provider's metadata, resisting
// signature wrapping, and returns the login STS acts on (facts §11.2).
//
//	idp := federation.NewSAMLIdP("http://www.okta.com/exk1")
//	md, _ := federation.ParseSAMLMetadata(idp.Metadata()) // CreateSAMLProvider
//	b64 := idp.Assertion(federation.SAMLAssertion{NameID: "jane",
//		Roles: []string{roleARN + "," + providerARN}, SessionName: "jane"})
//	login, err := federation.VerifySAMLResponse(b64,
//		federation.SAMLCheck{Metadata: md, Now: engineNow})
//	keys := login.ConditionKeys(accountID, providerName) // saml:* keys
//
// The IdP signs the Assertion by default (WithSignResponse and
// WithSignAssertion choose Response, both or neither). The verifier caps the
// input at 100000 characters, refuses DOCTYPE, entities, processing
// instructions, nesting deeper than 32, more than 4000 elements or 32
// attributes on one element and duplicate attributes before building a tree;
// demands exactly one Assertion in the whole document, as a child of the
// Response; accepts a Response-level or Assertion-level enveloped signature
// (exactly one Reference, to the signed element's unique ID) by a certificate
// of the metadata; and reads every field only from the element that
// goxmldsig rebuilt from the signed bytes. A comment inside a signed NameID is
// ignored: "alice<!---->.evil" signed as "alice.evil" verifies as
// "alice.evil", never "alice".
//
// Known SAML differences (AWS's behaviour unverified): the messages for
// malformed input, expiry (ExpiredTokenException), NotBefore in the future,
// a Recipient that is not an AWS endpoint, a bad SubjectConfirmation, a
// non-Success status, SessionDuration and multi-valued PrincipalTag values
// are this package's own wording; the codes of the Issuer and audience
// errors (InvalidIdentityToken) are a choice; a missing Role attribute (or
// one with no role/provider pair) is AccessDenied "Not authorized to perform
// sts:AssumeRoleWithSAML", like a missing NameID; no clock-skew allowance is
// made; the signing certificate's validity period is judged on the engine
// clock; encrypted assertions are refused.
package federation
