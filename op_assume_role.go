package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/tags"
)

// AssumeRole issues credentials for a role session (behaviour §11.1). The caller
// is an IAM user (long-term or GetSessionToken credentials) or another role
// session (role chaining, capped at one hour); root may not assume roles and
// federated-user sessions may call no STS operation but GetCallerIdentity.
// The role's trust policy decides, together with the caller's identity
// policies unless the trust policy names a same-account caller directly.
func (e *Engine) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return serveTyped(e, ctx, opAssumeRole, in, optFns, e.assumeRole)
}

func (e *Engine) assumeRole(ctx context.Context, c *apiCall, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateAssumeRole(in); err != nil {
		return nil, err
	}
	roleARN := *in.RoleArn
	switch {
	case p.Type == Root || (p.sess != nil && p.sess.root):
		return nil, newError(apierror.CodeAccessDenied, msgRootCannotAssume)
	case p.Type == FederatedUser:
		return nil, notAuthorized(p.ARN, "sts:AssumeRole", roleARN)
	}
	var inherited []tags.Tag
	if p.sess != nil {
		inherited = p.sess.transitive
	}
	reqTags := requestTags(in.Tags)
	sessTags, transitive, err := tags.Chain(inherited, reqTags, in.TransitiveTagKeys)
	if err != nil {
		return nil, err
	}
	pols, managed, err := e.sessionPolicies(in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	now := e.now()
	mfaAt := time.Time{}
	if p.sess != nil {
		mfaAt = p.sess.mfaAt
	}
	var mfa *mfaClaim
	if in.SerialNumber != nil || in.TokenCode != nil {
		// Checked here, used up only when the session is issued (§9).
		if mfa, err = e.checkMFA(p.user, deref(in.SerialNumber), deref(in.TokenCode), now); err != nil {
			return nil, err
		}
		mfaAt = now
	}
	r := e.findRole(roleARN)
	if r == nil || !e.regionEnabled(r.account, c.region) {
		// A role whose account has the opt-in region disabled is not
		// there: the plain denial (behaviour §13).
		return nil, notAuthorized(p.ARN, "sts:AssumeRole", roleARN)
	}

	// Authorization: sts:AssumeRole, then sts:TagSession and
	// sts:SetSourceIdentity when the request carries tags or a source identity.
	cond := e.baseContext(ctx, p, now)
	cond["sts:RoleSessionName"] = []string{*in.RoleSessionName}
	if in.ExternalId != nil {
		cond["sts:ExternalId"] = []string{*in.ExternalId}
	}
	if in.SourceIdentity != nil {
		cond["sts:SourceIdentity"] = []string{*in.SourceIdentity}
	}
	if !mfaAt.IsZero() {
		cond["aws:MultiFactorAuthPresent"] = []string{"true"}
		cond["aws:MultiFactorAuthAge"] = []string{itoa(int(now.Sub(mfaAt) / time.Second))}
	}
	e.mu.RLock() // IAM's TagRole and UpdateRole change the role
	roleContext(cond, r, inherited, reqTags, in.TransitiveTagKeys)
	maxSession := r.maxSession
	e.mu.RUnlock()
	actions := []string{"sts:AssumeRole"}
	if len(reqTags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	sourceIdentity := deref(in.SourceIdentity)
	if p.SourceIdentity != "" || in.SourceIdentity != nil {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		allowed, needIdentity := e.trustAllows(r, p, action, cond)
		if allowed && needIdentity {
			allowed = e.identityAllows(p, action, roleARN, cond).Allowed
		}
		if !allowed {
			return nil, notAuthorized(p.ARN, action, roleARN)
		}
	}
	// A source identity, once set, holds for the rest of the chain (§8).
	if p.SourceIdentity != "" {
		if in.SourceIdentity != nil && sourceIdentity != p.SourceIdentity {
			return nil, notAuthorized(p.ARN, "sts:SetSourceIdentity", roleARN)
		}
		sourceIdentity = p.SourceIdentity
	}

	d := seconds(in.DurationSeconds, roleDefaultSeconds)
	chained := p.Type == AssumedRole ||
		e.sessionTokenChains && p.sess != nil && p.sess.origin == opGetSessionToken
	switch {
	case chained && d > chainMaxSeconds*time.Second:
		return nil, newError(apierror.CodeValidationError, msgOverChainingLimit)
	case d > maxSession:
		return nil, newError(apierror.CodeValidationError, msgOverMaxSessionDuration)
	}
	if err := e.checkSTSActive(r.account, c.region); err != nil {
		return nil, err
	}

	res, err := e.issueRoleSession(&roleSession{op: c.op, role: r, name: *in.RoleSessionName, now: now, duration: d,
		policy: in.Policy, policyARNs: in.PolicyArns, requestTags: reqTags,
		policies: pols, managed: managed, tags: sessTags, transitive: transitive, sourceIdentity: sourceIdentity,
		mfaAt: mfaAt, minTokenSize: in.MinimumSessionTokenSize, mfa: mfa})
	if err != nil {
		return nil, err
	}
	return &sts.AssumeRoleOutput{
		Credentials:             res.Credentials,
		AssumedRoleUser:         res.AssumedRoleUser,
		PackedPolicySize:        res.PackedPolicySize,
		SourceIdentity:          res.SourceIdentity,
		SessionTokenSize:        res.SessionTokenSize,
		SessionTokenUtilization: res.SessionTokenUtilization,
	}, nil
}
