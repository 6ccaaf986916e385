package fakests

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// This file holds the two baselines the engine's benchmarks are measured
// against (behaviour §19): the SDK floor, a real client whose stack
// answers canned bytes at the Deserialize tail, and an httptest server
// answering the same bytes over loopback, which is what people hand-write
// without fakests. Both clients are built like newClient's: the same static
// credentials provider, region and zero-backoff retryer.

// benchRequestID is the request ID of the canned answers.
const benchRequestID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"

// cannedSessionToken is as long as the tokens the engine issues for a plain
// AssumeRole (764 characters), so that both answers cost the SDK's XML
// decoder the same.
var cannedSessionToken = "FwoGZXIvYXdzE" + strings.Repeat("Ab3dEf6hIj9kLmN0pQrStUvWxYz+/12", 30)[:764-13]

// cannedAssumeRole is a realistic AssumeRole success document, shaped as
// the engine writes it (members in model order, the 2026 token-size members
// last).
var cannedAssumeRole = []byte(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:bench</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/bench-role/bench</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAJEXAMPLEXEG2JICEA</AccessKeyId>
      <SecretAccessKey>9drTJvcXLB89EXAMPLELB8923FB892xMFI</SecretAccessKey>
      <SessionToken>` + cannedSessionToken + `</SessionToken>
      <Expiration>2030-06-01T13:00:00Z</Expiration>
    </Credentials>
    <SessionTokenSize>764</SessionTokenSize>
    <SessionTokenUtilization>10</SessionTokenUtilization>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>` + benchRequestID + `</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`)

// cannedGetCallerIdentity is a realistic GetCallerIdentity success document.
var cannedGetCallerIdentity = []byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/bench-user</Arn>
    <UserId>AIDARZPUZDIKFCEY6S2R3</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>` + benchRequestID + `</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`)

// benchCreds are the floor and httptest clients' static credentials, shaped
// as an IAM user's long-term key.
var benchCreds = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// cannedAnswer is a Deserialize-tail middleware that answers every request
// at once with body, as the adapter does but with no engine behind it.
type cannedAnswer struct{ body []byte }

func (cannedAnswer) ID() string { return "fakests.bench.Canned" }

func (c cannedAnswer) HandleDeserialize(_ context.Context, in middleware.DeserializeInput, _ middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	req := in.Request.(*smithyhttp.Request)
	resp := &http.Response{
		Status:     http.StatusText(http.StatusOK),
		StatusCode: http.StatusOK,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        cannedHeader(c.body),
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       req.Request,
	}
	return middleware.DeserializeOutput{RawResponse: &smithyhttp.Response{Response: resp}}, middleware.Metadata{}, nil
}

// cannedHeader returns the headers the engine sends with a success.
func cannedHeader(body []byte) http.Header {
	return http.Header{
		"Content-Type":     {"text/xml"},
		"X-Amzn-Requestid": {benchRequestID},
		"Date":             {time.Now().UTC().Format(http.TimeFormat)},
		"Content-Length":   {strconv.Itoa(len(body))},
	}
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
// body at the tail of the Deserialize step: the SDK's own cost.
func newFloorClient(body []byte) *sts.Client {
	cfg := benchConfig()
	cfg.APIOptions = []func(*middleware.Stack) error{func(s *middleware.Stack) error {
		return s.Deserialize.Add(cannedAnswer{body}, middleware.After)
	}}
	return sts.NewFromConfig(cfg, benchRetryer)
}

// newHTTPTestClient returns a real client, with the SDK's default HTTP
// client, talking to an httptest server that answers body to everything.
func newHTTPTestClient(b *testing.B, body []byte) *sts.Client {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for k, v := range cannedHeader(body) {
			w.Header()[k] = v
		}
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	cfg := benchConfig()
	cfg.HTTPClient = nil // the SDK's default, as hand-written tests use
	return sts.NewFromConfig(cfg, benchRetryer, func(o *sts.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}
