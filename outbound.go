package fakests

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/keypool"
)

// This file is outbound identity federation's account state (behaviour §16):
// the switch that IAM's EnableOutboundWebIdentityFederation,
// DisableOutboundWebIdentityFederation and
// GetOutboundWebIdentityFederationInfo turn, each account's issuer and the
// keys it signs GetWebIdentityToken's tokens with, and the two documents a
// relying party fetches from the issuer (issuer.go serves them).
//
// The state is plain data: an issuer URL, a flag and the private keys per
// account, guarded by outboundState.mu. An account's keys are made when
// first needed (a token of their algorithm, or the key set) and then stay
// the same for the engine's life, across disable and re-enable, as AWS keeps
// an issuer's keys published after a disable.

// outboundState holds every account's outbound federation and the trade-in
// tokens of GetDelegatedAccessToken (delegation.go). Its maps are made on
// first use, so New pays nothing for them.
type outboundState struct {
	mu          sync.Mutex
	accounts    map[string]*outboundAccount // by account ID
	hosts       map[string]string           // issuer host (lower case) → account ID
	delegations map[string]*delegation      // by trade-in token
}

// outboundAccount is one account's outbound identity federation.
type outboundAccount struct {
	account string
	issuer  string // https://<uuid>.tokens.sts.global.api.aws
	enabled bool
	rsaKey  *rsa.PrivateKey   // signs RS256 tokens (kid RSA_0); nil until first needed
	ecKey   *ecdsa.PrivateKey // signs ES384 tokens (kid EC384_0); nil until first needed
	jwks    []byte            // the key set document, once both keys exist
}

// OutboundFederationInfo is what IAM's GetOutboundWebIdentityFederationInfo
// answers for an account whose outbound identity federation is on.
type OutboundFederationInfo struct {
	// IssuerIdentifier is the account's issuer URL,
	// https://<uuid>.tokens.sts.global.api.aws: the iss of its tokens, where
	// Handler serves the discovery document and the key set.
	IssuerIdentifier string
	// JWTVendingEnabled reports that GetWebIdentityToken issues tokens: true
	// whenever the call succeeds (AWS answers FeatureDisabled otherwise).
	JWTVendingEnabled bool
}

// Key IDs and algorithms of an account's two signing keys (behaviour §16).
const (
	kidRSA   = "RSA_0"
	kidEC384 = "EC384_0"
	algRS256 = "RS256"
	algES384 = "ES384"
)

// issuerHostSuffix is what follows the per-account UUID in an issuer's host.
const issuerHostSuffix = ".tokens.sts.global.api.aws"

