package fakests

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestIAMJournalAndFaults: IAM's calls run in the frame of every call
// (call.go): the journal keeps them as CloudTrail does IAM's events
// (eventSource iam.amazonaws.com, readOnly for Get and List, region
// us-east-1, no secrets), and injected faults apply to them.
func TestIAMJournalAndFaults(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("j")}))(t)
	key := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("j")}))(t).AccessKey
	dev := must(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("d")}))(t).VirtualMFADevice
	must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("j")}))(t)

	evs := e.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4", len(evs))
	}
	for i, want := range []struct {
		name     string
		readOnly bool
	}{{"CreateUser", false}, {"CreateAccessKey", false}, {"CreateVirtualMFADevice", false}, {"GetUser", true}} {
		ev := evs[i]
		if ev.EventSource != "iam.amazonaws.com" || ev.EventName != want.name || ev.ReadOnly != want.readOnly || ev.AWSRegion != "us-east-1" {
			t.Errorf("event %d: %s %s readOnly %v region %s", i, ev.EventSource, ev.EventName, ev.ReadOnly, ev.AWSRegion)
		}
	}
	all, err := json.Marshal(evs)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{aws.ToString(key.SecretAccessKey), string(dev.Base32StringSeed)} {
		if strings.Contains(string(all), secret) {
			t.Errorf("the journal holds a secret: %s", secret)
		}
	}

	e.InjectFault(Fault{Operation: "ListUsers", Code: "ServiceFailure", Times: 1})
	_, err = newIAMClient(e, e.DefaultUser().Credentials).ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Logf("a ServiceFailure (500) is retried by the client, so the call succeeds: %v", err)
	}
	if n := len(e.Events()); n != 6 {
		t.Errorf("%d events after a faulted and a retried ListUsers, want 6", n)
	}
}
