package fakests

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// This file routes a real *sts.Client into the engine with no network: a
// middleware at the tail of the Deserialize step sees the signed request
// and answers with the bytes real STS would send, so the SDK's own
// deserializers, error wrapping and retries run on them (wiring.md).

// adapterID names the middleware in the stack.
const adapterID = "fakests.Adapter"

// maxBody caps the request bodies the engine reads (the largest legal STS
// request, a 100,000-character SAML assertion, fits with room to spare).
const maxBody = 1 << 20

// adapter is the Deserialize middleware that answers STS operations from
// the engine.
type adapter struct{ e *Engine }

// ID names the middleware in the stack.
func (adapter) ID() string { return adapterID }

// HandleDeserialize answers an STS operation with the engine's wire
// response and passes every other service's operation on.
func (a adapter) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	if awsmiddleware.GetServiceID(ctx) != sts.ServiceID {
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

// APIOption returns a stack option that routes STS operations into the
// engine; other services' operations pass through untouched, so it can sit
// in an aws.Config shared with other clients. Adding it twice is harmless.
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

// Config returns an aws.Config, ready for sts.NewFromConfig, whose STS calls
// reach the engine signed with creds. Its HTTP client refuses every request,
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
