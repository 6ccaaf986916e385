package fakests_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
)

// A lenient engine and a real client: any role can be assumed.
func ExampleNew() {
	e := fakests.New()
	client := sts.NewFromConfig(e.Config(e.DefaultUser().Credentials))
	out, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/app"),
		RoleSessionName: aws.String("test"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(out.AssumedRoleUser.Arn))
	// Output: arn:aws:sts::123456789012:assumed-role/app/test
}

// Strict mode refuses what real STS refuses; the error arrives as the SDK
// wraps real ones.
func ExampleStrict() {
	e := fakests.New(fakests.Strict())
	alice, _ := e.CreateUser(fakests.UserSpec{Name: "alice"})
	client := sts.NewFromConfig(e.Config(alice.Credentials))
	_, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/missing"),
		RoleSessionName: aws.String("test"),
	})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.ErrorCode())
		fmt.Println(ae.ErrorMessage())
	}
	// Output:
	// AccessDenied
	// User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/missing
}

// The typed methods need no wire: WithCaller says who calls.
func ExampleWithCaller() {
	e := fakests.New()
	ctx := context.Background()
	bob, _ := e.CreateUser(fakests.UserSpec{Name: "Bob", Path: "/division_abc/"})
	out, _ := e.GetCallerIdentity(fakests.WithCaller(ctx, bob.Credentials), &sts.GetCallerIdentityInput{})
	fmt.Println(aws.ToString(out.Arn))
	root, _ := e.GetCallerIdentity(fakests.WithCaller(ctx, e.RootCredentials("")), &sts.GetCallerIdentityInput{})
	fmt.Println(aws.ToString(root.Arn), aws.ToString(root.UserId))
	// Output:
	// arn:aws:iam::123456789012:user/division_abc/Bob
	// arn:aws:iam::123456789012:root 123456789012
}

// Credentials expire on the engine clock, while the client keeps signing
// with the wall clock.
func ExampleWithClock() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	e := fakests.New(fakests.WithClock(func() time.Time { return now }))
	ctx := context.Background()
	sess, _ := e.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	fmt.Println(sess.Credentials.Expiration.Format(time.RFC3339))

	now = now.Add(time.Hour)
	c := sess.Credentials
	client := sts.NewFromConfig(e.Config(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}))
	_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.ErrorCode())
	}
	// Output:
	// 2030-01-01T00:15:00Z
	// ExpiredToken
}

// The Handler speaks the STS wire protocol to any client.
func ExampleEngine_Handler() {
	e := fakests.New()
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	cfg := e.Config(e.DefaultUser().Credentials)
	cfg.APIOptions = nil // go over HTTP this time, not through the adapter
	cfg.HTTPClient = srv.Client()
	client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(out.Arn))
	// Output: arn:aws:iam::123456789012:user/fakests-default
}

