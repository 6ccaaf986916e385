package fedverify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
)

// Bounds on a provider's key set. A JWKS is configuration rather than
// attacker input, but the engine may fetch it from a test server that a test
// deliberately breaks, so it is parsed defensively all the same.
const (
	oidcMaxJWKSBytes = 64 << 10
	oidcMaxJWKSKeys  = 100
	oidcMinRSABits   = 1024 // crypto/rsa refuses smaller keys anyway
	oidcMaxRSABits   = 8192 // bounds verification cost
	oidcKeyCacheSize = 64
)

// oidcAllowedAlgs is the signature allow-list of behaviour §11.3: RSA PKCS#1 v1.5
// and ECDSA only. none, HS* (so no key confusion with a public key used as an
// HMAC secret), PS* and EdDSA are refused before any key is touched.
var oidcAllowedAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
}

// oidcAlgAllowed reports whether alg is on the allow-list.
func oidcAlgAllowed(alg string) bool {
	for _, a := range oidcAllowedAlgs {
		if string(a) == alg {
			return true
		}
	}
	return false
}

// oidcJWK is one usable verification key of a provider's key set.
type oidcJWK struct {
	kid string
	alg string // the JWK's own "alg", or "" when the key does not restrict it
	key jose.JSONWebKey
}

// oidcKeyCache remembers parsed key sets by their exact bytes, so verifying
// many tokens against one provider parses its JWKS once. Parsed keys are
// immutable and shared. The cache is cleared when it fills: simple, bounded,
// and a miss only costs a parse.
var oidcKeyCache struct {
	mu   sync.Mutex
	sets map[string][]oidcJWK
}

var errOIDCNoUsableKey = errors.New("no usable key")

// oidcParseJWKS returns the usable signature keys of a JWKS document. Keys of
// other types (oct, OKP, unknown), keys for encryption ("use" other than
// "sig"), keys with private material, keys whose "alg" is off the allow-list
// and keys that fail to parse are skipped, as RFC 7517 §5 asks. A document
// that is not a key set, or has no usable key, is an error.
func oidcParseJWKS(doc []byte) ([]oidcJWK, error) {
	if len(doc) == 0 || len(doc) > oidcMaxJWKSBytes {
		return nil, errOIDCNoUsableKey
	}
	oidcKeyCache.mu.Lock()
	keys, ok := oidcKeyCache.sets[string(doc)]
	oidcKeyCache.mu.Unlock()
	if ok {
		return keys, nil
	}
	keys, err := oidcParseJWKSUncached(doc)
	if err != nil {
		return nil, err
	}
	oidcKeyCache.mu.Lock()
	if oidcKeyCache.sets == nil || len(oidcKeyCache.sets) >= oidcKeyCacheSize {
		oidcKeyCache.sets = make(map[string][]oidcJWK)
	}
	oidcKeyCache.sets[string(doc)] = keys
	oidcKeyCache.mu.Unlock()
	return keys, nil
}

// oidcRawJWKScreen holds the members looked at before a key reaches go-jose.
type oidcRawJWKScreen struct {
	Kty string          `json:"kty"`
	Use string          `json:"use"`
	Alg string          `json:"alg"`
	D   json.RawMessage `json:"d"`
	P   json.RawMessage `json:"p"`
	Q   json.RawMessage `json:"q"`
	K   json.RawMessage `json:"k"`
}

func oidcParseJWKSUncached(doc []byte) ([]oidcJWK, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil || len(set.Keys) == 0 || len(set.Keys) > oidcMaxJWKSKeys {
		return nil, errOIDCNoUsableKey
	}
	var keys []oidcJWK
	for _, raw := range set.Keys {
		var s oidcRawJWKScreen
		if err := json.Unmarshal(raw, &s); err != nil {
			continue
		}
		if (s.Kty != "RSA" && s.Kty != "EC") || (s.Use != "" && s.Use != "sig") ||
			(s.Alg != "" && !oidcAlgAllowed(s.Alg)) ||
			s.D != nil || s.P != nil || s.Q != nil || s.K != nil {
			continue
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			continue
		}
		switch pub := k.Key.(type) {
		case *rsa.PublicKey:
			if n := pub.N.BitLen(); n < oidcMinRSABits || n > oidcMaxRSABits {
				continue
			}
		case *ecdsa.PublicKey:
			// go-jose accepts only P-256, P-384 and P-521 and checks the point.
		default:
			continue
		}
		keys = append(keys, oidcJWK{kid: k.KeyID, alg: k.Algorithm, key: k})
	}
	if len(keys) == 0 {
		return nil, errOIDCNoUsableKey
	}
	return keys, nil
}

// fits reports whether the key can check a signature made with alg: the JWK's
// own "alg" (when present) must agree, RS* needs an RSA key, and each ES*
// needs its own curve.
func (k oidcJWK) fits(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	switch pub := k.key.Key.(type) {
	case *rsa.PublicKey:
		return alg == "RS256" || alg == "RS384" || alg == "RS512"
	case *ecdsa.PublicKey:
		switch alg {
		case "ES256":
			return pub.Curve == elliptic.P256()
		case "ES384":
			return pub.Curve == elliptic.P384()
		case "ES512":
			return pub.Curve == elliptic.P521()
		}
	}
	return false
}

// oidcCandidateKeys picks the keys that may have signed a token. With a kid,
// only keys carrying that kid are candidates; without one, every key that
// fits the algorithm is. A kid that names no key, or names only keys of the
// wrong type, yields none: the caller reports that as "Couldn't retrieve
// verification key…", because from STS's side the key it needs is not in
// what the provider publishes (AWS's answer here is unverified).
func oidcCandidateKeys(keys []oidcJWK, kid, alg string) []oidcJWK {
	var out []oidcJWK
	for _, k := range keys {
		if kid != "" && k.kid != kid {
			continue
		}
		if k.fits(alg) {
			out = append(out, k)
		}
	}
	return out
}
