// Command assume-role routes a real *sts.Client into a fakests engine (no
// network, no listener), assumes a role, and calls GetCallerIdentity with the
// credentials it got, the way application code under test would.
//
//	go run ./examples/assume-role
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests"
)

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// Set up the identities directly, without the wire: a user and a role
	// whose trust policy names that user.
	alice, err := e.CreateUser(fakests.UserSpec{Name: "alice", Path: "/engineering/"})
	if err != nil {
		log.Fatal(err)
	}
	role, err := e.CreateRole(fakests.RoleSpec{
		Name:        "deployer",
		Path:        "/ci/",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + alice.ARN + `"},"Action":"sts:AssumeRole"}]}`,
	})
	if err != nil {
		log.Fatal(err)
	}

	// A real client, signed with alice's key, routed into the engine.
	client := sts.NewFromConfig(e.Config(alice.Credentials))
	who, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("caller:        ", aws.ToString(who.Arn))

	out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(role.ARN),
		RoleSessionName: aws.String("release-42"),
	})
	if err != nil {
		log.Fatal(err)
	}
	c := out.Credentials
	fmt.Println("assumed role:  ", aws.ToString(out.AssumedRoleUser.Arn))
	fmt.Println("role ID:       ", aws.ToString(out.AssumedRoleUser.AssumedRoleId))
	fmt.Println("access key:    ", aws.ToString(c.AccessKeyId))
	fmt.Printf("session token:  %.24s… (%d characters)\n", aws.ToString(c.SessionToken), len(aws.ToString(c.SessionToken)))
	fmt.Println("expires:       ", c.Expiration.UTC())

	// The role session's own credentials work against the same engine.
	session := sts.NewFromConfig(e.Config(aws.Credentials{
		AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken),
	}))
	who, err = session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("session caller:", aws.ToString(who.Arn), aws.ToString(who.UserId))

	// And STS's rules hold: a session name of one character is refused.
	_, err = client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("x")})
	fmt.Println("bad request:   ", err)
}
