package fakests

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file decides whether a principal may act: Request, Decision and
// Authorize for emulators of other services, and inside STS the caller's
// identity policies (intersected with its session policies) and role trust
// policies, combined as AWS combines them.

// Request is what an emulated service asks Authorize about.
type Request struct {
	// Action is the action asked for, such as "s3:GetObject".
	Action string
	// Resource is the ARN acted on ("*" for actions without a resource).
	Resource string
	// Context holds the request's service-specific condition keys (such as
	// s3:prefix or aws:ResourceTag/<k>). They are added to the global keys
	// Authorize fills in from the principal, replacing any of the same name
	// (ignoring case). aws:ResourceAccount names the resource's account when
	// the ARN does not (S3); without either the resource is taken to be in
	// the principal's account.
	Context map[string][]string
	// ResourcePolicy is the resource-based policy document attached to the
	// resource (a bucket policy, a key policy...), or "" for none.
	ResourcePolicy string
}

// Decision is Authorize's answer.
type Decision struct {
	// Allowed is true when the request is allowed.
	Allowed bool
	// ExplicitDeny is true when a Deny statement applied, in any policy.
	ExplicitDeny bool
	// Reasons explain the decision in words: each statement that applied
	// and the rule that settled it.
	Reasons []string
	// Matched lists every statement that applied: identity policies first,
	// then an AssumeRoot session's task policy, then session policies, then
	// the resource policy.
	Matched []policy.Match
	// Principal, Action and Resource are what was decided.
	Principal        *Principal
	Action, Resource string
	// Context is every condition key the policies saw.
	Context map[string][]string
}

