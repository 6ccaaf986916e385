package fakests

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// trustServiceLambda is the trust policy of LocalStack's recorded
// test_role_with_path_lifecycle.
const trustServiceLambda = `{"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]}`

func TestIAMRoleLifecycle(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	c := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	ctx := context.Background()
	created := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), Path: aws.String("/svc/"),
		AssumeRolePolicyDocument: aws.String(trustServiceLambda), Description: aws.String("the app")}))(t).Role
	// CreateRole's answer carries no MaxSessionDuration, GetRole's does, and
	// an empty RoleLastUsed (LocalStack's AWS-validated recordings); the
	// document is URL-encoded, spaces as %20 (moto pull request 8157 quotes
	// AWS's raw answer).
	encoded := "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%7B%22Action%22%3A%20%22sts%3AAssumeRole%22%2C%20%22Effect%22%3A%20%22Allow%22%2C%20%22Principal%22%3A%20%7B%22Service%22%3A%20%22lambda.amazonaws.com%22%7D%7D%5D%7D"
	want := &iamtypes.Role{Arn: aws.String("arn:aws:iam::123456789012:role/svc/app"), CreateDate: aws.Time(testEpoch),
		Path: aws.String("/svc/"), RoleId: created.RoleId, RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(encoded), Description: aws.String("the app")}
	if diff := cmp.Diff(want, created, iamOpts); diff != "" {
		t.Errorf("CreateRole (-want +got):\n%s", diff)
	}
	if doc, err := url.PathUnescape(encoded); err != nil || doc != trustServiceLambda {
		t.Errorf("the encoded document decodes to %q, %v", doc, err)
	}
	got := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("APP")}))(t).Role
	want.MaxSessionDuration, want.RoleLastUsed = aws.Int32(3600), &iamtypes.RoleLastUsed{}
	if diff := cmp.Diff(want, got, iamOpts); diff != "" {
		t.Errorf("GetRole (-want +got):\n%s", diff)
	}

	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("APP"), AssumeRolePolicyDocument: aws.String(trustServiceLambda)})
	checkErr(t, err, &wantErr{"EntityAlreadyExists", "Role with name APP already exists.", 409})
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("test-nonexistent-role")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The role with name test-nonexistent-role cannot be found.", 404})

	must(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), MaxSessionDuration: aws.Int32(7200)}))(t)
	upd := must(c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("app"), Description: aws.String("new")}))(t).Role
	if aws.ToString(upd.Description) != "new" || upd.MaxSessionDuration != nil {
		t.Errorf("UpdateRoleDescription: description %q, MaxSessionDuration %v; want new and none (recorded)", aws.ToString(upd.Description), upd.MaxSessionDuration)
	}
	got = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	if aws.ToInt32(got.MaxSessionDuration) != 7200 || aws.ToString(got.Description) != "new" {
		t.Errorf("GetRole after updates: %d %q", aws.ToInt32(got.MaxSessionDuration), aws.ToString(got.Description))
	}

	ip := must(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("app")}))(t)
	if ip.InstanceProfiles == nil || len(ip.InstanceProfiles) != 0 || ip.IsTruncated {
		t.Errorf("ListInstanceProfilesForRole: %+v, want an empty list", ip.InstanceProfiles)
	}
	_, err = c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("nope")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The role with name nope cannot be found.", 404})
}

func TestIAMTrustPolicyChecks(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	cases := []struct {
		name, doc string
		want      *wantErr
	}{
		// LocalStack's AWS-validated recordings.
		{"trailing comma", `{"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Principal": "*", "Effect": "Allow",}]}`,
			&wantErr{"MalformedPolicyDocument", "This policy contains invalid Json", 400}},
		{"an action that is not STS's assume-role", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:InvalidAction"}]}`,
			&wantErr{"MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions.", 400}},
		{"a Resource", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "arn:aws:s3:::example_bucket"}]}`,
			&wantErr{"MalformedPolicyDocument", "Has prohibited field Resource", 400}},
		// cfn-lint issue #4287 (behaviour §18).
		{"a malformed principal ARN", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws::iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}`,
			&wantErr{"MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws::iam::123456789012:root"`, 400}},
	}
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("existing"), AssumeRolePolicyDocument: aws.String(trustServiceLambda)}))(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(tc.doc)})
			checkErr(t, err, tc.want)
			_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("existing"), PolicyDocument: aws.String(tc.doc)})
			checkErr(t, err, tc.want)
		})
	}
	// Wildcards that match one of the actions are accepted.
	ok := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:Assume*", "sts:TagSession"]}]}`
	must(c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("existing"), PolicyDocument: aws.String(ok)}))(t)
}

// TestIAMTrustAndPolicyChangesReachSTS: a changed trust policy, maximum
// session duration or tag decides the next AssumeRole, as in IAM.
func TestIAMTrustAndPolicyChangesReachSTS(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	admin := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	dev := mustUser(t, e, UserSpec{Name: "dev", Policies: []string{allowAssume}})
	ctx := context.Background()
	roleARN := "arn:aws:iam::123456789012:role/deploy"
	must(admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deploy"), AssumeRolePolicyDocument: aws.String(trustServiceLambda)}))(t)
	assume := func(seconds int32) error {
		_, err := newClient(e, dev.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("dev"), DurationSeconds: aws.Int32(seconds)})
		return err
	}
	checkErr(t, assume(900), &wantErr{"AccessDenied", "User: " + dev.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN, 403})
	must(admin.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("deploy"), PolicyDocument: aws.String(trustPrincipal(dev.ARN))}))(t)
	if err := assume(900); err != nil {
		t.Fatalf("AssumeRole after the trust policy names the caller: %v", err)
	}
	checkErr(t, assume(7200), &wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400})
	must(admin.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("deploy"), MaxSessionDuration: aws.Int32(7200)}))(t)
	if err := assume(7200); err != nil {
		t.Fatalf("AssumeRole for two hours after UpdateRole: %v", err)
	}
}

