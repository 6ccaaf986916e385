package fakests

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/tags"
)

// This file changes the identity providers of idp.go after they are
// created: deletion, client IDs, thumbprints, SAML metadata. A provider
// never changes in place: a change stores a changed copy, so that the
// federated operations, which look a provider up and then read it without
// a lock, see one state or the other. The exported methods are
// administration: no caller, IAM's errors.

// newSAMLProvider returns a SAML provider (not yet stored).
func (e *Engine) newSAMLProvider(acct, name, doc string, md *fedverify.SAMLMetadata, ts []tags.Tag) (*samlProvider, error) {
	p := &samlProvider{account: acct, name: name, arn: arn.IAM(acct, "saml-provider/"+name), metadata: md,
		document: doc, created: e.now(), tags: ts}
	// A UUID-shaped ID drawn from the engine's randomness, so that WithRand
	// makes it reproducible.
	var b [16]byte
	if _, err := e.random().Read(b[:]); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b[:])
	h := hex.EncodeToString(sum[:16])
	p.uuid = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	return p, nil
}

// DeleteOIDCProvider deletes the OIDC provider with ARN providerARN;
// AssumeRoleWithWebIdentity for roles trusting it then fails as for a
// provider never created.
func (e *Engine) DeleteOIDCProvider(providerARN string) error {
	return e.changeProviders(func(s *federationState, c *providerChange) error {
		id, ok := oidcIDOfARN(providerARN)
		if !ok || s.oidc[id] == nil || s.oidc[id].arn != providerARN {
			return errorf(apierror.CodeNoSuchEntity, msgNoOIDCProviderToDel, providerARN)
		}
		c.oidcDel = append(c.oidcDel, s.oidc[id])
		return nil
	})
}

// oidcIDOfARN returns the federationState key of an OIDC provider ARN,
// "<account>/<host and path>".
func oidcIDOfARN(providerARN string) (string, bool) {
	acct, res, ok := splitIAMARN(providerARN)
	if !ok {
		return "", false
	}
	key, ok := strings.CutPrefix(res, "oidc-provider/")
	if !ok || key == "" {
		return "", false
	}
	return acct + "/" + key, true
}

// oidcProviderByARN returns the OIDC provider an ARN names, or nil.
func (e *Engine) oidcProviderByARN(providerARN string) *oidcProvider {
	id, ok := oidcIDOfARN(providerARN)
	if !ok {
		return nil
	}
	s := e.federationState()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.oidc[id]; p != nil && p.arn == providerARN {
		return p
	}
	return nil
}

// changeOIDCProvider stores a changed copy of the OIDC provider with ARN
// providerARN: change edits the copy and may refuse.
func (e *Engine) changeOIDCProvider(providerARN string, change func(*oidcProvider) error) error {
	return e.changeProviders(func(s *federationState, c *providerChange) error {
		id, ok := oidcIDOfARN(providerARN)
		if !ok || s.oidc[id] == nil || s.oidc[id].arn != providerARN {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchOIDCProvider, providerARN)
		}
		p := *s.oidc[id]
		p.clientIDs, p.thumbprints, p.tags = slices.Clone(p.clientIDs), slices.Clone(p.thumbprints), slices.Clone(p.tags)
		if err := change(&p); err != nil {
			return err
		}
		c.oidc = append(c.oidc, &p)
		return nil
	})
}

// AddOIDCClientID adds an audience to the OIDC provider with ARN
// providerARN, as IAM's AddClientIDToOpenIDConnectProvider does (adding
// one it has changes nothing; at most 100).
func (e *Engine) AddOIDCClientID(providerARN, clientID string) error {
	if clientID == "" || len(clientID) > oidcMaxClientID {
		return apierror.New(apierror.CodeValidationError, "fakests: a client ID is 1-255 characters")
	}
	return e.changeOIDCProvider(providerARN, func(p *oidcProvider) error {
		if slices.Contains(p.clientIDs, clientID) {
			return nil
		}
		if len(p.clientIDs) >= oidcMaxClientIDs {
			return errorf(apierror.CodeLimitExceeded, msgQuota, msgClientIDsPerProvider, oidcMaxClientIDs)
		}
		p.clientIDs = append(p.clientIDs, clientID)
		return nil
	})
}

// RemoveOIDCClientID removes an audience from the OIDC provider with ARN
// providerARN (one it does not have changes nothing, as in IAM).
func (e *Engine) RemoveOIDCClientID(providerARN, clientID string) error {
	return e.changeOIDCProvider(providerARN, func(p *oidcProvider) error {
		p.clientIDs = slices.DeleteFunc(p.clientIDs, func(s string) bool { return s == clientID })
		return nil
	})
}

// DeleteSAMLProvider deletes the SAML provider with ARN providerARN;
// AssumeRoleWithSAML naming it then fails as for a provider never created.
func (e *Engine) DeleteSAMLProvider(providerARN string) error {
	return e.changeProviders(func(s *federationState, c *providerChange) error {
		if s.saml[providerARN] == nil {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchSAMLProvider, providerARN)
		}
		c.samlDel = append(c.samlDel, s.saml[providerARN])
		return nil
	})
}

// UpdateSAMLProvider replaces the metadata document of the SAML provider
// with ARN providerARN (the IdP's new signing keys, say), checked as
// CreateSAMLProvider checks it.
func (e *Engine) UpdateSAMLProvider(providerARN string, metadata []byte) error {
	md, err := fedverify.ParseSAMLMetadata(metadata)
	if err != nil {
		return &docError{what: "SAML provider " + providerARN, err: apierror.New(apierror.CodeInvalidInput, msgBadSAMLMetadata)}
	}
	return e.replaceSAMLMetadata(providerARN, string(metadata), md)
}

// replaceSAMLMetadata stores a copy of the provider with new metadata.
func (e *Engine) replaceSAMLMetadata(providerARN, doc string, md *fedverify.SAMLMetadata) error {
	return e.changeProviders(func(s *federationState, c *providerChange) error {
		old := s.saml[providerARN]
		if old == nil {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchSAMLProvider, providerARN)
		}
		p := *old
		p.metadata, p.document = md, doc
		c.saml = append(c.saml, &p)
		return nil
	})
}
