package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/session"
)

// GetCallerIdentity returns who the caller is (behaviour §11.7, §2.5). It needs
// no permission (an explicit deny is ignored) and works with every kind of
// credentials, including GetFederationToken and GetSessionToken sessions.
func (e *Engine) GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return serveTyped(e, ctx, opGetCallerIdentity, in, optFns, e.getCallerIdentity)
}

func (e *Engine) getCallerIdentity(ctx context.Context, c *apiCall, in *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	return &sts.GetCallerIdentityOutput{Account: aws.String(p.Account), Arn: aws.String(p.ARN), UserId: aws.String(p.UserID)}, nil
}

// GetAccessKeyInfo returns the account an access key ID belongs to (behaviour
// §11.6). Keys the engine issued are looked up; any other new-generation key
// (AWS's included) is decoded from its bits. fakests requires no permission
// for it: whether AWS requires sts:GetAccessKeyInfo is unverified, and the
// call reveals only what the key ID itself encodes.
func (e *Engine) GetAccessKeyInfo(ctx context.Context, in *sts.GetAccessKeyInfoInput, optFns ...func(*sts.Options)) (*sts.GetAccessKeyInfoOutput, error) {
	return serveTyped(e, ctx, opGetAccessKeyInfo, in, optFns, e.getAccessKeyInfo)
}

func (e *Engine) getAccessKeyInfo(ctx context.Context, c *apiCall, in *sts.GetAccessKeyInfoInput) (*sts.GetAccessKeyInfoOutput, error) {
	if _, err := e.caller(ctx, c); err != nil {
		return nil, err
	}
	if err := validateAccessKeyInfo(in); err != nil {
		return nil, err
	}
	id := *in.AccessKeyId
	e.mu.RLock()
	key := e.keys[id]
	e.mu.RUnlock()
	if key != nil {
		return &sts.GetAccessKeyInfoOutput{Account: aws.String(key.account)}, nil
	}
	if acct, ok := session.AccountFromAccessKeyID(id); ok {
		return &sts.GetAccessKeyInfoOutput{Account: aws.String(acct)}, nil
	}
	return nil, errorf(apierror.CodeInvalidParameterValue, msgUnknownAccessKey, id)
}
