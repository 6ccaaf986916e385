package federation

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

// oidcT0 is the fixed instant of the OIDC tests: issuer clock and engine clock.
var oidcT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	oidcTestURL = "https://token.actions.githubusercontent.com"
	oidcTestAud = "sts.amazonaws.com"
)

// oidcFixedClock returns a clock stuck at t.
func oidcFixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// oidcTestIssuer is an RS256 issuer whose private key the test also holds,
// for forging tokens with hand-made headers.
type oidcTestIssuer struct {
	*OIDCIssuer
	key *rsa.PrivateKey
	kid string
}

// newOIDCTestIssuer builds an RS256 issuer on oidcT0 with a known key.
func newOIDCTestIssuer(t testing.TB, kid string) *oidcTestIssuer {
	t.Helper()
	key := newRSAKey()
	iss := newOIDCIssuerWithKey(oidcTestURL, oidcConfig{alg: "RS256", kid: kid, clock: oidcFixedClock(oidcT0)}, key)
	keys, err := oidcParseJWKS(iss.JWKS())
	if err != nil || len(keys) != 1 {
		t.Fatalf("issuer JWKS unusable: %v", err)
	}
	return &oidcTestIssuer{OIDCIssuer: iss, key: key, kid: keys[0].kid}
}

// oidcCheck is the check of a verification at oidcT0 against keys.
func oidcCheck(keys []byte) WebIdentityCheck {
	return WebIdentityCheck{Keys: keys, ClientIDs: []string{oidcTestAud}, Now: oidcT0}
}

// oidcBasicClaims are the claims of a GitHub-Actions-style token.
func oidcBasicClaims() Claims {
	return Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{oidcTestAud}}
}

// oidcB64 is base64url without padding.
func oidcB64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// oidcRawRS256 signs header.payload (both literal JSON) with RS256, so tests
// can put anything in the header and still carry a valid signature.
func oidcRawRS256(key *rsa.PrivateKey, header, payload string) string {
	in := oidcB64(header) + "." + oidcB64(payload)
	h := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// oidcRawHS256 signs header.payload with HMAC-SHA256 under secret.
func oidcRawHS256(secret []byte, header, payload string) string {
	in := oidcB64(header) + "." + oidcB64(payload)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// oidcJoseSign signs payload with go-jose under any algorithm and kid.
func oidcJoseSign(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, payload []byte) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// oidcWantErr fails unless err is exactly the *apierror.Error want.
func oidcWantErr(t *testing.T, err error, want *apierror.Error) {
	t.Helper()
	var got *apierror.Error
	if !errors.As(err, &got) {
		t.Fatalf("error %v (%T) is not a *apierror.Error", err, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("error mismatch (-want +got):\n%s", d)
	}
}

// Expected errors, written out literally (not the package constants) so a
// typo in a constant cannot hide from the tests.
var (
	oidcErrNotJWT    = verr("InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	oidcErrNoKey     = verr("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	oidcErrSignature = verr("InvalidIdentityToken", "The signature of the ID Token could not be verified with the identity provider's keys")
	oidcErrAudience  = verr("InvalidIdentityToken", "Incorrect token audience")
	oidcErrSourceID  = verr("InvalidIdentityToken", `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`)
	oidcErrTags      = verr("InvalidIdentityToken", `Invalid claim https://aws.amazon.com/tags: must be an object {"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}`)
)

// oidcErrInvalid is an InvalidIdentityToken error with msg.
func oidcErrInvalid(msg string) *apierror.Error { return verr("InvalidIdentityToken", msg) }

// verr is the error STS answers with for code and msg: a sender fault with
// the status AWS gives that code (pinned here, not looked up).
func verr(code, msg string) *apierror.Error {
	status := map[string]int{"InvalidIdentityToken": 400, "ExpiredTokenException": 400, "AccessDenied": 403}[code]
	if status == 0 {
		panic("verr: no status pinned for " + code)
	}
	return &apierror.Error{Code: code, Status: status, Fault: smithy.FaultClient, Message: msg}
}
