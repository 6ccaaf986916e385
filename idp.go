package fakests

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/tags"
)

// This file is the IAM side of federation: OIDC identity providers, which
// AssumeRoleWithWebIdentity looks up by the token's issuer, and SAML
// providers, which AssumeRoleWithSAML names by ARN in PrincipalArn. Like
// iam.go it is administration, not an AWS API: the Create methods need no
// caller and return plain Go errors.

// IAM's limits on an OIDC provider (behaviour §11.3: ≤ 100 client IDs, ≤ 5
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
	// accepted only for roles of this account (behaviour §11.3: "your account").
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

// oidcProvider is an OIDC identity provider as created. It never changes:
// IAM's updates replace it in federationState with a changed copy, so a
// request that looked it up reads it without a lock.
type oidcProvider struct {
	account     string
	arn         string // arn:aws:iam::ACCT:oidc-provider/HOSTPATH
	key         string // HOSTPATH: the URL without https://, prefix of condition keys
	clientIDs   []string
	thumbprints []string
	created     time.Time
	tags        []tags.Tag
	jwks        []byte
	fetch       func(ctx context.Context) ([]byte, error)
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
		account:     spec.Account,
		arn:         arn.IAM(spec.Account, "oidc-provider/"+key),
		key:         key,
		clientIDs:   append([]string(nil), spec.ClientIDs...),
		thumbprints: append([]string(nil), spec.Thumbprints...),
		created:     e.now(),
		jwks:        append([]byte(nil), spec.JWKS...),
		fetch:       spec.FetchJWKS,
	}
	// With a change log, a FetchJWKS provider is refused: the log cannot
	// hold a function (behaviour §23).
	err = e.changeProviders(func(s *federationState, c *providerChange) error {
		if s.oidc[spec.Account+"/"+key] != nil {
			return fmt.Errorf("fakests: OIDC provider %s already exists in account %s", p.arn, spec.Account)
		}
		c.oidc = append(c.oidc, p)
		return nil
	})
	if err != nil {
		return "", err
	}
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
// A failed fetch is the IDPCommunicationError of behaviour §11.3
// (behaviour §11.3).
func (p *oidcProvider) keys(ctx context.Context) ([]byte, error) {
	if p.fetch == nil {
		return p.jwks, nil
	}
	doc, err := p.fetch(ctx)
	if err != nil {
		return nil, errorf(apierror.CodeIDPCommunicationError, msgIDPCommunication, p.key, err)
	}
	return doc, nil
}

// samlProviderNameRE is IAM's CreateSAMLProvider Name: 1–128 characters of
// [\w._-] (IAM's model; \w is ASCII, behaviour §4 note).
var samlProviderNameRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,128}$`)

// SAMLProviderSpec describes an IAM SAML identity provider for
// CreateSAMLProvider.
type SAMLProviderSpec struct {
	// Account owns the provider; default: the engine's account. The
	// provider's account is part of the NameQualifier and saml:doc.
	Account string
	// Name is the provider's friendly name, 1–128 characters of
	// [A-Za-z0-9_.-]: the last part of its ARN.
	Name string
	// Metadata is the IdP's SAML metadata document (an EntityDescriptor with
	// an IDPSSODescriptor and at least one signing certificate), such as
	// federation.SAMLIdP.Metadata(). Assertions must be signed by one of its
	// certificates and carry its entityID as their Issuer.
	Metadata []byte
}

// samlProvider is a SAML provider as created. Like oidcProvider it never
// changes: UpdateSAMLProvider replaces it with a changed copy.
type samlProvider struct {
	account, name string
	arn           string // arn:aws:iam::ACCT:saml-provider/NAME
	metadata      *fedverify.SAMLMetadata
	document      string // the metadata document as given
	uuid          string // SAMLProviderUUID
	created       time.Time
	tags          []tags.Tag
}

// CreateSAMLProvider creates an IAM SAML identity provider and returns its
// ARN, arn:aws:iam::ACCOUNT:saml-provider/NAME. A role trusts it by naming
// that ARN as a Federated principal, and the IdP's Role attribute pairs the
// role's ARN with it:
//
//	arn, _ := e.CreateSAMLProvider(fakests.SAMLProviderSpec{Name: "Okta", Metadata: idp.Metadata()})
//	// trust policy: {"Principal":{"Federated":arn},"Action":"sts:AssumeRoleWithSAML",…}
//
// It fails for a malformed account or name, for metadata without an
// entityID or a signing certificate (or that is not a well-formed
// EntityDescriptor within the hostile-XML limits: no DOCTYPE or entities,
// bounded depth and size), and for a name the account already has a SAML
// provider for. The metadata is parsed once, here.
func (e *Engine) CreateSAMLProvider(spec SAMLProviderSpec) (string, error) {
	if spec.Account == "" {
		spec.Account = e.account
	}
	if !isAccountID(spec.Account) {
		return "", fmt.Errorf("fakests: account %q is not 12 digits", spec.Account)
	}
	if !samlProviderNameRE.MatchString(spec.Name) {
		return "", fmt.Errorf("fakests: SAML provider name %q must be 1-128 characters of [A-Za-z0-9_.-]", spec.Name)
	}
	md, err := fedverify.ParseSAMLMetadata(spec.Metadata)
	if err != nil {
		return "", fmt.Errorf("fakests: SAML provider %s: %w", spec.Name, err)
	}
	p, err := e.newSAMLProvider(spec.Account, spec.Name, string(spec.Metadata), md, nil)
	if err != nil {
		return "", err
	}
	err = e.changeProviders(func(s *federationState, c *providerChange) error {
		if s.saml[p.arn] != nil {
			return fmt.Errorf("fakests: SAML provider %s already exists", p.arn)
		}
		c.saml = append(c.saml, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	return p.arn, nil
}

// samlProviderByARN returns the SAML provider an ARN names, or nil. The ARN
// must match exactly, as IAM ARNs are compared.
func (e *Engine) samlProviderByARN(providerARN string) *samlProvider {
	s := e.federationState()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.saml[providerARN]
}
