package fakests

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// DecodeAuthorizationMessage decodes a message from EncodeAuthorizationMessage
// into AWS's JSON layout (facts §11.5). The caller needs an identity policy
// that allows sts:DecodeAuthorizationMessage (resource "*"), else
// AccessDenied; role sessions are judged by their role's policies and their
// session policies, root is always allowed, and GetFederationToken and
// GetSessionToken sessions are refused (of STS they may call only
// GetCallerIdentity, and AssumeRole for the latter; facts §11.9, §11.10). A
// message that this engine did not encode, or that was altered, is
// InvalidAuthorizationMessageException (HTTP 400).
func (e *Engine) DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput, optFns ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error) {
	const op = opDecodeAuthorizationMessage
	const action = "sts:DecodeAuthorizationMessage"
	if in == nil {
		in = &sts.DecodeAuthorizationMessageInput{}
	}
	p, err := e.caller(ctx, op)
	if err != nil {
		return nil, err
	}
	var v violations
	v.require(ruleEncodedMessage, in.EncodedMessage)
	if err := v.err(op); err != nil {
		return nil, err
	}
	if p.Type == FederatedUser || (p.sess != nil && p.sess.origin == opGetSessionToken) {
		return nil, notAuthorized(op, p.ARN, action, "*")
	}
	if !e.identityAllows(p, action, "*", e.baseContext(ctx, p, e.now())).Allowed {
		return nil, notAuthorized(op, p.ARN, action, "*")
	}
	js, err := e.decodeAuthorizationMessage(*in.EncodedMessage)
	switch {
	case errors.Is(err, errInvalidMessage):
		return nil, newError(op, codeInvalidAuthorizationMsg, msgInvalidAuthorizationMessage)
	case err != nil:
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	return &sts.DecodeAuthorizationMessageOutput{DecodedMessage: aws.String(js)}, nil
}
