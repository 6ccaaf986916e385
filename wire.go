package fakests

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/awsquery"
)

// This file is the one wire path. The Handler (HTTP) and the client adapter
// (a middleware at the tail of the SDK's Deserialize step, which sees the
// signed request and answers with the bytes real STS would send, so the
// SDK's own deserializers, error wrapping and retries run on them) both hand
// a request to serveWire: decode the awsquery form, authenticate the SigV4
// signature, call the typed method, encode the document real STS would send.

// adapterID names the middleware in the stack.
const adapterID = "fakests.Adapter"

// adapter is the Deserialize middleware that answers STS operations from
// the engine.
type adapter struct{ e *Engine }

// ID names the middleware in the stack.
func (adapter) ID() string { return adapterID }

// HandleDeserialize answers an STS or IAM operation with the engine's wire
// response and passes every other service's operation on.
func (a adapter) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	if id := awsmiddleware.GetServiceID(ctx); id != sts.ServiceID && id != iamServiceID {
		return next.HandleDeserialize(ctx, in)
	}
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.DeserializeOutput{}, middleware.Metadata{}, errors.New("fakests: unexpected request type")
	}
	var body []byte
	if s := req.GetStream(); s != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(s, maxBody+1)); err != nil {
			return middleware.DeserializeOutput{}, middleware.Metadata{}, err
		}
	}
	hr := req.Request
	hr.ContentLength = int64(len(body))
	w := a.e.serveWire(ctx, hr, body)
	if w.abort != nil {
		return middleware.DeserializeOutput{}, middleware.Metadata{}, w.abort
	}
	resp := &http.Response{
		Status:        http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header(),
		Body:          io.NopCloser(bytes.NewReader(w.body)),
		ContentLength: int64(len(w.body)),
		Request:       hr,
	}
	return middleware.DeserializeOutput{RawResponse: &smithyhttp.Response{Response: resp}}, middleware.Metadata{}, nil
}

// APIOption returns a stack option that routes STS operations, and IAM's
// control plane (iam_wire.go), into the engine; other services' operations
// pass through untouched, so it can sit in an aws.Config shared with other
// clients. Adding it twice is harmless.
//
//	cfg.APIOptions = append(cfg.APIOptions, e.APIOption())
func (e *Engine) APIOption() func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		if _, ok := s.Deserialize.Get(adapterID); ok {
			return nil
		}
		return s.Deserialize.Add(adapter{e}, middleware.After)
	}
}

// ClientOption returns an sts.Options function that routes one client into
// the engine:
//
//	client := sts.NewFromConfig(cfg, e.ClientOption())
func (e *Engine) ClientOption() func(*sts.Options) {
	return func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, e.APIOption())
	}
}

// Config returns an aws.Config, ready for sts.NewFromConfig (or
// iam.NewFromConfig), whose STS and IAM calls reach the engine signed with
// creds. Its HTTP client refuses every request,
// so a client built from it for another service fails loudly instead of
// reaching AWS.
func (e *Engine) Config(creds aws.Credentials) aws.Config {
	return aws.Config{
		Region: e.region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		HTTPClient: refusingClient{},
		APIOptions: []func(*middleware.Stack) error{e.APIOption()},
	}
}

// refusingClient is an HTTP client that sends nothing.
type refusingClient struct{}

// Do refuses r.
func (refusingClient) Do(r *http.Request) (*http.Response, error) {
	return nil, errors.New("fakests: this aws.Config reaches only the fakests engine; " + r.URL.Host + " was not contacted")
}

// Handler returns an http.Handler that speaks the STS wire protocol (the
// awsquery form, SigV4 in the Authorization header or a presigned query
// string) on the same code path as the client adapter, and IAM's control
// plane for requests with IAM's Version or signed for the service iam. It answers XML, or
// JSON when the request's Accept header prefers application/json, as STS
// does for the EKS login's presigned GetCallerIdentity. Serve it with
// net/http/httptest or any server, and point other SDKs, the aws CLI or
// presigned GetCallerIdentity URLs at it. A request whose context ends
// during an injected Delay (InjectFault) is aborted with
// http.ErrAbortHandler, as net/http aborts a response.
//
// It also serves the issuers of outbound identity federation: a request
// whose Host is an account's issuer host gets its
// /.well-known/openid-configuration and /.well-known/jwks.json (issuer.go).
func (e *Engine) Handler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if e.serveIssuer(rw, r) {
			return
		}
		var w *response
		body, err := readBody(r)
		if err != nil {
			// An unreadable body is still answered with an STS error
			// document, which botocore can parse; the code is our choice
			// (unverified): the form could not be read.
			w = (&response{requestID: newRequestID(), json: wantsJSON(r.Header)}).fail(
				newError(apierror.CodeMalformedQueryString, "fakests: reading the request body: "+err.Error()))
		} else {
			w = e.serveWire(r.Context(), r, body)
		}
		if w.abort != nil {
			panic(http.ErrAbortHandler) // the client is gone: as net/http aborts a response
		}
		for k, v := range w.header() {
			rw.Header()[k] = v
		}
		rw.WriteHeader(w.status)
		rw.Write(w.body)
	})
}

