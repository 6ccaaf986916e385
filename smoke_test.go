package fakests

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestSmoke(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newClient(e, e.DefaultUser().Credentials)
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(aws.ToString(out.Arn), aws.ToString(out.UserId))
	ar, err := c.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/x"), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(aws.ToString(ar.AssumedRoleUser.Arn), len(aws.ToString(ar.Credentials.SessionToken)))
}
