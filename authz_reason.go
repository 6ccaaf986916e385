package fakests

import (
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// deniedWithReason decides p's identity-based permissions for action on
// resource as identityAllows does, and when they do not allow it returns the
// AccessDenied that carries AWS's reason, as GetWebIdentityToken's denials
// do and AssumeRole's do not (behaviour §10, §11.11). The reason is the first
// that applies of:
//
//   - "with an explicit deny in an identity-based policy" (recorded);
//   - "with an explicit deny in a session policy" (recorded);
//   - "because no identity-based policy allows the <action> action"
//     (recorded);
//   - "because no session policy allows the <action> action" (the IAM User
//     Guide's pattern for implicit denials, troubleshoot_access-denied).
//
// AWS names one policy type when several deny; explicit denials come first
// because they decide first. Permissions boundaries and service control
// policies are not modelled, so the recorded "because no permissions
// boundary allows the <action> action" never appears. It returns nil when
// the action is allowed.
func (e *Engine) deniedWithReason(p *Principal, action, resource string, c map[string][]string) error {
	req := &policy.Request{Action: action, Resource: resource, Context: c}
	identity, sessPols := e.identityPolicies(p)
	id := policy.Decision{Allowed: true} // root is allowed everything
	if p.Type != Root && (p.sess == nil || !p.sess.root) {
		id = policy.Evaluate(req, identity...)
	}
	sess := policy.Decision{Allowed: true}
	if p.sess != nil && p.sess.hasPolicy {
		sess = policy.Evaluate(req, sessPols...)
	}
	var format string
	switch {
	case id.ExplicitDeny:
		format = msgNotAuthorizedDenyIdentity
	case sess.ExplicitDeny:
		format = msgNotAuthorizedDenySession
	case !id.Allowed:
		format = msgNotAuthorizedNoIdentityPolicy
	case !sess.Allowed:
		format = msgNotAuthorizedNoSessionPolicy
	default:
		return nil
	}
	if format == msgNotAuthorizedDenyIdentity || format == msgNotAuthorizedDenySession {
		return errorf(apierror.CodeAccessDenied, format, p.ARN, action, resource)
	}
	return errorf(apierror.CodeAccessDenied, format, p.ARN, action, resource, action)
}
