package fakests

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// This file pins that every change of IAM's state has its change record
// (behaviour §23): each mutating IAM operation on the wire, and each
// exported method that changes state, runs on an engine with a change
// log; Recover of the log gives an engine whose snapshot equals the live
// one's. The tables must name every such operation and method: a new one
// fails the test until it is added, with its record.

// iamBase is an engine with a change log from New on, holding one of each
// IAM entity for the operations to change.
type iamBase struct {
	e                    *Engine
	log                  *bytes.Buffer
	c                    *iam.Client
	clk                  *manualClock
	user                 *User  // "u": an inline policy "in", policy p attached, one key
	role                 *Role  // "r": an inline policy "in", policy p attached
	policy, awsPolicy    string // p (versions v1, the default, and v2), and an AWS managed policy
	oidc, saml           string // provider ARNs
	spare                string // an unassigned MFA device's serial
	spareSeed            []byte
	gone, goneRole, none string // a user and role with nothing attached; a policy attached to nothing
	before               []byte // the state the change is compared with
}

// from makes the state now the one the change is compared with: a case
// calls it after what only prepares its change.
func (b *iamBase) from(t *testing.T) { b.before = b.state(t) }

// newIAMBase builds the base engine.
func newIAMBase(t *testing.T) *iamBase {
	t.Helper()
	clk := &manualClock{t: testEpoch}
	b := &iamBase{clk: clk, log: new(bytes.Buffer)}
	b.e = New(WithClock(clk.Now), Strict())
	if err := b.e.LogChanges(b.log); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	e, ctx := b.e, context.Background()
	var err error
	b.awsPolicy, err = e.CreateAWSManagedPolicy("/", "AdministratorAccess", adminPolicy)
	must(err)
	b.policy, err = e.CreateManagedPolicy("", "p", s3ListPolicy)
	must(err)
	_, err = e.CreatePolicyVersion(b.policy, ec2Policy, false)
	must(err)
	b.none, err = e.CreateManagedPolicy("", "none", s3ListPolicy)
	must(err)
	b.user = mustUser(t, e, UserSpec{Name: "u", ManagedPolicyARNs: []string{b.policy}, Tags: map[string]string{"a": "1"}})
	must(e.PutUserPolicy(b.user.ARN, "in", s3ListPolicy))
	b.role = mustRole(t, e, RoleSpec{Name: "r", TrustPolicy: trustAccount(acctA), ManagedPolicyARNs: []string{b.policy},
		Tags: map[string]string{"a": "1"}})
	must(e.PutRolePolicy(b.role.ARN, "in", s3ListPolicy))
	b.gone = mustUser(t, e, UserSpec{Name: "gone"}).ARN
	b.goneRole = mustRole(t, e, RoleSpec{Name: "gone-role", TrustPolicy: trustAccount(acctA)}).ARN
	b.oidc, err = e.CreateOIDCProvider(OIDCProviderSpec{URL: "https://idp.example.com", ClientIDs: []string{"a"}, JWKS: []byte(`{"keys":[]}`)})
	must(err)
	b.saml, err = e.CreateSAMLProvider(SAMLProviderSpec{Name: samlProvName, Metadata: oktaIdP().Metadata()})
	must(err)
	_, err = e.CreateOrganization(OrganizationSpec{ManagementAccount: acctA, Members: []string{acctB}})
	must(err)
	b.c = newIAMClient(e, e.RootCredentials(""))
	dev, err := b.c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("spare")})
	must(err)
	b.spare = aws.ToString(dev.VirtualMFADevice.SerialNumber)
	b.spareSeed, err = base32.StdEncoding.DecodeString(string(dev.VirtualMFADevice.Base32StringSeed))
	must(err)
	clk.Advance(time.Minute)
	return b
}

// codes are two consecutive codes of the spare device, as EnableMFADevice
// takes them.
func (b *iamBase) codes() (string, string) {
	s := uint64(b.clk.Now().Unix()) / 30
	return totp(b.spareSeed, s-1, 6), totp(b.spareSeed, s, 6)
}

// state is the engine's snapshot without its journal, which change
// records do not carry.
func (b *iamBase) state(t *testing.T) []byte {
	t.Helper()
	return withoutJournal(t, marshalState(t, b.e))
}

