package fakests

import (
	"fmt"
	"regexp"

	"github.com/fakests/fakests/federation"
)

// This file is the IAM side of SAML federation: SAML providers, which
// AssumeRoleWithSAML names by ARN in PrincipalArn (facts §2.1, §11.2). Like
// providers_oidc.go it is administration, not an AWS API:
// CreateSAMLProvider needs no caller and returns plain Go errors.

// samlProviderNameRE is IAM's CreateSAMLProvider Name: 1–128 characters of
// [\w._-] (IAM's model; \w is ASCII, facts §4 note).
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

// samlProvider is a SAML provider as created.
type samlProvider struct {
	account, name string
	arn           string // arn:aws:iam::ACCT:saml-provider/NAME
	metadata      *federation.SAMLMetadata
}

// CreateSAMLProvider creates an IAM SAML identity provider and returns its
// ARN, arn:aws:iam::ACCOUNT:saml-provider/NAME. A role trusts it by naming
// that ARN as a Federated principal, and the IdP's Role attribute pairs the
// role's ARN with it:
//
//	arn, _ := e.CreateSAMLProvider(fakests.SAMLProviderSpec{Name: "Okta", Metadata: idp.Metadata()})
//	// trust policy: {"Principal":{"Federated":arn},"Action":"sts:AssumeRoleWithSAML",…}
//
// It fails for a malformed account or name, for metadata that
// federation.ParseSAMLMetadata rejects, and for a name the account already
// has a SAML provider for. The metadata is parsed once, here.
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
	md, err := federation.ParseSAMLMetadata(spec.Metadata)
	if err != nil {
		return "", fmt.Errorf("fakests: SAML provider %s: %w", spec.Name, err)
	}
	p := &samlProvider{
		account:  spec.Account,
		name:     spec.Name,
		arn:      "arn:aws:iam::" + spec.Account + ":saml-provider/" + spec.Name,
		metadata: md,
	}
	s := e.federationState()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saml[p.arn] != nil {
		return "", fmt.Errorf("fakests: SAML provider %s already exists", p.arn)
	}
	if s.saml == nil {
		s.saml = make(map[string]*samlProvider)
	}
	s.saml[p.arn] = p
	return p.arn, nil
}

// samlProviderByARN returns the SAML provider an ARN names, or nil. The ARN
// must match exactly, as IAM ARNs are compared.
func (e *Engine) samlProviderByARN(arn string) *samlProvider {
	s := e.federationState()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.saml[arn]
}
