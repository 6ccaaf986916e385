package fakests

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/tags"
)

// This file finds the entities IAM calls name (by name, ignoring case, as
// IAM does: a stackd capture reads a user as RESOURCE-AUTH-USER, behaviour
// §18), authorizes a call on the user or role it names (authorizedUser,
// authorizedRole) and renders entities as the SDK's service/iam types.
// Renderers read the entity's fields, so they run under Engine.mu.

// userNamedLocked returns the user of account acct named name (ignoring
// case), or nil. e.mu must be held.
func (e *Engine) userNamedLocked(acct, name string) *user {
	if a := e.accounts[acct]; a != nil {
		return a.users[strings.ToLower(name)]
	}
	return nil
}

// roleNamedLocked returns the role of account acct named name (ignoring
// case), or nil. e.mu must be held.
func (e *Engine) roleNamedLocked(acct, name string) *role {
	if a := e.accounts[acct]; a != nil {
		return a.roles[strings.ToLower(name)]
	}
	return nil
}

// userTarget resolves the user an IAM call acts on: the user named, or,
// when the call names none, the calling IAM user (its own credentials or a
// GetSessionToken session); other callers must name one (ValidationError,
// recorded). u is nil when the name names no user; res is what to
// authorize either way.
func (e *Engine) userTarget(c *apiCall, name *string) (u *user, res iamResource, err error) {
	p := c.principal
	if name == nil {
		if p.Type != IAMUser || p.user == nil {
			return nil, iamResource{}, newError(apierror.CodeValidationError, msgNeedUserName)
		}
		return p.user, userResource(p.user), nil
	}
	e.mu.RLock()
	u = e.userNamedLocked(p.Account, *name)
	e.mu.RUnlock()
	if u == nil {
		return nil, missingUserResource(p.Account, *name), nil
	}
	return u, userResource(u), nil
}

// roleTarget resolves the role an IAM call names; r is nil when there is
// none.
func (e *Engine) roleTarget(c *apiCall, name string) (*role, iamResource) {
	e.mu.RLock()
	r := e.roleNamedLocked(c.principal.Account, name)
	e.mu.RUnlock()
	if r == nil {
		return nil, missingRoleResource(c.principal.Account, name)
	}
	return r, roleResource(r)
}

// noSuchUser is NoSuchEntity for a user name.
func noSuchUser(name string) error { return errorf(apierror.CodeNoSuchEntity, msgNoSuchUser, name) }

// noSuchRole is NoSuchEntity for a role name.
func noSuchRole(name string) error { return errorf(apierror.CodeNoSuchEntity, msgNoSuchRole, name) }

