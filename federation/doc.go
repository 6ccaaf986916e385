// Package federation provides test identity providers that mint real,
// signed identity documents for the federated STS operations: OIDC ID tokens
// for AssumeRoleWithWebIdentity (OIDCIssuer) and SAML 2.0 responses for
// AssumeRoleWithSAML (SAMLIdP). A fakests engine verifies them as STS does,
// so tests exercise genuine signatures rather than a bypass. Every issuer
// and IdP instance signs with a key of its own: a token or assertion from
// one never verifies against another's keys. Nothing in this package
// touches the network.
//
// # Keys and goroutines
//
// A 2048-bit RSA key costs tens of milliseconds to generate, so RSA keys
// are made ahead of demand by one filler goroutine that runs only while
// tests take keys: after an RSA provider is created it makes one key ahead
// (more, up to 16, when providers are created faster than it can keep up),
// and it stops when that many are ready or when no provider has been
// created for 200 ms. Creating an RSA provider therefore costs microseconds
// when a key is ready and one key generation when none is (the first of a
// process, or a burst); ES256/384/512 issuers generate their keys on the
// spot (tens of microseconds). No goroutine of this package outlives the
// tests that used it: a suite checked with goleak's VerifyTestMain, or any
// equivalent check after the tests, passes once the filler has finished its
// last key (at most one key generation after the last creation).
//
// # OIDC
//
// An OIDCIssuer mints JWTs; register its URL and key set with the engine:
//
//	iss := federation.NewOIDCIssuer("https://token.actions.githubusercontent.com")
//	arn, _ := e.CreateOIDCProvider(fakests.OIDCProviderSpec{
//		URL: iss.URL(), ClientIDs: []string{"sts.amazonaws.com"}, JWKS: iss.JWKS()})
//	tok := iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main",
//		Audience: []string{"sts.amazonaws.com"}}) // the WebIdentityToken
//
// Tokens are RS256 by default (WithAlgorithm chooses RS384/512 or
// ES256/384/512); Claims fills iat, nbf and exp from the issuer clock
// (WithIssuerClock) and takes any other claim in Extra, such as the
// session-tag claim "https://aws.amazon.com/tags" and
// "https://aws.amazon.com/source_identity" (behaviour §7, §8). Sign signs
// arbitrary payload bytes, for negative tests.
//
// The engine accepts RS256/384/512 and ES256/384/512 only, caps the token at
// 20000 characters and three segments before decoding, refuses duplicate
// JSON keys and text that is not UTF-8, requires integer date claims within
// years 1 to 9999, and reads the session-tag and source-identity claims
// (behaviour §11.3). Known differences from AWS (all where AWS's behaviour
// is unverified): messages for malformed tokens, bad
// signatures, missing or mistyped claims, nbf and future iat are fakests'
// own wording; a kid that matches no key gets AWS's "Couldn't retrieve
// verification key…" message; "azp", when present, is the audience for
// every provider (AWS documents this for Google); iat may be up to five
// minutes ahead, nbf not at all; "exp" is required; the "Token too old"
// check on iat is not modelled.
//
// # SAML
//
// A SAMLIdP (NewSAMLIdP) mints base64 SAML responses signed with XML-DSig;
// its Metadata is the document CreateSAMLProvider takes:
//
//	idp := federation.NewSAMLIdP("http://www.okta.com/exk1")
//	providerARN, _ := e.CreateSAMLProvider(fakests.SAMLProviderSpec{Name: "Okta", Metadata: idp.Metadata()})
//	b64 := idp.Assertion(federation.SAMLAssertion{NameID: "jane",
//		Roles: []string{roleARN + "," + providerARN}, SessionName: "jane"}) // the SAMLAssertion
//
// The IdP signs the Assertion by default (WithSignResponse and
// WithSignAssertion choose Response, both or neither), with a KeyInfo
// naming its certificate (WithKeyInfo(false) leaves it out); Response
// returns the raw XML for tests that edit it. Times come from the IdP clock
// (WithSAMLClock), and the Recipient and Audience default to
// SAMLSignInEndpoint. WithCertificateRollover models an IdP rolling its
// signing certificate over: a second key, both certificates in the
// metadata, and AfterRollover for the IdP signing with the second.
//
// The engine caps the input at 100000 characters, refuses DOCTYPE,
// entities, processing instructions and oversized or deeply nested
// documents, demands exactly one Assertion, as a child of the Response,
// signed (or inside a signed Response) by any certificate of the provider's
// metadata (each is tried when the signature has no KeyInfo), and reads
// every field only from what the signature covers (behaviour §11.2). Known differences from AWS (AWS's behaviour unverified): the
// messages for malformed input, expiry (ExpiredTokenException), NotBefore
// in the future, a Recipient that is not an AWS endpoint, a bad
// SubjectConfirmation, a non-Success status, SessionDuration and
// multi-valued PrincipalTag values are fakests' own wording; the codes of
// the Issuer and audience errors (InvalidIdentityToken) are a choice; a
// missing Role attribute (or one with no role/provider pair) is AccessDenied
// "Not authorized to perform sts:AssumeRoleWithSAML", like a missing NameID;
// no clock-skew allowance is made; the signing certificate's validity
// period is judged on the engine clock; encrypted assertions are refused.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package federation