// Authorize decides whether p may perform req, as IAM does for a request
// inside one partition (behaviour §6, §11.1):
//
//   - identity-based permissions are p's identity policies (the user's or
//     the role's inline and managed policies), intersected with the
//     session policies p's session was created with; GetFederationToken
//     sessions without a session policy have none; root has all;
//   - a resource policy naming p (by its session ARN, the role or user
//     ARN, or the account) grants on its own within p's account, and must
//     also allow a cross-account request, where the identity side must
//     allow too. Session policies limit what the resource policy grants
//     through the role or user ARN or the account, not what it grants to
//     the session ARN itself;
//   - an AssumeRoot session's task policy denies what it denies (root
//     itself may do anything);
//   - an explicit Deny in any policy wins.
//
// The global condition keys are filled in from p and the engine:
// aws:PrincipalArn (the role ARN for role sessions), aws:PrincipalAccount,
// aws:PrincipalType, aws:PrincipalTag/*, aws:userid, aws:username (IAM
// users), aws:PrincipalOrgID and aws:PrincipalOrgPaths (accounts of an
// organization), aws:SourceIdentity, aws:TokenIssueTime,
// aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge (temporary
// credentials), aws:FederatedProvider, aws:AssumedRoot (AssumeRoot
// sessions), aws:CurrentTime and aws:EpochTime on the engine clock,
// aws:RequestedRegion (the region the request was signed for: the engine's
// for Authenticate and Principal), and aws:SourceIp, aws:SecureTransport,
// aws:UserAgent from the request Authenticate saw.
// req.Context is added on top. Permissions boundaries, service control
// policies and session-less anonymous access beyond a resource policy's
// "*" are not modelled.
//
// p must be a principal this engine handed out, by Authenticate or
// Engine.Principal: Authorize decides on the engine's own record of it, so
// changing the fields of p changes nothing, and a Principal built by hand
// (or by another engine) is an error. The error is non-nil only for such a
// principal, an empty action or a resource policy that does not parse (a
// *policy.Error).
func (e *Engine) Authorize(ctx context.Context, p *Principal, req Request) (*Decision, error) {
	if p == nil || p.seal == nil || p.seal.engine != e {
		return nil, errors.New("fakests: Authorize needs a Principal from this engine's Authenticate or Principal")
	}
	// Decide on the engine's copy; hand back another copy that Authorize
	// accepts again.
	seal := p.seal
	p = &seal.p
	shown := *p
	shown.Tags, shown.seal = slices.Clone(p.Tags), seal
	if req.Action == "" {
		return nil, errors.New("fakests: Authorize needs an action")
	}
	var rp *policy.Policy
	if req.ResourcePolicy != "" {
		var err error
		if rp, err = e.resourcePolicy(req.ResourcePolicy); err != nil {
			return nil, err
		}
	}
	if p.via != nil {
		if _, ok := requestInfoFrom(ctx); !ok {
			ctx = withRequestInfo(ctx, *p.via)
		}
	}
	c := e.baseContext(ctx, p, e.now())
	for k, v := range req.Context {
		for bk := range c {
			if strings.EqualFold(bk, k) {
				delete(c, bk)
			}
		}
		c[k] = v
	}
	// aws:ResourceAccount is a global key AWS fills for resources that
	// belong to an account; an ARN that names its account gives it here
	// (behaviour §12). S3 ARNs name none: the caller passes it.
	if acct := resourceAccount(req.Resource, c); acct != "" {
		if _, given := lookupFold(c, "aws:ResourceAccount"); !given {
			c["aws:ResourceAccount"] = []string{acct}
		}
	}
	d := &Decision{Principal: &shown, Action: req.Action, Resource: req.Resource, Context: c}
	pr := &policy.Request{Action: req.Action, Resource: req.Resource, Context: c}

	identity, sessPols := e.identityPolicies(p)
	var idDec policy.Decision
	switch {
	case p.Type == Anonymous:
	case p.Type == Root || (p.sess != nil && p.sess.root):
		idDec.Allowed = true
		d.Reasons = append(d.Reasons, "the account root user's identity-based permissions are unlimited")
	default:
		idDec = policy.Evaluate(pr, identity...)
		d.record("identity policy", idDec)
	}
	// An AssumeRoot session's task policy denies what root may not do in
	// it (behaviour §11.4, §17).
	if tp := p.sess.taskPolicy(); tp != nil {
		td := policy.Evaluate(pr, tp)
		d.record("task policy", td)
		d.ExplicitDeny = d.ExplicitDeny || td.ExplicitDeny
	}
	hasSession := p.sess != nil && p.sess.hasPolicy
	sessionAllows := true
	if hasSession {
		sd := policy.Evaluate(pr, sessPols...)
		d.record("session policy", sd)
		d.ExplicitDeny = d.ExplicitDeny || sd.ExplicitDeny
		sessionAllows = sd.Allowed
	}
	d.ExplicitDeny = d.ExplicitDeny || idDec.ExplicitDeny
	idAllows := idDec.Allowed && sessionAllows

	resGrants := false
	if rp != nil {
		rreq := *pr
		rreq.Principal = resourcePrincipal(p)
		rd := policy.Evaluate(&rreq, rp)
		d.record("resource policy", rd)
		d.ExplicitDeny = d.ExplicitDeny || rd.ExplicitDeny
		resGrants = rd.Allowed && sessionAllows
		if rd.Allowed && !sessionAllows && p.Type != Anonymous {
			// A grant to the session itself is not limited by its session policies.
			rreq.Principal = &policy.Principal{Type: "AWS", IDs: []string{p.ARN}}
			resGrants = policy.Evaluate(&rreq, rp).Allowed
		}
	}

	cross := resourceAccount(req.Resource, c) != "" && resourceAccount(req.Resource, c) != p.Account
	switch {
	case d.ExplicitDeny:
		d.Reasons = append(d.Reasons, "denied: an explicit Deny applies")
	case cross && idAllows && resGrants:
		d.Allowed = true
		d.Reasons = append(d.Reasons, "allowed: cross-account request allowed by both the identity side and the resource policy")
	case cross && idAllows:
		d.Reasons = append(d.Reasons, "denied: cross-account request and the resource policy does not allow "+req.Action+" for this principal")
	case cross && resGrants:
		d.Reasons = append(d.Reasons, "denied: cross-account request and no identity-based policy allows "+req.Action)
	case idAllows || resGrants:
		d.Allowed = true
		d.Reasons = append(d.Reasons, "allowed: an identity-based or resource-based policy allows "+req.Action)
	case idDec.Allowed && !sessionAllows:
		d.Reasons = append(d.Reasons, "denied: an identity policy allows "+req.Action+" but no session policy does")
	default:
		d.Reasons = append(d.Reasons, "denied: no identity-based or resource-based policy allows "+req.Action+" (implicit deny)")
	}
	if e.journal.authorize {
		e.recordAuthorize(ctx, p, d) // journal.go (WithAuthorizeEvents)
	}
	return d, nil
}

