// Command journal shows the engine's call journal, shaped like CloudTrail:
// a CI user of a tooling account assumes a deployer role in a workload
// account (a cross-account call, so two events joined by sharedEventID, as
// CloudTrail delivers one to each account), then is refused a role it is
// not trusted by; the refusal's event is found by the request ID of the
// error the SDK returned. It prints the journal, one event as the
// CloudTrail JSON record it is, and checks that no secret was recorded.
//
//	go run ./examples/journal
//
// It exits 1 if a check does not hold.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests"
)

const (
	tooling  = "111111111111"
	workload = "222222222222"
)

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())
	ci, err := e.CreateUser(fakests.UserSpec{Account: tooling, Name: "ci",
		Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}})
	check(err)
	trustCI := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + ci.ARN + `"},"Action":"sts:AssumeRole"}]}`
	deployer, err := e.CreateRole(fakests.RoleSpec{Account: workload, Path: "/ci/", Name: "deployer", TrustPolicy: trustCI})
	check(err)
	admin, err := e.CreateRole(fakests.RoleSpec{Account: workload, Name: "admin",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + workload + `:root"},"Action":"sts:AssumeRole"}]}`})
	check(err)
	client := sts.NewFromConfig(e.Config(ci.Credentials))

	out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(deployer.ARN), RoleSessionName: aws.String("build-42")})
	check(err)
	_, denied := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(admin.ARN), RoleSessionName: aws.String("build-42")})
	var re *awshttp.ResponseError
	if !errors.As(denied, &re) {
		log.Fatalf("FAIL: assuming admin: got %v, want an AccessDenied from STS", denied)
	}

	evs := e.Events()
	fmt.Println("journal:")
	for _, ev := range evs {
		outcome := "ok"
		if ev.ErrorCode != "" {
			outcome = ev.ErrorCode
		}
		fmt.Printf("  %s %-10s by %-10s for account %s  request %s  shared %q  %s\n", ev.EventTime.Format("15:04:05"),
			ev.EventName, ev.UserIdentity.Type, ev.RecipientAccountID, ev.RequestID, ev.SharedEventID, outcome)
	}
	if len(evs) != 4 || evs[0].SharedEventID == "" || evs[0].SharedEventID != evs[1].SharedEventID ||
		evs[1].UserIdentity.Type != "AWSAccount" || evs[1].RecipientAccountID != workload {
		log.Fatalf("FAIL: want the cross-account call as two events joined by sharedEventID, got %+v", evs)
	}

	// The refusal's event, found by the request ID the SDK error carries.
	for _, ev := range evs {
		if ev.RequestID == re.ServiceRequestID() && ev.UserIdentity.Type == "IAMUser" {
			fmt.Printf("the SDK error's request %s in the journal: %s: %s\n", ev.RequestID, ev.ErrorCode, ev.ErrorMessage)
		}
	}

	record, err := json.MarshalIndent(evs[0], "", "  ")
	check(err)
	fmt.Printf("the caller account's event as a CloudTrail record:\n%s\n", record)
	all, err := json.Marshal(evs)
	check(err)
	if strings.Contains(string(all), aws.ToString(out.Credentials.SecretAccessKey)) || strings.Contains(string(all), ci.Credentials.SecretAccessKey) {
		log.Fatal("FAIL: the journal holds a secret access key")
	}
	fmt.Println("no secret access key in the journal")
	fmt.Println("PASS")
}

// check stops the program on an error.
func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
