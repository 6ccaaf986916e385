package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
)

// GetDelegatedAccessToken exchanges a trade-in token from CreateDelegation
// for credentials of a session that acts as the identity that accepted the
// delegation, with the delegated policies as the ceiling of its permissions
// (behaviour §11.8). AssumedPrincipal is that identity's ARN. The session
// ends when the delegation's session window does. A token works once; an
// expired one is ExpiredTradeInTokenException, a used or unknown one
// InvalidParameterValue (fakests' choices: AWS's answers are unrecorded).
// Any signed caller may exchange a token: it is the partner's bearer
// credential, and fakests checks no permission for it (unverified).
func (e *Engine) GetDelegatedAccessToken(ctx context.Context, in *sts.GetDelegatedAccessTokenInput, optFns ...func(*sts.Options)) (*sts.GetDelegatedAccessTokenOutput, error) {
	return serveTyped(e, ctx, opGetDelegatedAccessToken, in, optFns, e.getDelegatedAccessToken)
}

func (e *Engine) getDelegatedAccessToken(ctx context.Context, c *apiCall, in *sts.GetDelegatedAccessTokenInput) (*sts.GetDelegatedAccessTokenOutput, error) {
	if _, err := e.caller(ctx, c); err != nil {
		return nil, err
	}
	if err := validateDelegatedAccessToken(in); err != nil {
		return nil, err
	}
	token := *in.TradeInToken
	d := e.claimDelegation(token)
	if d == nil {
		return nil, newError(apierror.CodeInvalidParameterValue, msgTradeInTokenInvalid)
	}
	out, err := e.exchangeDelegation(c, d)
	if err != nil {
		e.releaseDelegation(d)
		return nil, err
	}
	if err := e.consumeDelegation(token, d); err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	return out, nil
}

// exchangeDelegation issues the session of a claimed delegation.
func (e *Engine) exchangeDelegation(c *apiCall, d *delegation) (*sts.GetDelegatedAccessTokenOutput, error) {
	now := e.now()
	if !now.Before(d.tokenExpires) || !now.Before(d.sessionEnd) {
		return nil, newError(apierror.CodeExpiredTradeInTokenException, msgTradeInTokenExpired)
	}
	arns := make([]types.PolicyDescriptorType, len(d.policyARNs))
	for i := range d.policyARNs {
		arns[i].Arn = aws.String(d.policyARNs[i])
	}
	pols, managed, err := e.sessionPolicies(d.policy, arns)
	if err != nil {
		return nil, err
	}
	pk, err := e.pack(d.policy, arns, nil)
	if err != nil {
		return nil, err
	}
	info := &sessionInfo{origin: c.op, account: d.account, policies: pols, policyARNs: managed,
		hasPolicy: len(pols)+len(managed) > 0}
	payload := payloadSessionToken
	e.mu.RLock()
	switch d.kind {
	case delegatedUser:
		u := e.userByARNLocked(d.entity)
		if u != nil {
			info.typ, info.arn, info.userID, info.sessionName, info.user = IAMUser, u.arn, u.id, u.name, u
		}
	case delegatedRole:
		r := e.roleByARNLocked(d.entity)
		if r != nil {
			info.typ, info.role, info.sessionName = AssumedRole, r, d.sessionName
			info.arn = arn.STS(r.account, "assumed-role/"+r.name+"/"+d.sessionName)
			info.userID = r.id + ":" + d.sessionName
			payload = payloadRoleSession
		}
	case delegatedRoot:
		info.typ, info.arn, info.userID, info.root = Root, arn.Root(d.account), d.account, true
	}
	e.mu.RUnlock()
	if info.arn == "" { // entities are never deleted; kept for safety
		return nil, newError(apierror.CodeInvalidParameterValue, msgTradeInTokenInvalid)
	}
	iss, err := e.issue(info, now, d.sessionEnd.Sub(now), payload+pk.Bytes, nil, nil)
	if err != nil {
		return nil, err
	}
	// PackedPolicySize is not populated for this operation (the Go SDK's
	// documentation of the member).
	return &sts.GetDelegatedAccessTokenOutput{Credentials: iss.creds, AssumedPrincipal: aws.String(d.principal)}, nil
}
