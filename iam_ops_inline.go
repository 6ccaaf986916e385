package fakests

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// This file serves the policies of users and roles on the wire (behaviour
// §18): inline policies by name (Put, Get, List, Delete) and attached
// managed policies (Attach, Detach, ListAttached). Each is authorized on
// the user or role; attachments also see iam:PolicyARN.

func (e *Engine) iamPutUserPolicy(ctx context.Context, c *apiCall, in *iam.PutUserPolicyInput) (*iam.PutUserPolicyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	p, err := iamDocument(*in.PolicyDocument, policy.Identity, "inline policy "+*in.PolicyName, false)
	if err != nil {
		return nil, err
	}
	if err := e.putUserPolicy(u, *in.PolicyName, *in.PolicyDocument, p); err != nil {
		return nil, err
	}
	return &iam.PutUserPolicyOutput{}, nil
}

func (e *Engine) iamGetUserPolicy(ctx context.Context, c *apiCall, in *iam.GetUserPolicyInput) (*iam.GetUserPolicyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	e.mu.RLock()
	ip := findInline(u.inline, *in.PolicyName)
	e.mu.RUnlock()
	if ip == nil {
		return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchUserPolicy, *in.PolicyName)
	}
	// The name as asked for (a stackd capture returns MIXEDNAME for a
	// policy put as MixedName).
	return &iam.GetUserPolicyOutput{UserName: aws.String(u.name), PolicyName: in.PolicyName,
		PolicyDocument: aws.String(encodeDocument(ip.doc))}, nil
}

func (e *Engine) iamListUserPolicies(ctx context.Context, c *apiCall, in *iam.ListUserPoliciesInput) (*iam.ListUserPoliciesOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	e.mu.RLock()
	list := u.inline
	e.mu.RUnlock()
	names, next, err := listInlineNames(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserPoliciesOutput{PolicyNames: names, Marker: next, IsTruncated: next != nil}, nil
}

// listInlineNames pages the names of inline policies, sorted.
func listInlineNames(list []*inlinePolicy, marker *string, maxItems *int32) ([]string, *string, error) {
	names := make([]string, 0, len(list))
	for _, ip := range list {
		names = append(names, ip.name)
	}
	sortBy(names, sortKey)
	page, next, err := paginate(names, sortKey, marker, maxItems)
	if err != nil {
		return nil, nil, err
	}
	return slices.Clip(page), next, nil
}

func (e *Engine) iamDeleteUserPolicy(ctx context.Context, c *apiCall, in *iam.DeleteUserPolicyInput) (*iam.DeleteUserPolicyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	if err := e.deleteUserPolicy(u, *in.PolicyName); err != nil {
		return nil, err
	}
	return &iam.DeleteUserPolicyOutput{}, nil
}

func (e *Engine) iamPutRolePolicy(ctx context.Context, c *apiCall, in *iam.PutRolePolicyInput) (*iam.PutRolePolicyOutput, error) {
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, roleTagContext(e, r)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	p, err := iamDocument(*in.PolicyDocument, policy.Identity, "inline policy "+*in.PolicyName, false)
	if err != nil {
		return nil, err
	}
	if err := e.putRolePolicy(r, *in.PolicyName, *in.PolicyDocument, p); err != nil {
		return nil, err
	}
	return &iam.PutRolePolicyOutput{}, nil
}

func (e *Engine) iamGetRolePolicy(ctx context.Context, c *apiCall, in *iam.GetRolePolicyInput) (*iam.GetRolePolicyOutput, error) {
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, roleTagContext(e, r)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	e.mu.RLock()
	ip := findInline(r.inline, *in.PolicyName)
	e.mu.RUnlock()
	if ip == nil {
		return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchRolePolicy, *in.PolicyName)
	}
	return &iam.GetRolePolicyOutput{RoleName: aws.String(r.name), PolicyName: in.PolicyName,
		PolicyDocument: aws.String(encodeDocument(ip.doc))}, nil
}

func (e *Engine) iamListRolePolicies(ctx context.Context, c *apiCall, in *iam.ListRolePoliciesInput) (*iam.ListRolePoliciesOutput, error) {
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, roleTagContext(e, r)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	e.mu.RLock()
	list := r.inline
	e.mu.RUnlock()
	names, next, err := listInlineNames(list, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: names, Marker: next, IsTruncated: next != nil}, nil
}

func (e *Engine) iamDeleteRolePolicy(ctx context.Context, c *apiCall, in *iam.DeleteRolePolicyInput) (*iam.DeleteRolePolicyOutput, error) {
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, roleTagContext(e, r)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	if err := e.deleteRolePolicy(r, *in.PolicyName); err != nil {
		return nil, err
	}
	return &iam.DeleteRolePolicyOutput{}, nil
}

