package fakests

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/session"
	"github.com/fakests/fakests/tags"
)

// Duration bounds of the AssumeRole family (facts §5).
const (
	roleMinSeconds     = 900
	roleMaxSeconds     = 43200
	roleDefaultSeconds = 3600
	chainMaxSeconds    = 3600
	maxProvidedContext = 5
)

// AssumeRole issues credentials for a role session (facts §11.1). The caller
// is an IAM user (long-term or GetSessionToken credentials) or another role
// session (role chaining, capped at one hour); root may not assume roles and
// federated-user sessions may call no STS operation but GetCallerIdentity.
// The role's trust policy decides, together with the caller's identity
// policies unless the trust policy names a same-account caller directly.
func (e *Engine) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	const op = opAssumeRole
	if in == nil {
		in = &sts.AssumeRoleInput{}
	}
	p, err := e.caller(ctx, op)
	if err != nil {
		return nil, err
	}
	if err := validateAssumeRole(in); err != nil {
		return nil, err
	}
	roleARN := *in.RoleArn
	switch {
	case p.Type == Root || (p.sess != nil && p.sess.root):
		return nil, newError(op, codeAccessDenied, msgRootCannotAssume)
	case p.Type == FederatedUser:
		return nil, notAuthorized(op, p.ARN, "sts:AssumeRole", roleARN)
	}
	var inherited []tags.Tag
	if p.sess != nil {
		inherited = p.sess.transitive
	}
	reqTags := requestTags(in.Tags)
	sessTags, transitive, err := tags.Chain(inherited, reqTags, in.TransitiveTagKeys)
	if err != nil {
		return nil, tagError(op, err)
	}
	pols, err := e.sessionPolicies(op, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	now := e.now()
	mfaAt := time.Time{}
	if p.sess != nil {
		mfaAt = p.sess.mfaAt
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		if err := e.checkMFA(op, p.user, deref(in.SerialNumber), deref(in.TokenCode), now); err != nil {
			return nil, err
		}
		mfaAt = now
	}
	r := e.findRole(roleARN)
	if r == nil {
		return nil, notAuthorized(op, p.ARN, "sts:AssumeRole", roleARN)
	}

	// Authorization: sts:AssumeRole, then sts:TagSession and
	// sts:SetSourceIdentity when the request carries tags or a source identity.
	c := e.baseContext(ctx, p, now)
	c["sts:RoleSessionName"] = []string{*in.RoleSessionName}
	if in.ExternalId != nil {
		c["sts:ExternalId"] = []string{*in.ExternalId}
	}
	if in.SourceIdentity != nil {
		c["sts:SourceIdentity"] = []string{*in.SourceIdentity}
	}
	if !mfaAt.IsZero() {
		c["aws:MultiFactorAuthPresent"] = []string{"true"}
		c["aws:MultiFactorAuthAge"] = []string{itoa(int(now.Sub(mfaAt) / time.Second))}
	}
	roleContext(c, r, inherited, reqTags, in.TransitiveTagKeys)
	actions := []string{"sts:AssumeRole"}
	if len(reqTags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	sourceIdentity := deref(in.SourceIdentity)
	if p.SourceIdentity != "" || in.SourceIdentity != nil {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		allowed, needIdentity := e.trustAllows(r, p, action, c)
		if allowed && needIdentity {
			allowed = e.identityAllows(p, action, roleARN, c).Allowed
		}
		if !allowed {
			return nil, notAuthorized(op, p.ARN, action, roleARN)
		}
	}
	// A source identity, once set, holds for the rest of the chain (§8).
	if p.SourceIdentity != "" {
		if in.SourceIdentity != nil && sourceIdentity != p.SourceIdentity {
			return nil, notAuthorized(op, p.ARN, "sts:SetSourceIdentity", roleARN)
		}
		sourceIdentity = p.SourceIdentity
	}

	d := seconds(in.DurationSeconds, roleDefaultSeconds)
	chained := p.Type == AssumedRole ||
		e.sessionTokenChains && p.sess != nil && p.sess.origin == opGetSessionToken
	switch {
	case chained && d > chainMaxSeconds*time.Second:
		return nil, newError(op, codeValidation, msgOverChainingLimit)
	case d > r.maxSession:
		return nil, newError(op, codeValidation, msgOverMaxSessionDuration)
	}

	res, err := e.issueRoleSession(&roleSession{op: op, role: r, name: *in.RoleSessionName, now: now, duration: d,
		policy: in.Policy, policyARNs: in.PolicyArns, requestTags: reqTags,
		policies: pols, tags: sessTags, transitive: transitive, sourceIdentity: sourceIdentity,
		mfaAt: mfaAt, minTokenSize: in.MinimumSessionTokenSize})
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

// validateAssumeRole checks every member against the model (facts §3, §4)
// and the RoleArn shape (§10).
func validateAssumeRole(in *sts.AssumeRoleInput) error {
	const op = opAssumeRole
	var v violations
	v.require(ruleRoleARN, in.RoleArn)
	v.require(ruleRoleSessionName, in.RoleSessionName)
	v.checkPolicyARNs(in.PolicyArns)
	v.check(ruleAssumePolicy, in.Policy)
	v.checkInt("durationSeconds", in.DurationSeconds, roleMinSeconds, roleMaxSeconds)
	v.checkTags(in.Tags)
	v.check(ruleExternalID, in.ExternalId)
	v.check(ruleSerialNumber, in.SerialNumber)
	v.check(ruleTokenCode, in.TokenCode)
	v.check(ruleSourceIdentity, in.SourceIdentity)
	if len(in.ProvidedContexts) > maxProvidedContext {
		v.add(itoa(len(in.ProvidedContexts)), "providedContexts", sprintf(msgMaxLength, maxProvidedContext))
	}
	v.checkInt("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, session.MaxTokenSize)
	if err := v.err(op); err != nil {
		return err
	}
	if !isARNShape(*in.RoleArn) {
		return errorf(op, codeValidation, msgInvalidARN, *in.RoleArn)
	}
	if strings.HasPrefix(strings.ToLower(deref(in.SourceIdentity)), "aws:") {
		return errorf(op, codeValidation, msgViolation, *in.SourceIdentity, "sourceIdentity", sprintf(msgPattern, patternName))
	}
	return nil
}

// findRole returns the role an ARN names: a created role (matched with the
// exact case of its name, as AWS does), or in lenient mode an implicit role
// that trusts every caller. It returns nil when there is no such role.
func (e *Engine) findRole(arn string) *role {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") || !isAccountID(parts[4]) {
		return nil
	}
	acct, res := parts[4], parts[5]
	name := res[strings.LastIndexByte(res, '/')+1:]
	e.mu.RLock()
	if a := e.accounts[acct]; a != nil {
		if r := a.roles[strings.ToLower(name)]; r != nil {
			e.mu.RUnlock()
			if r.arn == arn {
				return r
			}
			return nil
		}
		if r := a.implicit[arn]; r != nil {
			e.mu.RUnlock()
			return r
		}
	}
	e.mu.RUnlock()
	if e.strict || !isEntityName(name) {
		return nil
	}
	return e.implicitRole(acct, res, arn)
}

// implicitRole returns lenient mode's stand-in for a role that was never
// created, keeping one per ARN so its role ID stays the same.
func (e *Engine) implicitRole(acct, res, arn string) *role {
	id, err := session.NewUniqueID(session.PrefixRole, acct, e.random())
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(res, '/')
	path := res[len("role") : i+1]
	r := &role{account: acct, path: path, name: res[i+1:], arn: arn, id: id, maxSession: time.Hour}
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountLocked(acct)
	if old := a.implicit[arn]; old != nil {
		return old
	}
	a.implicit[arn] = r
	return r
}

// itoa formats an int.
func itoa(n int) string { return sprintf("%d", n) }
