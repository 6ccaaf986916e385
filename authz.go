package fakests

import (
	"context"
	"strconv"
	"time"

	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file decides authorization inside STS: identity policies of the
// caller (intersected with its session policies) and role trust policies,
// combined as AWS combines them (facts §11.1, §12).

// requestInfo is what the wire knows about a request that policies can test.
type requestInfo struct {
	sourceIP  string
	userAgent string
	secure    bool
}

type requestInfoKey struct{}

func withRequestInfo(ctx context.Context, ri requestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, ri)
}

// baseContext returns the global condition keys of a request made by p at
// now: time, transport, region and the principal's own keys.
func (e *Engine) baseContext(ctx context.Context, p *Principal, now time.Time) map[string][]string {
	// Sized for the global keys, the principal's tags and what the
	// operation adds (role tags, request tags, sts:* keys), so the map
	// rarely grows.
	c := make(map[string][]string, 24+len(p.Tags))
	c["aws:CurrentTime"] = []string{now.UTC().Format(time.RFC3339)}
	c["aws:EpochTime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	c["aws:RequestedRegion"] = []string{e.region}
	c["aws:SecureTransport"] = []string{"true"}
	c["aws:PrincipalType"] = []string{p.Type.String()}
	c["aws:PrincipalAccount"] = []string{p.Account}
	c["aws:userid"] = []string{p.UserID}
	if ri, ok := ctx.Value(requestInfoKey{}).(requestInfo); ok {
		c["aws:SecureTransport"] = []string{strconv.FormatBool(ri.secure)}
		if ri.sourceIP != "" {
			c["aws:SourceIp"] = []string{ri.sourceIP}
		}
		if ri.userAgent != "" {
			c["aws:UserAgent"] = []string{ri.userAgent}
		}
	}
	switch p.Type {
	case IAMUser:
		c["aws:PrincipalArn"] = []string{p.user.arn}
		c["aws:username"] = []string{p.user.name}
	case AssumedRole:
		c["aws:PrincipalArn"] = []string{p.RoleARN}
	case Root, FederatedUser:
		c["aws:PrincipalArn"] = []string{p.ARN}
	}
	for _, t := range p.Tags {
		c["aws:PrincipalTag/"+t.Key] = []string{t.Value}
	}
	if s := p.sess; s != nil {
		c["aws:TokenIssueTime"] = []string{p.IssuedAt.UTC().Format(time.RFC3339)}
		c["aws:MultiFactorAuthPresent"] = []string{strconv.FormatBool(!s.mfaAt.IsZero())}
		if !s.mfaAt.IsZero() {
			c["aws:MultiFactorAuthAge"] = []string{strconv.FormatInt(int64(now.Sub(s.mfaAt)/time.Second), 10)}
		}
		if s.sourceIdentity != "" {
			c["aws:SourceIdentity"] = []string{s.sourceIdentity}
		}
		if s.federated != "" {
			c["aws:FederatedProvider"] = []string{s.federated}
		}
		for k, v := range s.context {
			c[k] = v
		}
	}
	return c
}

// policyPrincipal is how p appears to a Principal element.
func (p *Principal) policyPrincipal() *policy.Principal {
	if p.Type == Anonymous {
		return &policy.Principal{}
	}
	ids := []string{p.ARN}
	if p.Type == AssumedRole && p.RoleARN != "" {
		ids = append(ids, p.RoleARN)
	}
	return &policy.Principal{Type: "AWS", IDs: ids, Account: p.Account}
}

// identityPolicies returns the identity policies that apply to p and its
// session policies. ok is false for a principal whose session has no
// permissions at all (GetFederationToken without a session policy).
func (e *Engine) identityPolicies(p *Principal) (identity, sessionPolicies []*policy.Policy) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	collect := func(inline []*policy.Policy, managed []string) {
		identity = append(identity, inline...)
		for _, arn := range managed {
			if mp := e.managedLocked(arn); mp != nil {
				identity = append(identity, mp)
			}
		}
	}
	switch {
	case p.role != nil:
		collect(p.role.inline, p.role.managed)
	case p.user != nil:
		collect(p.user.inline, p.user.managed)
	}
	if p.sess != nil {
		sessionPolicies = p.sess.policies
	}
	return identity, sessionPolicies
}