// policyARNContext adds iam:PolicyARN to an entity's tag keys.
func policyARNContext(c map[string][]string, policyARN string) map[string][]string {
	c["iam:PolicyARN"] = []string{policyARN}
	return c
}

// checkPolicyARN refuses a PolicyArn that is not an ARN: ValidationError
// "ARN <value> is not valid." (recorded for AttachUserPolicy).
func checkPolicyARN(s string) error {
	if !isARNShape(s) {
		return errorf(apierror.CodeValidationError, msgInvalidInputARN, s)
	}
	return nil
}

func (e *Engine) iamAttachUserPolicy(ctx context.Context, c *apiCall, in *iam.AttachUserPolicyInput) (*iam.AttachUserPolicyOutput, error) {
	if err := checkPolicyARN(*in.PolicyArn); err != nil {
		return nil, err
	}
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, policyARNContext(userTagContext(e, u), *in.PolicyArn)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	if err := e.attachUserPolicy(u, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.AttachUserPolicyOutput{}, nil
}

func (e *Engine) iamDetachUserPolicy(ctx context.Context, c *apiCall, in *iam.DetachUserPolicyInput) (*iam.DetachUserPolicyOutput, error) {
	if err := checkPolicyARN(*in.PolicyArn); err != nil {
		return nil, err
	}
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, policyARNContext(userTagContext(e, u), *in.PolicyArn)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	if err := e.detachUserPolicy(u, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.DetachUserPolicyOutput{}, nil
}

func (e *Engine) iamListAttachedUserPolicies(ctx context.Context, c *apiCall, in *iam.ListAttachedUserPoliciesInput) (*iam.ListAttachedUserPoliciesOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	page, next, err := e.attachedPage(u.managed, pathOr(in.PathPrefix), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: page, Marker: next, IsTruncated: next != nil}, nil
}

func (e *Engine) iamAttachRolePolicy(ctx context.Context, c *apiCall, in *iam.AttachRolePolicyInput) (*iam.AttachRolePolicyOutput, error) {
	if err := checkPolicyARN(*in.PolicyArn); err != nil {
		return nil, err
	}
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, policyARNContext(roleTagContext(e, r), *in.PolicyArn)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	if err := e.attachRolePolicy(r, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.AttachRolePolicyOutput{}, nil
}

func (e *Engine) iamDetachRolePolicy(ctx context.Context, c *apiCall, in *iam.DetachRolePolicyInput) (*iam.DetachRolePolicyOutput, error) {
	if err := checkPolicyARN(*in.PolicyArn); err != nil {
		return nil, err
	}
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, policyARNContext(roleTagContext(e, r), *in.PolicyArn)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	if err := e.detachRolePolicy(r, *in.PolicyArn); err != nil {
		return nil, err
	}
	return &iam.DetachRolePolicyOutput{}, nil
}

func (e *Engine) iamListAttachedRolePolicies(ctx context.Context, c *apiCall, in *iam.ListAttachedRolePoliciesInput) (*iam.ListAttachedRolePoliciesOutput, error) {
	r, res := e.roleTarget(c, *in.RoleName)
	if err := e.authorizeIAM(ctx, c, res, roleTagContext(e, r)); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(*in.RoleName)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	page, next, err := e.attachedPage(r.managed, pathOr(in.PathPrefix), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: page, Marker: next, IsTruncated: next != nil}, nil
}

// attachedPage lists the attached policies whose path starts with prefix,
// by name. e.mu must be held.
func (e *Engine) attachedPage(arns []string, prefix string, marker *string, maxItems *int32) ([]types.AttachedPolicy, *string, error) {
	var mps []*managedPolicy
	for _, a := range arns {
		if mp := e.managedPolicyLocked(a); mp != nil && hasPathPrefix(mp.path, prefix) {
			mps = append(mps, mp)
		}
	}
	key := func(mp *managedPolicy) string { return sortKey(mp.name) + "\x00" + mp.arn }
	sortBy(mps, key)
	page, next, err := paginate(mps, key, marker, maxItems)
	if err != nil {
		return nil, nil, err
	}
	out := make([]types.AttachedPolicy, 0, len(page))
	for _, mp := range page {
		out = append(out, types.AttachedPolicy{PolicyArn: aws.String(mp.arn), PolicyName: aws.String(mp.name)})
	}
	return out, next, nil
}

// hasPathPrefix reports whether path starts with prefix.
func hasPathPrefix(path, prefix string) bool {
	return len(path) >= len(prefix) && path[:len(prefix)] == prefix
}
