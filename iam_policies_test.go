package fakests

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// s3ReadPolicy is an identity policy used as a managed or inline policy.
const s3ReadPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

func TestIAMInlinePolicies(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	admin := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	dev := mustUser(t, e, UserSpec{Name: "dev"})
	mustRole(t, e, RoleSpec{Name: "target", TrustPolicy: trustAccount("123456789012")})
	ctx := context.Background()
	assume := func() error {
		_, err := newClient(e, dev.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::123456789012:role/target"), RoleSessionName: aws.String("dev")})
		return err
	}
	denied := &wantErr{"AccessDenied", "User: " + dev.ARN + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/target", 403}
	checkErr(t, assume(), denied)

	// A policy put as MixedName is read, replaced and deleted under any
	// case, and read back under the name asked for (stackd
	// iam/policy_management.json).
	must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("MixedName"), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("MIXEDNAME"), PolicyDocument: aws.String(allowAssume)}))(t)
	if err := assume(); err != nil {
		t.Fatalf("AssumeRole after PutUserPolicy allowed it: %v", err)
	}
	names := must(admin.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("dev")}))(t)
	if diff := cmp.Diff([]string{"MixedName"}, names.PolicyNames); diff != "" {
		t.Errorf("ListUserPolicies (-want +got):\n%s", diff)
	}
	got := must(admin.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("mixedname")}))(t)
	if aws.ToString(got.PolicyName) != "mixedname" || aws.ToString(got.UserName) != "dev" || aws.ToString(got.PolicyDocument) != encodeRFC3986(allowAssume) {
		t.Errorf("GetUserPolicy: %s %s %s", aws.ToString(got.UserName), aws.ToString(got.PolicyName), aws.ToString(got.PolicyDocument))
	}
	if doc, _ := url.PathUnescape(aws.ToString(got.PolicyDocument)); doc != allowAssume {
		t.Errorf("GetUserPolicy's document decodes to %s", doc)
	}
	must(admin.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("MIXEDname")}))(t)
	checkErr(t, assume(), denied)
	_, err := admin.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("MixedName")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The user policy with name MixedName cannot be found.", 404})

	must(admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("target"), PolicyName: aws.String("r"), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	rp := must(admin.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("target"), PolicyName: aws.String("r")}))(t)
	if aws.ToString(rp.RoleName) != "target" || aws.ToString(rp.PolicyDocument) != encodeRFC3986(s3ReadPolicy) {
		t.Errorf("GetRolePolicy: %s %s", aws.ToString(rp.RoleName), aws.ToString(rp.PolicyDocument))
	}
	// LocalStack's AWS-validated test_role_inline_policy_errors.
	_, err = admin.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("target"), PolicyName: aws.String("non-existent-policy")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The role policy with name non-existent-policy cannot be found.", 404})

	// A user's inline policies total at most 2,048 characters.
	big := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%0*d"}]}`, 2000, 0)
	_, err = admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big)})
	checkErr(t, err, &wantErr{"LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user dev", 409})
}

// encodeRFC3986 is the test's own RFC 3986 encoding of a document.
func encodeRFC3986(s string) string {
	out := ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			out += string(c)
		} else {
			out += fmt.Sprintf("%%%02X", c)
		}
	}
	return out
}

