package fakests

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

// TestIAMOrganizationsFeatures: the switches of centralized root access on
// IAM's wire (behaviour §17, §18) decide AssumeRoot as the Go spec does.
func TestIAMOrganizationsFeatures(t *testing.T) {
	w := newRootWorld(t, OrganizationSpec{DelegatedAdministrator: rootDelegate})
	e := w.e
	ctx := context.Background()
	mgmt := newIAMClient(e, w.admin.Credentials)
	features := func(c *iam.Client) ([]iamtypes.FeatureType, error) {
		out, err := c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
		if err != nil {
			return nil, err
		}
		if aws.ToString(out.OrganizationId) != w.org.ID {
			t.Errorf("OrganizationId %s, want %s", aws.ToString(out.OrganizationId), w.org.ID)
		}
		return out.EnabledFeatures, nil
	}
	if got := must(features(mgmt))(t); got == nil || len(got) != 0 {
		t.Errorf("features before: %v, want an empty list", got)
	}
	disabled := &wantErr{"AccessDenied", "Root credentials management feature is not enabled for your AWS Organization.", 403}
	_, err := e.AssumeRoot(typed(w.admin.Credentials), rootIn(rootMember, taskAudit))
	checkErr(t, err, disabled)

	en := must(mgmt.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}))(t)
	if diff := cmp.Diff([]iamtypes.FeatureType{"RootCredentialsManagement"}, en.EnabledFeatures); diff != "" {
		t.Errorf("EnableOrganizationsRootCredentialsManagement (-want +got):\n%s", diff)
	}
	if _, err := e.AssumeRoot(typed(w.admin.Credentials), rootIn(rootMember, taskAudit)); err != nil {
		t.Fatalf("AssumeRoot after the feature was enabled over IAM's wire: %v", err)
	}
	must(mgmt.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}))(t)
	if diff := cmp.Diff([]iamtypes.FeatureType{"RootCredentialsManagement", "RootSessions"}, must(features(mgmt))(t)); diff != "" {
		t.Errorf("both features (-want +got):\n%s", diff)
	}

	// The delegated administrator may list and disable, not enable; a
	// member may do neither; an account outside any organization has none
	// (the model's exception shapes, their documentation's texts).
	delegate := newIAMClient(e, w.delegate)
	if _, err := features(delegate); err != nil {
		t.Errorf("the delegated administrator cannot list the features: %v", err)
	}
	_, err = delegate.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	checkErr(t, err, &wantErr{"CallerIsNotManagementAccountException", "The request was rejected because the account making the request is not the management account for the organization.", 400})
	must(delegate.DisableOrganizationsRootCredentialsManagement(ctx, &iam.DisableOrganizationsRootCredentialsManagementInput{}))(t)
	_, err = e.AssumeRoot(typed(w.admin.Credentials), rootIn(rootMember, taskAudit))
	checkErr(t, err, disabled)

	member := newIAMClient(e, mustUser(t, e, UserSpec{Account: rootMember, Name: "m", Policies: []string{adminPolicy}}).Credentials)
	_, err = member.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	checkErr(t, err, &wantErr{"AccountNotManagementOrDelegatedAdministratorException", "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.", 400})
	lone := newIAMClient(e, mustUser(t, e, UserSpec{Account: "999999999999", Name: "lone", Policies: []string{adminPolicy}}).Credentials)
	_, err = lone.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	checkErr(t, err, &wantErr{"OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.", 400})
}

// TestIAMOutboundFederationSwitch: the switch of behaviour §16 on IAM's
// wire, for the caller's account, with the recorded texts (stackd
// iam/outbound_identity.json, iam/outbound_issuance.json).
func TestIAMOutboundFederationSwitch(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	_, err := c.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{})
	checkErr(t, err, &wantErr{"FeatureDisabled", "Outbound identity federation is disabled for account 123456789012", 404})
	issuer := aws.ToString(must(c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{}))(t).IssuerIdentifier)
	if !regexp.MustCompile(`^https://[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$`).MatchString(issuer) {
		t.Errorf("IssuerIdentifier %q", issuer)
	}
	_, err = c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
	checkErr(t, err, &wantErr{"FeatureEnabled", "Outbound identity federation is already enabled for account 123456789012", 409})
	info := must(c.GetOutboundWebIdentityFederationInfo(ctx, &iam.GetOutboundWebIdentityFederationInfoInput{}))(t)
	if aws.ToString(info.IssuerIdentifier) != issuer || !info.JwtVendingEnabled {
		t.Errorf("GetOutboundWebIdentityFederationInfo: %s %v", aws.ToString(info.IssuerIdentifier), info.JwtVendingEnabled)
	}
	must(c.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{}))(t)
	_, err = c.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
	checkErr(t, err, &wantErr{"FeatureDisabled", "Outbound identity federation is already disabled for account 123456789012", 404})
}
