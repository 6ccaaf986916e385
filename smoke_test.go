package fakests

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestSmoke is the first thing a user does: a lenient engine, a real client
// as the default user, who they are, and a role that was never created.
func TestSmoke(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newClient(e, e.DefaultUser().Credentials)
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.Arn), "arn:aws:iam::123456789012:user/fakests-default"; got != want {
		t.Errorf("Arn = %s, want %s", got, want)
	}
	checkID(t, "UserId", aws.ToString(out.UserId), "AIDA")
	ar, err := c.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/x"), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(ar.AssumedRoleUser.Arn), "arn:aws:sts::123456789012:assumed-role/x/s1"; got != want {
		t.Errorf("AssumedRoleUser.Arn = %s, want %s", got, want)
	}
	if id := aws.ToString(ar.AssumedRoleUser.AssumedRoleId); !strings.HasSuffix(id, ":s1") {
		t.Errorf("AssumedRoleId = %s, want <role ID>:s1", id)
	} else {
		checkID(t, "role ID", strings.TrimSuffix(id, ":s1"), "AROA")
	}
	if ar.Credentials == nil || aws.ToString(ar.Credentials.SessionToken) == "" {
		t.Errorf("AssumeRole credentials %+v: want a session token", ar.Credentials)
	}
}
