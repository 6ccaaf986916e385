package fakests

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
)

// This file serves IAM's organization features on the wire (behaviour §17,
// §18): ListOrganizationsFeatures and the switches of centralized root
// access, RootCredentialsManagement and RootSessions, which AssumeRoot
// obeys. The management account and the delegated administrator may list
// and disable them; only the management account may enable them. Trusted
// access for IAM is taken to be on in every organization (choice).

// orgFeatureCaller returns the organization of the caller's account, which
// must be its management account or delegated administrator, or, with
// managementOnly, its management account.
func (e *Engine) orgFeatureCaller(c *apiCall, managementOnly bool) (organization, error) {
	acct := c.principal.Account
	o, ok := e.organizationOf(acct)
	switch {
	case !ok:
		return o, apierror.New(codeOrganizationNotFound, msgOrganizationNotFound)
	case acct != o.Management && acct != o.DelegatedAdmin:
		return o, apierror.New(codeNotManagementOrAdmin, msgNotManagementOrAdmin)
	case managementOnly && acct != o.Management:
		return o, apierror.New(codeNotManagementAccount, msgNotManagementAccount)
	}
	return o, nil
}

// featuresOf lists the features o has on, in the model's enum order.
func featuresOf(o organization) []types.FeatureType {
	out := []types.FeatureType{}
	if o.RootCredentials {
		out = append(out, types.FeatureTypeRootCredentialsManagement)
	}
	if o.RootSessions {
		out = append(out, types.FeatureTypeRootSessions)
	}
	return out
}

func (e *Engine) iamListOrganizationsFeatures(ctx context.Context, c *apiCall, in *iam.ListOrganizationsFeaturesInput) (*iam.ListOrganizationsFeaturesOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	o, err := e.orgFeatureCaller(c, false)
	if err != nil {
		return nil, err
	}
	return &iam.ListOrganizationsFeaturesOutput{OrganizationId: aws.String(o.ID), EnabledFeatures: featuresOf(o)}, nil
}

// setOrgFeature turns a feature of the caller's organization on or off and
// returns the organization as it is then.
func (e *Engine) setOrgFeature(ctx context.Context, c *apiCall, feature rootFeature, on bool) (organization, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return organization{}, err
	}
	o, err := e.orgFeatureCaller(c, on)
	if err != nil {
		return o, err
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.orgs
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.byID[o.ID]
	if live == nil {
		return o, apierror.New(codeOrganizationNotFound, msgOrganizationNotFound)
	}
	next := *live
	switch feature {
	case featureRootCredentials:
		next.RootCredentials = on
	case featureRootSessions:
		next.RootSessions = on
	default:
		return o, fmt.Errorf("fakests: no organization feature %d", feature)
	}
	// The change record first, then the change (changelog.go).
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Organizations: []organizationJSON{organizationToJSON(&next)}} }); err != nil {
		return o, err
	}
	live.RootCredentials, live.RootSessions = next.RootCredentials, next.RootSessions
	return *live, nil
}

func (e *Engine) iamEnableRootCredentials(ctx context.Context, c *apiCall, in *iam.EnableOrganizationsRootCredentialsManagementInput) (*iam.EnableOrganizationsRootCredentialsManagementOutput, error) {
	o, err := e.setOrgFeature(ctx, c, featureRootCredentials, true)
	if err != nil {
		return nil, err
	}
	return &iam.EnableOrganizationsRootCredentialsManagementOutput{OrganizationId: aws.String(o.ID), EnabledFeatures: featuresOf(o)}, nil
}

func (e *Engine) iamDisableRootCredentials(ctx context.Context, c *apiCall, in *iam.DisableOrganizationsRootCredentialsManagementInput) (*iam.DisableOrganizationsRootCredentialsManagementOutput, error) {
	o, err := e.setOrgFeature(ctx, c, featureRootCredentials, false)
	if err != nil {
		return nil, err
	}
	return &iam.DisableOrganizationsRootCredentialsManagementOutput{OrganizationId: aws.String(o.ID), EnabledFeatures: featuresOf(o)}, nil
}

func (e *Engine) iamEnableRootSessions(ctx context.Context, c *apiCall, in *iam.EnableOrganizationsRootSessionsInput) (*iam.EnableOrganizationsRootSessionsOutput, error) {
	o, err := e.setOrgFeature(ctx, c, featureRootSessions, true)
	if err != nil {
		return nil, err
	}
	return &iam.EnableOrganizationsRootSessionsOutput{OrganizationId: aws.String(o.ID), EnabledFeatures: featuresOf(o)}, nil
}

func (e *Engine) iamDisableRootSessions(ctx context.Context, c *apiCall, in *iam.DisableOrganizationsRootSessionsInput) (*iam.DisableOrganizationsRootSessionsOutput, error) {
	o, err := e.setOrgFeature(ctx, c, featureRootSessions, false)
	if err != nil {
		return nil, err
	}
	return &iam.DisableOrganizationsRootSessionsOutput{OrganizationId: aws.String(o.ID), EnabledFeatures: featuresOf(o)}, nil
}

// The outbound identity federation switch of the caller's account
// (behaviour §16), on IAM's wire: the Go methods of outbound.go.

func (e *Engine) iamEnableOutbound(ctx context.Context, c *apiCall, in *iam.EnableOutboundWebIdentityFederationInput) (*iam.EnableOutboundWebIdentityFederationOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	issuer, err := e.EnableOutboundWebIdentityFederation(c.principal.Account)
	if err != nil {
		return nil, err
	}
	return &iam.EnableOutboundWebIdentityFederationOutput{IssuerIdentifier: aws.String(issuer)}, nil
}

func (e *Engine) iamDisableOutbound(ctx context.Context, c *apiCall, in *iam.DisableOutboundWebIdentityFederationInput) (*iam.DisableOutboundWebIdentityFederationOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	if err := e.DisableOutboundWebIdentityFederation(c.principal.Account); err != nil {
		return nil, err
	}
	return &iam.DisableOutboundWebIdentityFederationOutput{}, nil
}

func (e *Engine) iamGetOutboundInfo(ctx context.Context, c *apiCall, in *iam.GetOutboundWebIdentityFederationInfoInput) (*iam.GetOutboundWebIdentityFederationInfoOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	info, err := e.OutboundWebIdentityFederationInfo(c.principal.Account)
	if err != nil {
		return nil, err
	}
	return &iam.GetOutboundWebIdentityFederationInfoOutput{IssuerIdentifier: aws.String(info.IssuerIdentifier),
		JwtVendingEnabled: info.JWTVendingEnabled}, nil
}
