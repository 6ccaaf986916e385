package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRoleWithWebIdentity is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return nil, errorf(opAssumeRoleWithWebIdentity, codeUnsupported, msgUnsupported, opAssumeRoleWithWebIdentity)
}
