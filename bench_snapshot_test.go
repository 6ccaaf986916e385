package fakests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Benchmarks of issue 14's snapshots and of the change log (BENCHMARKS.md):
//
//	go test -run '^$' -bench 'Snapshot|ChangeLog' -benchmem -count 5 .
//
// The state is the issue's: 100 identities (50 users, each with an inline
// policy and a tag, and 50 roles, each with a trust policy and an inline
// policy) and 1,000 live role sessions issued by AssumeRole, so the
// journal holds their 1,000 events too. Targets: Snapshot and Restore
// ≤ 1 ms each, the JSON round trip (marshal, unmarshal, restore into a new
// engine) ≤ 20 ms.

// benchState builds the state.
func benchState(b *testing.B) *Engine {
	b.Helper()
	e := New()
	users := make([]*User, 50)
	roles := make([]*Role, 50)
	for i := range users {
		users[i] = mustUser(b, e, UserSpec{Name: fmt.Sprint("user-", i), Policies: []string{allowAssume},
			Tags: map[string]string{"Team": fmt.Sprint("team-", i%5)}})
		roles[i] = mustRole(b, e, RoleSpec{Name: fmt.Sprint("role-", i), TrustPolicy: trustAccount(e.AccountID()),
			Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-` + fmt.Sprint(i) + `/*"}]}`}})
	}
	for i := range 1000 {
		ctx := WithCaller(context.Background(), users[i%50].Credentials)
		if _, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roles[i%50].ARN), RoleSessionName: aws.String(fmt.Sprint("s-", i))}); err != nil {
			b.Fatal(err)
		}
	}
	return e
}

func BenchmarkSnapshot(b *testing.B) {
	b.Run("state", func(b *testing.B) {
		e := benchState(b)
		e.ResetEvents()
		benchSnapshot(b, e)
	})
	b.Run("state+journal", func(b *testing.B) { benchSnapshot(b, benchState(b)) })
}

// benchSnapshot measures snapshots of e's state.
func benchSnapshot(b *testing.B, e *Engine) {
	snap := e.Snapshot()
	data, err := json.Marshal(snap)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU().report(b)
		for b.Loop() {
			e.Snapshot()
		}
	})
	b.Run("restore", func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU().report(b)
		for b.Loop() {
			if err := e.Restore(snap); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		b.ReportMetric(float64(len(data)), "bytes")
		defer startCPU().report(b)
		for b.Loop() {
			if _, err := json.Marshal(snap); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU().report(b)
		for b.Loop() {
			var s Snapshot
			if err := json.Unmarshal(data, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-round-trip", func(b *testing.B) {
		// json.Marshal, json.Unmarshal, and Restore into an engine made by
		// New (New's own cost, about 20 µs, included).
		b.ReportAllocs()
		defer startCPU().report(b)
		for b.Loop() {
			data, err := json.Marshal(snap)
			if err != nil {
				b.Fatal(err)
			}
			var s Snapshot
			if err := json.Unmarshal(data, &s); err != nil {
				b.Fatal(err)
			}
			if err := New().Restore(&s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAssumeRoleChangeLog measures AssumeRole with and without a
// change log in the same run: the adapter (a real client, as
// BenchmarkAssumeRole/adapter) and the typed path, each writing one
// change record per session to a file (write(2), no sync) or to nothing.
func BenchmarkAssumeRoleChangeLog(b *testing.B) {
	ctx := context.Background()
	withLog := func(b *testing.B, f benchFixture) {
		file, err := os.Create(filepath.Join(b.TempDir(), "state"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { file.Close() })
		if err := f.e.LogChanges(file); err != nil {
			b.Fatal(err)
		}
	}
	for _, log := range []bool{false, true} {
		name := map[bool]string{false: "", true: "-log"}[log]
		b.Run("adapter"+name, func(b *testing.B) {
			f := newBenchFixture(b)
			if log {
				withLog(b, f)
			}
			benchAssume(b, ctx, sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer), f.assumeInput())
		})
		b.Run("typed"+name, func(b *testing.B) {
			f := newBenchFixture(b)
			if log {
				withLog(b, f)
			}
			benchAssume(b, WithCaller(ctx, f.user.Credentials), f.e, f.assumeInput())
		})
	}
}
