package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRoleWithSAML is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) AssumeRoleWithSAML(ctx context.Context, in *sts.AssumeRoleWithSAMLInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithSAMLOutput, error) {
	return nil, errorf(opAssumeRoleWithSAML, codeUnsupported, msgUnsupported, opAssumeRoleWithSAML)
}
