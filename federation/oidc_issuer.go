package federation

import (
	"crypto"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// oidcConfig collects the OIDCIssuer options.
type oidcConfig struct {
	alg   string
	kid   string
	clock func() time.Time
}

// OIDCOption configures NewOIDCIssuer.
type OIDCOption func(*oidcConfig)

// WithAlgorithm sets the signature algorithm: "RS256" (the default), "RS384",
// "RS512", "ES256", "ES384" or "ES512". RSA keys are 2048-bit; each ES*
// algorithm uses its own curve (P-256, P-384, P-521). NewOIDCIssuer panics on
// any other value, since this is a test helper and the mistake is the test's.
func WithAlgorithm(alg string) OIDCOption {
	return func(c *oidcConfig) { c.alg = alg }
}

// WithKeyID sets the "kid" published in the JWKS and written in every token
// header. The default is the key's RFC 7638 thumbprint (SHA-256,
// base64url), so different issuers never share a kid by accident; set the
// same kid on two issuers to test a kid that points at another issuer's key.
func WithKeyID(kid string) OIDCOption {
	return func(c *oidcConfig) { c.kid = kid }
}

// WithIssuerClock sets the clock that fills "iat" and "nbf" (and, through
// iat, the default "exp") when Claims leaves them zero. The default is the
// wall clock (time.Now).
func WithIssuerClock(now func() time.Time) OIDCOption {
	return func(c *oidcConfig) { c.clock = now }
}

// OIDCIssuer is a test identity provider that mints real signed JWTs. Every
// instance signs with a key of its own, so a token from one instance never
// verifies against another's JWKS. It is safe for concurrent use: after
// construction it holds only immutable state and a go-jose signer.
type OIDCIssuer struct {
	url    string
	alg    jose.SignatureAlgorithm
	clock  func() time.Time
	signer jose.Signer
	jwks   []byte
}

// NewOIDCIssuer returns an issuer whose "iss" is issuerURL (for example
// "https://token.actions.githubusercontent.com"). RSA keys come from the
// package's key pool (see "Keys and goroutines" in the package
// documentation): microseconds when a key is ready, one key generation when
// none is. EC keys are generated on the spot.
func NewOIDCIssuer(issuerURL string, opts ...OIDCOption) *OIDCIssuer {
	cfg := oidcConfig{alg: "RS256", clock: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	var priv crypto.Signer
	switch cfg.alg {
	case "RS256", "RS384", "RS512":
		priv = newRSAKey()
	case "ES256":
		priv = newECKey(elliptic.P256())
	case "ES384":
		priv = newECKey(elliptic.P384())
	case "ES512":
		priv = newECKey(elliptic.P521())
	default:
		panic("federation: unsupported OIDC signing algorithm " + cfg.alg)
	}
	return newOIDCIssuerWithKey(issuerURL, cfg, priv)
}

// newOIDCIssuerWithKey builds an issuer around a given private key.
func newOIDCIssuerWithKey(issuerURL string, cfg oidcConfig, priv crypto.Signer) *OIDCIssuer {
	alg := jose.SignatureAlgorithm(cfg.alg)
	pub := jose.JSONWebKey{Key: priv.Public(), Algorithm: cfg.alg, Use: "sig", KeyID: cfg.kid}
	if pub.KeyID == "" {
		tp, err := pub.Thumbprint(crypto.SHA256)
		if err != nil {
			panic("federation: cannot compute a JWK thumbprint: " + err.Error())
		}
		pub.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: priv, KeyID: pub.KeyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic("federation: cannot create a JWS signer: " + err.Error())
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}})
	if err != nil {
		panic("federation: cannot encode the JWKS: " + err.Error())
	}
	return &OIDCIssuer{url: issuerURL, alg: alg, clock: cfg.clock, signer: signer, jwks: jwks}
}

// URL returns the issuer URL, the value of every token's "iss".
func (i *OIDCIssuer) URL() string { return i.url }

// JWKS returns the public key set, {"keys":[…]}, with one key carrying kid,
// alg and "use":"sig". The caller owns the returned slice.
func (i *OIDCIssuer) JWKS() []byte { return append([]byte(nil), i.jwks...) }

// Claims are the claims of a token minted by OIDCIssuer.Token.
type Claims struct {
	// Subject is "sub"; omitted when empty.
	Subject string
	// Audience is "aud": one element is written as a string, several as an
	// array; omitted when empty.
	Audience []string
	// Expiry is "exp"; zero means the issue time plus one hour.
	Expiry time.Time
	// IssuedAt ("iat") and NotBefore ("nbf"); zero means the issuer clock.
	IssuedAt, NotBefore time.Time
	// AuthorizedParty is "azp" when set.
	AuthorizedParty string
	// Extra holds any other claims, merged last, so it can also override the
	// claims above; a nil value removes the claim (to mint a token without
	// "exp", say). Examples: "https://aws.amazon.com/tags", "amr",
	// "repository".
	Extra map[string]any
}

// Token mints a compact JWS whose header carries alg, kid and typ "JWT", and
// whose payload holds iss (the issuer URL), the given claims, and the
// defaults described on Claims. Dates are whole seconds.
func (i *OIDCIssuer) Token(c Claims) string {
	now := i.clock()
	iat := c.IssuedAt
	if iat.IsZero() {
		iat = now
	}
	nbf := c.NotBefore
	if nbf.IsZero() {
		nbf = now
	}
	exp := c.Expiry
	if exp.IsZero() {
		exp = iat.Add(time.Hour)
	}
	payload := map[string]any{
		"iss": i.url,
		"iat": iat.Unix(),
		"nbf": nbf.Unix(),
		"exp": exp.Unix(),
	}
	if c.Subject != "" {
		payload["sub"] = c.Subject
	}
	switch len(c.Audience) {
	case 0:
	case 1:
		payload["aud"] = c.Audience[0]
	default:
		payload["aud"] = c.Audience
	}
	if c.AuthorizedParty != "" {
		payload["azp"] = c.AuthorizedParty
	}
	for k, v := range c.Extra {
		if v == nil {
			delete(payload, k)
		} else {
			payload[k] = v
		}
	}
	b, err := json.Marshal(payload)
	if err != nil {
		panic("federation: cannot encode token claims: " + err.Error())
	}
	return i.Sign(b)
}

// Sign signs arbitrary payload bytes with the issuer's key and header, with
// no checks on them: the way to mint malformed claims (wrong types,
// duplicate keys, invalid JSON) that still carry a valid signature.
func (i *OIDCIssuer) Sign(payload []byte) string {
	jws, err := i.signer.Sign(payload)
	if err != nil {
		panic("federation: cannot sign a token: " + err.Error())
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic("federation: cannot serialize a token: " + err.Error())
	}
	return s
}