// checkRecovered runs change on a new base and checks that it changed the
// state and that Recover of the log gives the same state.
func checkRecovered(t *testing.T, change func(t *testing.T, b *iamBase, ctx context.Context) error) {
	t.Helper()
	b := newIAMBase(t)
	b.from(t)
	b.clk.Advance(time.Second)
	if err := change(t, b, context.Background()); err != nil {
		t.Fatalf("the change failed: %v", err)
	}
	after := b.state(t)
	if bytes.Equal(b.before, after) {
		t.Fatal("the change changed nothing: the case does not test its record")
	}
	e2, err := Recover(bytes.NewReader(b.log.Bytes()), WithClock(b.clk.Now), Strict())
	if err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(after, withoutJournal(t, marshalState(t, e2))); diff != "" {
		t.Errorf("the recovered engine differs from the live one (-live +recovered):\n%s", diff)
	}
}

// iamWireChanges are the mutating IAM operations, by Action, each run once.
var iamWireChanges = map[string]func(t *testing.T, b *iamBase, ctx context.Context) error{
	"CreateUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("new"), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		return err
	},
	"DeleteUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if err := b.e.DeleteAccessKey(b.e.mustUserKey(t, "gone")); err != nil {
			return err
		}
		b.from(t)
		_, err := b.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("gone")})
		return err
	},
	"TagUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: []iamtypes.Tag{{Key: aws.String("b"), Value: aws.String("2")}}})
		return err
	},
	"UntagUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("u"), TagKeys: []string{"a"}})
		return err
	},
	"CreateAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u")})
		return err
	},
	"UpdateAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("u"),
			AccessKeyId: aws.String(b.user.Credentials.AccessKeyID), Status: iamtypes.StatusTypeInactive})
		return err
	},
	"DeleteAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("u"), AccessKeyId: aws.String(b.user.Credentials.AccessKeyID)})
		return err
	},
	"CreateRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("new"), AssumeRolePolicyDocument: aws.String(trustAccount(acctA)),
			Description: aws.String("d")})
		return err
	},
	"UpdateRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("r"), MaxSessionDuration: aws.Int32(7200)})
		return err
	},
	"UpdateRoleDescription": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("r"), Description: aws.String("d")})
		return err
	},
	"UpdateAssumeRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r"), PolicyDocument: aws.String(trustAccount(acctB))})
		return err
	},
	"TagRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r"), Tags: []iamtypes.Tag{{Key: aws.String("b"), Value: aws.String("2")}}})
		return err
	},
	"UntagRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r"), TagKeys: []string{"a"}})
		return err
	},
	"DeleteRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("gone-role")})
		return err
	},
	"PutUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("more"), PolicyDocument: aws.String(ec2Policy)})
		return err
	},
	"DeleteUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("in")})
		return err
	},
	"PutRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("in"), PolicyDocument: aws.String(ec2Policy)})
		return err
	},
	"DeleteRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("in")})
		return err
	},
	"CreatePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("new"), PolicyDocument: aws.String(s3ListPolicy),
			Description: aws.String("d"), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		return err
	},
	"CreatePolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(b.policy), PolicyDocument: aws.String(adminPolicy), SetAsDefault: true})
		return err
	},
	"SetDefaultPolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(b.policy), VersionId: aws.String("v2")})
		return err
	},
	"DeletePolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(b.policy), VersionId: aws.String("v2")})
		return err
	},
	"DeletePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(b.none)})
		return err
	},
	"AttachUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(b.awsPolicy)})
		return err
	},
	"DetachUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(b.policy)})
		return err
	},
	"AttachRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(b.awsPolicy)})
		return err
	},
	"DetachRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(b.policy)})
		return err
	},
	"CreateOpenIDConnectProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://other.example.com"),
			ClientIDList: []string{"x"}, ThumbprintList: []string{strings.Repeat("a", 40)}})
		return err
	},
	"DeleteOpenIDConnectProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(b.oidc)})
		return err
	},
	"AddClientIDToOpenIDConnectProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(b.oidc), ClientID: aws.String("b")})
		return err
	},
	"RemoveClientIDFromOpenIDConnectProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(b.oidc), ClientID: aws.String("a")})
		return err
	},
	"UpdateOpenIDConnectProviderThumbprint": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(b.oidc),
			ThumbprintList: []string{strings.Repeat("b", 40)}})
		return err
	},
	"CreateSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("other"), SAMLMetadataDocument: aws.String(string(oktaIdP().Metadata()))})
		return err
	},
	"UpdateSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		md := strings.Replace(string(oktaIdP().Metadata()), "<", "\n<", 1) // the same metadata in other bytes
		_, err := b.c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(b.saml), SAMLMetadataDocument: aws.String(md)})
		return err
	},
	"DeleteSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(b.saml)})
		return err
	},
	"CreateVirtualMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("new"),
			Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
		return err
	},
	"EnableMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		c1, c2 := b.codes()
		_, err := b.c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("u"), SerialNumber: aws.String(b.spare),
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
		return err
	},
	"DeactivateMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		d, err := b.e.CreateVirtualMFADevice(b.user.ARN)
		if err != nil {
			return err
		}
		b.from(t)
		_, err = b.c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("u"), SerialNumber: aws.String(d.SerialNumber)})
		return err
	},
	"DeleteVirtualMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(b.spare)})
		return err
	},
	"EnableOrganizationsRootCredentialsManagement": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{})
		return err
	},
	"DisableOrganizationsRootCredentialsManagement": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if _, err := b.c.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}); err != nil {
			return err
		}
		b.from(t)
		_, err := b.c.DisableOrganizationsRootCredentialsManagement(ctx, &iam.DisableOrganizationsRootCredentialsManagementInput{})
		return err
	},
	"EnableOrganizationsRootSessions": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
		return err
	},
	"DisableOrganizationsRootSessions": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if _, err := b.c.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}); err != nil {
			return err
		}
		b.from(t)
		_, err := b.c.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
		return err
	},
	"EnableOutboundWebIdentityFederation": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{})
		return err
	},
	"DisableOutboundWebIdentityFederation": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if _, err := b.c.EnableOutboundWebIdentityFederation(ctx, &iam.EnableOutboundWebIdentityFederationInput{}); err != nil {
			return err
		}
		b.from(t)
		_, err := b.c.DisableOutboundWebIdentityFederation(ctx, &iam.DisableOutboundWebIdentityFederationInput{})
		return err
	},
}

