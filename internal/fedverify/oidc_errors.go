package fedverify

import (
	"fmt"

	"github.com/fakests/fakests/apierror"
)

// Verifier failures are *apierror.Error values in the terms STS uses on the
// wire: the code and the text AWS sends with it. Codes: InvalidIdentityToken
// (400), ExpiredTokenException (400), and for SAML also AccessDenied (403)
// where AWS answers a bad assertion that way. The OIDC verifier returns only
// the first two: it never fetches anything, so IDPCommunicationError belongs
// to the caller that fetches a JWKS, and no check here stands for an
// identity provider refusing a claim (IDPRejectedClaim).

// STS error codes used by the OIDC verifier (behaviour §10 table, §11.3).
const (
	oidcCodeInvalid = "InvalidIdentityToken"
	oidcCodeExpired = "ExpiredTokenException"
)

// Messages of the OIDC verifier. Those marked (reported) are AWS's literal texts
// (behaviour §11.3); the rest are this package's own wording, because no source
// shows what STS says in those cases (unverified; chosen to name the failed
// check plainly).
const (
	// oidcMsgNotJWT covers every structural failure: over-long token, wrong
	// segment count, bad base64url, a header or payload that is not a strict
	// JSON object, duplicate keys, an algorithm outside the allow-list, crit.
	// (Wording recalled from STS answers to opaque access tokens; unverified.)
	oidcMsgNotJWT = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
	// oidcMsgNoKey (reported): two spaces after the comma, as AWS sends it.
	oidcMsgNoKey = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
	// oidcMsgSignature: a key was found but the signature does not verify.
	oidcMsgSignature = "The signature of the ID Token could not be verified with the identity provider's keys"
	// oidcMsgAudience (reported).
	oidcMsgAudience = "Incorrect token audience"
	// oidcMsgSourceIdentity: the SAML-side text of behaviour §8, which names no
	// attribute and so serves the OIDC claim unchanged.
	oidcMsgSourceIdentity = `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`
)

// oidcInvalid returns an InvalidIdentityToken error.
func oidcInvalid(msg string) *apierror.Error {
	return apierror.New(oidcCodeInvalid, msg)
}

// oidcExpired returns AWS's expiry error (behaviour §11.3, reported): every
// answer reported since 2024 (aws/aws-sdk-java-v2#5709) has a space before
// both times, "… must be before the expiration date/time 1731095240"; reports
// from 2021 show an older form with no space before the second time.
func oidcExpired(now, exp int64) *apierror.Error {
	return apierror.New(oidcCodeExpired, fmt.Sprintf(
		"Token expired: current date/time %d must be before the expiration date/time %d", now, exp))
}

// oidcMissingClaim reports a required claim that is absent (own wording).
func oidcMissingClaim(name string) *apierror.Error {
	return oidcInvalid("Missing required claim: " + name)
}

// oidcBadClaim reports a claim of the wrong JSON type or shape (own wording).
func oidcBadClaim(name, want string) *apierror.Error {
	return oidcInvalid(fmt.Sprintf("Invalid claim %s: must be %s", name, want))
}

// oidcNotYetValid reports an nbf later than the engine clock (own wording).
func oidcNotYetValid(now, nbf int64) *apierror.Error {
	return oidcInvalid(fmt.Sprintf(
		"Token not yet valid: current date/time %d is before the not-before date/time %d", now, nbf))
}

// oidcIssuedInFuture reports an iat beyond the allowed skew (own wording).
func oidcIssuedInFuture(now, iat int64) *apierror.Error {
	return oidcInvalid(fmt.Sprintf(
		"Token issued in the future: issue date/time %d is after current date/time %d", iat, now))
}
