package fakests

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// DecodeAuthorizationMessage decodes a message from EncodeAuthorizationMessage
// into AWS's JSON layout (behaviour §11.5). The caller needs an identity policy
// that allows sts:DecodeAuthorizationMessage (resource "*"), else
// AccessDenied; role sessions are judged by their role's policies and their
// session policies, root is always allowed, and GetFederationToken and
// GetSessionToken sessions are refused (of STS they may call only
// GetCallerIdentity, and AssumeRole for the latter; behaviour §11.9, §11.10). A
// message that this engine did not encode, or that was altered, is
// InvalidAuthorizationMessageException (HTTP 400).
func (e *Engine) DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput, optFns ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error) {
	return serveTyped(e, ctx, opDecodeAuthorizationMessage, in, optFns, e.decodeAuthorizationMessage)
}

func (e *Engine) decodeAuthorizationMessage(ctx context.Context, c *apiCall, in *sts.DecodeAuthorizationMessageInput) (*sts.DecodeAuthorizationMessageOutput, error) {
	const action = "sts:DecodeAuthorizationMessage"
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateDecodeMessage(in); err != nil {
		return nil, err
	}
	if p.Type == FederatedUser || (p.sess != nil && p.sess.origin == opGetSessionToken) {
		return nil, notAuthorized(p.ARN, action, "*")
	}
	if !e.identityAllows(p, action, "*", e.baseContext(ctx, p, e.now())).Allowed {
		return nil, notAuthorized(p.ARN, action, "*")
	}
	js, err := e.openAuthorizationMessage(*in.EncodedMessage)
	switch {
	case errors.Is(err, errInvalidMessage):
		return nil, newError(apierror.CodeInvalidAuthorizationMessageException, msgInvalidAuthorizationMessage)
	case err != nil:
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	return &sts.DecodeAuthorizationMessageOutput{DecodedMessage: aws.String(js)}, nil
}
