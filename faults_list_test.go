package fakests

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// TestFaultsListAndRemoveByID pins Faults and RemoveFault, which the
// server's admin endpoints use: the list shows each fault with its ID and,
// for a fault with Times, the failures it has left; a used-up fault leaves
// the list; RemoveFault removes by ID once.
func TestFaultsListAndRemoveByID(t *testing.T) {
	e := New()
	if got := e.Faults(); len(got) != 0 {
		t.Fatalf("Faults of a new engine = %v", got)
	}
	twice := e.InjectFault(Fault{Operation: "GetCallerIdentity", Code: "Throttling", Times: 2})
	always := e.InjectFault(Fault{Operation: "AssumeRole", Code: "InternalFailure"})
	want := []FaultInfo{
		{ID: twice.ID(), Fault: Fault{Operation: "GetCallerIdentity", Code: "Throttling", Times: 2}, Remaining: 2},
		{ID: always.ID(), Fault: Fault{Operation: "AssumeRole", Code: "InternalFailure"}},
	}
	if diff := cmp.Diff(want, e.Faults()); diff != "" {
		t.Fatalf("Faults (-want +got):\n%s", diff)
	}
	if twice.ID() == always.ID() {
		t.Fatalf("two faults share ID %d", twice.ID())
	}

	ctx := WithCaller(context.Background(), e.DefaultUser().Credentials)
	if _, err := e.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("the first GetCallerIdentity was not faulted")
	}
	want[0].Remaining = 1
	if diff := cmp.Diff(want, e.Faults()); diff != "" {
		t.Fatalf("Faults after one failure (-want +got):\n%s", diff)
	}
	if _, err := e.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("the second GetCallerIdentity was not faulted")
	}
	if diff := cmp.Diff(want[1:], e.Faults()); diff != "" {
		t.Fatalf("Faults after the fault was used up (-want +got):\n%s", diff)
	}

	if !e.RemoveFault(always.ID()) {
		t.Fatal("RemoveFault of a fault in force reported false")
	}
	if e.RemoveFault(always.ID()) {
		t.Fatal("RemoveFault of a removed fault reported true")
	}
	if got := e.Faults(); len(got) != 0 {
		t.Fatalf("Faults after removal = %v", got)
	}
	if _, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s1")}); err != nil {
		t.Fatalf("AssumeRole after RemoveFault: %v", err)
	}
}

// TestRemoveFaultIsLogged pins that RemoveFault is a change: a change log
// written across it recovers an engine without the fault.
func TestRemoveFaultIsLogged(t *testing.T) {
	e := New()
	f := e.InjectFault(Fault{Operation: "AssumeRole", Code: "Throttling"})
	var log bytes.Buffer
	if err := e.LogChanges(&log); err != nil {
		t.Fatal(err)
	}
	if !e.RemoveFault(f.ID()) {
		t.Fatal("RemoveFault found no fault")
	}
	r, err := Recover(bytes.NewReader(log.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Faults(); len(got) != 0 {
		t.Errorf("faults after Recover: %v", got)
	}
}
