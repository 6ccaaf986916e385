package fakests

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// These tests pin the authorization of IAM's control plane (behaviour §18):
// iam:<Action> on the resource of the Service Authorization Reference,
// evaluated with the caller's identity and session policies, and IAM's
// denial texts with their reason (stackd iam/root_access.json).

func TestIAMAuthorization(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	// May manage users under /team/ only, and read any user; may not touch
	// roles; explicitly may not delete policies.
	scoped := mustUser(t, e, UserSpec{Name: "scoped", Policies: []string{`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:CreateUser","iam:DeleteUser","iam:TagUser"],"Resource":"arn:aws:iam::123456789012:user/team/*"},
		{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"},
		{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::123456789012:policy/allowed"}}},
		{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}},
		{"Effect":"Deny","Action":"iam:DeletePolicy","Resource":"*"}]}`}})
	mustUser(t, e, UserSpec{Name: "other", Path: "/elsewhere/"})
	if _, err := e.CreateManagedPolicy("", "allowed", s3ReadPolicy); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateManagedPolicy("", "forbidden", s3ReadPolicy); err != nil {
		t.Fatal(err)
	}
	c := newIAMClient(e, scoped.Credentials)
	ctx := context.Background()
	const who = "User: arn:aws:iam::123456789012:user/scoped is not authorized to perform: "

	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("in"), Path: aws.String("/team/")}))(t)
	// A new entity is named by its ARN (fivexl/terraform-aws-sso-elevator #21).
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("out"), Path: aws.String("/ops/")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:CreateUser on resource: arn:aws:iam::123456789012:user/ops/out because no identity-based policy allows the iam:CreateUser action", 403})
	// aws:RequestTag/* of the request's tags.
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged"), Path: aws.String("/ops/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))(t)
	// An existing user is named "user <name>" (rebuy-de/aws-nuke #294); its
	// path decides (stackd iam/resource_authorization.json).
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("other")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:DeleteUser on resource: user other because no identity-based policy allows the iam:DeleteUser action", 403})
	must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("other")}))(t)
	// A name that names no user: denied before it is looked for, as the
	// user's ARN with the default path.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ghost")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:DeleteUser on resource: user ghost because no identity-based policy allows the iam:DeleteUser action", 403})
	// iam:PolicyARN.
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("in"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/allowed")}))(t)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("in"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/forbidden")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:AttachUserPolicy on resource: user in because no identity-based policy allows the iam:AttachUserPolicy action", 403})
	// A role is "role <name>" (aws/aws-cdk #27067).
	mustRole(t, e, RoleSpec{Name: "ops"})
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ops")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:GetRole on resource: role ops because no identity-based policy allows the iam:GetRole action", 403})
	// An explicit deny (stackd iam/root_access.json's wording).
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/allowed")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:DeletePolicy on resource: arn:aws:iam::123456789012:policy/allowed with an explicit deny in an identity-based policy", 403})
	// Listings: ListUsers on the account's user/ path (a denial quoted in a
	// public README), ListPolicies on "policy path /" (aws/aws-sam-cli
	// #394), the account switches on "*" (stackd iam/root_access.json).
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action", 403})
	_, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:ListPolicies on resource: policy path / because no identity-based policy allows the iam:ListPolicies action", 403})
	_, err = c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:ListOrganizationsFeatures on resource: * because no identity-based policy allows the iam:ListOrganizationsFeatures action", 403})
}

// TestIAMAuthorizationSessions: role sessions are decided by the role's
// policies intersected with their session policies; the denial names the
// session and which policy refused.
func TestIAMAuthorizationSessions(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	dev := mustUser(t, e, UserSpec{Name: "dev", Policies: []string{allowAssume}})
	mustRole(t, e, RoleSpec{Name: "admin", TrustPolicy: trustPrincipal(dev.ARN), Policies: []string{adminPolicy}})
	ctx := context.Background()
	assume := func(policy string) *iam.Client {
		in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/admin"), RoleSessionName: aws.String("s1")}
		if policy != "" {
			in.Policy = aws.String(policy)
		}
		return newIAMClient(e, credsOf(must(newClient(e, dev.Credentials).AssumeRole(ctx, in))(t).Credentials))
	}
	must(assume("").CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("by-role")}))(t)

	const who = "User: arn:aws:sts::123456789012:assumed-role/admin/s1 is not authorized to perform: "
	limited := assume(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}`)
	must(limited.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("by-role")}))(t)
	_, err := limited.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no session policy allows the iam:CreateUser action", 403})
	denying := assume(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`)
	_, err = denying.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	checkErr(t, err, &wantErr{"AccessDenied", who + "iam:CreateUser on resource: arn:aws:iam::123456789012:user/x with an explicit deny in a session policy", 403})
}

// TestIAMAuthorizationLenientDefault: lenient mode's default user, and any
// unknown key acting as it, may do everything.
func TestIAMAuthorizationLenientDefault(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "whatever"})
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("anyone")}))(t)
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("anyrole"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)
	must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("anypolicy"), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	// The unknown key's calls act in the default account.
	out := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("anyone")}))(t)
	if aws.ToString(out.User.Arn) != "arn:aws:iam::123456789012:user/anyone" {
		t.Errorf("GetUser: %s", aws.ToString(out.User.Arn))
	}
}

// TestIAMAuthorizationCrossAccount: IAM has no resource-based policies, so
// acting on another account's policy is denied however the caller's
// policies read.
func TestIAMAuthorizationCrossAccount(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	other, err := e.CreateManagedPolicy("210987654321", "theirs", s3ReadPolicy)
	if err != nil {
		t.Fatal(err)
	}
	c := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	_, err = c.GetPolicy(context.Background(), &iam.GetPolicyInput{PolicyArn: aws.String(other)})
	checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:GetPolicy on resource: " + other + " because no resource-based policy allows the iam:GetPolicy action", 403})
}

// TestIAMRefusedSessions: IAM refuses the credentials of GetSessionToken
// without MFA with InvalidClientTokenId, worded without STS's period (a raw
// IAM answer in aws/aws-cli #8918; 99designs/aws-vault #328), and those of
// GetFederationToken (documented; fakests gives the same answer). Role
// sessions are authorized as usual (behaviour §18.3).
func TestIAMRefusedSessions(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "dev", Policies: []string{adminPolicy}})
	ctx := context.Background()
	refused := &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid", 403}

	st := must(newClient(e, u.Credentials).GetSessionToken(ctx, &sts.GetSessionTokenInput{}))(t)
	_, err := newIAMClient(e, credsOf(st.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})
	checkErr(t, err, refused)
	// The same session is accepted by STS.
	must(newClient(e, credsOf(st.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)

	ft := must(newClient(e, u.Credentials).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(adminPolicy)}))(t)
	_, err = newIAMClient(e, credsOf(ft.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})
	checkErr(t, err, refused)

	must(newIAMClient(e, u.Credentials).ListUsers(ctx, &iam.ListUsersInput{}))(t)
}
