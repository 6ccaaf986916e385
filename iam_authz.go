package fakests

import (
	"context"
	"fmt"
	"strings"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file authorizes IAM's control-plane calls with the engine's policy
// evaluation (behaviour §18): iam:<Action> on the resource the Service
// Authorization Reference gives the action (the user, role, policy,
// provider or MFA device acted on, with its path; "*" for the listings and
// account switches that have no resource type), the caller's identity
// policies intersected with its session policies, root allowed everything
// but what an AssumeRoot task policy denies. IAM has no resource-based
// policies, so a call on another account's entity is always denied. The
// default user of lenient mode holds an allow-everything policy. Denials
// carry IAM's reason suffix.

// iamResource is what an IAM call acts on: the ARN policies are evaluated
// against, and how IAM names it in a denial.
type iamResource struct{ arn, shown string }

// anyResource is the resource of actions without a resource type.
var anyResource = iamResource{arn: "*", shown: "*"}

// arnResource is a resource IAM names by its ARN in a denial: a new entity
// (CreateUser, CreateRole, fivexl/terraform-aws-sso-elevator #21), a policy,
// a provider, an MFA device.
func arnResource(a string) iamResource { return iamResource{arn: a, shown: a} }

// userResource is an existing user: IAM names it "user <name>" in a denial
// (rebuy-de/aws-nuke #294).
func userResource(u *user) iamResource { return iamResource{arn: u.arn, shown: "user " + u.name} }

// missingUserResource is a user name that names no user: the ARN it would
// have with the default path.
func missingUserResource(acct, name string) iamResource {
	return iamResource{arn: arn.IAM(acct, "user/"+name), shown: "user " + name}
}

// roleResource is an existing role: "role <name>" (aws/aws-cdk #27067,
// fivexl/terraform-aws-sso-elevator #21).
func roleResource(r *role) iamResource { return iamResource{arn: r.arn, shown: "role " + r.name} }

// missingRoleResource is a role name that names no role.
func missingRoleResource(acct, name string) iamResource {
	return iamResource{arn: arn.IAM(acct, "role/"+name), shown: "role " + name}
}

// authorizeIAM decides whether the caller of c may perform iam:<c.op> on
// res, with extra condition keys on top of the global ones, and returns
// IAM's AccessDenied when not.
func (e *Engine) authorizeIAM(ctx context.Context, c *apiCall, res iamResource, extra map[string][]string) error {
	p := c.principal
	action := "iam:" + c.op
	cond := e.baseContext(ctx, p, e.now())
	for k, v := range extra {
		cond[k] = v
	}
	if acct := resourceAccount(res.arn, cond); acct != "" {
		if _, given := cond["aws:ResourceAccount"]; !given {
			cond["aws:ResourceAccount"] = []string{acct}
		}
	}
	req := &policy.Request{Action: action, Resource: res.arn, Context: cond}
	identity, sessPols := e.identityPolicies(p)
	deny := func(format string) error {
		args := []any{p.ARN, action, res.shown}
		if strings.Count(format, "%s") == 4 {
			args = append(args, action)
		}
		return apierror.New(apierror.CodeAccessDenied, fmt.Sprintf(format, args...))
	}
	root := p.Type == Root || (p.sess != nil && p.sess.root)
	idAllowed, idDeny := root, false
	if !root {
		d := policy.Evaluate(req, identity...)
		idAllowed, idDeny = d.Allowed, d.ExplicitDeny
	}
	if tp := p.sess.taskPolicy(); tp != nil && policy.Evaluate(req, tp).ExplicitDeny {
		idDeny = true
	}
	if idDeny {
		return deny(msgNotAuthorizedDenyIdentity)
	}
	sessionAllowed := true
	if p.sess != nil && p.sess.hasPolicy {
		sd := policy.Evaluate(req, sessPols...)
		if sd.ExplicitDeny {
			return deny(msgNotAuthorizedDenySession)
		}
		sessionAllowed = sd.Allowed
	}
	switch {
	case !idAllowed:
		return deny(msgNotAuthorizedNoIdentityPolicy)
	case !sessionAllowed:
		return deny(msgNotAuthorizedNoSessionPolicy)
	}
	if a := cond["aws:ResourceAccount"]; len(a) > 0 && isAccountID(a[0]) && a[0] != p.Account {
		return deny(msgIAMNoResourcePolicy)
	}
	return nil
}

// tagContext returns the condition keys of a request that carries tags
// (aws:RequestTag/<key>, aws:TagKeys) on a resource with tags
// (aws:ResourceTag/<key>).
func tagContext(resource, request []tags.Tag, keys []string) map[string][]string {
	c := make(map[string][]string, len(resource)+len(request)+1)
	for _, t := range resource {
		c["aws:ResourceTag/"+t.Key] = []string{t.Value}
	}
	for _, t := range request {
		c["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys = append(keys, t.Key)
	}
	if len(keys) > 0 {
		c["aws:TagKeys"] = keys
	}
	return c
}
