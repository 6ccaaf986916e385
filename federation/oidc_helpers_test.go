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

// oidcWantErr fails unless err is exactly the *VerifyError want.
func oidcWantErr(t *testing.T, err error, want *VerifyError) {
	t.Helper()
	var got *VerifyError
	if !errors.As(err, &got) {
		t.Fatalf("error %v (%T) is not a *VerifyError", err, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("error mismatch (-want +got):\n%s", d)
	}
}

// Expected errors, written out literally (not the package constants) so a
// typo in a constant cannot hide from the tests.
var (
	oidcErrNotJWT    = &VerifyError{"InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"}
	oidcErrNoKey     = &VerifyError{"InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"}
	oidcErrSignature = &VerifyError{"InvalidIdentityToken", "The signature of the ID Token could not be verified with the identity provider's keys"}
	oidcErrAudience  = &VerifyError{"InvalidIdentityToken", "Incorrect token audience"}
	oidcErrSourceID  = &VerifyError{"InvalidIdentityToken", `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`}
	oidcErrTags      = &VerifyError{"InvalidIdentityToken", `Invalid claim https://aws.amazon.com/tags: must be an object {"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}`}
)

// oidcErrInvalid is an InvalidIdentityToken error with msg.
func oidcErrInvalid(msg string) *VerifyError { return &VerifyError{"InvalidIdentityToken", msg} }
