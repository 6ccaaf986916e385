package fakests

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests drive IAM's control plane through a real *iam.Client routed
// into the engine (behaviour §18): the Go SDK serializes the request and
// deserializes IAM's XML, so the codec and the operations are tested as a
// Go program uses them. The Handler is driven by botocore and the aws CLI
// in handler_iam_python_test.go.

// newIAMClient returns a real *iam.Client routed into e, signed with creds,
// retrying at once.
func newIAMClient(e *Engine, creds aws.Credentials) *iam.Client {
	return iam.NewFromConfig(e.Config(creds), func(o *iam.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.Backoff = retry.BackoffDelayerFunc(noDelay) })
	})
}

// iamOpts compares service/iam outputs and types.
var iamOpts = cmp.Options{
	cmpopts.IgnoreUnexported(iamtypes.User{}, iamtypes.Role{}, iamtypes.Tag{}, iamtypes.AccessKey{},
		iamtypes.AccessKeyMetadata{}, iamtypes.Policy{}, iamtypes.PolicyVersion{}, iamtypes.AttachedPolicy{},
		iamtypes.RoleLastUsed{}, iamtypes.MFADevice{}, iamtypes.VirtualMFADevice{},
		iamtypes.OpenIDConnectProviderListEntry{}, iamtypes.SAMLProviderListEntry{}),
}

// must returns a call's result, failing the test on its error:
// out := must(c.CreateUser(ctx, in))(t).
func must[T any](out T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func TestIAMUserLifecycle(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	admin := mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}})
	c := newIAMClient(e, admin.Credentials)
	ctx := context.Background()

	created := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Alice"), Path: aws.String("/team/"),
		Tags: []iamtypes.Tag{{Key: aws.String("dept"), Value: aws.String("eng")}}}))(t)
	want := &iamtypes.User{Arn: aws.String("arn:aws:iam::123456789012:user/team/Alice"), CreateDate: aws.Time(testEpoch),
		Path: aws.String("/team/"), UserId: created.User.UserId, UserName: aws.String("Alice"),
		Tags: []iamtypes.Tag{{Key: aws.String("dept"), Value: aws.String("eng")}}}
	if diff := cmp.Diff(want, created.User, iamOpts); diff != "" {
		t.Errorf("CreateUser (-want +got):\n%s", diff)
	}
	if id := aws.ToString(created.User.UserId); !strings.HasPrefix(id, "AIDA") || len(id) != 21 {
		t.Errorf("UserId %q, want AIDA and 21 characters (behaviour §2.2)", id)
	}

	// Names are looked up ignoring case (stackd iam/resource_authorization.json).
	clk.Advance(time.Minute)
	got := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ALICE")}))(t)
	if diff := cmp.Diff(want, got.User, iamOpts); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}

	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	checkErr(t, err, &wantErr{"EntityAlreadyExists", "User with name alice already exists.", 409})
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The user with name bob cannot be found.", 404})

	// Without a UserName, GetUser describes the caller.
	me := must(c.GetUser(ctx, &iam.GetUserInput{}))(t)
	if aws.ToString(me.User.Arn) != admin.ARN {
		t.Errorf("GetUser without a name: %s, want the caller %s", aws.ToString(me.User.Arn), admin.ARN)
	}

	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}))(t)
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("Alice")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The user with name Alice cannot be found.", 404})
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("Alice")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The user with name Alice cannot be found.", 404})
}

func TestIAMGetUserWithRoleCredentials(t *testing.T) {
	e, _ := newTestEngine(t)
	ar := must(newClient(e, e.DefaultUser().Credentials).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::123456789012:role/any"), RoleSessionName: aws.String("sess")}))(t)
	c := newIAMClient(e, credsOf(ar.Credentials))
	// LocalStack's AWS-validated test_access_key_errors; the same answer to
	// GetUser is quoted in govuk-paas/paas-cf #1558.
	_, err := c.GetUser(context.Background(), &iam.GetUserInput{})
	checkErr(t, err, &wantErr{"ValidationError", "Must specify userName when calling with non-User credentials", 400})
	_, err = c.DeleteAccessKey(context.Background(), &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	checkErr(t, err, &wantErr{"ValidationError", "Must specify userName when calling with non-User credentials", 400})
}

func TestIAMDeleteUserConflicts(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAssume)}))(t)
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	key := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u")}))(t)
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("i"), PolicyDocument: aws.String(allowAssume)}))(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: pol.Policy.Arn}))(t)

	steps := []struct {
		conflict *wantErr
		clear    func()
	}{
		// aws-controllers-k8s/community #2229 (a raw DeleteConflict, 409).
		{&wantErr{"DeleteConflict", "Cannot delete entity, must delete access keys first.", 409}, func() {
			must(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("u"), AccessKeyId: key.AccessKey.AccessKeyId}))(t)
		}},
		// LocalStack's AWS-validated role tests give these two texts.
		{&wantErr{"DeleteConflict", "Cannot delete entity, must delete policies first.", 409}, func() {
			must(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("I")}))(t)
		}},
		{&wantErr{"DeleteConflict", "Cannot delete entity, must detach all policies first.", 409}, func() {
			must(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: pol.Policy.Arn}))(t)
		}},
	}
	for _, s := range steps {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("u")})
		checkErr(t, err, s.conflict)
		s.clear()
	}
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("u")}))(t)
}

func TestIAMUserTags(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged")}))(t)
	tag := func(k, v string) iamtypes.Tag { return iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	must(c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: []iamtypes.Tag{tag("b", "1"), tag("a", "2")}}))(t)
	must(c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: []iamtypes.Tag{tag("B", "3")}}))(t)
	got := must(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("tagged")}))(t)
	if diff := cmp.Diff([]iamtypes.Tag{tag("a", "2"), tag("B", "3")}, got.Tags, iamOpts); diff != "" {
		t.Errorf("tags after a key given again in another case (-want +got):\n%s", diff)
	}
	must(c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("tagged"), TagKeys: []string{"b"}}))(t)
	got = must(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("tagged")}))(t)
	if diff := cmp.Diff([]iamtypes.Tag{tag("a", "2")}, got.Tags, iamOpts); diff != "" {
		t.Errorf("tags after UntagUser (-want +got):\n%s", diff)
	}
	// The user's tags are its sessions' principal tags.
	u := e.userPrincipalOf(t, "tagged")
	if v, _ := lookupTag(u, "a"); v != "2" {
		t.Errorf("principal tag a = %q, want 2", v)
	}
	_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("tagged"), Tags: []iamtypes.Tag{tag("x", "1"), tag("X", "2")}})
	// LocalStack's AWS-validated CreateRole case gives this text (choice
	// for users).
	checkErr(t, err, &wantErr{"InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400})
}

// userPrincipalOf returns the principal tags of user name's long-term key
// principal.
func (e *Engine) userPrincipalOf(t *testing.T, name string) *Principal {
	t.Helper()
	e.mu.RLock()
	u := e.userNamedLocked(e.account, name)
	e.mu.RUnlock()
	if u == nil {
		t.Fatalf("no user %s", name)
	}
	return e.userPrincipal(u, "AKIA")
}

// lookupTag returns the value of a principal tag.
func lookupTag(p *Principal, key string) (string, bool) {
	for _, t := range p.Tags {
		if t.Key == key {
			return t.Value, true
		}
	}
	return "", false
}
