package fakests

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/fakests/fakests/federation"
)

// This file is the IAM side of web identity federation: OIDC identity
// providers, which AssumeRoleWithWebIdentity looks up by the token's issuer
// (facts §2.1, §11.3). Like identity.go it is administration, not an AWS
// API: CreateOIDCProvider needs no caller and returns plain Go errors.

// IAM's limits on an OIDC provider (facts §11.3: ≤ 100 client IDs, ≤ 5
// thumbprints; IAM's CreateOpenIDConnectProvider: URL ≤ 255 characters,
// client IDs 1–255 characters, thumbprints 40 hex digits).
const (
	oidcMaxURLLen     = 255
	oidcMaxClientIDs  = 100
	oidcMaxClientID   = 255
	oidcMaxThumbprint = 5
)

// OIDCProviderSpec describes an IAM OIDC identity provider for
// CreateOIDCProvider. Exactly one of JWKS and FetchJWKS must be set.
type OIDCProviderSpec struct {
	// Account owns the provider; default: the engine's account. A token is
	// accepted only for roles of this account (facts §11.3: "your account").
	Account string
	// URL is the issuer, "https://host[/path]": the "iss" of the tokens the
	// provider accepts. The provider's ARN and condition-key prefix are the
	// URL without "https://".
	URL string
	// ClientIDs are the audiences the provider accepts (the token's "aud",
	// or "azp" when present): 1–100 strings of 1–255 characters.
	ClientIDs []string
	// Thumbprints are kept for fidelity (up to five, each 40 hex digits) and
	// not checked: nothing is fetched over TLS.
	Thumbprints []string
	// JWKS is a static key set, {"keys":[…]}, such as OIDCIssuer.JWKS().
	JWKS []byte
	// FetchJWKS, when set, is called on every AssumeRoleWithWebIdentity for
	// this provider, with the request's context, to get the key set. An
	// error stands for an unreachable identity provider and answers
	// IDPCommunicationError, which SDK clients retry.
	FetchJWKS func(ctx context.Context) ([]byte, error)
}

// oidcProvider is an OIDC identity provider as created.
type oidcProvider struct {
	account   string
	arn       string // arn:aws:iam::ACCT:oidc-provider/HOSTPATH
	key       string // HOSTPATH: the URL without https://, prefix of condition keys
	clientIDs []string
	jwks      []byte
	fetch     func(ctx context.Context) ([]byte, error)
}

// CreateOIDCProvider creates an IAM OIDC identity provider and returns its
// ARN, arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]. A role trusts it by
// naming that ARN as a Federated principal:
//
//	arn, _ := e.CreateOIDCProvider(fakests.OIDCProviderSpec{
//		URL: iss.URL(), ClientIDs: []string{"sts.amazonaws.com"}, JWKS: iss.JWKS()})
//	// trust policy: {"Principal":{"Federated":arn},"Action":"sts:AssumeRoleWithWebIdentity",…}
//
// It fails for a malformed spec and for a URL the account already has a
// provider for.
func (e *Engine) CreateOIDCProvider(spec OIDCProviderSpec) (string, error) {
	if spec.Account == "" {
		spec.Account = e.account
	}
	if !isAccountID(spec.Account) {
		return "", fmt.Errorf("fakests: account %q is not 12 digits", spec.Account)
	}
	key, err := oidcProviderKey(spec.URL)
	if err != nil {
		return "", err
	}
	switch {
	case spec.JWKS == nil && spec.FetchJWKS == nil:
		return "", fmt.Errorf("fakests: OIDC provider %s needs JWKS or FetchJWKS", spec.URL)
	case spec.JWKS != nil && spec.FetchJWKS != nil:
		return "", fmt.Errorf("fakests: OIDC provider %s: set JWKS or FetchJWKS, not both", spec.URL)
	case len(spec.ClientIDs) == 0 || len(spec.ClientIDs) > oidcMaxClientIDs:
		return "", fmt.Errorf("fakests: OIDC provider %s needs 1-%d client IDs", spec.URL, oidcMaxClientIDs)
	case len(spec.Thumbprints) > oidcMaxThumbprint:
		return "", fmt.Errorf("fakests: OIDC provider %s may have at most %d thumbprints", spec.URL, oidcMaxThumbprint)
	}
	for _, id := range spec.ClientIDs {
		if id == "" || len(id) > oidcMaxClientID {
			return "", fmt.Errorf("fakests: OIDC provider %s: client ID %q must be 1-%d characters", spec.URL, id, oidcMaxClientID)
		}
	}
	for _, tp := range spec.Thumbprints {
		if !isHex40(tp) {
			return "", fmt.Errorf("fakests: OIDC provider %s: thumbprint %q is not 40 hex digits", spec.URL, tp)
		}
	}
	p := &oidcProvider{
		account:   spec.Account,
		arn:       "arn:aws:iam::" + spec.Account + ":oidc-provider/" + key,
		key:       key,
		clientIDs: append([]string(nil), spec.ClientIDs...),
		jwks:      append([]byte(nil), spec.JWKS...),
		fetch:     spec.FetchJWKS,
	}
	s := e.federationState()
	s.mu.Lock()
	defer s.mu.Unlock()
	id := spec.Account + "/" + key
	if s.oidc[id] != nil {
		return "", fmt.Errorf("fakests: OIDC provider %s already exists in account %s", p.arn, spec.Account)
	}
	if s.oidc == nil {
		s.oidc = make(map[string]*oidcProvider)
	}
	s.oidc[id] = p
	return p.arn, nil
}

// oidcProviderKey checks an issuer URL as IAM does and returns it without
// its scheme: an https URL with a host, no user info, query or fragment,
// at most 255 characters.
func oidcProviderKey(raw string) (string, error) {
	if len(raw) > oidcMaxURLLen {
		return "", fmt.Errorf("fakests: OIDC provider URL is longer than %d characters", oidcMaxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("fakests: OIDC provider URL %q must be https://host[/path] with no query or fragment", raw)
	}
	return strings.TrimPrefix(raw, "https://"), nil
}

// isHex40 reports whether s is 40 hexadecimal digits (a SHA-1 thumbprint).
func isHex40(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// oidcProviderFor returns the provider of account acct that issues iss
// (with or without "https://"), or nil.
func (e *Engine) oidcProviderFor(acct, iss string) *oidcProvider {
	s := e.federationState()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.oidc[acct+"/"+strings.TrimPrefix(iss, "https://")]
}

// keys returns the provider's key set: the static one, or a fresh fetch.
// A failed fetch is the IDPCommunicationError of facts §11.3
// (clarifications, Issue 4).
func (p *oidcProvider) keys(ctx context.Context, op string) ([]byte, error) {
	if p.fetch == nil {
		return p.jwks, nil
	}
	doc, err := p.fetch(ctx)
	if err != nil {
		return nil, errorf(op, codeIDPCommunicationError, msgIDPCommunication, p.key, err)
	}
	return doc, nil
}

// verifyError maps a federation verdict to op's error: the code goes
// through the catalogue, so modelled codes become typed exceptions, and
// the message passes through unchanged.
func verifyError(op string, err error) error {
	if ve, ok := err.(*federation.VerifyError); ok {
		return newError(op, lookupCode(ve.Code), ve.Message)
	}
	return newError(op, codeInternalFailure, err.Error())
}
