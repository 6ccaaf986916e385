package fakests

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
)

// Duration bounds of AssumeRoot (behaviour §11.4): DurationSeconds 0–900,
// 900 when absent; 0 passes validation and is taken as the default.
const (
	rootMaxTaskSeconds     = 900
	rootDefaultTaskSeconds = 900
)

// AssumeRoot issues short-term credentials of a member account's root user,
// capped by an AWS-managed task policy, for a privileged task (behaviour
// §11.4, §17). The caller is an IAM user or role session of an
// organization's management account, or of the member registered as IAM
// delegated administrator (CreateOrganization); its identity policies must
// allow sts:AssumeRoot on arn:aws:iam::<member>:root (condition key
// sts:TaskPolicyArn), and the organization must have the IAM feature the
// task belongs to. Root credentials may not call it, and the global
// endpoint does not know it. Every refusal of the caller, the target or the
// permission is the same AccessDenied, without a reason.
//
// The session is the member's root: GetCallerIdentity answers
// arn:aws:iam::<member>:root with the account ID as UserId, and Authorize
// sees aws:AssumedRoot = true and denies whatever the task policy denies.
func (e *Engine) AssumeRoot(ctx context.Context, in *sts.AssumeRootInput, optFns ...func(*sts.Options)) (*sts.AssumeRootOutput, error) {
	return serveTyped(e, ctx, opAssumeRoot, in, optFns, e.assumeRoot)
}

// assumeRoot checks, in this order: the model's constraints, the target's
// and the task policy's forms (every validation before authorization, as
// recorded); then the caller (no root, no federated user), the
// organization (the caller's account its management account or delegated
// administrator, the target one of its members), sts:AssumeRoot, the
// feature the task needs, the target's opt-in region; then STS's activation
// in the target's account. The recordings fix the validation messages,
// that a target outside the organization is denied even with the features
// off, and the feature messages; the rest of the order is fakests' choice.
func (e *Engine) assumeRoot(ctx context.Context, c *apiCall, in *sts.AssumeRootInput) (*sts.AssumeRootOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateAssumeRoot(in); err != nil {
		return nil, err
	}
	// Copies: the session keeps them, and must not pin the request's memory.
	target, _ := rootTarget(*in.TargetPrincipal)
	target, taskARN := strings.Clone(target), strings.Clone(*in.TaskPolicyArn.Arn)
	resource := arn.Root(target)
	denied := notAuthorized(p.ARN, "sts:AssumeRoot", resource)

	if p.Type == Root || p.Type == FederatedUser || p.Type == Anonymous || p.sess != nil && p.sess.root {
		return nil, denied
	}
	org, ok := e.organizationOf(p.Account)
	if !ok || p.Account != org.Management && p.Account != org.DelegatedAdmin || !org.isMember(target) {
		return nil, denied
	}
	now := e.now()
	cond := e.baseContext(ctx, p, now)
	cond["sts:TaskPolicyArn"] = []string{taskARN}
	if !e.identityAllows(p, "sts:AssumeRoot", resource, cond).Allowed {
		return nil, denied
	}
	switch rootTasks[taskARN].feature {
	case featureRootCredentials:
		if !org.RootCredentials {
			return nil, newError(apierror.CodeAccessDenied, msgRootCredentialsDisabled)
		}
	case featureRootSessions:
		if !org.RootSessions {
			return nil, newError(apierror.CodeAccessDenied, msgRootSessionsDisabled)
		}
	}
	if !e.regionEnabled(target, c.region) {
		return nil, denied
	}
	if err := e.checkSTSActive(target, c.region); err != nil {
		return nil, err
	}

	d := time.Duration(rootDefaultTaskSeconds) * time.Second
	if in.DurationSeconds != nil && *in.DurationSeconds > 0 {
		d = time.Duration(*in.DurationSeconds) * time.Second
	}
	info := &sessionInfo{typ: Root, origin: c.op, account: target, arn: resource, userID: target,
		root: true, taskPolicyARN: taskARN, sourceIdentity: p.SourceIdentity,
		context: assumedRootContext}
	iss, err := e.issue(info, now, d, payloadRoleSession, in.MinimumSessionTokenSize, nil)
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRootOutput{Credentials: iss.creds, SessionTokenSize: &iss.tokenSize,
		SessionTokenUtilization: &iss.tokenUtil}
	if p.SourceIdentity != "" {
		out.SourceIdentity = aws.String(p.SourceIdentity)
	}
	return out, nil
}

// assumedRootContext is what every root session's requests carry
// (behaviour §11.4). It is shared by every such session: never change it.
var assumedRootContext = map[string][]string{"aws:AssumedRoot": {"true"}}