// TestIAMDeleteRole: DeleteConflict while policies remain (LocalStack's
// AWS-validated texts); once deleted, lenient mode no longer assumes the
// ARN as an implicit role, and the role's sessions keep working until they
// expire with no permissions left (behaviour §18).
func TestIAMDeleteRole(t *testing.T) {
	e, clk := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	roleARN := "arn:aws:iam::123456789012:role/gone"
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("gone"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAssume)}))(t)
	must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("gone"), PolicyArn: pol.Policy.Arn}))(t)
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("gone"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(adminPolicy)}))(t)

	sess := must(newClient(e, e.DefaultUser().Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("before")}))(t)

	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("gone")})
	checkErr(t, err, &wantErr{"DeleteConflict", "Cannot delete entity, must delete policies first.", 409})
	must(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("gone"), PolicyName: aws.String("inline")}))(t)
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("gone")})
	checkErr(t, err, &wantErr{"DeleteConflict", "Cannot delete entity, must detach all policies first.", 409})
	must(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("gone"), PolicyArn: pol.Policy.Arn}))(t)
	must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("gone")}))(t)
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gone")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The role with name gone cannot be found.", 404})

	_, err = newClient(e, e.DefaultUser().Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("after")})
	checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/fakests-default is not authorized to perform: sts:AssumeRole on resource: " + roleARN, 403})

	// The session issued before: still itself, with no permissions.
	sc := newIAMClient(e, credsOf(sess.Credentials))
	id := must(newClient(e, credsOf(sess.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(id.Arn) != "arn:aws:sts::123456789012:assumed-role/gone/before" {
		t.Errorf("GetCallerIdentity of the deleted role's session: %s", aws.ToString(id.Arn))
	}
	_, err = sc.ListRoles(ctx, &iam.ListRolesInput{})
	checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/gone/before is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/ because no identity-based policy allows the iam:ListRoles action", 403})
	clk.Advance(2 * time.Hour)
	_, err = newClient(e, credsOf(sess.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	checkErr(t, err, &wantErr{"ExpiredToken", "The security token included in the request is expired", 403})

	// A role created again under the name is a new role.
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("gone"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)
	must(newClient(e, e.DefaultUser().Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("again")}))(t)
}

func TestIAMRoleTags(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	tag := func(k, v string) iamtypes.Tag { return iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("t"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012")),
		Tags: []iamtypes.Tag{tag("team", "a")}}))(t)
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("dup"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012")),
		Tags: []iamtypes.Tag{tag("k", "1"), tag("K", "2")}})
	checkErr(t, err, &wantErr{"InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400})
	must(c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("t"), Tags: []iamtypes.Tag{tag("team", "b"), tag("env", "dev")}}))(t)
	must(c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("t"), TagKeys: []string{"env"}}))(t)
	got := must(c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("t")}))(t)
	if diff := cmp.Diff([]iamtypes.Tag{tag("team", "b")}, got.Tags, iamOpts); diff != "" {
		t.Errorf("ListRoleTags (-want +got):\n%s", diff)
	}
	// The role's tags reach its sessions as principal tags.
	sess := must(newClient(e, e.DefaultUser().Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::123456789012:role/t"), RoleSessionName: aws.String("tags")}))(t)
	p, err := e.Principal(credsOf(sess.Credentials))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := lookupTag(p, "team"); v != "b" {
		t.Errorf("principal tag team = %q, want b", v)
	}
}

// TestIAMRolePolicySizes: a trust policy of more than 2,048 characters and
// inline policies of more than 10,240 (white space excluded) are
// LimitExceeded, in the texts of raw answers quoted in kubeflow/dashboard
// #29 and serverless/serverless #7643.
func TestIAMRolePolicySizes(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	principals := `"arn:aws:iam::123456789012:root"`
	for i := 0; i < 60; i++ {
		principals += fmt.Sprintf(`, "arn:aws:iam::123456789012:user/u%d"`, i)
	}
	bigTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[` + principals + `]},"Action":"sts:AssumeRole"}]}`
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("big"), AssumeRolePolicyDocument: aws.String(bigTrust)})
	checkErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409})

	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%0*d"}]}`, 6000, 0)
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("a"), PolicyDocument: aws.String(doc)}))(t)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("b"), PolicyDocument: aws.String(doc)})
	checkErr(t, err, &wantErr{"LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role r", 409})
	// Replacing a policy counts the new document instead of the old one.
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String("A"), PolicyDocument: aws.String(doc)}))(t)
	// ministryofjustice/cloud-platform-environments #14473.
	huge := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%0*d"}]}`, 6200, 0)
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("huge"), PolicyDocument: aws.String(huge)})
	checkErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409})
}
