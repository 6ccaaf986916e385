package fakests

import (
	"context"
	"errors"
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
	// The request body is only read while serving (the form is copied out
	// of it), so it is read into a pooled buffer and returned after.
	reqBuf := getBuffer()
	defer putBuffer(reqBuf)
	var body []byte
	if s := req.GetStream(); s != nil {
		var err error
		if body, err = appendBody((*reqBuf)[:0], s, maxBody+1); err != nil {
			return middleware.DeserializeOutput{}, middleware.Metadata{}, err
		}
		*reqBuf = body[:0]
	}
	hr := req.Request
	hr.ContentLength = int64(len(body))
	// One allocation holds the answer and the objects the SDK receives;
	// they live and die together (the body's Close releases its buffer).
	x := new(adapterAnswer)
	a.e.serveWire(ctx, hr, body, &x.w)
	if x.w.abort != nil {
		x.w.release()
		return middleware.DeserializeOutput{}, middleware.Metadata{}, x.w.abort
	}
	x.body.Reset(x.w.body)
	x.body.w = &x.w
	x.http = http.Response{
		Status:        http.StatusText(x.w.status),
		StatusCode:    x.w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, 4),
		Body:          &x.body,
		ContentLength: int64(len(x.w.body)),
		Request:       hr,
	}
	x.w.setHeader(x.http.Header, &x.values)
	x.smithy.Response = &x.http
	return middleware.DeserializeOutput{RawResponse: &x.smithy}, middleware.Metadata{}, nil
}

// adapterAnswer is what the adapter hands the SDK for one request, in one
// allocation; it was nine (the answer, four header value slices, the body
// reader and its NopCloser, the two response wrappers).
type adapterAnswer struct {
	w      response
	values headerValues
	body   responseBody
	http   http.Response
	smithy smithyhttp.Response
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
		var w response
		defer w.release()
		reqBuf := getBuffer()
		defer putBuffer(reqBuf)
		body, err := readBody(r, (*reqBuf)[:0])
		if err != nil {
			// An unreadable body is still answered with an STS error
			// document, which botocore can parse; the code is our choice
			// (unverified): the form could not be read.
			w.start(newRequestID(), wantsJSON(r.Header))
			w.fail(newError(apierror.CodeMalformedQueryString, "fakests: reading the request body: "+err.Error()))
		} else {
			*reqBuf = body[:0]
			e.serveWire(r.Context(), r, body, &w)
		}
		if w.abort != nil {
			panic(http.ErrAbortHandler) // the client is gone: as net/http aborts a response
		}
		var values headerValues
		w.setHeader(rw.Header(), &values)
		rw.WriteHeader(w.status)
		rw.Write(w.body)
	})
}

// readBody appends up to maxBody+1 bytes of r's body to buf. A nil Body,
// which a request built by hand (an emulator calling the Handler directly)
// may carry, is an empty body.
func readBody(r *http.Request, buf []byte) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	return appendBody(buf, r.Body, maxBody+1)
}

// rawQuery is r's query string; a request built by hand may have no URL.
func rawQuery(r *http.Request) string {
	if r.URL == nil {
		return ""
	}
	return r.URL.RawQuery
}

// response is an STS answer on the wire. Its body lives in a pooled
// buffer until release.
type response struct {
	status    int
	requestID string
	body      []byte
	buf       *[]byte // the pooled buffer body was encoded into (nil once released)
	json      bool    // the request asked for JSON (behaviour §1.2)
	// abort, when set, is why the request gets no answer: its context
	// ended (faults.go). The adapter returns it; the Handler aborts.
	abort error
}

// start readies w for a request: its ID, its format and a pooled buffer.
func (w *response) start(requestID string, json bool) {
	w.requestID, w.json, w.buf = requestID, json, getBuffer()
}

// release returns w's buffer to the pool; w.body must no longer be used.
func (w *response) release() {
	if w.buf != nil {
		if w.body != nil {
			*w.buf = w.body[:0] // keep the buffer as encoding grew it
		}
		putBuffer(w.buf)
		w.buf, w.body = nil, nil
	}
}

// headerValues backs the four header values of a response in one array
// instead of one allocation each.
type headerValues [4]string

// setHeader sets the response headers in h: the content type, the request
// ID and the Date, which follows the wall clock that judges request
// freshness (behaviour §10, §19). Each value is a one-element slice of
// values, capped so that an append by the receiver copies.
func (w *response) setHeader(h http.Header, values *headerValues) {
	ct := "text/xml"
	if w.json {
		ct = "application/json"
	}
	*values = headerValues{ct, w.requestID, httpDate(), strconv.Itoa(len(w.body))}
	h["Content-Type"] = values[0:1:1]
	h["X-Amzn-Requestid"] = values[1:2:2]
	h["Date"] = values[2:3:3]
	h["Content-Length"] = values[3:4:4]
}

// serveWire answers one STS request into w. body is the whole request body;
// it is not kept.
func (e *Engine) serveWire(ctx context.Context, r *http.Request, body []byte, w *response) {
	w.start(newRequestID(), wantsJSON(r.Header))
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
		w.fail(err)
		return
	}
	if isIAMRequest(r, form) { // IAM's control plane (iam_wire.go)
		e.serveIAM(ctx, r, body, form, w)
		return
	}
	action, input, err := awsquery.Decode(form)
	if err != nil {
		w.fail(err)
		return
	}
	c := &apiCall{op: action, requestID: w.requestID, in: input, req: r}
	if err = e.authenticate(c, r, body); err != nil {
		e.record(ctx, c, nil, err) // journal.go
		w.fail(err)
		return
	}
	ctx = withRequestInfo(ctx, requestInfoOf(r))
	out, err := e.serveCall(ctx, c) // call.go: faults, dispatch, journal
	if err != nil {
		w.fail(err)
		return
	}
	if w.json {
		w.body, err = awsquery.AppendResultJSON((*w.buf)[:0], action, out, w.requestID)
	} else {
		w.body, err = awsquery.AppendResult((*w.buf)[:0], action, out, w.requestID)
	}
	if err != nil {
		w.fail(err)
		return
	}
	w.status = http.StatusOK
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
func (w *response) fail(err error) {
	if isCanceled(err) {
		w.abort = err
		return
	}
	ae := apierror.From(err)
	w.status = ae.Status
	if w.json {
		w.body = awsquery.AppendErrorJSON((*w.buf)[:0], ae.WireFault(), ae.Code, ae.Message, w.requestID)
	} else {
		w.body = awsquery.AppendError((*w.buf)[:0], ae.WireFault(), ae.Code, ae.Message, w.requestID)
	}
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
