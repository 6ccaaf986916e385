package fakests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// This file pins that a snapshot holds all of IAM's state (behaviour
// §23): an engine restored from a snapshot's JSON answers IAM's reads,
// over a real *iam.Client, exactly as the original does.

// iamReads are IAM reads of the fixture's state, each returning its output.
var iamReads = []struct {
	name string
	call func(ctx context.Context, c *iam.Client) (any, error)
}{
	{"GetUser root", func(ctx context.Context, c *iam.Client) (any, error) { return c.GetUser(ctx, &iam.GetUserInput{}) }},
	{"ListUsers", func(ctx context.Context, c *iam.Client) (any, error) { return c.ListUsers(ctx, &iam.ListUsersInput{}) }},
	{"ListRoles", func(ctx context.Context, c *iam.Client) (any, error) { return c.ListRoles(ctx, &iam.ListRolesInput{}) }},
	{"ListPolicies", func(ctx context.Context, c *iam.Client) (any, error) {
		return c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAll})
	}},
	{"ListVirtualMFADevices", func(ctx context.Context, c *iam.Client) (any, error) {
		return c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})
	}},
	{"ListOpenIDConnectProviders", func(ctx context.Context, c *iam.Client) (any, error) {
		return c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
	}},
	{"ListSAMLProviders", func(ctx context.Context, c *iam.Client) (any, error) {
		return c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	}},
	{"ListOrganizationsFeatures", func(ctx context.Context, c *iam.Client) (any, error) {
		return c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	}},
}

// perUser, perRole and perPolicy are reads of each user, role and policy.
func perUser(name string) []func(ctx context.Context, c *iam.Client) (any, error) {
	n := aws.String(name)
	return []func(ctx context.Context, c *iam.Client) (any, error){
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetUser(ctx, &iam.GetUserInput{UserName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: n})
		},
	}
}

func perRole(name string) []func(ctx context.Context, c *iam.Client) (any, error) {
	n := aws.String(name)
	return []func(ctx context.Context, c *iam.Client) (any, error){
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetRole(ctx, &iam.GetRoleInput{RoleName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: n})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: n})
		},
	}
}

func perPolicy(policyARN string) []func(ctx context.Context, c *iam.Client) (any, error) {
	a := aws.String(policyARN)
	out := []func(ctx context.Context, c *iam.Client) (any, error){
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: a})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: a})
		},
	}
	for _, v := range []string{"v1", "v2", "v3"} {
		out = append(out, func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: a, VersionId: aws.String(v)})
		})
	}
	return out
}

// answer returns an IAM read's output, or its error's code and message, as
// text for comparison.
func answer(out any, err error) string {
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return "error: " + ae.ErrorCode() + ": " + ae.ErrorMessage()
		}
		return "error: " + err.Error()
	}
	b, jerr := json.Marshal(out)
	if jerr != nil {
		return "unmarshalable: " + jerr.Error()
	}
	return string(b)
}

// TestSnapshotRestoredAnswersIAMReads restores the fixture's snapshot from
// its JSON into a new engine: every IAM read over a real *iam.Client
// answers as on the original, including inline policy documents, key
// status and dates, policy versions, attachments, tags, MFA devices and
// providers; keys made Inactive or deleted stay refused and sessions of
// the deleted role and user keep working.
func TestSnapshotRestoredAnswersIAMReads(t *testing.T) {
	w := newFullWorld(t, 4)
	e2 := restoreJSON(t, marshalState(t, w.e), append([]Option{WithClock(w.clk.Now)}, worldOptions...)...)
	root := w.e.RootCredentials("")
	ctx := context.Background()
	c1, c2 := newIAMClient(w.e, root), newIAMClient(e2, root)

	reads := iamReads
	add := func(name string, fs []func(ctx context.Context, c *iam.Client) (any, error)) {
		for i, f := range fs {
			reads = append(reads, struct {
				name string
				call func(ctx context.Context, c *iam.Client) (any, error)
			}{fmt.Sprintf("%s #%d", name, i), f})
		}
	}
	for _, u := range []string{"alice", "erin", "dave"} {
		add("user "+u, perUser(u))
	}
	for _, r := range []string{"deployer", "wire-role", "temp"} {
		add("role "+r, perRole(r))
	}
	for _, p := range []string{arnIAM(acctA, "policy/ReadOnly"), arnIAM(acctA, "policy/team/WirePolicy"), "arn:aws:iam::aws:policy/AdministratorAccess"} {
		add("policy "+p, perPolicy(p))
	}
	add("inline", []func(ctx context.Context, c *iam.Client) (any, error){
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("Named")})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline-1")})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("deployer"), PolicyName: aws.String("Extra")})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String(arnIAM(acctA, "oidc-provider/idp.example.com/tenant"))})
		},
		func(ctx context.Context, c *iam.Client) (any, error) {
			return c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arnIAM(acctA, "saml-provider/wire-saml"))})
		},
	})
	answered := 0
	for _, r := range reads {
		want, got := answer(r.call(ctx, c1)), answer(r.call(ctx, c2))
		if want != got {
			t.Errorf("%s: the restored engine answers\n%s\nthe original\n%s", r.name, got, want)
		}
		if want[:6] != "error:" {
			answered++
		}
	}
	// Most reads answer (the deleted role's reads and a third version of
	// policies with two are NoSuchEntity on both).
	if answered < len(reads)-8 {
		t.Errorf("only %d of %d reads answered", answered, len(reads))
	}

	// Keys made Inactive or deleted stay refused, on both paths.
	invalid := &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403}
	for _, e := range []*Engine{w.e, e2} {
		for _, p := range paths(e) {
			for what, creds := range w.refused {
				api, ctx := p.api(creds)
				_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				t.Logf("%s key on the %s path", what, p.name)
				checkErr(t, err, invalid)
			}
		}
	}
}

// TestRestoreDetachedUserWithKeys restores a user its account no longer
// holds but a session does, which still has a current key (a user of a
// state that Restore replaced while the session was being issued): the
// snapshot restores and marshals back the same, and the key authenticates
// nothing.
func TestRestoreDetachedUserWithKeys(t *testing.T) {
	w := newFullWorld(t, 5)
	var m map[string]any
	if err := json.Unmarshal(marshalState(t, w.e), &m); err != nil {
		t.Fatal(err)
	}
	var keyID string
	for _, u := range m["users"].([]any) {
		if u := u.(map[string]any); u["name"] == "alice" {
			u["detached"] = true
			keyID = u["accessKeys"].([]any)[0].(map[string]any)["accessKeyId"].(string)
		}
	}
	// A device is assigned only to a user its account holds: alice's goes.
	var devs []any
	for _, d := range m["mfaDevices"].([]any) {
		if d.(map[string]any)["name"] != "alice" {
			devs = append(devs, d)
		}
	}
	m["mfaDevices"] = devs
	doc, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	e2 := restoreJSON(t, doc, worldOptions...)
	if diff := docDiff(marshalState(t, restoreJSON(t, marshalState(t, e2), worldOptions...)), marshalState(t, e2)); diff != "" {
		t.Errorf("the restored engine does not restore to itself:\n%s", diff)
	}
	api, ctx := paths(e2).byName("client").api(aws.Credentials{AccessKeyID: keyID, SecretAccessKey: w.user.Credentials.SecretAccessKey})
	_, err = api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	checkErr(t, err, &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403})
}
