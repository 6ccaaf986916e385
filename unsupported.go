package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// The operation below is not implemented yet. It fails loudly with
// UnsupportedOperation (HTTP 400) rather than succeeding silently; the README
// lists it under "Not yet faithful".

// AssumeRoot is not supported yet: it returns an UnsupportedOperation error.
func (e *Engine) AssumeRoot(ctx context.Context, in *sts.AssumeRootInput, optFns ...func(*sts.Options)) (*sts.AssumeRootOutput, error) {
	return serveTyped(e, ctx, opAssumeRoot, in, optFns, e.assumeRoot)
}

func (e *Engine) assumeRoot(ctx context.Context, c *apiCall, in *sts.AssumeRootInput) (*sts.AssumeRootOutput, error) {
	return nil, errorf(apierror.CodeUnsupportedOperation, msgUnsupported, opAssumeRoot)
}