// An emulator of another service asks the engine who may do what.
func ExampleEngine_Authorize() {
	e := fakests.New(fakests.Strict())
	reader, _ := e.CreateUser(fakests.UserSpec{Name: "reader", Policies: []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::docs/public/*"}]}`,
	}})
	ctx := fakests.WithCaller(context.Background(), reader.Credentials)
	who, _ := e.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	fmt.Println(aws.ToString(who.Arn))

	// Authenticate(r) turns a signed HTTP request into this principal; here
	// the principal comes from a request signed with reader's key.
	req := httptest.NewRequest("GET", "https://s3.us-east-1.amazonaws.com/docs/public/a.txt", nil)
	signRequest(req, reader.Credentials)
	p, err := e.Authenticate(req)
	if err != nil {
		panic(err)
	}
	for _, key := range []string{"docs/public/a.txt", "docs/private/b.txt"} {
		d, _ := e.Authorize(context.Background(), p, fakests.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::" + key})
		fmt.Println(key, d.Allowed)
	}
	// Output:
	// arn:aws:iam::123456789012:user/reader
	// docs/public/a.txt true
	// docs/private/b.txt false
}

// signRequest signs r for S3 with creds, as an SDK would.
func signRequest(r *http.Request, creds aws.Credentials) {
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, emptySHA256, "s3", "us-east-1", time.Now()); err != nil {
		panic(err)
	}
}

// A config from config.LoadDefaultConfig routes its STS calls into the
// engine once APIOption is among its APIOptions; other services' calls pass
// through untouched.
func ExampleEngine_APIOption() {
	e := fakests.New(fakests.Strict())
	alice, _ := e.CreateUser(fakests.UserSpec{Name: "alice"})
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion("us-east-1"),
		config.WithSharedConfigFiles([]string{}), // keep this example off the machine's ~/.aws
		config.WithSharedCredentialsFiles([]string{}),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			alice.Credentials.AccessKeyID, alice.Credentials.SecretAccessKey, "")))
	if err != nil {
		panic(err)
	}
	cfg.APIOptions = append(cfg.APIOptions, e.APIOption())
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(out.Arn))
	// Output: arn:aws:iam::123456789012:user/alice
}

// A presigned GetCallerIdentity (the EKS and Vault login flows) is a URL
// that anyone can send; the Handler serves it like STS, checking the
// signature in the query string.
func ExampleEngine_Handler_presigned() {
	e := fakests.New(fakests.Strict())
	bob, _ := e.CreateUser(fakests.UserSpec{Name: "bob"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	client := sts.NewFromConfig(e.Config(bob.Credentials), func(o *sts.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	presigned, err := sts.NewPresignClient(client).PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}

	// The server side: send the presigned request as it is.
	req, _ := http.NewRequest(presigned.Method, presigned.URL, nil)
	req.Header = presigned.SignedHeader
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var answer struct {
		Arn string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := xml.Unmarshal(body, &answer); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, answer.Arn)
	// Output: 200 arn:aws:iam::123456789012:user/bob
}

// A virtual MFA device shows RFC 6238 codes on the engine clock. Each code
// works once: the second request with it is refused, as by AWS.
func ExampleEngine_CreateVirtualMFADevice() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	e := fakests.New(fakests.WithClock(func() time.Time { return now }))
	mia, _ := e.CreateUser(fakests.UserSpec{Name: "mia"})
	dev, err := e.CreateVirtualMFADevice(mia.ARN)
	if err != nil {
		panic(err)
	}
	fmt.Println(dev.SerialNumber)

	ctx := fakests.WithCaller(context.Background(), mia.Credentials)
	in := &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(e.Now()))}
	if _, err := e.GetSessionToken(ctx, in); err != nil {
		panic(err)
	}
	_, err = e.GetSessionToken(ctx, in)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Printf("%s: %q\n", ae.ErrorCode(), ae.ErrorMessage())
	}

	now = now.Add(30 * time.Second) // the next step shows a new code
	in.TokenCode = aws.String(dev.Code(e.Now()))
	_, err = e.GetSessionToken(ctx, in)
	fmt.Println(err)
	// Output:
	// arn:aws:iam::123456789012:mfa/mia
	// AccessDenied: "MultiFactorAuthentication failed with invalid MFA one time pass code. "
	// <nil>
}

// A role's trust policy decides who may assume it; in strict mode nobody
// else can.
func ExampleEngine_CreateRole() {
	e := fakests.New(fakests.Strict())
	alice, _ := e.CreateUser(fakests.UserSpec{Name: "alice"})
	bob, _ := e.CreateUser(fakests.UserSpec{Name: "bob"})
	role, err := e.CreateRole(fakests.RoleSpec{Name: "deployer", TrustPolicy: `{"Version":"2012-10-17","Statement":[{
		"Effect":"Allow","Principal":{"AWS":"` + alice.ARN + `"},"Action":"sts:AssumeRole"}]}`})
	if err != nil {
		panic(err)
	}
	in := &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("deploy")}
	for _, u := range []*fakests.User{alice, bob} {
		out, err := e.AssumeRole(fakests.WithCaller(context.Background(), u.Credentials), in)
		if err != nil {
			var ae smithy.APIError
			errors.As(err, &ae)
			fmt.Println(u.Name, ae.ErrorCode())
			continue
		}
		fmt.Println(u.Name, aws.ToString(out.AssumedRoleUser.Arn))
	}
	// Output:
	// alice arn:aws:sts::123456789012:assumed-role/deployer/deploy
	// bob AccessDenied
}

// Credential providers cached with the engine follow its clock: once the
// engine clock passes the session's expiry, the next call gets a new
// session (aws.NewCredentialsCache would keep the expired one).
func ExampleEngine_CredentialsCache() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	e := fakests.New(fakests.WithClock(func() time.Time { return now }))
	base := sts.NewFromConfig(e.Config(e.DefaultUser().Credentials))
	provider := stscreds.NewAssumeRoleProvider(base, "arn:aws:iam::123456789012:role/app", func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "worker"
		o.Duration = 15 * time.Minute
	})
	cfg := e.Config(aws.Credentials{})
	cfg.Credentials = e.CredentialsCache(provider)
	client := sts.NewFromConfig(cfg)

	ctx := context.Background()
	first, _ := cfg.Credentials.Retrieve(ctx)
	now = now.Add(time.Hour)
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	second, _ := cfg.Credentials.Retrieve(ctx)
	fmt.Println(aws.ToString(out.Arn))
	fmt.Println(first.Expires.Format(time.RFC3339), second.Expires.Format(time.RFC3339))
	// Output:
	// arn:aws:sts::123456789012:assumed-role/app/worker
	// 2030-01-01T12:15:00Z 2030-01-01T13:15:00Z
}
