package fakests

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/internal/awsquery"
	"github.com/fakests/fakests/internal/sigv4"
)

// This file is the one wire path: the Handler and the client adapter both
// hand a request to serveWire, which decodes the awsquery form,
// authenticates the SigV4 signature, calls the typed method and encodes the
// document real STS would send (facts §1).

// response is an STS answer on the wire.
type response struct {
	status    int
	requestID string
	body      []byte
}

// header returns the response headers: the content type, the request ID and
// the Date, which follows the wall clock that judges request freshness
// (clarifications, wiring.md).
func (w *response) header() http.Header {
	return http.Header{
		"Content-Type":     {"text/xml"},
		"X-Amzn-Requestid": {w.requestID},
		"Date":             {httpDate()},
		"Content-Length":   {strconv.Itoa(len(w.body))},
	}
}

// unsignedOps are sent anonymously by the SDK and accepted that way (§1.4).
func unsignedOp(action string) bool {
	return action == opAssumeRoleWithSAML || action == opAssumeRoleWithWebIdentity
}

// serveWire answers one STS request. body is the whole request body.
func (e *Engine) serveWire(ctx context.Context, r *http.Request, body []byte) *response {
	w := &response{requestID: newRequestID()}
	var form url.Values
	var err error
	if r.Method == http.MethodGet {
		form, err = awsquery.ParseQuery(r.URL.RawQuery)
	} else {
		form, err = awsquery.ParseForm(body)
		if err == nil && r.URL.RawQuery != "" {
			err = mergeQuery(form, r.URL.RawQuery)
		}
	}
	if err != nil {
		return w.fail(err)
	}
	action, input, err := awsquery.Decode(form)
	if err != nil {
		return w.fail(err)
	}
	p, err := e.authenticate(action, r, body)
	if err != nil {
		return w.fail(err)
	}
	ctx = withPrincipal(ctx, p)
	ctx = withRequestInfo(ctx, requestInfoOf(r))
	out, err := e.dispatch(ctx, input)
	if err != nil {
		return w.fail(err)
	}
	w.body, err = awsquery.AppendResult(make([]byte, 0, 2048), action, out, w.requestID)
	if err != nil {
		return w.fail(err)
	}
	w.status = http.StatusOK
	return w
}

// mergeQuery adds to a POST's form the query parameters its body does not
// set, as AWS query services read parameters from either place (a POST of
// botocore's default presigned URL carries them all in the query; which one
// wins when both set a parameter is unverified: the body does here).
func mergeQuery(form url.Values, rawQuery string) error {
	q, err := awsquery.ParseQuery(rawQuery)
	if err != nil {
		return err
	}
	for k, v := range q {
		if _, ok := form[k]; !ok {
			form[k] = v
		}
	}
	return nil
}

// authenticate returns the principal that signed r for action.
func (e *Engine) authenticate(action string, r *http.Request, body []byte) (*Principal, error) {
	if unsignedOp(action) {
		return &Principal{Type: Anonymous}, nil
	}
	return e.verifySigned(action, r, body, "sts", e.region, "us-east-1")
}

// requestInfoOf extracts what policies may test about the transport.
func requestInfoOf(r *http.Request) requestInfo {
	ri := requestInfo{userAgent: r.UserAgent(), secure: r.TLS != nil || r.URL.Scheme == "https"}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ri.sourceIP = host
	}
	return ri
}

// dispatch calls the typed method for a decoded input.
func (e *Engine) dispatch(ctx context.Context, input any) (any, error) {
	switch in := input.(type) {
	case *sts.AssumeRoleInput:
		return e.AssumeRole(ctx, in)
	case *sts.AssumeRoleWithSAMLInput:
		return e.AssumeRoleWithSAML(ctx, in)
	case *sts.AssumeRoleWithWebIdentityInput:
		return e.AssumeRoleWithWebIdentity(ctx, in)
	case *sts.AssumeRootInput:
		return e.AssumeRoot(ctx, in)
	case *sts.DecodeAuthorizationMessageInput:
		return e.DecodeAuthorizationMessage(ctx, in)
	case *sts.GetAccessKeyInfoInput:
		return e.GetAccessKeyInfo(ctx, in)
	case *sts.GetCallerIdentityInput:
		return e.GetCallerIdentity(ctx, in)
	case *sts.GetDelegatedAccessTokenInput:
		return e.GetDelegatedAccessToken(ctx, in)
	case *sts.GetFederationTokenInput:
		return e.GetFederationToken(ctx, in)
	case *sts.GetSessionTokenInput:
		return e.GetSessionToken(ctx, in)
	case *sts.GetWebIdentityTokenInput:
		return e.GetWebIdentityToken(ctx, in)
	}
	return nil, newError("", codeInternalFailure, "fakests: no method for the decoded input")
}

// fail encodes err as an ErrorResponse.
func (w *response) fail(err error) *response {
	code, msg, fault := codeInternalFailure.code, err.Error(), "Receiver"
	var ae smithy.APIError
	var qe *awsquery.Error
	var se *sigv4.Error
	switch {
	case errors.As(err, &qe):
		code, msg, fault = qe.Code, qe.Message, "Sender"
	case errors.As(err, &se):
		code, msg, fault = se.Code, se.Message, "Sender"
	case errors.As(err, &ae):
		code, msg = ae.ErrorCode(), ae.ErrorMessage()
		if ae.ErrorFault() != smithy.FaultServer {
			fault = "Sender"
		}
	}
	w.status = lookupCode(code).status
	if se != nil {
		w.status = se.Status
	}
	w.body = awsquery.AppendError(make([]byte, 0, 512), fault, code, msg, w.requestID)
	return w
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

// dateCache holds the last formatted Date header; it changes once a second.
var dateCache atomic.Pointer[cachedDate]

type cachedDate struct {
	unix int64
	text string
}

// httpDate returns the wall clock's time as an HTTP Date header value.
func httpDate() string {
	now := time.Now()
	if d := dateCache.Load(); d != nil && d.unix == now.Unix() {
		return d.text
	}
	d := &cachedDate{unix: now.Unix(), text: now.UTC().Format(http.TimeFormat)}
	dateCache.Store(d)
	return d.text
}