func TestIAMManagedPolicyVersions(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	admin := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	dev := mustUser(t, e, UserSpec{Name: "dev"})
	mustRole(t, e, RoleSpec{Name: "target", TrustPolicy: trustAccount("123456789012")})
	ctx := context.Background()

	pol := must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("deploy"), Path: aws.String("/ci/"),
		PolicyDocument: aws.String(s3ReadPolicy), Description: aws.String("d")}))(t).Policy
	arn := "arn:aws:iam::123456789012:policy/ci/deploy"
	want := &iamtypes.Policy{Arn: aws.String(arn), AttachmentCount: aws.Int32(0), CreateDate: aws.Time(testEpoch),
		DefaultVersionId: aws.String("v1"), Description: aws.String("d"), IsAttachable: true, Path: aws.String("/ci/"),
		PermissionsBoundaryUsageCount: aws.Int32(0), PolicyId: pol.PolicyId, PolicyName: aws.String("deploy"), UpdateDate: aws.Time(testEpoch)}
	if diff := cmp.Diff(want, pol, iamOpts); diff != "" {
		t.Errorf("CreatePolicy (-want +got):\n%s", diff)
	}
	// LocalStack's AWS-validated test_policy_errors.
	_, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("deploy"), PolicyDocument: aws.String(s3ReadPolicy)})
	checkErr(t, err, &wantErr{"EntityAlreadyExists", "A policy called deploy already exists. Duplicate names are not allowed.", 409})

	must(admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)}))(t)
	assume := func() error {
		_, err := newClient(e, dev.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::123456789012:role/target"), RoleSessionName: aws.String("dev")})
		return err
	}
	if assume() == nil {
		t.Fatal("AssumeRole allowed by a policy that allows s3:GetObject only")
	}
	v2 := must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allowAssume)}))(t).PolicyVersion
	if aws.ToString(v2.VersionId) != "v2" || v2.IsDefaultVersion {
		t.Errorf("CreatePolicyVersion: %s default %v", aws.ToString(v2.VersionId), v2.IsDefaultVersion)
	}
	if assume() == nil {
		t.Fatal("a version that is not the default applied")
	}
	must(admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")}))(t)
	if err := assume(); err != nil {
		t.Fatalf("the new default version did not apply: %v", err)
	}
	pv := must(admin.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")}))(t).PolicyVersion
	if aws.ToString(pv.Document) != encodeRFC3986(allowAssume) || !pv.IsDefaultVersion {
		t.Errorf("GetPolicyVersion: %s default %v", aws.ToString(pv.Document), pv.IsDefaultVersion)
	}

	for i := 3; i <= 5; i++ {
		must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	}
	// LocalStack's AWS-validated recordings.
	_, err = admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(s3ReadPolicy)})
	checkErr(t, err, &wantErr{"LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", 409})
	_, err = admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")})
	checkErr(t, err, &wantErr{"DeleteConflict", "Cannot delete the default version of a policy.", 409})
	_, err = admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v9")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy " + arn + " version v9 does not exist or is not attachable.", 404})
	_, err = admin.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/TestNonExistingPolicy"), VersionId: aws.String("v1")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/TestNonExistingPolicy version v1 does not exist or is not attachable.", 404})
	_, err = admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/TestNonExistingPolicy"), VersionId: aws.String("v1")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/TestNonExistingPolicy version v1 does not exist or is not attachable.", 404})

	versions := must(admin.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)}))(t)
	var ids []string
	for _, v := range versions.Versions {
		ids = append(ids, aws.ToString(v.VersionId))
	}
	if diff := cmp.Diff([]string{"v5", "v4", "v3", "v2", "v1"}, ids); diff != "" {
		t.Errorf("ListPolicyVersions, newest first as recorded (-want +got):\n%s", diff)
	}

	_, err = admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"DeleteConflict", "Cannot delete a policy attached to entities.", 409})
	must(admin.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("dev"), PolicyArn: aws.String(arn)}))(t)
	_, err = admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", 409})
	for _, v := range []string{"v1", "v3", "v4", "v5"} {
		must(admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}))(t)
	}
	must(admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))(t)
	_, err = admin.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy " + arn + " was not found.", 404})
	// LocalStack's AWS-validated test_delete_non_existent_policy_returns_no_such_entity.
	_, err = admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/non-existent-policy")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/non-existent-policy was not found.", 404})
}

func TestIAMAttachments(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)

	// LocalStack's AWS-validated test_user_attach_policy.
	_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("longpolicynamebutnoarn")})
	checkErr(t, err, &wantErr{"ValidationError", "ARN longpolicynamebutnoarn is not valid.", 400})
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nonexistent")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/nonexistent does not exist or is not attachable.", 404})
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nonexistent-policy")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/nonexistent-policy does not exist or is not attachable.", 404})

	var arns []string
	for i := 0; i < 11; i++ {
		p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%02d", i)), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
		arns = append(arns, aws.ToString(p.Policy.Arn))
	}
	for _, a := range arns[:10] {
		must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(a)}))(t)
	}
	// Attaching again changes nothing.
	must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arns[0])}))(t)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arns[10])})
	checkErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10", 409})

	page := must(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r"), MaxItems: aws.Int32(3)}))(t)
	want := []iamtypes.AttachedPolicy{{PolicyArn: aws.String(arns[0]), PolicyName: aws.String("p00")},
		{PolicyArn: aws.String(arns[1]), PolicyName: aws.String("p01")}, {PolicyArn: aws.String(arns[2]), PolicyName: aws.String("p02")}}
	if diff := cmp.Diff(want, page.AttachedPolicies, iamOpts); diff != "" || !page.IsTruncated {
		t.Errorf("ListAttachedRolePolicies first page, truncated %v (-want +got):\n%s", page.IsTruncated, diff)
	}
	got := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns[0])}))(t)
	if aws.ToInt32(got.Policy.AttachmentCount) != 1 || got.Policy.Tags == nil {
		t.Errorf("GetPolicy: AttachmentCount %d, Tags %v; want 1 and an empty list (recorded)", aws.ToInt32(got.Policy.AttachmentCount), got.Policy.Tags)
	}
	attached := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "Local", OnlyAttached: true}))(t)
	if len(attached.Policies) != 10 {
		t.Errorf("ListPolicies OnlyAttached: %d, want 10", len(attached.Policies))
	}
	// LocalStack's AWS-validated test_role_managed_policy_errors.
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arns[10])})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Policy " + arns[10] + " was not found.", 404})

	// An AWS managed policy the engine was given: attachable by any
	// account, changeable by none (the texts are fakests' choice).
	admin, err := e.CreateAWSManagedPolicy("/", "AdministratorAccess", adminPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if admin != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Errorf("CreateAWSManagedPolicy: %s", admin)
	}
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(admin)}))(t)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(admin)})
	checkErr(t, err, &wantErr{"AccessDenied", "Cannot delete policies outside your own account.", 403})
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(admin), VersionId: aws.String("v1")})
	checkErr(t, err, &wantErr{"AccessDenied", "Cannot delete policy versions for policies outside your own account.", 403})
	_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(admin), VersionId: aws.String("v1")})
	checkErr(t, err, &wantErr{"AccessDenied", "Cannot update policies outside your own account.", 403})
	aws := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "AWS"}))(t)
	if len(aws.Policies) != 1 || *aws.Policies[0].Arn != admin {
		t.Errorf("ListPolicies Scope AWS: %v", aws.Policies)
	}
}

