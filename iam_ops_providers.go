package fakests

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/fedverify"
)

// This file serves IAM's identity-provider operations on the wire
// (behaviour §18): OIDC providers with their client IDs and thumbprints,
// SAML providers with their metadata. A provider created over the wire
// has no key set: fakests fetches nothing, so AssumeRoleWithWebIdentity
// cannot verify tokens for it (create the provider with CreateOIDCProvider
// and its JWKS for that). Thumbprints are recorded, not checked.

func (e *Engine) iamCreateOIDCProvider(ctx context.Context, c *apiCall, in *iam.CreateOpenIDConnectProviderInput) (*iam.CreateOpenIDConnectProviderOutput, error) {
	acct := c.principal.Account
	key, err := oidcProviderKey(*in.Url)
	if err != nil {
		return nil, newError(apierror.CodeValidationError, msgInvalidOIDCURL)
	}
	if len(in.ThumbprintList) > oidcMaxThumbprint {
		return nil, newError(apierror.CodeInvalidInput, msgTooManyThumbs)
	}
	if len(in.ClientIDList) > oidcMaxClientIDs {
		return nil, errorf(apierror.CodeLimitExceeded, msgQuota, msgClientIDsPerProvider, oidcMaxClientIDs)
	}
	reqTags, err := requestTagsIAM(in.Tags)
	if err != nil {
		return nil, err
	}
	providerARN := arn.IAM(acct, "oidc-provider/"+key)
	if err := e.authorizeIAM(ctx, c, arnResource(providerARN), tagContext(nil, reqTags, nil)); err != nil {
		return nil, err
	}
	p := &oidcProvider{account: acct, arn: providerARN, key: key, clientIDs: dedupe(in.ClientIDList),
		thumbprints: slices.Clone(in.ThumbprintList), created: e.now(), tags: reqTags}
	err = e.changeProviders(func(s *federationState, c *providerChange) error {
		if s.oidc[acct+"/"+key] != nil {
			return errorf(apierror.CodeEntityAlreadyExists, msgOIDCProviderExists, *in.Url)
		}
		c.oidc = append(c.oidc, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateOpenIDConnectProviderOutput{OpenIDConnectProviderArn: aws.String(providerARN), Tags: sdkTags(reqTags)}, nil
}

// dedupe returns list without repeats, in order (never nil).
func dedupe(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// oidcOp authorizes a call on the OIDC provider providerARN and returns it
// (nil when there is none).
func (e *Engine) oidcOp(ctx context.Context, c *apiCall, providerARN string) (*oidcProvider, error) {
	if err := checkPolicyARN(providerARN); err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, arnResource(providerARN), nil); err != nil {
		return nil, err
	}
	return e.oidcProviderByARN(providerARN), nil
}

func (e *Engine) iamGetOIDCProvider(ctx context.Context, c *apiCall, in *iam.GetOpenIDConnectProviderInput) (*iam.GetOpenIDConnectProviderOutput, error) {
	p, err := e.oidcOp(ctx, c, *in.OpenIDConnectProviderArn)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchOIDCProvider, *in.OpenIDConnectProviderArn)
	}
	tags := sdkTags(p.tags)
	if tags == nil {
		tags = []types.Tag{} // recorded: an empty Tags element
	}
	return &iam.GetOpenIDConnectProviderOutput{Url: aws.String(p.key), ClientIDList: slices.Clip(append([]string{}, p.clientIDs...)),
		ThumbprintList: append([]string{}, p.thumbprints...), CreateDate: sdkTime(p.created), Tags: tags}, nil
}

func (e *Engine) iamListOIDCProviders(ctx context.Context, c *apiCall, in *iam.ListOpenIDConnectProvidersInput) (*iam.ListOpenIDConnectProvidersOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	s := e.federationState()
	s.mu.RLock()
	var arns []string
	for _, p := range s.oidc {
		if p.account == c.principal.Account {
			arns = append(arns, p.arn)
		}
	}
	s.mu.RUnlock()
	slices.Sort(arns)
	out := &iam.ListOpenIDConnectProvidersOutput{OpenIDConnectProviderList: make([]types.OpenIDConnectProviderListEntry, 0, len(arns))}
	for _, a := range arns {
		out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList, types.OpenIDConnectProviderListEntry{Arn: aws.String(a)})
	}
	return out, nil
}

