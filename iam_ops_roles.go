package fakests

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/policy"
)

// This file serves IAM's role operations on the wire (behaviour §18):
// CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription,
// UpdateAssumeRolePolicy, the role's tags, DeleteRole and
// ListInstanceProfilesForRole (always empty: instance profiles are not
// modelled). Trust policies come back URL-encoded.

func (e *Engine) iamCreateRole(ctx context.Context, c *apiCall, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, error) {
	acct, name, path := c.principal.Account, *in.RoleName, pathOr(in.Path)
	reqTags, err := e.authorizeCreate(ctx, c, "role", path, name, in.Tags, in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	doc := *in.AssumeRolePolicyDocument
	trust, err := e.iamTrustPolicy(name, doc)
	if err != nil {
		return nil, err
	}
	r, err := e.newRole(acct, path, name, doc, trust, reqTags)
	if err != nil {
		return nil, err
	}
	r.description = in.Description
	if in.MaxSessionDuration != nil {
		r.maxSession = time.Duration(*in.MaxSessionDuration) * time.Second
	}
	var out types.Role
	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(acct)
		if a.roles[strings.ToLower(name)] != nil {
			return errorf(apierror.CodeEntityAlreadyExists, msgRoleExists, name)
		}
		c.addRole(a, r)
		out = sdkRole(r, false, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateRoleOutput{Role: &out}, nil
}

// iamTrustPolicy parses a trust policy given over the wire, with IAM's
// checks (behaviour §18).
func (e *Engine) iamTrustPolicy(roleName, doc string) (*policy.Policy, error) {
	what := "trust policy of role " + roleName
	trust, err := iamDocument(doc, policy.Resource, what, false)
	if err != nil {
		return nil, err
	}
	if policySize(doc) > maxTrustPolicySize {
		return nil, errorf(apierror.CodeLimitExceeded, msgQuota, msgTrustSizeQuota, maxTrustPolicySize)
	}
	if err := checkTrustPrincipals(what, doc); err != nil {
		return nil, err
	}
	if err := checkTrustGrammar(what, doc); err != nil {
		return nil, err
	}
	trust.Name = "role/" + roleName + "/trust"
	return trust, nil
}

func (e *Engine) iamGetRole(ctx context.Context, c *apiCall, in *iam.GetRoleInput) (*iam.GetRoleOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	out := sdkRole(r, true, true)
	e.mu.RUnlock()
	out.RoleLastUsed = &types.RoleLastUsed{} // recorded: an empty element when never used
	return &iam.GetRoleOutput{Role: &out}, nil
}

func (e *Engine) iamListRoles(ctx context.Context, c *apiCall, in *iam.ListRolesInput) (*iam.ListRolesOutput, error) {
	acct, prefix := c.principal.Account, pathOr(in.PathPrefix)
	if err := e.authorizeIAM(ctx, c, arnResource(arn.IAM(acct, "role"+prefix)), nil); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var all []*role
	if a := e.accounts[acct]; a != nil {
		for _, r := range a.roles {
			if strings.HasPrefix(r.path, prefix) {
				all = append(all, r)
			}
		}
	}
	key := func(r *role) string { return sortKey(r.name) }
	sortBy(all, key)
	page, next, err := paginate(all, key, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListRolesOutput{Roles: make([]types.Role, 0, len(page)), Marker: next, IsTruncated: next != nil}
	for _, r := range page {
		out.Roles = append(out.Roles, sdkRole(r, true, false))
	}
	return out, nil
}

func (e *Engine) iamUpdateRole(ctx context.Context, c *apiCall, in *iam.UpdateRoleInput) (*iam.UpdateRoleOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	u := RoleUpdate{Description: in.Description}
	if in.MaxSessionDuration != nil {
		d := time.Duration(*in.MaxSessionDuration) * time.Second
		u.MaxSessionDuration = &d
	}
	if err := e.updateRole(r, u); err != nil {
		return nil, err
	}
	return &iam.UpdateRoleOutput{}, nil
}

func (e *Engine) iamUpdateRoleDescription(ctx context.Context, c *apiCall, in *iam.UpdateRoleDescriptionInput) (*iam.UpdateRoleDescriptionOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	if err := e.updateRole(r, RoleUpdate{Description: in.Description}); err != nil {
		return nil, err
	}
	e.mu.RLock()
	out := sdkRole(r, false, true) // recorded: no MaxSessionDuration
	e.mu.RUnlock()
	return &iam.UpdateRoleDescriptionOutput{Role: &out}, nil
}

func (e *Engine) iamUpdateAssumeRolePolicy(ctx context.Context, c *apiCall, in *iam.UpdateAssumeRolePolicyInput) (*iam.UpdateAssumeRolePolicyOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	trust, err := e.iamTrustPolicy(r.name, *in.PolicyDocument)
	if err != nil {
		return nil, err
	}
	if err := e.setTrust(r, *in.PolicyDocument, trust); err != nil {
		return nil, err
	}
	return &iam.UpdateAssumeRolePolicyOutput{}, nil
}

func (e *Engine) iamTagRole(ctx context.Context, c *apiCall, in *iam.TagRoleInput) (*iam.TagRoleOutput, error) {
	reqTags, err := requestTagsIAM(in.Tags)
	if err != nil {
		return nil, err
	}
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{requestTags: reqTags})
	if err != nil {
		return nil, err
	}
	err = e.changeIAM(func(c *iamChange) error {
		merged, err := mergeTags(r.tags, reqTags)
		if err != nil {
			return err
		}
		c.role(r)
		r.tags = merged
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.TagRoleOutput{}, nil
}

func (e *Engine) iamUntagRole(ctx context.Context, c *apiCall, in *iam.UntagRoleInput) (*iam.UntagRoleOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{tagKeys: in.TagKeys})
	if err != nil {
		return nil, err
	}
	err = e.changeIAM(func(c *iamChange) error {
		c.role(r)
		r.tags = removeTags(r.tags, in.TagKeys)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UntagRoleOutput{}, nil
}

func (e *Engine) iamListRoleTags(ctx context.Context, c *apiCall, in *iam.ListRoleTagsInput) (*iam.ListRoleTagsOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	page, next, err := paginateTags(e.roleTags(r), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRoleTagsOutput{Tags: page, Marker: next, IsTruncated: next != nil}, nil
}

func (e *Engine) iamDeleteRole(ctx context.Context, c *apiCall, in *iam.DeleteRoleInput) (*iam.DeleteRoleOutput, error) {
	r, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{})
	if err != nil {
		return nil, err
	}
	if err := e.deleteRole(r.account, r.name); err != nil {
		return nil, err
	}
	return &iam.DeleteRoleOutput{}, nil
}

func (e *Engine) iamListInstanceProfilesForRole(ctx context.Context, c *apiCall, in *iam.ListInstanceProfilesForRoleInput) (*iam.ListInstanceProfilesForRoleOutput, error) {
	if _, err := e.authorizedRole(ctx, c, *in.RoleName, iamConditions{}); err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfilesForRoleOutput{InstanceProfiles: []types.InstanceProfile{}}, nil
}
