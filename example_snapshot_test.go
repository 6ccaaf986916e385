package fakests_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests"
)

// A snapshot through its JSON into a new engine: the credentials the
// first engine issued work on the second (behaviour §23).
func ExampleEngine_Snapshot() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())
	alice, _ := e.CreateUser(fakests.UserSpec{Name: "alice", Policies: []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}})
	role, _ := e.CreateRole(fakests.RoleSpec{Name: "app"})
	out, err := sts.NewFromConfig(e.Config(alice.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("ci")})
	if err != nil {
		panic(err)
	}

	data, _ := json.Marshal(e.Snapshot()) // holds every secret: keep it as you would keys
	var snap fakests.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		panic(err)
	}
	e2 := fakests.New(fakests.Strict())
	if err := e2.Restore(&snap); err != nil {
		panic(err)
	}
	session := aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId,
		SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	who, err := sts.NewFromConfig(e2.Config(session)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(who.Arn))
	// Output: arn:aws:sts::123456789012:assumed-role/app/ci
}

// A change log: a snapshot record, then one record per change, written
// before the change's call returns; Recover rebuilds the engine from it.
// A server gives LogChanges its state file (behaviour §23).
func ExampleRecover() {
	var log bytes.Buffer // a server: an *os.File opened for appending
	e := fakests.New(fakests.Strict())
	if err := e.LogChanges(&log); err != nil {
		panic(err)
	}
	bob, _ := e.CreateUser(fakests.UserSpec{Name: "bob"})
	if err := e.PutUserPolicy(bob.ARN, "read", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`); err != nil {
		panic(err)
	}

	e2, err := fakests.Recover(&log, fakests.Strict()) // after a restart
	if err != nil {
		panic(err)
	}
	who, err := e2.GetCallerIdentity(fakests.WithCaller(context.Background(), bob.Credentials), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(who.Arn))
	// Output: arn:aws:iam::123456789012:user/bob
}