func TestIAMManagedPolicyDocuments(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	for _, tc := range []struct{ doc, msg string }{
		// LocalStack's AWS-validated test_create_policy_invalid_document.
		{`{"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy document must be version 2012-10-17 or greater."},
		{`{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Policy document must be version 2012-10-17 or greater."},
		{`This is not a json document`, "Syntax errors in policy."},
		{`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket"}}`, "Policy statement must contain resources."},
	} {
		_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(tc.doc)})
		checkErr(t, err, &wantErr{"MalformedPolicyDocument", tc.msg, 400})
	}
}

// TestIAMInlinePolicyDocuments pins that inline policies go through IAM's
// stages and texts as managed ones do (behaviour §18.2: the recorded texts
// are CreatePolicy's; that PutUserPolicy and PutRolePolicy share them is
// fakests' choice), without the managed policy's Version rule.
func TestIAMInlinePolicyDocuments(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	mustUser(t, e, UserSpec{Name: "u"})
	mustRole(t, e, RoleSpec{Name: "r", TrustPolicy: trustAccount("123456789012")})
	ctx := context.Background()
	put := func(doc string) []error {
		_, uerr := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)})
		_, rerr := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)})
		return []error{uerr, rerr}
	}
	for _, tc := range []struct{ doc, msg string }{
		{`{"Version": "2012-10-17", "Statement": []}`, "Syntax errors in policy."},
		{`{"Version": "2012-10-17", "Statement": {"Effect": "invalid", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`, "Syntax errors in policy."},
		{`{"Version": "2012-10-17", "Statement": [{"Sid": "sdf", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}, {"Sid": "sdf", "Effect": "Allow"}]}`, "Statement IDs (SID) in a single policy must be unique."},
		{`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "invalid"}}`, "Policy statement must contain resources."},
	} {
		for _, err := range put(tc.doc) {
			checkErr(t, err, &wantErr{"MalformedPolicyDocument", tc.msg, 400})
		}
	}
	// An inline policy may be 2008-10-17, or have no Version.
	for _, doc := range []string{
		`{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`,
		`{"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}`,
	} {
		for _, err := range put(doc) {
			if err != nil {
				t.Errorf("%s: %v", doc, err)
			}
		}
	}
}

