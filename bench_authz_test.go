package fakests

import (
	"context"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// BenchmarkAssumeRoleAuthz measures the full authorization load of an
// AssumeRole through a real *sts.Client (adapter): a trust policy with
// conditions, the caller's identity policy, an inline session policy and
// ten session tags (sts:TagSession evaluated, tags validated and packed),
// beside the floor baseline of bench_baseline_test.go in the same run:
//
//	go test -run '^$' -bench AssumeRoleAuthz -benchmem -count 5 .
func BenchmarkAssumeRoleAuthz(b *testing.B) {
	ctx := context.Background()
	newFixture := func(b *testing.B) (*Engine, *User, *sts.AssumeRoleInput) {
		e := New()
		u := mustUser(b, e, UserSpec{Name: "bench-user", Policies: []string{allowAssume}, Tags: map[string]string{"team": "blue"}})
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` +
			`"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"},` +
			`"ForAllValues:StringLike":{"aws:TagKeys":["k*"]}}}]}`
		r := mustRole(b, e, RoleSpec{Name: "bench-role", TrustPolicy: trust,
			Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}})
		in := &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("bench"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`)}
		for i := range 10 {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String("k" + strconv.Itoa(i)), Value: aws.String("value-" + strconv.Itoa(i))})
		}
		return e, u, in
	}
	b.Run("floor", func(b *testing.B) {
		e, u, in := newFixture(b)
		benchAssume(b, ctx, newFloorClient(captureAssumeRole(b, e, u.Credentials, in)), in)
	})
	b.Run("adapter", func(b *testing.B) {
		e, u, in := newFixture(b)
		benchAssume(b, ctx, sts.NewFromConfig(e.Config(u.Credentials), benchRetryer), in)
	})
	b.Run("typed", func(b *testing.B) {
		e, u, in := newFixture(b)
		benchAssume(b, WithCaller(ctx, u.Credentials), e, in)
	})
}