// sdkTags renders tags, nil for none.
func sdkTags(ts []tags.Tag) []types.Tag {
	if len(ts) == 0 {
		return nil
	}
	out := make([]types.Tag, len(ts))
	for i, t := range ts {
		out[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
	}
	return out
}

// sdkTime is a timestamp for an output.
func sdkTime(t time.Time) *time.Time { return aws.Time(t.UTC()) }

// sdkUser renders u as GetUser and CreateUser give it; withTags adds its
// tags (ListUsers leaves them out). e.mu must be held.
func sdkUser(u *user, withTags bool) types.User {
	out := types.User{Arn: aws.String(u.arn), CreateDate: sdkTime(u.created), Path: aws.String(u.path),
		UserId: aws.String(u.id), UserName: aws.String(u.name)}
	if withTags {
		out.Tags = sdkTags(u.tags)
	}
	return out
}

// sdkRole renders r: full adds what GetRole and ListRoles give beyond
// CreateRole's answer (MaxSessionDuration; GetRole's RoleLastUsed is the
// caller's to add), withTags its tags. The trust policy is URL-encoded
// (behaviour §18). e.mu must be held.
func sdkRole(r *role, full, withTags bool) types.Role {
	out := types.Role{Arn: aws.String(r.arn), CreateDate: sdkTime(r.created), Path: aws.String(r.path),
		RoleId: aws.String(r.id), RoleName: aws.String(r.name),
		AssumeRolePolicyDocument: aws.String(encodeDocument(r.trustDoc)), Description: r.description}
	if full {
		out.MaxSessionDuration = aws.Int32(int32(r.maxSession / time.Second))
	}
	if withTags {
		out.Tags = sdkTags(r.tags)
	}
	return out
}

// sdkPolicy renders a managed policy; withExtras adds its description and
// tags (GetPolicy, CreatePolicy). e.mu must be held.
func (e *Engine) sdkPolicy(mp *managedPolicy, withExtras bool) types.Policy {
	out := types.Policy{Arn: aws.String(mp.arn), AttachmentCount: aws.Int32(int32(e.attachmentsLocked(mp))),
		CreateDate: sdkTime(mp.created), DefaultVersionId: aws.String(mp.def.id), IsAttachable: true,
		Path: aws.String(mp.path), PermissionsBoundaryUsageCount: aws.Int32(0), PolicyId: aws.String(mp.id),
		PolicyName: aws.String(mp.name), UpdateDate: sdkTime(mp.updated)}
	if withExtras {
		out.Description, out.Tags = mp.description, sdkTags(mp.tags)
	}
	return out
}

// policyTarget resolves the managed policy an IAM call names by ARN: mp is
// nil when there is none.
func (e *Engine) policyTarget(policyARN string) *managedPolicy {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.managedPolicyLocked(policyARN)
}

// accountRoot is the root ARN of acct.
func accountRoot(acct string) string { return arn.Root(acct) }

// splitIAMARN returns the account and resource of an IAM ARN.
func splitIAMARN(s string) (acct, resource string, ok bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "iam" {
		return "", "", false
	}
	return a.Account, a.Resource, true
}

// userTags returns u's tags (nil for a nil u) under the read lock.
func (e *Engine) userTags(u *user) []tags.Tag {
	if u == nil {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return u.tags
}

// roleTags returns r's tags (nil for a nil r) under the read lock.
func (e *Engine) roleTags(r *role) []tags.Tag {
	if r == nil {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return r.tags
}

// iamConditions are the condition keys an IAM call adds to those of the
// entity it acts on: the tags it sets (aws:RequestTag/*, aws:TagKeys), the
// tag keys it removes (aws:TagKeys) and the managed policy it attaches or
// detaches (iam:PolicyARN).
type iamConditions struct {
	requestTags []tags.Tag
	tagKeys     []string
	policyARN   string
}

// context returns the condition keys of a call on an entity with the tags
// resourceTags.
func (ic iamConditions) context(resourceTags []tags.Tag) map[string][]string {
	c := tagContext(resourceTags, ic.requestTags, ic.tagKeys)
	if ic.policyARN != "" {
		c["iam:PolicyARN"] = []string{ic.policyARN}
	}
	return c
}

// authorizedUser resolves the user an IAM call names (userTarget) and
// authorizes the call on it with the user's tags and ic: a caller who may
// not act on the user is denied whether or not it exists, and only then is
// a missing user NoSuchEntity, as IAM answers (behaviour §18).
func (e *Engine) authorizedUser(ctx context.Context, c *apiCall, name *string, ic iamConditions) (*user, error) {
	u, res, err := e.userTarget(c, name)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, ic.context(e.userTags(u))); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*name)
	}
	return u, nil
}

// authorizedRole is authorizedUser for the role named name.
func (e *Engine) authorizedRole(ctx context.Context, c *apiCall, name string, ic iamConditions) (*role, error) {
	r, res := e.roleTarget(c, name)
	if err := e.authorizeIAM(ctx, c, res, ic.context(e.roleTags(r))); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, noSuchRole(name)
	}
	return r, nil
}

// authorizeCreate makes the checks CreateUser and CreateRole share, in
// IAM's order: the path, the tags, the permissions boundary (not
// modelled), then iam:Create<Kind> on the new entity's ARN with the tags
// as request tags. It returns the tags.
func (e *Engine) authorizeCreate(ctx context.Context, c *apiCall, kind, path, name string, in []types.Tag, boundary *string) ([]tags.Tag, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	reqTags, err := requestTagsIAM(in)
	if err != nil {
		return nil, err
	}
	if boundary != nil {
		return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, "PermissionsBoundary")
	}
	res := arnResource(arn.IAM(c.principal.Account, kind+path+name))
	if err := e.authorizeIAM(ctx, c, res, tagContext(nil, reqTags, nil)); err != nil {
		return nil, err
	}
	return reqTags, nil
}
