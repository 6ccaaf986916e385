package fedverify_test

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/internal/idpkey"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

// oidcT0 is the fixed instant of the OIDC tests: issuer clock and engine clock.
var oidcT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	oidcTestURL = "https://token.actions.githubusercontent.com"
	oidcTestAud = "sts.amazonaws.com"
)

// The AWS claims the verifier reads (behaviour §7, §8), spelled out here rather
// than taken from the code under test.
const (
	oidcClaimTags           = "https://aws.amazon.com/tags"
	oidcClaimSourceIdentity = "https://aws.amazon.com/source_identity"
)

// testKeys are RSA keys the tests hold, each generated on first use and
// shared by every test of the package. Providers that must not trust each
// other within one test take different indexes.
var testKeys [4]struct {
	once sync.Once
	key  *rsa.PrivateKey
}

// testKey returns test key i.
func testKey(i int) *rsa.PrivateKey {
	k := &testKeys[i]
	k.once.Do(func() {
		var err error
		if k.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return k.key
}

// oidcFixedClock returns a clock stuck at t.
func oidcFixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// oidcTestIssuer is an RS256 issuer whose private key the test also holds,
// for forging tokens with hand-made headers.
type oidcTestIssuer struct {
	*federation.OIDCIssuer
	key *rsa.PrivateKey
	kid string
}

// newOIDCTestIssuer builds an RS256 issuer on oidcT0 that signs with key
// (handed to it through internal/idpkey), publishing kid ("" for the
// issuer's default, the key's thumbprint).
func newOIDCTestIssuer(t testing.TB, key *rsa.PrivateKey, kid string) *oidcTestIssuer {
	t.Helper()
	opts := []federation.OIDCOption{federation.WithIssuerClock(oidcFixedClock(oidcT0))}
	if kid != "" {
		opts = append(opts, federation.WithKeyID(kid))
	}
	idpkey.Queue(key)
	iss := federation.NewOIDCIssuer(oidcTestURL, opts...)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(iss.JWKS(), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("issuer JWKS unusable: %v", err)
	}
	if pub, ok := set.Keys[0].Key.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		t.Fatal("the issuer does not sign with the queued key")
	}
	return &oidcTestIssuer{OIDCIssuer: iss, key: key, kid: set.Keys[0].KeyID}
}

// oidcCheck is the check of a verification at oidcT0 against keys.
func oidcCheck(keys []byte) fedverify.WebIdentityCheck {
	return fedverify.WebIdentityCheck{Keys: keys, ClientIDs: []string{oidcTestAud}, Now: oidcT0}
}

// oidcBasicClaims are the claims of a GitHub-Actions-style token.
func oidcBasicClaims() federation.Claims {
	return federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{oidcTestAud}}
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
