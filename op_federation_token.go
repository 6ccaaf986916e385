package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/tags"
)

// GetFederationToken issues credentials for a federated user named by the
// caller, an IAM user (or, discouraged, root) with long-term keys (behaviour
// §11.9). The session's permissions are the user's intersected with the
// session policies; without a session policy it has none. Federated sessions
// may call no STS operation but GetCallerIdentity.
func (e *Engine) GetFederationToken(ctx context.Context, in *sts.GetFederationTokenInput, optFns ...func(*sts.Options)) (*sts.GetFederationTokenOutput, error) {
	return serveTyped(e, ctx, opGetFederationToken, in, optFns, e.getFederationToken)
}

func (e *Engine) getFederationToken(ctx context.Context, c *apiCall, in *sts.GetFederationTokenInput) (*sts.GetFederationTokenOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateFederationToken(in); err != nil {
		return nil, err
	}
	if p.Temporary {
		return nil, newError(apierror.CodeAccessDenied, msgSessionCredsGFT)
	}
	reqTags := requestTags(in.Tags)
	if err := tags.Validate(reqTags, nil); err != nil {
		return nil, err
	}
	name := *in.Name
	fedARN := arn.STS(p.Account, "federated-user/"+name)
	now := e.now()
	cond := e.baseContext(ctx, p, now)
	if d := e.identityAllows(p, "sts:GetFederationToken", fedARN, cond); !d.Allowed {
		return nil, notAuthorized(p.ARN, "sts:GetFederationToken", fedARN)
	}
	if len(reqTags) > 0 {
		roleContext(cond, &role{}, nil, reqTags, nil)
		if d := e.identityAllows(p, "sts:TagSession", fedARN, cond); !d.Allowed {
			return nil, notAuthorized(p.ARN, "sts:TagSession", fedARN)
		}
	}
	pols, managed, err := e.sessionPolicies(in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	pk, err := e.pack(in.Policy, in.PolicyArns, reqTags)
	if err != nil {
		return nil, err
	}
	d := seconds(in.DurationSeconds, tokenDefaultSeconds)
	if p.Type == Root && d > rootMaxSeconds*time.Second {
		d = rootMaxSeconds * time.Second
	}
	info := &sessionInfo{typ: FederatedUser, origin: c.op, account: p.Account, arn: fedARN,
		userID: p.Account + ":" + name, sessionName: name, user: p.user, root: p.Type == Root,
		tags: reqTags, policies: pols, policyARNs: managed, hasPolicy: true}
	if err := e.checkSTSActive(p.Account, c.region); err != nil {
		return nil, err
	}
	iss, err := e.issue(info, now, d, payloadFederationToken+pk.Bytes, in.MinimumSessionTokenSize, nil)
	if err != nil {
		return nil, err
	}
	return &sts.GetFederationTokenOutput{
		Credentials:             iss.creds,
		FederatedUser:           &types.FederatedUser{Arn: aws.String(fedARN), FederatedUserId: aws.String(info.userID)},
		PackedPolicySize:        aws.Int32(int32(pk.Percent)),
		SessionTokenSize:        &iss.tokenSize,
		SessionTokenUtilization: &iss.tokenUtil,
	}, nil
}
