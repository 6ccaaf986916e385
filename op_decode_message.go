package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// DecodeAuthorizationMessage is not supported yet: it returns an
// UnsupportedOperation error.
func (e *Engine) DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput, optFns ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error) {
	return nil, errorf(opDecodeAuthorizationMessage, codeUnsupported, msgUnsupported, opDecodeAuthorizationMessage)
}
