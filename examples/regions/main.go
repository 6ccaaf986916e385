// Command regions is a test, written as a program, that catches the classic
// opt-in region bug: a pipeline in a tooling account assumes a role of a
// workload account through STS in the region it deploys to. The workload
// account has enabled that opt-in region (me-south-1), the tooling account
// has not, so in production the pipeline's own credentials are refused
// there: InvalidClientTokenId, "The security token included in the request
// is invalid". With the real client routed into a fakests engine the same
// failure shows up in a test, and so does the fix: ask STS in a region the
// tooling account has (the role session's credentials then work in
// me-south-1, where the workload account is enabled).
//
//	go run ./examples/regions
//
// It prints each check and exits 1 if one does not hold.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
)

const (
	tooling  = "111111111111"
	workload = "222222222222"
	target   = "me-south-1" // an opt-in region
)

// deployerCredentials is the code under test: it assumes the deployer role
// with an STS client of stsRegion, then checks who it is in target, as a
// deployment step would before it starts.
func deployerCredentials(ctx context.Context, cfg aws.Config, stsRegion, roleARN string) (string, error) {
	assumer := sts.NewFromConfig(cfg, func(o *sts.Options) { o.Region = stsRegion })
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(assumer, roleARN))
	cfg.Region = target
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	return aws.ToString(who.Arn), nil
}

func main() {
	ctx := context.Background()
	// Strict: opt-in regions are disabled until an account enables them.
	e := fakests.New(fakests.Strict())
	ci, err := e.CreateUser(fakests.UserSpec{Account: tooling, Name: "ci",
		Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}})
	check(err)
	role, err := e.CreateRole(fakests.RoleSpec{Account: workload, Name: "deployer",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + tooling + `:root"},"Action":"sts:AssumeRole"}]}`})
	check(err)
	check(e.EnableRegion(workload, target)) // only the workload account opted in
	cfg := e.Config(ci.Credentials)

	// The bug: STS in the deployment's region refuses the tooling account's key.
	_, err = deployerCredentials(ctx, cfg, target, role.ARN)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" || ae.ErrorMessage() != "The security token included in the request is invalid" {
		log.Fatalf("FAIL: assuming the role through STS in %s: got %v, want InvalidClientTokenId", target, err)
	}
	fmt.Printf("caught: assuming through STS in %s fails: %s: %s\n", target, ae.ErrorCode(), ae.ErrorMessage())

	// The fix: ask STS in a region enabled by default for the tooling account.
	arn, err := deployerCredentials(ctx, cfg, "us-east-1", role.ARN)
	if err != nil {
		log.Fatalf("FAIL: assuming the role through STS in us-east-1: %v", err)
	}
	fmt.Printf("fixed:  assumed through STS in us-east-1, working in %s as %s\n", target, arn)

	// The reverse mistake: the tooling account opted in, the workload
	// account not. The role is not there: the plain AccessDenied.
	check(e.EnableRegion(tooling, target))
	check(e.DisableRegion(workload, target))
	_, err = deployerCredentials(ctx, cfg, target, role.ARN)
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		log.Fatalf("FAIL: with %s disabled in the workload account: got %v, want AccessDenied", target, err)
	}
	fmt.Printf("caught: with %s disabled in the workload account: %s: %s\n", target, ae.ErrorCode(), ae.ErrorMessage())
	fmt.Println("PASS")
}

// check stops the program on a setup error.
func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