// TestPolicyAdministration drives the Go methods.
func TestPolicyAdministration(t *testing.T) {
	e, _ := newTestEngine(t)
	arn, err := e.CreateManagedPolicy("", "ops", s3ReadPolicy)
	if err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, e, UserSpec{Name: "u", ManagedPolicyARNs: []string{arn}})
	r := mustRole(t, e, RoleSpec{Name: "r"})
	v, err := e.CreatePolicyVersion(arn, allowAssume, true)
	if err != nil || v != "v2" {
		t.Fatalf("CreatePolicyVersion: %q, %v", v, err)
	}
	checkAdminErr(t, e.DeletePolicyVersion(arn, "v2"), &wantErr{"DeleteConflict", "Cannot delete the default version of a policy.", 409})
	if err := e.SetDefaultPolicyVersion(arn, "v1"); err != nil {
		t.Fatal(err)
	}
	if err := e.DeletePolicyVersion(arn, "v2"); err != nil {
		t.Fatal(err)
	}
	if err := e.AttachRolePolicy(r.ARN, arn); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteManagedPolicy(arn), &wantErr{"DeleteConflict", "Cannot delete a policy attached to entities.", 409})
	checkAdminErr(t, e.DeleteRole(r.ARN), &wantErr{"DeleteConflict", "Cannot delete entity, must detach all policies first.", 409})
	for _, err := range []error{e.DetachRolePolicy(r.ARN, arn), e.DetachUserPolicy(u.ARN, arn), e.DeleteManagedPolicy(arn), e.DeleteRole(r.ARN)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkAdminErr(t, e.AttachUserPolicy(u.ARN, arn), &wantErr{"NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.", 404})
	if err := e.PutUserPolicy(u.ARN, "p", s3ReadPolicy); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteUserPolicy(u.ARN, "nope"), &wantErr{"NoSuchEntity", "The user policy with name nope cannot be found.", 404})
	if err := e.DeleteUserPolicy(u.ARN, "P"); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteRole(r.ARN), &wantErr{"NoSuchEntity", "The role with name r cannot be found.", 404})
}

// TestManagedSessionPolicyLive: a managed session policy is read when the
// session is used, so changing its default version changes what the
// session may do (stackd capture sts/managed_session_policy.json: the same
// session allowed, then denied after the default became a Deny; behaviour
// §6). A managed session policy deleted since allows nothing (choice).
func TestManagedSessionPolicyLive(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	admin := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	caller := mustUser(t, e, UserSpec{Name: "caller", Policies: []string{allowAssume}})
	listUsers := `{"Version":"2012-10-17","Statement":[{"Effect":"%s","Action":"iam:ListUsers","Resource":"*"}]}`
	r := mustRole(t, e, RoleSpec{Name: "lister", TrustPolicy: trustAccount("123456789012"), Policies: []string{fmt.Sprintf(listUsers, "Allow")}})
	ctx := context.Background()
	arn := aws.ToString(must(admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("session"),
		PolicyDocument: aws.String(fmt.Sprintf(listUsers, "Allow"))}))(t).Policy.Arn)
	out := must(newClient(e, caller.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN),
		RoleSessionName: aws.String("s1"), PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String(arn)}}}))(t)
	session := newIAMClient(e, credsOf(out.Credentials))
	must(session.ListUsers(ctx, &iam.ListUsersInput{}))(t)

	must(admin.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn),
		PolicyDocument: aws.String(fmt.Sprintf(listUsers, "Deny")), SetAsDefault: true}))(t)
	who := "User: arn:aws:sts::123456789012:assumed-role/lister/s1 is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/"
	_, err := session.ListUsers(ctx, &iam.ListUsersInput{})
	checkErr(t, err, &wantErr{"AccessDenied", who + " with an explicit deny in a session policy", 403})

	must(admin.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")}))(t)
	must(session.ListUsers(ctx, &iam.ListUsersInput{}))(t)

	must(admin.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")}))(t)
	must(admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))(t)
	_, err = session.ListUsers(ctx, &iam.ListUsersInput{})
	checkErr(t, err, &wantErr{"AccessDenied", who + " because no session policy allows the iam:ListUsers action", 403})
}

// TestIAMCreatePolicyTags: a managed policy's tag keys are case-sensitive
// ("a" and "A" are two tags, kept in the order given); only a key given
// twice exactly is refused (LocalStack's AWS-validated
// test_policy_tag_lifecycle and test_policy_tag_create_errors). A role's
// keys are not (test_role_tag_errors).
func TestIAMCreatePolicyTags(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	tag := func(k, v string) iamtypes.Tag { return iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	out := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("tagged"), PolicyDocument: aws.String(s3ReadPolicy),
		Tags: []iamtypes.Tag{tag("a", "lowercase"), tag("A", "uppercase")}}))(t)
	if diff := cmp.Diff([]iamtypes.Tag{tag("a", "lowercase"), tag("A", "uppercase")}, out.Policy.Tags, cmpopts.IgnoreUnexported(iamtypes.Tag{})); diff != "" {
		t.Errorf("CreatePolicy tags (-want +got):\n%s", diff)
	}
	_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("twice"), PolicyDocument: aws.String(s3ReadPolicy),
		Tags: []iamtypes.Tag{tag("k", "1"), tag("k", "2")}})
	checkErr(t, err, &wantErr{"InvalidInput", "Duplicate tag keys found.", 400})
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012")),
		Tags: []iamtypes.Tag{tag("a", "lowercase"), tag("A", "uppercase")}})
	checkErr(t, err, &wantErr{"InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400})
}
