package fakests

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
)

// This file is the frame every STS request runs in, whichever path it came
// by: a typed method, the client adapter or the Handler. A call carries
// what the request is (operation, request ID, input) and, once known, who
// made it; the typed methods and the wire both hand it to the same
// operation functions, and errors leave a typed method in the SDK client's
// form (sdkError).
//
// The frame is where every operation, present or future, is faulted and
// journaled, with no code of its own: once the caller is authenticated,
// injectFault (faults.go) may delay or fail the call; once it is answered,
// record (journal.go) adds its event.

// apiCall is one request in flight.
type apiCall struct {
	op string
	// requestID is the request's x-amzn-RequestId: set by the wire, drawn
	// on first use on the typed path (ID).
	requestID string
	// region is the region the request is for: on the wire the one it was
	// signed for (for the operations sent unsigned, the region of a
	// regional STS host), on the typed path sts.Options.Region after the
	// call's optFns; the engine's region (WithRegion) when neither says.
	// The global endpoint's is us-east-1 (regions.go). Operations read it
	// as c.region: aws:RequestedRegion, the regions' opt-in status and STS
	// activation, an outbound token's source_region.
	region string
	// global reports a request to the global endpoint, sts.amazonaws.com:
	// by its Host on the wire, by region aws-global on the typed path
	// (behaviour §1.4).
	global bool
	// principal is the caller: set by the wire once the signature is
	// verified, or by caller on the typed path.
	principal *Principal
	// creds are the credentials a typed call's optFns retrieved (nil when
	// they set none); they win over WithCaller's.
	creds *aws.Credentials
	// in is the operation's input (nil until decoded on the wire).
	in any
	// req is the HTTP request of a wire call (nil on the typed path): its
	// User-Agent and client address go into the journal.
	req *http.Request
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
	c.in = in
	err := e.endpointOfTyped(c)
	if err == nil && !unsignedOp(op) {
		_, err = e.caller(ctx, c)
	}
	if err == nil {
		err = e.injectFault(ctx, c)
	}
	var out *Out
	if err == nil {
		out, err = fn(ctx, c, in)
	}
	if err != nil {
		if isCanceled(err) {
			// As the client reports a call its context ended.
			return nil, &smithy.OperationError{ServiceID: sts.ServiceID, OperationName: op, Err: err}
		}
		e.record(ctx, c, nil, err)
		return nil, sdkError(op, c.ID(), apierror.From(err))
	}
	e.record(ctx, c, out, nil)
	return out, nil
}

// serveCall runs a wire call c whose caller is authenticated: the faults
// that match it, then the operation, and journals the answer.
func (e *Engine) serveCall(ctx context.Context, c *apiCall) (any, error) {
	if err := e.injectFault(ctx, c); err != nil {
		if !isCanceled(err) {
			e.record(ctx, c, nil, err)
		}
		return nil, err
	}
	out, err := e.dispatch(ctx, c, c.in)
	e.record(ctx, c, out, err)
	return out, err
}

// isCanceled reports a call abandoned because its context ended.
func isCanceled(err error) bool {
	var ce *smithy.CanceledError
	return errors.As(err, &ce)
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
func newRequestID() string { return formatID(drawID()) }

// idBits are the random bits of a request ID, before formatting.
type idBits [2]uint64

// drawID draws the bits of a request ID.
func drawID() idBits { return idBits{rand.Uint64(), rand.Uint64()} }

// formatID writes the bits as a version-4 UUID.
func formatID(id idBits) string {
	const hex = "0123456789abcdef"
	var b [36]byte
	x, y := id[0], id[1]
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
	var p *Principal
	if !ok {
		du := e.defaultUser.Load()
		p = e.userPrincipal(du, du.key.id)
		if !e.regionEnabled(p.Account, c.region) {
			return nil, callerRegionError()
		}
		p.region = c.region
	} else {
		var err error
		if p, err = e.principalOf(creds, c.region); err != nil {
			return nil, err
		}
	}
	c.principal = p
	return p, nil
}

// endpointOfTyped settles which endpoint a typed call reaches, as the
// client's endpoint resolution would: region aws-global is the global
// endpoint, served as us-east-1, which refuses the operations it does not
// serve (globalRefusal). A signed operation for a region the engine does
// not serve fails as the client's request would, signed for that region;
// the operations sent unsigned carry no region, and are served in the
// engine's (as the wire serves them from a host it does not know).
func (e *Engine) endpointOfTyped(c *apiCall) error {
	c.region, c.global = resolveRegion(c.region)
	if c.global {
		if err := globalRefusal(c.op); err != nil {
			return err
		}
	}
	if !e.regionServed(c.region) {
		if unsignedOp(c.op) {
			c.region, _ = resolveRegion(e.region)
			return nil
		}
		return errorf(apierror.CodeSignatureDoesNotMatch, msgScopeRegion, c.region)
	}
	return nil
}