// readBody reads up to maxBody+1 bytes of r's body. A nil Body, which a
// request built by hand (an emulator calling the Handler directly) may
// carry, is an empty body.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	return io.ReadAll(io.LimitReader(r.Body, maxBody+1))
}

// rawQuery is r's query string; a request built by hand may have no URL.
func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}

// response is an STS answer on the wire.
type response struct {
	status    int
	requestID string
	body      []byte
	json      bool // the request asked for JSON (behaviour §1.2)
	// abort, when set, is why the request gets no answer: its context
	// ended (faults.go). The adapter returns it; the Handler aborts.
	abort error
}

// header returns the response headers: the content type, the request ID and
// the Date, which follows the wall clock that judges request freshness
// (behaviour §10, §19).
func (w *response) header() http.Header {
	ct := "text/xml"
	if w.json {
		ct = "application/json"
	}
	return http.Header{
		"Content-Type":     {ct},
		"X-Amzn-Requestid": {w.requestID},
		"Date":             {httpDate()},
		"Content-Length":   {strconv.Itoa(len(w.body))},
	}
}

// serveWire answers one STS request. body is the whole request body.
func (e *Engine) serveWire(ctx context.Context, r *http.Request, body []byte) *response {
	w := &response{requestID: newRequestID(), json: wantsJSON(r.Header)}
	var form url.Values
	var err error
	query := rawQuery(r)
	if r.Method == http.MethodGet {
		form, err = awsquery.ParseQuery(query)
	} else {
		form, err = awsquery.ParseForm(body)
		if err == nil && query != "" {
			err = mergeQuery(form, query)
		}
	}
	if err != nil {
		return w.fail(err)
	}
	if isIAMRequest(r, form) { // IAM's control plane (iam_wire.go)
		return e.serveIAM(ctx, r, body, form, w)
	}
	action, input, err := awsquery.Decode(form)
	if err != nil {
		return w.fail(err)
	}
	c := &apiCall{op: action, requestID: w.requestID, in: input, req: r}
	if err = e.authenticate(c, r, body); err != nil {
		e.record(ctx, c, nil, err) // journal.go
		return w.fail(err)
	}
	ctx = withRequestInfo(ctx, requestInfoOf(r))
	out, err := e.serveCall(ctx, c) // call.go: faults, dispatch, journal
	if err != nil {
		return w.fail(err)
	}
	if w.json {
		w.body, err = awsquery.AppendResultJSON(make([]byte, 0, 2048), action, out, w.requestID)
	} else {
		w.body, err = awsquery.AppendResult(make([]byte, 0, 2048), action, out, w.requestID)
	}
	if err != nil {
		return w.fail(err)
	}
	w.status = http.StatusOK
	return w
}

// mergeQuery adds to a POST's form the query parameters its body does not
// set, as AWS query services read parameters from either place (a POST of
// botocore's default presigned URL carries them all in the query; which one
// wins when both set a parameter is unverified: the body does here). Both
// parts are signed by then, or the request is refused: authenticate refuses
// a body that the signature does not cover (behaviour §1.4).
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

// dispatch calls the operation function for a decoded input.
func (e *Engine) dispatch(ctx context.Context, c *apiCall, input any) (any, error) {
	switch in := input.(type) {
	case *sts.AssumeRoleInput:
		return e.assumeRole(ctx, c, in)
	case *sts.AssumeRoleWithSAMLInput:
		return e.assumeRoleWithSAML(ctx, c, in)
	case *sts.AssumeRoleWithWebIdentityInput:
		return e.assumeRoleWithWebIdentity(ctx, c, in)
	case *sts.AssumeRootInput:
		return e.assumeRoot(ctx, c, in)
	case *sts.DecodeAuthorizationMessageInput:
		return e.decodeAuthorizationMessage(ctx, c, in)
	case *sts.GetAccessKeyInfoInput:
		return e.getAccessKeyInfo(ctx, c, in)
	case *sts.GetCallerIdentityInput:
		return e.getCallerIdentity(ctx, c, in)
	case *sts.GetDelegatedAccessTokenInput:
		return e.getDelegatedAccessToken(ctx, c, in)
	case *sts.GetFederationTokenInput:
		return e.getFederationToken(ctx, c, in)
	case *sts.GetSessionTokenInput:
		return e.getSessionToken(ctx, c, in)
	case *sts.GetWebIdentityTokenInput:
		return e.getWebIdentityToken(ctx, c, in)
	}
	return nil, newError(apierror.CodeInternalFailure, "fakests: no operation for the decoded input")
}

// fail encodes err as an ErrorResponse. A call abandoned because its
// context ended (during an injected Delay) is not answered: it is aborted.
func (w *response) fail(err error) *response {
	if isCanceled(err) {
		w.abort = err
		return w
	}
	ae := apierror.From(err)
	w.status = ae.Status
	if w.json {
		w.body = awsquery.AppendErrorJSON(make([]byte, 0, 512), ae.WireFault(), ae.Code, ae.Message, w.requestID)
	} else {
		w.body = awsquery.AppendError(make([]byte, 0, 512), ae.WireFault(), ae.Code, ae.Message, w.requestID)
	}
	return w
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
