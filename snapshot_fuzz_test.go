package fakests

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Fuzz targets of the two parsers of state from outside: a snapshot's JSON
// (json.Unmarshal, then Restore) and a change log (Recover). Neither may
// panic; a refused snapshot leaves the engine as it was; whatever is
// accepted gives an engine that works and marshals, and restores to itself.
//
//	go test -run '^$' -fuzz FuzzSnapshotRestore .
//	go test -run '^$' -fuzz FuzzRecover .

// smallState is an engine with a little of everything cheap to make, and
// its change log.
func smallState(t testing.TB) (*Engine, []byte) {
	t.Helper()
	e, clk := newTestEngine(t, WithJournalSize(4))
	var log bytes.Buffer
	if err := e.LogChanges(&log); err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, e, UserSpec{Name: "alice", Policies: []string{adminPolicy}, Tags: map[string]string{"a": "b"}})
	r := mustRole(t, e, RoleSpec{Name: "r", TrustPolicy: trustAccount(acctA)})
	dev, err := e.CreateVirtualMFADevice(u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	ctx := typed(u.Credentials)
	if _, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("s1"),
		SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(clk.Now()))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/implicit"), RoleSessionName: aws.String("s2")}); err != nil {
		t.Fatal(err)
	}
	if err := e.EnableRegion(acctA, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	// IAM's state: policy versions, a named inline policy, an Inactive
	// and a deleted key, a role deleted while its session lives on.
	pol, err := e.CreateManagedPolicy("", "p", s3ListPolicy)
	noErr(t, err)
	_, err = e.CreatePolicyVersion(pol, ec2Policy, true)
	noErr(t, err)
	noErr(t, e.AttachUserPolicy(u.ARN, pol))
	noErr(t, e.PutUserPolicy(u.ARN, "Named", s3ListPolicy))
	key, err := e.CreateAccessKey(u.ARN)
	noErr(t, err)
	noErr(t, e.SetAccessKeyActive(key.AccessKeyID, false))
	gone := mustRole(t, e, RoleSpec{Name: "gone", TrustPolicy: trustAccount(acctA)})
	if _, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(gone.ARN), RoleSessionName: aws.String("s3")}); err != nil {
		t.Fatal(err)
	}
	noErr(t, e.DeleteRole(gone.ARN))
	e.InjectFault(Fault{Operation: opGetCallerIdentity, Code: "Throttling", Times: 2})
	e.SweepExpired(0)
	return e, log.Bytes()
}

func FuzzSnapshotRestore(f *testing.F) {
	e, _ := smallState(f)
	f.Add(marshalState(f, e))
	f.Add([]byte(`{"version":1,"defaultUser":"AIDAAAAAAAAAAAAAAAAAA"}`))
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		e := New(WithJournalSize(8))
		before := marshalState(t, e)
		if err := e.Restore(&s); err != nil {
			if after := marshalState(t, e); !bytes.Equal(before, after) {
				t.Fatalf("a refused snapshot (%v) changed the engine", err)
			}
			return
		}
		checkWorks(t, e)
	})
}

func FuzzRecover(f *testing.F) {
	_, log := smallState(f)
	f.Add(log)
	f.Add(log[:len(log)-7])
	f.Add([]byte("S 0000000d 00000000 {\"version\":1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Recover(bytes.NewReader(data), WithJournalSize(8))
		if e == nil {
			if err == nil {
				t.Fatal("Recover returned neither an engine nor an error")
			}
			return
		}
		checkWorks(t, e)
	})
}

// noErr fails the test on err.
func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkWorks calls an engine restored from fuzzed data: it answers, its
// journal reads, and its state marshals and restores to itself.
func checkWorks(t *testing.T, e *Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond) // a restored fault may delay
	defer cancel()
	e.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	e.Events()
	doc, err := json.Marshal(e.Snapshot())
	if err != nil {
		t.Fatalf("the restored state does not marshal: %v", err)
	}
	var s Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatalf("the restored state's JSON does not unmarshal: %v", err)
	}
	e2 := New(WithJournalSize(8))
	if err := e2.Restore(&s); err != nil {
		t.Fatalf("the restored state's JSON does not restore: %v", err)
	}
	if again := marshalState(t, e2); !bytes.Equal(again, doc) {
		t.Fatalf("the restored state does not restore to itself:\n%s", docDiff(doc, again))
	}
}