// mustUserKey returns the access key of the user named name, made by
// CreateUser.
func (e *Engine) mustUserKey(t *testing.T, name string) string {
	t.Helper()
	e.mu.RLock()
	defer e.mu.RUnlock()
	u := e.userNamedLocked(e.account, name)
	if u == nil || len(u.keys) == 0 {
		t.Fatalf("no user %s with a key", name)
	}
	return u.keys[0].id
}

// TestChangeLogRecordsEveryIAMOperation runs every mutating IAM operation
// on an engine with a change log: the recovered engine equals the live
// one. An operation of IAM's table that is not here fails the test.
func TestChangeLogRecordsEveryIAMOperation(t *testing.T) {
	for op := range iamOps {
		if !iamReadOnly(op) && iamWireChanges[op] == nil {
			t.Errorf("IAM operation %s changes state and is not in iamWireChanges: add it, with its change record", op)
		}
	}
	for op, change := range iamWireChanges {
		if !isIAMOp(op) {
			t.Errorf("%s is not an IAM operation", op)
		}
		t.Run(op, func(t *testing.T) { checkRecovered(t, change) })
	}
}

// adminChanges are the exported methods that change state, each run once.
var adminChanges = map[string]func(t *testing.T, b *iamBase, ctx context.Context) error{
	"CreateUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateUser(UserSpec{Name: "new", Policies: []string{s3ListPolicy}})
		return err
	},
	"DeleteUser": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if err := b.e.DeleteAccessKey(b.e.mustUserKey(t, "gone")); err != nil {
			return err
		}
		b.from(t)
		return b.e.DeleteUser(b.gone)
	},
	"CreateAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateAccessKey(b.user.ARN)
		return err
	},
	"SetAccessKeyActive": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.SetAccessKeyActive(b.user.Credentials.AccessKeyID, false)
	},
	"DeleteAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteAccessKey(b.user.Credentials.AccessKeyID)
	},
	"PutUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.PutUserPolicy(b.user.ARN, "IN", ec2Policy)
	},
	"DeleteUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteUserPolicy(b.user.ARN, "in")
	},
	"AttachUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.AttachUserPolicy(b.user.ARN, b.none)
	},
	"DetachUserPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DetachUserPolicy(b.user.ARN, b.policy)
	},
	"CreateRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateRole(RoleSpec{Name: "new", Path: "/x/"})
		return err
	},
	"DeleteRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteRole(b.goneRole)
	},
	"UpdateRole": func(t *testing.T, b *iamBase, ctx context.Context) error {
		d, max := "described", 5*time.Hour
		return b.e.UpdateRole(b.role.ARN, RoleUpdate{Description: &d, MaxSessionDuration: &max})
	},
	"UpdateAssumeRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.UpdateAssumeRolePolicy(b.role.ARN, trustAccount(acctB))
	},
	"PutRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.PutRolePolicy(b.role.ARN, "more", ec2Policy)
	},
	"DeleteRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteRolePolicy(b.role.ARN, "in")
	},
	"AttachRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.AttachRolePolicy(b.role.ARN, b.awsPolicy)
	},
	"DetachRolePolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DetachRolePolicy(b.role.ARN, b.policy)
	},
	"CreateManagedPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateManagedPolicy(acctB, "new", s3ListPolicy)
		return err
	},
	"CreateAWSManagedPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateAWSManagedPolicy("/job-function/", "ViewOnlyAccess", s3ListPolicy)
		return err
	},
	"CreatePolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreatePolicyVersion(b.policy, adminPolicy, false)
		return err
	},
	"SetDefaultPolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.SetDefaultPolicyVersion(b.policy, "v2")
	},
	"DeletePolicyVersion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeletePolicyVersion(b.policy, "v2")
	},
	"DeleteManagedPolicy": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteManagedPolicy(b.none)
	},
	"CreateVirtualMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateVirtualMFADevice(b.user.ARN)
		return err
	},
	"RootCredentials": func(t *testing.T, b *iamBase, ctx context.Context) error {
		b.e.RootCredentials(acctB)
		return nil
	},
	"CreateOIDCProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateOIDCProvider(OIDCProviderSpec{URL: "https://other.example.com", ClientIDs: []string{"a"},
			Thumbprints: []string{strings.Repeat("a", 40)}, JWKS: []byte(`{"keys":[]}`)})
		return err
	},
	"DeleteOIDCProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteOIDCProvider(b.oidc)
	},
	"AddOIDCClientID": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.AddOIDCClientID(b.oidc, "b")
	},
	"RemoveOIDCClientID": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.RemoveOIDCClientID(b.oidc, "a")
	},
	"CreateSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateSAMLProvider(SAMLProviderSpec{Name: "other", Metadata: oktaIdP().Metadata()})
		return err
	},
	"DeleteSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeleteSAMLProvider(b.saml)
	},
	"UpdateSAMLProvider": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.UpdateSAMLProvider(b.saml, []byte(strings.Replace(string(oktaIdP().Metadata()), "<", "\n<", 1)))
	},
	"CreateOrganization": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateOrganization(OrganizationSpec{ManagementAccount: rootMember})
		return err
	},
	"EnableRegion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.EnableRegion(acctA, "af-south-1")
	},
	"DisableRegion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DisableRegion(acctA, "me-south-1")
	},
	"DeactivateSTSRegion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.DeactivateSTSRegion(acctA, "eu-west-2")
	},
	"ActivateSTSRegion": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if err := b.e.DeactivateSTSRegion(acctA, "eu-west-2"); err != nil {
			return err
		}
		b.from(t)
		return b.e.ActivateSTSRegion(acctA, "eu-west-2")
	},
	"EnableOutboundWebIdentityFederation": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.EnableOutboundWebIdentityFederation("")
		return err
	},
	"DisableOutboundWebIdentityFederation": func(t *testing.T, b *iamBase, ctx context.Context) error {
		if _, err := b.e.EnableOutboundWebIdentityFederation(""); err != nil {
			return err
		}
		b.from(t)
		return b.e.DisableOutboundWebIdentityFederation("")
	},
	"CreateDelegation": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.CreateDelegation(DelegationSpec{Principal: b.role.ARN, Policy: adminPolicy})
		return err
	},
	"EncodeAuthorizationMessage": func(t *testing.T, b *iamBase, ctx context.Context) error {
		b.e.EncodeAuthorizationMessage(&Decision{Action: "s3:GetObject", Resource: "*"})
		return nil
	},
	"InjectFault": func(t *testing.T, b *iamBase, ctx context.Context) error {
		b.e.InjectFault(Fault{Operation: "CreateUser", Code: "Throttling", Times: 2})
		return nil
	},
	"RemoveFault": func(t *testing.T, b *iamBase, ctx context.Context) error {
		f := b.e.InjectFault(Fault{Operation: "CreateUser", Code: "Throttling"})
		b.from(t)
		b.e.RemoveFault(f.ID())
		return nil
	},
	"ImportAccessKey": func(t *testing.T, b *iamBase, ctx context.Context) error {
		return b.e.ImportAccessKey(b.user.ARN, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	},
	"ImportVirtualMFADevice": func(t *testing.T, b *iamBase, ctx context.Context) error {
		_, err := b.e.ImportVirtualMFADevice(b.user.ARN, "imported", "JBSWY3DPEHPK3PXP")
		return err
	},
}

