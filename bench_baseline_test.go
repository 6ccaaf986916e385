package fakests

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// This file holds the two baselines the engine's benchmarks are measured
// against (behaviour §19): the SDK floor, a real client whose stack
// answers captured bytes at the Deserialize tail, and an httptest server
// answering the same bytes over loopback, which is what people hand-write
// without fakests. Both answer what the engine itself answered to the same
// request, captured once before the timed loop (captureAnswer). Both
// clients are built like newClient's: the same static credentials
// provider, region and zero-backoff retryer.

// engineAnswer is one response the engine produced through the adapter:
// the exact body and header map the SDK received. The floor and httptest
// baselines replay it, so the SDK decodes the same document (same length,
// same token, same headers) on every path and the comparison isolates what
// fakests itself costs.
type engineAnswer struct {
	body   []byte
	header http.Header
}

// captureAnswer makes one call with client, which must be routed into an
// engine (Engine.Config), and returns the engine's answer to it. The
// capturing middleware sits just before the adapter in the Deserialize
// step, so it sees the adapter's raw response before the SDK decodes it.
func captureAnswer(b *testing.B, cfg aws.Config, call func(*sts.Client) error) engineAnswer {
	b.Helper()
	var got engineAnswer
	capture := middleware.DeserializeMiddlewareFunc("fakests.bench.Capture", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if err != nil {
			return out, md, err
		}
		resp := out.RawResponse.(*smithyhttp.Response)
		body, rerr := io.ReadAll(resp.Body)
		if rerr != nil {
			return out, md, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		got = engineAnswer{body: body, header: resp.Header.Clone()}
		return out, md, nil
	})
	client := sts.NewFromConfig(cfg, benchRetryer, func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Deserialize.Insert(capture, adapterID, middleware.Before)
		})
	})
	if err := call(client); err != nil {
		b.Fatal(err)
	}
	if got.body == nil {
		b.Fatal("captureAnswer: the engine's answer was not seen")
	}
	return got
}

// captureAssumeRole returns the engine's answer to in, made by creds.
func captureAssumeRole(b *testing.B, e *Engine, creds aws.Credentials, in *sts.AssumeRoleInput) engineAnswer {
	b.Helper()
	return captureAnswer(b, e.Config(creds), func(c *sts.Client) error {
		_, err := c.AssumeRole(context.Background(), in)
		return err
	})
}

// captureGetCallerIdentity returns the engine's answer to a
// GetCallerIdentity made by creds.
func captureGetCallerIdentity(b *testing.B, e *Engine, creds aws.Credentials) engineAnswer {
	b.Helper()
	return captureAnswer(b, e.Config(creds), func(c *sts.Client) error {
		_, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		return err
	})
}

// benchCreds are the floor and httptest clients' static credentials, shaped
// as an IAM user's long-term key.
var benchCreds = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// cannedAnswer is a Deserialize-tail middleware that answers every request
// at once with a captured answer, as the adapter does but with no engine
// behind it. The header map is shared by every response: the SDK only
// reads a response's headers, and a floor should do no work the SDK would
// not see.
type cannedAnswer struct{ a engineAnswer }

func (cannedAnswer) ID() string { return "fakests.bench.Canned" }

func (c cannedAnswer) HandleDeserialize(_ context.Context, in middleware.DeserializeInput, _ middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	req := in.Request.(*smithyhttp.Request)
	resp := &http.Response{
		Status:     http.StatusText(http.StatusOK),
		StatusCode: http.StatusOK,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        c.a.header,
		Body:          io.NopCloser(bytes.NewReader(c.a.body)),
		ContentLength: int64(len(c.a.body)),
		Request:       req.Request,
	}
	return middleware.DeserializeOutput{RawResponse: &smithyhttp.Response{Response: resp}}, middleware.Metadata{}, nil
}

// benchConfig is the aws.Config of a baseline client: what Engine.Config
// gives, minus the engine.
func benchConfig() aws.Config {
	creds := benchCreds
	return aws.Config{
		Region: DefaultRegion,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		HTTPClient: refusingClient{},
	}
}

// benchRetryer is newClient's retryer: standard, with no backoff.
func benchRetryer(o *sts.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.Backoff = retry.BackoffDelayerFunc(noDelay) })
}

// newFloorClient returns a real client whose every call is answered with
// a at the tail of the Deserialize step: the SDK's own cost.
func newFloorClient(a engineAnswer) *sts.Client {
	cfg := benchConfig()
	cfg.APIOptions = []func(*middleware.Stack) error{func(s *middleware.Stack) error {
		return s.Deserialize.Add(cannedAnswer{a}, middleware.After)
	}}
	return sts.NewFromConfig(cfg, benchRetryer)
}

// newHTTPTestClient returns a real client, with the SDK's default HTTP
// client, talking to an httptest server that answers a to everything.
func newHTTPTestClient(b *testing.B, a engineAnswer) *sts.Client {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for k, v := range a.header {
			w.Header()[k] = v
		}
		_, _ = w.Write(a.body)
	}))
	b.Cleanup(srv.Close)
	cfg := benchConfig()
	cfg.HTTPClient = nil // the SDK's default, as hand-written tests use
	return sts.NewFromConfig(cfg, benchRetryer, func(o *sts.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}
