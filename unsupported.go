package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// The operations below are not implemented yet. Each fails loudly with
// UnsupportedOperation (HTTP 400) rather than succeeding silently; the README
// lists them under "Not yet faithful".

// GetDelegatedAccessToken is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) GetDelegatedAccessToken(ctx context.Context, in *sts.GetDelegatedAccessTokenInput, optFns ...func(*sts.Options)) (*sts.GetDelegatedAccessTokenOutput, error) {
	return serveTyped(e, ctx, opGetDelegatedAccessToken, in, optFns, e.getDelegatedAccessToken)
}

func (e *Engine) getDelegatedAccessToken(ctx context.Context, c *apiCall, in *sts.GetDelegatedAccessTokenInput) (*sts.GetDelegatedAccessTokenOutput, error) {
	return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, opGetDelegatedAccessToken)
}

// GetWebIdentityToken is not supported yet: it returns an
// UnsupportedOperation error. The global endpoint refuses it first, as AWS
// does (globalRefusal).
func (e *Engine) GetWebIdentityToken(ctx context.Context, in *sts.GetWebIdentityTokenInput, optFns ...func(*sts.Options)) (*sts.GetWebIdentityTokenOutput, error) {
	return serveTyped(e, ctx, opGetWebIdentityToken, in, optFns, e.getWebIdentityToken)
}

func (e *Engine) getWebIdentityToken(ctx context.Context, c *apiCall, in *sts.GetWebIdentityTokenInput) (*sts.GetWebIdentityTokenOutput, error) {
	return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, opGetWebIdentityToken)
}