// notAdminChanges are the exported methods of Engine that are not in
// adminChanges: reads, the STS operations (whose records the world of
// TestChangeLogRecovers pins), and the snapshot and log machinery.
var notAdminChanges = []string{
	"APIOption", "AccountID", "Authenticate", "Authorize", "ClientOption", "Config", "CredentialsCache", "DefaultUser",
	"Events", "Faults", "Handler", "Now", "OutboundWebIdentityFederationInfo", "Principal", "Region", "SessionCount",
	"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "DecodeAuthorizationMessage",
	"GetAccessKeyInfo", "GetCallerIdentity", "GetDelegatedAccessToken", "GetFederationToken", "GetSessionToken",
	"GetWebIdentityToken", "LogChanges", "ResetEvents", "Restore", "Snapshot", "SweepExpired",
}

// TestChangeLogRecordsEveryAdminMethod runs every exported method that
// changes state on an engine with a change log: the recovered engine
// equals the live one. An exported method in neither table fails the
// test: say which it is.
func TestChangeLogRecordsEveryAdminMethod(t *testing.T) {
	typ := reflect.TypeOf(&Engine{})
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		if adminChanges[name] == nil && !slices.Contains(notAdminChanges, name) {
			t.Errorf("Engine.%s is in neither adminChanges nor notAdminChanges: a method that changes state needs a change record and a row", name)
		}
	}
	for name, change := range adminChanges {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("Engine has no method %s", name)
		}
		t.Run(name, func(t *testing.T) { checkRecovered(t, change) })
	}
}