// outboundRSAPool makes the RSA-2048 keys accounts sign RS256 tokens with.
// A key takes tens of milliseconds to make, so EnableOutboundWebIdentityFederation
// asks the pool to make one ahead (Prepare) and the first RS256 token or key
// set request takes it (GetPrepared: waiting for it when it is still being
// made, rather than making another at the same time); the pool's filler
// goroutine stops once it has made what was asked for, so none remains once
// the engine is idle (internal/keypool).
var outboundRSAPool = keypool.New(4, 200*time.Millisecond, func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// outboundAccountID returns the account an administration method is about:
// account, or the engine's default account when it is "".
func (e *Engine) outboundAccountID(account string) (string, error) {
	if account == "" {
		return e.account, nil
	}
	if !isAccountID(account) {
		return "", fmt.Errorf("fakests: account %q is not 12 digits", account)
	}
	return account, nil
}

// EnableOutboundWebIdentityFederation turns on outbound identity federation
// for account ("" for the engine's default account), as IAM's
// EnableOutboundWebIdentityFederation does, and returns the account's issuer,
// https://<uuid>.tokens.sts.global.api.aws. The feature is off until then,
// as in AWS. The first enable of an account chooses its issuer; a later one,
// after a disable, returns the same issuer. When the feature is already on
// the error satisfies smithy.APIError with IAM's code FeatureEnabled (HTTP
// 409) and AWS's message (behaviour §16).
func (e *Engine) EnableOutboundWebIdentityFederation(account string) (string, error) {
	acct, err := e.outboundAccountID(account)
	if err != nil {
		return "", err
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[acct]
	if a != nil && a.enabled {
		return "", errorf(apierror.CodeFeatureEnabled, msgFeatureAlreadyEnabled, acct)
	}
	if a == nil {
		issuer, host, err := newIssuer(e.random())
		if err != nil {
			return "", err
		}
		next := outboundAccount{account: acct, issuer: issuer, enabled: true}
		if err := e.logOutbound(&next); err != nil {
			return "", err
		}
		if s.accounts == nil {
			s.accounts = make(map[string]*outboundAccount)
			s.hosts = make(map[string]string)
		}
		a = &next
		s.accounts[acct] = a
		s.hosts[host] = acct
	} else {
		next := *a
		next.enabled = true
		if err := e.logOutbound(&next); err != nil {
			return "", err
		}
	}
	a.enabled = true
	if a.rsaKey == nil {
		// Have the RSA key made while the caller gets on with its test.
		outboundRSAPool.Prepare()
	}
	return a.issuer, nil
}

// DisableOutboundWebIdentityFederation turns outbound identity federation
// off for account ("" for the engine's default account), as IAM's
// DisableOutboundWebIdentityFederation does: GetWebIdentityToken answers
// OutboundWebIdentityFederationDisabledException, while the issuer keeps
// serving its key set so that tokens issued earlier stay verifiable. When
// the feature is already off the error satisfies smithy.APIError with IAM's
// code FeatureDisabled (HTTP 404) and AWS's message (behaviour §16).
func (e *Engine) DisableOutboundWebIdentityFederation(account string) error {
	acct, err := e.outboundAccountID(account)
	if err != nil {
		return err
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[acct]
	if a == nil || !a.enabled {
		return errorf(apierror.CodeFeatureDisabled, msgFeatureAlreadyDisabled, acct)
	}
	next := *a
	next.enabled = false
	if err := e.logOutbound(&next); err != nil {
		return err
	}
	a.enabled = false
	return nil
}

// OutboundWebIdentityFederationInfo returns account's issuer while its
// outbound identity federation is on ("" for the engine's default account),
// as IAM's GetOutboundWebIdentityFederationInfo does. While it is off the
// error satisfies smithy.APIError with IAM's code FeatureDisabled (HTTP 404)
// and AWS's message (behaviour §16).
func (e *Engine) OutboundWebIdentityFederationInfo(account string) (OutboundFederationInfo, error) {
	acct, err := e.outboundAccountID(account)
	if err != nil {
		return OutboundFederationInfo{}, err
	}
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[acct]
	if a == nil || !a.enabled {
		return OutboundFederationInfo{}, errorf(apierror.CodeFeatureDisabled, msgFeatureDisabled, acct)
	}
	return OutboundFederationInfo{IssuerIdentifier: a.issuer, JWTVendingEnabled: true}, nil
}

// outboundIssuer returns acct's issuer and whether the feature is on ("" and
// false for an account that never enabled it).
func (e *Engine) outboundIssuer(acct string) (issuer string, enabled bool) {
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[acct]; a != nil {
		return a.issuer, a.enabled
	}
	return "", false
}

// newIssuer draws an account's issuer URL from r: a random (version 4) UUID
// under tokens.sts.global.api.aws. It returns the URL and its host.
func newIssuer(r io.Reader) (issuer, host string, err error) {
	id, err := newUUID(r)
	if err != nil {
		return "", "", err
	}
	host = id + issuerHostSuffix
	return "https://" + host, host, nil
}

// newUUID returns a random (version 4) UUID drawn from r, in lower case.
func newUUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	const hex = "0123456789abcdef"
	var s [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hex[c>>4], hex[c&15]
		j += 2
	}
	return string(s[:]), nil
}

// outboundRSAKey returns a's RS256 key, taking one from the pool the
// first time (the key the enable asked for, if it is being made).
func (e *Engine) outboundRSAKey(a *outboundAccount) (*rsa.PrivateKey, error) {
	return outboundKey(e, a, func(a *outboundAccount) **rsa.PrivateKey { return &a.rsaKey }, outboundRSAPool.GetPrepared)
}

// outboundECKey returns a's ES384 key, making it the first time (a P-384
// key takes a fraction of a millisecond).
func (e *Engine) outboundECKey(a *outboundAccount) (*ecdsa.PrivateKey, error) {
	return outboundKey(e, a, func(a *outboundAccount) **ecdsa.PrivateKey { return &a.ecKey }, func() (*ecdsa.PrivateKey, error) {
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	})
}

// outboundKey returns the key in a's field that slot points to, getting
// one from newKey and binding it (with its change record) the first time.
// The key is made or taken outside the locks (it may take a key
// generation); if another caller bound a key meanwhile, the first one
// bound stays the account's.
func outboundKey[K comparable](e *Engine, a *outboundAccount, slot func(*outboundAccount) *K, newKey func() (K, error)) (K, error) {
	var none K
	s := &e.outbound
	s.mu.Lock()
	k := *slot(a)
	s.mu.Unlock()
	if k != none {
		return k, nil
	}
	k, err := newKey()
	if err != nil {
		return none, err
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if *slot(a) == none {
		next := *a
		*slot(&next) = k
		if err := e.logOutboundKey(a, &next); err != nil {
			return none, err
		}
		*slot(a) = k
	}
	return *slot(a), nil
}

// outboundAccountByHost returns the account whose issuer is served at host
// (a Host header, with or without a port, any case), or nil.
func (e *Engine) outboundAccountByHost(host string) *outboundAccount {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.ToLower(host)
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	if acct, ok := s.hosts[host]; ok {
		return s.accounts[acct]
	}
	return nil
}

// discoveryDocument is the issuer's /.well-known/openid-configuration, as
// AWS serves it (behaviour §16): members in alphabetical order.
func discoveryDocument(issuer string) []byte {
	return []byte(`{"claims_supported":["sub","iss","aud","exp","iat","jti","https://sts.amazonaws.com/"],` +
		`"id_token_signing_alg_values_supported":["RS256","ES384"],` +
		`"issuer":"` + issuer + `","jwks_uri":"` + issuer + `/.well-known/jwks.json",` +
		`"response_types_supported":["id_token"],"subject_types_supported":["public"]}`)
}

// keySet returns the issuer's /.well-known/jwks.json: both public keys,
// making them first if need be (behaviour §16).
func (e *Engine) keySet(a *outboundAccount) ([]byte, error) {
	s := &e.outbound
	s.mu.Lock()
	doc := a.jwks
	s.mu.Unlock()
	if doc != nil {
		return doc, nil
	}
	rk, err := e.outboundRSAKey(a)
	if err != nil {
		return nil, err
	}
	ek, err := e.outboundECKey(a)
	if err != nil {
		return nil, err
	}
	doc = jwksDocument(&rk.PublicKey, &ek.PublicKey)
	s.mu.Lock()
	if a.jwks == nil {
		a.jwks = doc
	}
	doc = a.jwks
	s.mu.Unlock()
	return doc, nil
}

// jwksDocument renders the key set as AWS serves it: the RSA key, then the
// EC key, each with kid, alg and use "sig", members in alphabetical order
// (behaviour §16).
func jwksDocument(rk *rsa.PublicKey, ek *ecdsa.PublicKey) []byte {
	b64 := base64.RawURLEncoding.EncodeToString
	point, err := ek.ECDH() // 0x04 ‖ X ‖ Y, 48 bytes each for P-384
	if err != nil {
		panic("fakests: an ES384 key that is not on P-384: " + err.Error())
	}
	xy := point.Bytes()[1:]
	return []byte(`{"keys":[{"alg":"RS256","e":"` + b64(big.NewInt(int64(rk.E)).Bytes()) +
		`","kid":"` + kidRSA + `","kty":"RSA","n":"` + b64(rk.N.Bytes()) + `","use":"sig"},` +
		`{"alg":"ES384","crv":"P-384","kid":"` + kidEC384 + `","kty":"EC","use":"sig","x":"` +
		b64(xy[:48]) + `","y":"` + b64(xy[48:]) + `"}]}`)
}

// logOutbound writes the change record of an account's outbound federation
// as next describes it. e.stateMu is held for reading, e.outbound.mu held.
func (e *Engine) logOutbound(next *outboundAccount) error {
	return e.logChange(func(c *changeRecord) { c.Put = &entities{OutboundFederation: []outboundJSON{outboundToJSON(next)}} })
}

// logOutboundKey writes the change record of a key bound to a, when a is
// still the engine's (an account that Restore replaced while its key was
// being made is no longer state: its key is not recorded).
func (e *Engine) logOutboundKey(a, next *outboundAccount) error {
	if e.outbound.accounts[a.account] != a {
		return nil
	}
	return e.logOutbound(next)
}
