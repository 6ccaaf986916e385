package fakests

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
)

// This file is the frame every STS request runs in, whichever path it came
// by: a typed method, the client adapter or the Handler. A call carries
// what the request is (operation, request ID) and, once known, who made
// it; the typed methods and the wire both hand it to the same operation
// functions, and errors leave a typed method in the SDK client's form
// (sdkError).

// apiCall is one request in flight.
type apiCall struct {
	op string
	// requestID is the request's x-amzn-RequestId: set by the wire, drawn
	// on first use on the typed path (ID).
	requestID string
	// region is the region the request is for: on the wire the one it was
	// signed for, on the typed path sts.Options.Region after the call's
	// optFns; the engine's region (WithRegion) when neither says.
	region string
	// principal is the caller: set by the wire once the signature is
	// verified, or by caller on the typed path.
	principal *Principal
	// creds are the credentials a typed call's optFns retrieved (nil when
	// they set none); they win over WithCaller's.
	creds *aws.Credentials
}

// ID returns the call's request ID, drawing one the first time.
func (c *apiCall) ID() string {
	if c.requestID == "" {
		c.requestID = newRequestID()
	}
	return c.requestID
}

// serveTyped runs one typed method: op's function fn on in (a zero input when
// nil), with its error in the form the SDK client would return.
//
// The optFns are honoured as the client honours them: Region is recorded
// as the call's region, and Credentials, when set, say who calls (over
// WithCaller), retrieved as the client retrieves them. A signed operation
// authenticates its caller first, as the wire does.
func serveTyped[In, Out any](e *Engine, ctx context.Context, op string, in *In, optFns []func(*sts.Options), fn func(context.Context, *apiCall, *In) (*Out, error)) (*Out, error) {
	c := &apiCall{op: op, region: e.region}
	if len(optFns) > 0 {
		if err := c.applyOptions(ctx, e, optFns); err != nil {
			return nil, err
		}
	}
	if in == nil {
		in = new(In)
	}
	if !unsignedOp(op) {
		if _, err := e.caller(ctx, c); err != nil {
			return nil, sdkError(op, c.ID(), apierror.From(err))
		}
	}
	out, err := fn(ctx, c, in)
	if err != nil {
		return nil, sdkError(op, c.ID(), apierror.From(err))
	}
	return out, nil
}

// applyOptions applies a typed call's optFns to the sts.Options a client
// of the engine's region would have, and takes from them what the call
// needs: the region, and the caller's credentials. Credentials are not
// retrieved for the operations the client sends unsigned (behaviour §1.4).
// A failure to retrieve them is the error the client returns, which
// reaches STS no more than the client's request would; so is
// aws.AnonymousCredentials in optFns, which a client honours only in its
// own options.
func (c *apiCall) applyOptions(ctx context.Context, e *Engine, optFns []func(*sts.Options)) error {
	o := sts.Options{Region: e.region}
	for _, fn := range optFns {
		fn(&o)
	}
	c.region = o.Region
	if o.Credentials == nil || unsignedOp(c.op) {
		return nil
	}
	creds, err := o.Credentials.Retrieve(ctx)
	if err != nil {
		// The client's GetIdentity step wraps the provider's error so.
		return &smithy.OperationError{ServiceID: sts.ServiceID, OperationName: c.op,
			Err: fmt.Errorf("get identity: %w", fmt.Errorf("get credentials: %w", err))}
	}
	c.creds = &creds
	return nil
}

// newRequestID returns a random UUID-shaped request ID. Request IDs need no
// determinism, so they do not consume the engine's randomness.
func newRequestID() string {
	const hex = "0123456789abcdef"
	var b [36]byte
	x, y := rand.Uint64(), rand.Uint64()
	j := 0
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			b[i] = '-'
			continue
		}
		var n uint64
		if j < 16 {
			n = x >> (4 * j)
		} else {
			n = y >> (4 * (j - 16))
		}
		b[i] = hex[n&15]
		j++
	}
	b[14] = '4'             // version 4
	b[19] = "89ab"[x>>62&3] // RFC 4122 variant
	return string(b[:])
}

// caller returns who makes a call: the principal the wire authenticated,
// the holder of the credentials the typed call's optFns or WithCaller
// gave, or the default user.
func (e *Engine) caller(ctx context.Context, c *apiCall) (*Principal, error) {
	if c.principal != nil {
		return c.principal, nil
	}
	creds, ok := callerCreds(ctx)
	if c.creds != nil {
		creds, ok = *c.creds, true
	}
	if !ok {
		c.principal = e.userPrincipal(e.defaultUser, e.defaultUser.key.id)
		return c.principal, nil
	}
	p, err := e.principalOf(creds)
	if err != nil {
		return nil, err
	}
	c.principal = p
	return p, nil
}