func (e *Engine) iamDeleteOIDCProvider(ctx context.Context, c *apiCall, in *iam.DeleteOpenIDConnectProviderInput) (*iam.DeleteOpenIDConnectProviderOutput, error) {
	if _, err := e.oidcOp(ctx, c, *in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	if err := e.DeleteOIDCProvider(*in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	return &iam.DeleteOpenIDConnectProviderOutput{}, nil
}

func (e *Engine) iamAddClientID(ctx context.Context, c *apiCall, in *iam.AddClientIDToOpenIDConnectProviderInput) (*iam.AddClientIDToOpenIDConnectProviderOutput, error) {
	if _, err := e.oidcOp(ctx, c, *in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	if err := e.AddOIDCClientID(*in.OpenIDConnectProviderArn, *in.ClientID); err != nil {
		return nil, err
	}
	return &iam.AddClientIDToOpenIDConnectProviderOutput{}, nil
}

func (e *Engine) iamRemoveClientID(ctx context.Context, c *apiCall, in *iam.RemoveClientIDFromOpenIDConnectProviderInput) (*iam.RemoveClientIDFromOpenIDConnectProviderOutput, error) {
	if _, err := e.oidcOp(ctx, c, *in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	if err := e.RemoveOIDCClientID(*in.OpenIDConnectProviderArn, *in.ClientID); err != nil {
		return nil, err
	}
	return &iam.RemoveClientIDFromOpenIDConnectProviderOutput{}, nil
}

func (e *Engine) iamUpdateThumbprint(ctx context.Context, c *apiCall, in *iam.UpdateOpenIDConnectProviderThumbprintInput) (*iam.UpdateOpenIDConnectProviderThumbprintOutput, error) {
	if _, err := e.oidcOp(ctx, c, *in.OpenIDConnectProviderArn); err != nil {
		return nil, err
	}
	if len(in.ThumbprintList) > oidcMaxThumbprint {
		return nil, newError(apierror.CodeInvalidInput, msgTooManyThumbs)
	}
	err := e.changeOIDCProvider(*in.OpenIDConnectProviderArn, func(p *oidcProvider) error {
		p.thumbprints = slices.Clone(in.ThumbprintList)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateOpenIDConnectProviderThumbprintOutput{}, nil
}

// samlValidFor is how long a SAML provider's metadata counts as valid when
// it says nothing (choice).
const samlValidFor = 100 * 365 * 24 * time.Hour

func (e *Engine) iamCreateSAMLProvider(ctx context.Context, c *apiCall, in *iam.CreateSAMLProviderInput) (*iam.CreateSAMLProviderOutput, error) {
	acct, name := c.principal.Account, *in.Name
	if in.AddPrivateKey != nil || in.AssertionEncryptionMode == types.AssertionEncryptionModeTypeRequired {
		return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, "SAML assertion encryption")
	}
	reqTags, err := requestTagsIAM(in.Tags)
	if err != nil {
		return nil, err
	}
	providerARN := arn.IAM(acct, "saml-provider/"+name)
	if err := e.authorizeIAM(ctx, c, arnResource(providerARN), tagContext(nil, reqTags, nil)); err != nil {
		return nil, err
	}
	md, err := fedverify.ParseSAMLMetadata([]byte(*in.SAMLMetadataDocument))
	if err != nil {
		return nil, newError(apierror.CodeInvalidInput, msgBadSAMLMetadata)
	}
	p, err := e.newSAMLProvider(acct, name, *in.SAMLMetadataDocument, md, reqTags)
	if err != nil {
		return nil, err
	}
	err = e.changeProviders(func(s *federationState, c *providerChange) error {
		if s.saml[providerARN] != nil {
			return errorf(apierror.CodeEntityAlreadyExists, msgSAMLProviderExists, name)
		}
		c.saml = append(c.saml, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateSAMLProviderOutput{SAMLProviderArn: aws.String(providerARN), Tags: sdkTags(reqTags)}, nil
}

// samlOp authorizes a call on the SAML provider providerARN and returns it
// (nil when there is none).
func (e *Engine) samlOp(ctx context.Context, c *apiCall, providerARN string) (*samlProvider, error) {
	if err := checkPolicyARN(providerARN); err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, arnResource(providerARN), nil); err != nil {
		return nil, err
	}
	return e.samlProviderByARN(providerARN), nil
}

func (e *Engine) iamGetSAMLProvider(ctx context.Context, c *apiCall, in *iam.GetSAMLProviderInput) (*iam.GetSAMLProviderOutput, error) {
	p, err := e.samlOp(ctx, c, *in.SAMLProviderArn)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchSAMLProvider, *in.SAMLProviderArn)
	}
	tags := sdkTags(p.tags)
	if tags == nil {
		tags = []types.Tag{}
	}
	return &iam.GetSAMLProviderOutput{SAMLProviderUUID: aws.String(p.uuid), SAMLMetadataDocument: aws.String(p.document),
		CreateDate: sdkTime(p.created), ValidUntil: sdkTime(p.created.Add(samlValidFor)), Tags: tags,
		AssertionEncryptionMode: types.AssertionEncryptionModeTypeAllowed, PrivateKeyList: []types.SAMLPrivateKey{}}, nil
}

func (e *Engine) iamListSAMLProviders(ctx context.Context, c *apiCall, in *iam.ListSAMLProvidersInput) (*iam.ListSAMLProvidersOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	s := e.federationState()
	s.mu.RLock()
	var ps []*samlProvider
	for _, p := range s.saml {
		if p.account == c.principal.Account {
			ps = append(ps, p)
		}
	}
	s.mu.RUnlock()
	sortBy(ps, func(p *samlProvider) string { return p.arn })
	out := &iam.ListSAMLProvidersOutput{SAMLProviderList: make([]types.SAMLProviderListEntry, 0, len(ps))}
	for _, p := range ps {
		out.SAMLProviderList = append(out.SAMLProviderList, types.SAMLProviderListEntry{Arn: aws.String(p.arn),
			CreateDate: sdkTime(p.created), ValidUntil: sdkTime(p.created.Add(samlValidFor))})
	}
	return out, nil
}

func (e *Engine) iamUpdateSAMLProvider(ctx context.Context, c *apiCall, in *iam.UpdateSAMLProviderInput) (*iam.UpdateSAMLProviderOutput, error) {
	if in.AddPrivateKey != nil || in.RemovePrivateKey != nil || in.AssertionEncryptionMode == types.AssertionEncryptionModeTypeRequired {
		return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, "SAML assertion encryption")
	}
	p, err := e.samlOp(ctx, c, *in.SAMLProviderArn)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchSAMLProvider, *in.SAMLProviderArn)
	}
	if in.SAMLMetadataDocument != nil {
		md, err := fedverify.ParseSAMLMetadata([]byte(*in.SAMLMetadataDocument))
		if err != nil {
			return nil, newError(apierror.CodeInvalidInput, msgBadSAMLMetadata)
		}
		if err := e.replaceSAMLMetadata(p.arn, *in.SAMLMetadataDocument, md); err != nil {
			return nil, err
		}
	}
	return &iam.UpdateSAMLProviderOutput{SAMLProviderArn: aws.String(p.arn)}, nil
}

func (e *Engine) iamDeleteSAMLProvider(ctx context.Context, c *apiCall, in *iam.DeleteSAMLProviderInput) (*iam.DeleteSAMLProviderOutput, error) {
	if _, err := e.samlOp(ctx, c, *in.SAMLProviderArn); err != nil {
		return nil, err
	}
	if err := e.DeleteSAMLProvider(*in.SAMLProviderArn); err != nil {
		return nil, err
	}
	return &iam.DeleteSAMLProviderOutput{}, nil
}
