package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The operations below are not implemented yet. Each fails loudly with
// UnsupportedOperation (HTTP 400) rather than succeeding silently; the README
// lists them under "Not yet faithful".

// AssumeRoot is not supported yet: it returns an UnsupportedOperation error.
func (e *Engine) AssumeRoot(ctx context.Context, in *sts.AssumeRootInput, optFns ...func(*sts.Options)) (*sts.AssumeRootOutput, error) {
	return nil, errorf(opAssumeRoot, codeUnsupported, msgUnsupported, opAssumeRoot)
}

// GetDelegatedAccessToken is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) GetDelegatedAccessToken(ctx context.Context, in *sts.GetDelegatedAccessTokenInput, optFns ...func(*sts.Options)) (*sts.GetDelegatedAccessTokenOutput, error) {
	return nil, errorf(opGetDelegatedAccessToken, codeUnsupported, msgUnsupported, opGetDelegatedAccessToken)
}

// GetWebIdentityToken is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) GetWebIdentityToken(ctx context.Context, in *sts.GetWebIdentityTokenInput, optFns ...func(*sts.Options)) (*sts.GetWebIdentityTokenOutput, error) {
	return nil, errorf(opGetWebIdentityToken, codeUnsupported, msgUnsupported, opGetWebIdentityToken)
}
