package fedverify

import (
	"encoding/base64"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// oidcMaxTokenLen is the model's maximum WebIdentityToken length (behaviour §4,
// clientTokenType 4–20000). Longer input is refused before any decoding.
const oidcMaxTokenLen = 20000

// oidcIATSkew is how far in the future (engine clock) an "iat" may lie before
// the token is refused: identity providers' clocks drift. AWS's tolerance is
// unverified; five minutes is the common choice of OIDC libraries.
const oidcIATSkew = 5 * time.Minute

// WebIdentityCheck is what the verifier needs to know about the provider a
// token claims to come from and about the moment of verification.
type WebIdentityCheck struct {
	// Keys is the provider's JWKS document ({"keys":[…]}), static or fetched
	// by the caller. This package never fetches anything.
	Keys []byte
	// ClientIDs are the provider's audiences (client IDs).
	ClientIDs []string
	// Now is the engine clock at verification time.
	Now time.Time
}

// WebIdentity is a verified token's identity and the claims STS acts on.
type WebIdentity struct {
	// Issuer is the "iss" claim, Subject the "sub" claim.
	Issuer, Subject string
	// Audience is the matched client ID: "azp" when the token has one,
	// otherwise the first element of "aud" (string or array) that is among
	// the provider's client IDs.
	Audience string
	// AMR is the "amr" claim (nil when absent).
	AMR []string
	// IssuedAt is "iat" (zero when absent); Expiry is "exp".
	IssuedAt, Expiry time.Time
	// Claims holds every claim of the payload as decoded JSON: strings,
	// bools, nil, []any, map[string]any, and numbers as json.Number (the
	// literal text, so large integers survive). Trust-policy keys such as
	// <provider>:sub, :aud, :amr, :oaud and custom claims are read from it.
	Claims map[string]any
	// PrincipalTags come from "https://aws.amazon.com/tags".principal_tags
	// (each value a one-element array); nil when absent.
	PrincipalTags map[string]string
	// TransitiveTagKeys come from …tags.transitive_tag_keys; nil when absent.
	TransitiveTagKeys []string
	// SourceIdentity is "https://aws.amazon.com/source_identity" ("" when
	// absent).
	SourceIdentity string
}

// oidcSegments splits a compact JWS into its three base64url segments after
// the length and segment-count caps, and decodes the header and payload.
func oidcSegments(token string) (header, payload []byte, err error) {
	if len(token) > oidcMaxTokenLen || strings.Count(token, ".") != 2 {
		return nil, nil, oidcInvalid(oidcMsgNotJWT)
	}
	h, rest, _ := strings.Cut(token, ".")
	p, s, _ := strings.Cut(rest, ".")
	if h == "" || p == "" || s == "" {
		return nil, nil, oidcInvalid(oidcMsgNotJWT)
	}
	// Strict: no padding, no stray bits, so one token has one encoding.
	enc := base64.RawURLEncoding.Strict()
	if header, err = enc.DecodeString(h); err != nil {
		return nil, nil, oidcInvalid(oidcMsgNotJWT)
	}
	if payload, err = enc.DecodeString(p); err != nil {
		return nil, nil, oidcInvalid(oidcMsgNotJWT)
	}
	if _, err = enc.DecodeString(s); err != nil {
		return nil, nil, oidcInvalid(oidcMsgNotJWT)
	}
	return header, payload, nil
}

// PeekIssuer returns the unverified "iss" claim of a token, so the caller can
// find the provider (and its keys) before verifying. Nothing is trusted: a
// malformed token, a payload that is not a strict JSON object, or a missing
// or non-string "iss" gives an *apierror.Error with code InvalidIdentityToken.
func PeekIssuer(token string) (string, error) {
	_, payload, err := oidcSegments(token)
	if err != nil {
		return "", err
	}
	claims, err := oidcDecodeObject(payload)
	if err != nil {
		return "", oidcInvalid(oidcMsgNotJWT)
	}
	iss, present := claims["iss"]
	if !present {
		return "", oidcMissingClaim("iss")
	}
	s, ok := iss.(string)
	if !ok || s == "" {
		return "", oidcBadClaim("iss", "a non-empty string")
	}
	return s, nil
}

// VerifyWebIdentityToken verifies an OIDC ID token as AssumeRoleWithWebIdentity
// does (behaviour §11.3) and returns its identity. Every failure is an *apierror.Error.
//
// Order of checks (AWS's order is unverified; this one rejects structure
// before touching keys, and reads claims only once the signature holds):
//
//  1. length ≤ 20000 and exactly three segments; strict base64url; header and
//     payload strict JSON objects (no duplicate keys); header "alg" one of
//     RS256/384/512, ES256/384/512; no "crit" or "b64" →
//     InvalidIdentityToken "The ID Token provided is not a valid JWT. …"
//  2. c.Keys a key set with a usable key, and a key fitting the header's
//     "kid" and "alg" → else InvalidIdentityToken "Couldn't retrieve
//     verification key from your identity provider,  please reference …"
//     (a kid matching no key gets this message too: from STS's side the key
//     is missing from what the provider publishes). Keys named by the token
//     itself ("jwk", "jku", "x5u", "x5c" headers) are never used.
//  3. signature → InvalidIdentityToken (own wording)
//  4. claim types and presence (see oidcReadClaims) → InvalidIdentityToken
//  5. audience: "azp" when present, else "aud", among c.ClientIDs →
//     InvalidIdentityToken "Incorrect token audience"
//  6. exp ≤ now → ExpiredTokenException "Token expired: current date/time
//     <now> must be before the expiration date/time <exp>"
//  7. nbf > now (no leeway) or iat > now+5m → InvalidIdentityToken
//  8. session tags and source identity shape → InvalidIdentityToken
func VerifyWebIdentityToken(token string, c WebIdentityCheck) (*WebIdentity, error) {
	rawHeader, payload, err := oidcSegments(token)
	if err != nil {
		return nil, err
	}
	header, err := oidcDecodeObject(rawHeader)
	if err != nil {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	alg, _ := header["alg"].(string)
	if !oidcAlgAllowed(alg) {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	kidValue, hasKid := header["kid"]
	kid, kidIsString := kidValue.(string)
	if hasKid && !kidIsString {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	// No critical extensions are understood, and "b64": false would make the
	// signed bytes differ from the payload decoded above.
	if _, ok := header["crit"]; ok {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	if _, ok := header["b64"]; ok {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	claims, err := oidcDecodeObject(payload)
	if err != nil {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}

	keys, err := oidcParseJWKS(c.Keys)
	if err != nil {
		return nil, oidcInvalid(oidcMsgNoKey)
	}
	jws, err := jose.ParseSignedCompact(token, oidcAllowedAlgs)
	if err != nil {
		return nil, oidcInvalid(oidcMsgNotJWT)
	}
	candidates := oidcCandidateKeys(keys, kid, alg)
	if len(candidates) == 0 {
		return nil, oidcInvalid(oidcMsgNoKey)
	}
	verified := false
	for i := range candidates {
		if _, err := jws.Verify(&candidates[i].key); err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return nil, oidcInvalid(oidcMsgSignature)
	}
	return oidcCheckClaims(claims, c)
}