// identityAllows evaluates p's identity-based permissions for action on
// resource: the identity policies, intersected with session policies when
// the session has them. Root is allowed everything.
func (e *Engine) identityAllows(p *Principal, action, resource string, c map[string][]string) policy.Decision {
	req := &policy.Request{Action: action, Resource: resource, Context: c}
	identity, sess := e.identityPolicies(p)
	d := policy.Decision{Allowed: true} // root is allowed everything
	if p.Type != Root && (p.sess == nil || !p.sess.root) {
		d = policy.Evaluate(req, identity...)
	}
	if p.sess != nil && p.sess.hasPolicy {
		sd := policy.Evaluate(req, sess...)
		d.Matched = append(d.Matched, sd.Matched...)
		d.ExplicitDeny = d.ExplicitDeny || sd.ExplicitDeny
		d.Allowed = d.Allowed && sd.Allowed && !d.ExplicitDeny
	}
	return d
}

// trustAllows decides whether role r's trust policy lets p perform action,
// and whether p's identity policies must also allow it: AWS needs both
// unless the trust policy names a same-account principal directly.
func (e *Engine) trustAllows(r *role, p *Principal, action string, c map[string][]string) (allowed, needIdentity bool) {
	if r.trust == nil { // lenient mode's implicit role trusts everyone
		return true, false
	}
	pp := p.policyPrincipal()
	req := &policy.Request{Principal: pp, Action: action, Resource: r.arn, Context: c}
	d := policy.Evaluate(req, r.trust)
	if !d.Allowed {
		return false, false
	}
	if p.Account != r.account {
		return true, true
	}
	// Named directly: the policy allows even when the account does not match.
	direct := &policy.Request{Principal: &policy.Principal{Type: pp.Type, IDs: pp.IDs}, Action: action, Resource: r.arn, Context: c}
	if !policy.Evaluate(direct, r.trust).Allowed {
		return true, true
	}
	// Even then an explicit deny in the caller's identity policies wins.
	if e.identityAllows(p, action, r.arn, c).ExplicitDeny {
		return false, false
	}
	// A trust policy is a resource-based policy: what it grants to the
	// role behind a session is limited by the session's policies, what it
	// grants to the session ARN itself is not (the general evaluation rule
	// for session policies; unverified for trust policies in particular).
	if p.sess != nil && p.sess.hasPolicy {
		session := &policy.Request{Principal: &policy.Principal{Type: pp.Type, IDs: []string{p.ARN}}, Action: action, Resource: r.arn, Context: c}
		if !policy.Evaluate(session, r.trust).Allowed {
			sd := policy.Evaluate(&policy.Request{Action: action, Resource: r.arn, Context: c}, p.sess.policies...)
			return sd.Allowed, false
		}
	}
	return true, false
}

// roleContext adds the keys of an AssumeRole-family request on role r:
// aws:ResourceTag/* (the role's tags, replaced by incoming transitive tags)
// and the request's tags.
func roleContext(c map[string][]string, r *role, inherited, request []tags.Tag, transitiveKeys []string) {
	for _, t := range tags.Overlay(r.tags, inherited) {
		c["aws:ResourceTag/"+t.Key] = []string{t.Value}
	}
	if len(request) > 0 {
		keys := make([]string, 0, len(request))
		for _, t := range request {
			c["aws:RequestTag/"+t.Key] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		c["aws:TagKeys"] = keys
	}
	if len(transitiveKeys) > 0 {
		c["sts:TransitiveTagKeys"] = transitiveKeys
	}
}
