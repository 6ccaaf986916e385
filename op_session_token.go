package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// GetSessionToken issues temporary credentials for an IAM user or root,
// optionally proving MFA (behaviour §11.10). Only long-term keys may call it; no
// policy controls it. Root sessions last at most an hour: longer requests are
// silently reduced.
func (e *Engine) GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput, optFns ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error) {
	return serveTyped(e, ctx, opGetSessionToken, in, optFns, e.getSessionToken)
}

func (e *Engine) getSessionToken(ctx context.Context, c *apiCall, in *sts.GetSessionTokenInput) (*sts.GetSessionTokenOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateSessionToken(in); err != nil {
		return nil, err
	}
	if p.Temporary {
		return nil, newError(apierror.CodeAccessDenied, msgSessionCredsGST)
	}
	now := e.now()
	var mfaAt time.Time
	var mfa *mfaClaim
	if in.SerialNumber != nil || in.TokenCode != nil {
		// Checked here, used up only when the session is issued (§9).
		if mfa, err = e.checkMFA(p.user, aws.ToString(in.SerialNumber), aws.ToString(in.TokenCode), now); err != nil {
			return nil, err
		}
		mfaAt = now
	}
	d := seconds(in.DurationSeconds, tokenDefaultSeconds)
	info := &sessionInfo{typ: p.Type, origin: c.op, account: p.Account, arn: p.ARN, userID: p.UserID,
		sessionName: p.SessionName, user: p.user, mfaAt: mfaAt}
	if p.Type == Root {
		info.root = true
		if in.DurationSeconds == nil || d > rootMaxSeconds*time.Second {
			d = rootMaxSeconds * time.Second
		}
	}
	if err := e.checkSTSActive(p.Account, c.region); err != nil {
		return nil, err
	}
	iss, err := e.issue(info, now, d, payloadSessionToken, in.MinimumSessionTokenSize, mfa)
	if err != nil {
		return nil, err
	}
	return &sts.GetSessionTokenOutput{Credentials: iss.creds, SessionTokenSize: &iss.tokenSize, SessionTokenUtilization: &iss.tokenUtil}, nil
}