// record notes the statements of one evaluation in d.
func (d *Decision) record(kind string, pd policy.Decision) {
	for _, m := range pd.Matched {
		d.Matched = append(d.Matched, m)
		verb := "allows"
		if m.Effect == policy.Deny {
			verb = "denies"
		}
		sid := ""
		if m.Sid != "" {
			sid = fmt.Sprintf(" (Sid %q)", m.Sid)
		}
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s %q statement %d%s %s", kind, m.Policy, m.Index, sid, verb))
	}
}

// resourcePrincipal is how p appears to a resource policy's Principal: its
// own ARN, the role or IAM user behind a session, and its account.
func resourcePrincipal(p *Principal) *policy.Principal {
	if p.Type == Anonymous {
		return &policy.Principal{}
	}
	ids := []string{p.ARN}
	switch {
	case p.RoleARN != "":
		ids = append(ids, p.RoleARN)
	case p.user != nil && p.user.arn != p.ARN:
		ids = append(ids, p.user.arn)
	}
	return &policy.Principal{Type: "AWS", IDs: ids, Account: p.Account}
}

// resourceAccount returns the account that owns the resource: the
// aws:ResourceAccount key when given, else the ARN's account field.
func resourceAccount(resource string, c map[string][]string) string {
	for k, v := range c {
		if strings.EqualFold(k, "aws:ResourceAccount") && len(v) > 0 {
			return v[0]
		}
	}
	if a, ok := arn.Parse(resource); ok {
		return a.Account
	}
	return ""
}

