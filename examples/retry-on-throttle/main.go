// Command retry-on-throttle is a test, written as a program, that pins
// "my code survives two throttles": STS is made to answer Throttling
// ("Rate exceeded", HTTP 400) twice, and the code under test, which builds
// its STS client with the SDK's standard retryer, still gets its
// credentials on the third attempt. The engine's journal shows the two
// failed attempts and the success, each with the request ID the client saw.
// The same fault against a client that does not retry shows what the
// retries saved it from.
//
//	go run ./examples/retry-on-throttle
//
// It prints what happened and exits 1 if a check does not hold.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
)

// assumeDeployer is the code under test: it assumes the deployer role with
// an STS client built from cfg, retrying as the SDK's standard retryer does
// (three attempts; the backoff is shortened here so the program is quick).
func assumeDeployer(ctx context.Context, cfg aws.Config, roleARN string, attempts int) (*sts.AssumeRoleOutput, error) {
	client := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.MaxBackoff = 10 * time.Millisecond
		})
	})
	return client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("deploy")})
}

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())
	ci, err := e.CreateUser(fakests.UserSpec{Name: "ci",
		Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}})
	check(err)
	role, err := e.CreateRole(fakests.RoleSpec{Name: "deployer",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + ci.ARN + `"},"Action":"sts:AssumeRole"}]}`})
	check(err)
	cfg := e.Config(ci.Credentials)

	// Two throttles, then STS answers normally.
	f := e.InjectFault(fakests.Fault{Operation: "AssumeRole", Code: "Throttling", Times: 2})
	out, err := assumeDeployer(ctx, cfg, role.ARN, 3)
	if err != nil {
		log.Fatalf("FAIL: the standard retryer gave up: %v", err)
	}
	fmt.Printf("survived: assumed %s after two throttles\n", aws.ToString(out.AssumedRoleUser.Arn))
	evs := e.Events()
	if len(evs) != 3 || evs[0].ErrorCode != "Throttling" || evs[1].ErrorCode != "Throttling" || evs[2].ErrorCode != "" {
		log.Fatalf("FAIL: the journal does not show two throttles and a success: %+v", evs)
	}
	for i, ev := range evs {
		outcome := "ok"
		if ev.ErrorCode != "" {
			outcome = ev.ErrorCode + ": " + ev.ErrorMessage
		}
		fmt.Printf("  attempt %d  %s  request %s  %s\n", i+1, ev.EventName, ev.RequestID, outcome)
	}
	f.Remove()

	// Without retries the first throttle is the caller's error.
	e.ResetEvents()
	e.InjectFault(fakests.Fault{Operation: "AssumeRole", Code: "Throttling", Times: 1})
	_, err = assumeDeployer(ctx, cfg, role.ARN, 1)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "Throttling" || !retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		log.Fatalf("FAIL: without retries: got %v, want a Throttling error the SDK classifies as a throttle", err)
	}
	fmt.Printf("without retries: %s: %s (the SDK classifies it as a throttle)\n", ae.ErrorCode(), ae.ErrorMessage())
	fmt.Println("PASS")
}

// check stops the program on a setup error.
func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
