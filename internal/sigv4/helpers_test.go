package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
)

// Test credentials (AWS documentation examples, not real keys).
const (
	testAKID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDExampleSessionToken"
	gciBody    = "Action=GetCallerIdentity&Version=2011-06-15"
)

// signTime is the date of behaviour §10's "Signature expired" sample.
var signTime = time.Date(2022, 1, 27, 0, 14, 27, 0, time.UTC)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sdkRequest builds an STS POST the way the Go SDK's serializer leaves it and signs it with the
// SDK's v4.Signer. It is a client-side request: no Content-Length or Host in its header map.
func sdkRequest(t testing.TB, body, token string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Amz-Sdk-Invocation-Id", "3d8a6c3c-1c59-4d36-9c2f-8d0f0a3c1a51")
	req.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	req.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux")
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex([]byte(body)), "sts", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return req
}

// serverSide sends r through HTTP/1.1 wire form and reads it back as a server would.
func serverSide(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		t.Fatal(err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	return got, body
}

// presigned returns a GetCallerIdentity URL presigned by the SDK signer, as a server receives
// it, with extra headers the client signed (aws-iam-authenticator signs x-k8s-aws-id).
func presigned(t testing.TB, expires string, token string, at time.Time, extra map[string]string) *http.Request {
	t.Helper()
	u := "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
	if expires != "" {
		u += "&X-Amz-Expires=" + expires
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: token}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, sha256Hex(nil), "sts", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(http.MethodGet, signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if !strings.EqualFold(k, "host") {
			out.Header[k] = v
		}
	}
	srv, _ := serverSide(t, out)
	return srv
}

// captureClient is an sts.HTTPClient that records the request the SDK sends and answers with a
// canned GetCallerIdentity document.
type captureClient struct {
	req  *http.Request
	body []byte
}

func (c *captureClient) Do(r *http.Request) (*http.Response, error) {
	c.req = r
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		c.body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	const doc = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
		`<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>` +
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/xml"}},
		Body: io.NopCloser(strings.NewReader(doc)), Request: r}, nil
}

// realSDKRequest runs GetCallerIdentity through a real sts.Client and returns the request it
// signed and sent (client side), with its body.
func realSDKRequest(t testing.TB, region, token string) (*http.Request, []byte) {
	t.Helper()
	cc := &captureClient{}
	client := sts.New(sts.Options{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, token),
		HTTPClient:  cc,
	})
	if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	return cc.req, cc.body
}

// asError unwraps err into *apierror.Error or fails the test.
func asError(t *testing.T, err error) *apierror.Error {
	t.Helper()
	var e *apierror.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *apierror.Error", err, err)
	}
	return e
}

// mismatchText is AWS's SignatureDoesNotMatch text (behaviour §10), typed out
// rather than taken from the package's constant.
const mismatchText = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// wantErr is the error AWS answers with: a sender fault.
func wantErr(code string, status int, msg string) *apierror.Error {
	return &apierror.Error{Code: code, Status: status, Fault: smithy.FaultClient, Message: msg}
}
