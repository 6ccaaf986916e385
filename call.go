package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
)

// This file is the frame every STS request runs in, whichever path it came
// by: a typed method, the client adapter or the Handler. A call carries
// what the request is (operation, request ID) and, once known, who made
// it; the typed methods and the wire both hand it to the same operation
// functions, and errors leave a typed method in the SDK client's form
// (sdkError).

// call is one STS request in flight.
type call struct {
	op        string
	requestID string
	// principal is the caller: set by the wire once the signature is
	// verified, or by caller on the typed path.
	principal *Principal
}

// newCall starts a request of op with a fresh request ID.
func newCall(op string) *call {
	return &call{op: op, requestID: newRequestID()}
}

// serveTyped runs one typed method: op's function fn on in (a zero input when
// nil), with its error in the form the SDK client would return.
func serveTyped[In, Out any](e *Engine, ctx context.Context, op string, in *In, optFns []func(*sts.Options), fn func(context.Context, *call, *In) (*Out, error)) (*Out, error) {
	c := newCall(op)
	if in == nil {
		in = new(In)
	}
	out, err := fn(ctx, c, in)
	if err != nil {
		return nil, sdkError(op, c.requestID, apierror.From(err))
	}
	return out, nil
}
