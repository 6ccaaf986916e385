package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file is what AssumeRoleWithWebIdentity and AssumeRoleWithSAML share:
// once an operation has validated its input and verified its identity
// document (JWT or SAML response) against a provider, the rest (role
// lookup, trust policy, session tags and source identity, duration, session
// policies, issuing the session) is the same. An operation describes the
// verified login as a federatedLogin and calls assumeFederated:
//
//	res, err := e.assumeFederated(ctx, &federatedLogin{
//		op: opAssumeRoleWithSAML, action: "sts:AssumeRoleWithSAML",
//		provider: providerARN, roleARN: *in.RoleArn, sessionName: name,
//		tags: principalTags, transitiveKeys: keys, sourceIdentity: si,
//		conditions: map[string][]string{"saml:sub": {…}, …},
//		persist:    map[string][]string{"saml:sub": {…}, …},
//		policy: in.Policy, policyARNs: in.PolicyArns,
//		duration: in.DurationSeconds, notAfter: sessionNotOnOrAfter,
//		minTokenSize: in.MinimumSessionTokenSize})
//
// and copies res into its output type. Errors come back in op's form
// (typed where op's model lists the code).

// federatedLogin is a verified federated sign-in, independent of the
// document format, and what the request asked for.
type federatedLogin struct {
	// op is the operation (opAssumeRoleWithWebIdentity, opAssumeRoleWithSAML)
	// and action its IAM action ("sts:AssumeRoleWithWebIdentity"): the
	// trust policy must allow action for the Federated principal provider.
	op, action string
	// provider is the identity provider's ARN (oidc-provider/… or
	// saml-provider/…): the trust policy's Federated principal and the
	// session's aws:FederatedProvider.
	provider string
	// roleARN is the validated RoleArn (shape already checked); sessionName
	// the validated session name (request parameter or SAML attribute).
	roleARN, sessionName string
	// tags are the principal tags the document carries and transitiveKeys
	// the keys it marks transitive. Their rules (case-insensitive duplicates,
	// transitive keys among the tags) are checked here; a violation is
	// InvalidIdentityToken, as the document is what is wrong.
	tags           []tags.Tag
	transitiveKeys []string
	// sourceIdentity is the document's source identity ("" for none; its
	// shape is checked by the verifier).
	sourceIdentity string
	// conditions are the provider's condition keys for the trust policy
	// (<host/path>:sub, saml:aud, …), added to the request context; persist
	// are those that stay on the session for later requests (it may share
	// slices with conditions; neither is modified).
	conditions, persist map[string][]string
	// policy and policyARNs are the request's session policies (validated
	// shape); duration its DurationSeconds (nil: default 3600).
	policy     *string
	policyARNs []types.PolicyDescriptorType
	duration   *int32
	// notAfter, when non-zero, is a hard end for the session (SAML's
	// SessionNotOnOrAfter): the duration is the lesser of the two (§11.2).
	notAfter time.Time
	// minTokenSize is the request's MinimumSessionTokenSize.
	minTokenSize *int32
	// region is the request's region (apiCall.region).
	region string
}

// assumeFederated finishes a federated AssumeRole* call for a verified
// login: it finds the role (strict mode: unknown → AccessDenied), checks
// the document's tags, evaluates the trust policy for l.action and then
// sts:TagSession (tags present) and sts:SetSourceIdentity (source identity
// present), enforces the role's MaxSessionDuration, packs the session
// policies and tags, and issues a role session whose later requests see
// l.persist, aws:FederatedProvider and the transitive tags.
//
// Every denial is AccessDenied "Not authorized to perform <action>" (behaviour
// §10): AWS names neither the caller (anonymous) nor the missing
// permission. Lenient mode's implicit roles (never created) trust every
// federated caller.
func (e *Engine) assumeFederated(ctx context.Context, l *federatedLogin) (*issuedRole, error) {
	op := l.op
	r := e.findRole(l.roleARN)
	if r == nil || !e.regionEnabled(r.account, l.region) {
		// A role whose account has the opt-in region disabled is not
		// there (behaviour §13).
		return nil, l.denied()
	}
	sessTags, transitive, err := tags.Chain(nil, l.tags, l.transitiveKeys)
	if err != nil {
		// The document carries the tags, so it is what is wrong.
		return nil, newError(apierror.CodeInvalidIdentityToken, apierror.From(err).Message)
	}
	pols, managed, err := e.sessionPolicies(l.policy, l.policyARNs)
	if err != nil {
		return nil, err
	}

	now := e.now()
	cond := federatedContext(e.baseContext(ctx, &Principal{Type: Anonymous, region: l.region}, now))
	cond["aws:FederatedProvider"] = []string{l.provider}
	cond["sts:RoleSessionName"] = []string{l.sessionName}
	if l.sourceIdentity != "" {
		cond["sts:SourceIdentity"] = []string{l.sourceIdentity}
	}
	for k, v := range l.conditions {
		cond[k] = v
	}
	e.mu.RLock() // IAM's TagRole, UpdateRole and UpdateAssumeRolePolicy change the role
	roleContext(cond, r, nil, l.tags, l.transitiveKeys)
	maxSession, trust := r.maxSession, r.trust
	e.mu.RUnlock()
	actions := []string{l.action}
	if len(l.tags) > 0 || len(l.transitiveKeys) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if l.sourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	fp := &policy.Principal{Type: policy.PrincipalFederated, IDs: []string{l.provider}}
	for _, action := range actions {
		if !federatedTrustAllows(r.arn, trust, fp, action, cond) {
			return nil, l.denied()
		}
	}

	d := seconds(l.duration, roleDefaultSeconds)
	if d > maxSession {
		return nil, newError(apierror.CodeValidationError, msgOverMaxSessionDuration)
	}
	if !l.notAfter.IsZero() && l.notAfter.Sub(now) < d {
		d = l.notAfter.Sub(now)
	}
	if err := e.checkSTSActive(r.account, l.region); err != nil {
		return nil, err
	}

	return e.issueRoleSession(&roleSession{op: op, role: r, name: l.sessionName, now: now, duration: d,
		policy: l.policy, policyARNs: l.policyARNs, requestTags: l.tags,
		policies: pols, managed: managed, tags: sessTags, transitive: transitive, sourceIdentity: l.sourceIdentity,
		federated: l.provider, context: l.persist, minTokenSize: l.minTokenSize})
}

// denied is the AccessDenied of behaviour §10 for a federated call.
func (l *federatedLogin) denied() error {
	return errorf(apierror.CodeAccessDenied, msgFederatedNotAuthorized, l.action)
}

// federatedContext removes from a base context the keys that describe a
// signed caller: a federated request is anonymous, so it has no
// aws:PrincipalType, aws:PrincipalAccount or aws:userid (behaviour §12 lists
// none of the principal keys for these operations).
func federatedContext(c map[string][]string) map[string][]string {
	delete(c, "aws:PrincipalType")
	delete(c, "aws:PrincipalAccount")
	delete(c, "aws:userid")
	return c
}

// federatedTrustAllows evaluates trust, the trust policy of the role
// roleARN, for a federated caller. No identity policy is involved: the
// caller has none. An implicit role (lenient mode, trust == nil) trusts
// every caller.
func federatedTrustAllows(roleARN string, trust *policy.Policy, fp *policy.Principal, action string, c map[string][]string) bool {
	if trust == nil {
		return true
	}
	req := &policy.Request{Principal: fp, Action: action, Resource: roleARN, Context: c}
	return policy.Evaluate(req, trust).Allowed
}
