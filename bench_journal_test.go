package fakests

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// BenchmarkJournal measures what the journal costs a call: AssumeRole on
// the typed path and through the adapter, with the journal on (the
// default, 10,000 events) and off (WithJournalSize(0)), side by side in one
// run; and Events on a full journal.
//
//	go test -run '^$' -bench 'Journal' -benchmem -count 5 .
func BenchmarkJournal(b *testing.B) {
	ctx := context.Background()
	fixture := func(b *testing.B, opts ...Option) benchFixture {
		e := New(opts...)
		u := mustUser(b, e, UserSpec{Name: "bench-user", Policies: []string{allowAssume}})
		r := mustRole(b, e, RoleSpec{Name: "bench-role", TrustPolicy: trustAccount(e.AccountID())})
		return benchFixture{e: e, user: u, role: r}
	}
	for _, mode := range []struct {
		name string
		opts []Option
	}{{"on", nil}, {"off", []Option{WithJournalSize(0)}}} {
		b.Run("typed/"+mode.name, func(b *testing.B) {
			f := fixture(b, mode.opts...)
			benchAssume(b, WithCaller(ctx, f.user.Credentials), f.e, f.assumeInput())
		})
		b.Run("adapter/"+mode.name, func(b *testing.B) {
			f := fixture(b, mode.opts...)
			benchAssume(b, ctx, sts.NewFromConfig(f.e.Config(f.user.Credentials), benchRetryer), f.assumeInput())
		})
	}
	b.Run("Events/10000", func(b *testing.B) {
		f := fixture(b)
		in := &sts.AssumeRoleInput{RoleArn: aws.String(f.role.ARN), RoleSessionName: aws.String("bench")}
		for range DefaultJournalSize {
			if _, err := f.e.AssumeRole(WithCaller(ctx, f.user.Credentials), in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			if n := len(f.e.Events()); n != DefaultJournalSize {
				b.Fatalf("%d events", n)
			}
		}
	})
}