// TestChangeLogIAMWriteFailsLeavesNoTrace runs every IAM change of both
// tables with a change log that can no longer be written: each fails and
// leaves the state exactly as it was, as changeIAM takes back what the
// change did when its record is not written.
func TestChangeLogIAMWriteFailsLeavesNoTrace(t *testing.T) {
	for _, table := range []map[string]func(t *testing.T, b *iamBase, ctx context.Context) error{iamWireChanges, adminChanges} {
		for name, change := range table {
			if name == "InjectFault" || name == "RemoveFault" {
				continue // no error to return: it goes on unlogged (LogChanges)
			}
			t.Run(name, func(t *testing.T) {
				b := newIAMBase(t)
				if err := b.e.LogChanges(&failingWriter{n: 1}); err != nil {
					t.Fatal(err)
				}
				before := b.state(t)
				b.clk.Advance(time.Second)
				var err error
				func() {
					defer func() {
						if r := recover(); r != nil { // RootCredentials panics
							err = fmt.Errorf("panic: %v", r)
						}
					}()
					err = change(t, b, context.Background())
				}()
				if err == nil && name != "EncodeAuthorizationMessage" {
					t.Error("the change succeeded without its record")
				}
				if diff := docDiff(before, b.state(t)); diff != "" {
					t.Errorf("the failed change left a trace (-before +after):\n%s", diff)
				}
			})
		}
	}
}

// TestChangeLogIAMConcurrent makes IAM changes and issues sessions from
// several goroutines at once, on an engine with a change log: the records'
// order follows the changes', so the recovered engine equals the live one.
func TestChangeLogIAMConcurrent(t *testing.T) {
	b := newIAMBase(t)
	if err := b.e.PutUserPolicy(b.user.ARN, "admin", adminPolicy); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("user-%d", g)
			for i := 0; i < 5; i++ {
				steps := []func() error{
					func() error {
						_, err := b.c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
						return err
					},
					func() error {
						_, err := b.c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String(name),
							Tags: []iamtypes.Tag{{Key: aws.String("i"), Value: aws.String(fmt.Sprint(i))}}})
						return err
					},
					func() error { return b.e.PutRolePolicy(b.role.ARN, name, s3ListPolicy) },
					func() error { return b.e.DeleteRolePolicy(b.role.ARN, name) },
					func() error {
						_, err := b.e.AssumeRole(typed(b.user.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(b.role.ARN),
							RoleSessionName: aws.String(name)})
						return err
					},
					func() error {
						_, err := b.c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
						return err
					},
				}
				for _, step := range steps {
					if err := step(); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e2, err := Recover(bytes.NewReader(b.log.Bytes()), WithClock(b.clk.Now), Strict())
	if err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(b.state(t), withoutJournal(t, marshalState(t, e2))); diff != "" {
		t.Errorf("the recovered engine differs (-live +recovered):\n%s", diff)
	}
}