// baseContext returns the global condition keys of a request made by p at
// now: time, transport, region and the principal's own keys.
func (e *Engine) baseContext(ctx context.Context, p *Principal, now time.Time) map[string][]string {
	// Sized for the global keys, the principal's tags and what the
	// operation adds (role tags, request tags, sts:* keys), so the map
	// rarely grows.
	c := make(map[string][]string, 24+len(p.Tags))
	// The keys' one-element values share one backing array, for speed:
	// each would otherwise be an allocation of its own. Each is capped at
	// its element, so an append to one copies it.
	vals := make([]string, 0, 18+len(p.Tags))
	one := func(v string) []string {
		vals = append(vals, v)
		n := len(vals)
		return vals[n-1 : n : n]
	}
	c["aws:CurrentTime"] = one(now.UTC().Format(time.RFC3339))
	c["aws:EpochTime"] = one(strconv.FormatInt(now.Unix(), 10))
	c["aws:RequestedRegion"] = one(e.requestedRegion(p))
	c["aws:SecureTransport"] = one("true")
	c["aws:PrincipalType"] = one(p.Type.String())
	c["aws:PrincipalAccount"] = one(p.Account)
	c["aws:userid"] = one(p.UserID)
	if ri, ok := requestInfoFrom(ctx); ok {
		c["aws:SecureTransport"] = one(strconv.FormatBool(ri.secure))
		if ri.sourceIP != "" {
			c["aws:SourceIp"] = one(ri.sourceIP)
		}
		if ri.userAgent != "" {
			c["aws:UserAgent"] = one(ri.userAgent)
		}
	}
	switch p.Type {
	case IAMUser:
		c["aws:PrincipalArn"] = one(p.user.arn)
		c["aws:username"] = one(p.user.name)
	case AssumedRole:
		c["aws:PrincipalArn"] = one(p.RoleARN)
	case Root, FederatedUser:
		c["aws:PrincipalArn"] = one(p.ARN)
	}
	for _, t := range p.Tags {
		c["aws:PrincipalTag/"+t.Key] = one(t.Value)
	}
	if id, paths, ok := e.orgOf(p.Account); ok {
		c["aws:PrincipalOrgID"] = []string{id}
		c["aws:PrincipalOrgPaths"] = paths
	}
	if s := p.sess; s != nil {
		c["aws:TokenIssueTime"] = one(p.IssuedAt.UTC().Format(time.RFC3339))
		c["aws:MultiFactorAuthPresent"] = one(strconv.FormatBool(!s.mfaAt.IsZero()))
		if !s.mfaAt.IsZero() {
			c["aws:MultiFactorAuthAge"] = one(strconv.FormatInt(int64(now.Sub(s.mfaAt)/time.Second), 10))
		}
		if s.sourceIdentity != "" {
			c["aws:SourceIdentity"] = one(s.sourceIdentity)
		}
		if s.federated != "" {
			c["aws:FederatedProvider"] = one(s.federated)
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
	collect := func(inline []*inlinePolicy, managed []string) {
		for _, ip := range inline {
			identity = append(identity, ip.parsed)
		}
		for _, policyARN := range managed {
			if mp := e.managedLocked(policyARN); mp != nil {
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
		sessionPolicies = e.sessionPolicySetLocked(p.sess)
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
	if tp := p.sess.taskPolicy(); tp != nil { // AssumeRoot's ceiling
		td := policy.Evaluate(req, tp)
		d.Matched = append(d.Matched, td.Matched...)
		d.ExplicitDeny = d.ExplicitDeny || td.ExplicitDeny
		d.Allowed = d.Allowed && !d.ExplicitDeny
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
	e.mu.RLock() // IAM's UpdateAssumeRolePolicy replaces it
	trust := r.trust
	e.mu.RUnlock()
	if trust == nil { // lenient mode's implicit role trusts everyone
		return true, false
	}
	pp := p.policyPrincipal()
	req := &policy.Request{Principal: pp, Action: action, Resource: r.arn, Context: c}
	d := policy.Evaluate(req, trust)
	if !d.Allowed {
		return false, false
	}
	if p.Account != r.account {
		return true, true
	}
	// Named directly: the policy allows even when the account does not match.
	direct := &policy.Request{Principal: &policy.Principal{Type: pp.Type, IDs: pp.IDs}, Action: action, Resource: r.arn, Context: c}
	if !policy.Evaluate(direct, trust).Allowed {
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
		if !policy.Evaluate(session, trust).Allowed {
			e.mu.RLock()
			sessPols := e.sessionPolicySetLocked(p.sess)
			e.mu.RUnlock()
			sd := policy.Evaluate(&policy.Request{Action: action, Resource: r.arn, Context: c}, sessPols...)
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

// maxCachedResourcePolicies bounds the parsed resource policies kept per
// engine; further documents are parsed on every call.
const maxCachedResourcePolicies = 1024

// resourcePolicy parses a resource-based policy document, caching the
// result per engine.
func (e *Engine) resourcePolicy(doc string) (*policy.Policy, error) {
	s := e.policyState()
	if v, ok := s.resources.Load(doc); ok {
		return v.(*policy.Policy), nil
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		return nil, err
	}
	p.Name = "resource-policy"
	if s.resourcesLen.Load() < maxCachedResourcePolicies {
		if _, loaded := s.resources.LoadOrStore(doc, p); !loaded {
			s.resourcesLen.Add(1)
		}
	}
	return p, nil
}

// lookupFold returns the values of key in c, whose keys compare ignoring case.
func lookupFold(c map[string][]string, key string) ([]string, bool) {
	for k, v := range c {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}
