package fakests

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// These tests pin session tags and source identity on AssumeRole (behaviour §7,
// §8): AWS's exact error texts, transitive inheritance as seen by the next
// trust policy, and the sts:TagSession / sts:SetSourceIdentity permissions.

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

// trustCondOn trusts account A for sts:AssumeRole, sts:TagSession and
// sts:SetSourceIdentity under cond (a Condition object, "" for none).
func trustCondOn(cond string) string {
	if cond == "" {
		return trustAccount(acctA)
	}
	return trustWithCondition(cond)
}

func TestConformanceSessionTagErrors(t *testing.T) {
	many := make([]types.Tag, 51)
	manyList := make([]string, 51) // as AWS renders the list in the message (conformance_validation_test.go)
	for i := range many {
		many[i] = tag("k"+strconv.Itoa(i), "v")
		manyList[i] = "Tag(key=k" + strconv.Itoa(i) + ", value=v)"
	}
	rows := []struct {
		name      string
		chainTags []types.Tag // tags of the calling Src session (transitive)
		in        func(*sts.AssumeRoleInput)
		want      *wantErr
	}{
		{name: "tag keys differing only in case are duplicates",
			in:   func(in *sts.AssumeRoleInput) { in.Tags = []types.Tag{tag("Project", "a"), tag("project", "b")} },
			want: &wantErr{Code: "InvalidParameterValue", Status: 400, Message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."}},
		{name: "a transitive key must be among the tags",
			in: func(in *sts.AssumeRoleInput) {
				in.Tags = []types.Tag{tag("project", "a")}
				in.TransitiveTagKeys = []string{"cost"}
			},
			want: &wantErr{Code: "InvalidParameterValue", Status: 400, Message: "The specified transitive tag key must be included in the requested tags."}},
		{name: "a transitive key matches its tag ignoring case",
			in: func(in *sts.AssumeRoleInput) {
				in.Tags = []types.Tag{tag("SessionTag1", "a")}
				in.TransitiveTagKeys = []string{"sessiontag1"}
			}},
		{name: "a tag may not reuse an inherited transitive key, in any case",
			chainTags: []types.Tag{tag("team", "red")},
			in:        func(in *sts.AssumeRoleInput) { in.Tags = []types.Tag{tag("TEAM", "blue")} },
			want: &wantErr{Code: "InvalidParameterValue", Status: 400,
				Message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."}},
		{name: "more than 50 tags is a validation error",
			in: func(in *sts.AssumeRoleInput) { in.Tags = many },
			want: &wantErr{Code: "ValidationError", Status: 400, Message: "1 validation error detected: Value '[" + strings.Join(manyList, ", ") +
				"]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"}},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				fx := newPolFx(t)
				target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: trustAccount(acctA)})
				creds := fx.bob.Credentials
				if row.chainTags != nil {
					out := mustAssume(t, fx.e, creds, &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("src-session"),
						Tags: row.chainTags, TransitiveTagKeys: keysOf(row.chainTags)})
					creds = credsOf(out.Credentials)
				}
				in := &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("s1")}
				row.in(in)
				api, ctx := paths(fx.e).byName(pth.name).api(creds)
				_, err := api.AssumeRole(ctx, in)
				checkErr(t, err, row.want)
			})
		}
	}
}

func mustAssume(t testing.TB, e *Engine, creds aws.Credentials, in *sts.AssumeRoleInput) *sts.AssumeRoleOutput {
	t.Helper()
	out, err := e.AssumeRole(typed(creds), in)
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", aws.ToString(in.RoleArn), err)
	}
	return out
}

func keysOf(ts []types.Tag) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = aws.ToString(t.Key)
	}
	return out
}

// TestConformanceTagsInChains pins what the next trust policy sees of the
// calling session's tags (behaviour §7, §12).
func TestConformanceTagsInChains(t *testing.T) {
	rows := []struct {
		name       string
		srcTags    []types.Tag // session tags of the calling Src session
		transitive []string
		roleTags   map[string]string // tags of the target role
		cond       string            // the target's trust condition
		deny       bool
	}{
		{name: "inherited transitive tags are aws:PrincipalTag in the next trust policy",
			srcTags: []types.Tag{tag("team", "red")}, transitive: []string{"team"}, cond: `{"StringEquals":{"aws:PrincipalTag/team":"red"}}`},
		{name: "non-transitive session tags of the caller are its aws:PrincipalTag too",
			srcTags: []types.Tag{tag("cost", "42")}, cond: `{"StringEquals":{"aws:PrincipalTag/cost":"42"}}`},
		{name: "a session tag overrides the role's tag of the same key, ignoring case",
			srcTags: []types.Tag{tag("DEPT", "research")}, cond: `{"StringEquals":{"aws:PrincipalTag/dept":"research"}}`},
		{name: "the overridden role tag is gone",
			srcTags: []types.Tag{tag("DEPT", "research")}, cond: `{"StringEquals":{"aws:PrincipalTag/dept":"ops"}}`, deny: true},
		{name: "incoming transitive tags replace aws:ResourceTag of the target role",
			srcTags: []types.Tag{tag("env", "prod")}, transitive: []string{"env"}, roleTags: map[string]string{"env": "dev"},
			cond: `{"StringEquals":{"aws:ResourceTag/env":"prod"}}`},
		{name: "without transitive tags aws:ResourceTag is the role's own",
			srcTags: []types.Tag{tag("env", "prod")}, roleTags: map[string]string{"env": "dev"},
			cond: `{"StringEquals":{"aws:ResourceTag/env":"prod"}}`, deny: true},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				fx := newPolFx(t)
				target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: trustCondOn(row.cond), Tags: row.roleTags})
				out := mustAssume(t, fx.e, fx.bob.Credentials, &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN),
					RoleSessionName: aws.String("src-session"), Tags: row.srcTags, TransitiveTagKeys: row.transitive})
				api, ctx := paths(fx.e).byName(pth.name).api(credsOf(out.Credentials))
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("next")})
				var want *wantErr
				if row.deny {
					want = deniedBy(srcSessionARN, "sts:AssumeRole", target.ARN)
				}
				checkErr(t, err, want)
			})
		}
	}
}

// TestConformanceTagSessionAndSourceIdentityPermissions pins that passing
// tags needs sts:TagSession and setting (or carrying) a source identity
// needs sts:SetSourceIdentity in the trust policy (behaviour §7, §8, §10).
func TestConformanceTagSessionAndSourceIdentityPermissions(t *testing.T) {
	const assumeOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	rows := []struct {
		name   string
		caller callerKind
		srcSI  string // source identity of the calling Src session
		in     func(*sts.AssumeRoleInput)
		action string // the action AccessDenied names ("" for success)
	}{
		{name: "tags without sts:TagSession are denied", in: func(in *sts.AssumeRoleInput) { in.Tags = []types.Tag{tag("k", "v")} }, action: "sts:TagSession"},
		{name: "a source identity without sts:SetSourceIdentity is denied", in: func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("alice") }, action: "sts:SetSourceIdentity"},
		{name: "carrying an inherited source identity needs sts:SetSourceIdentity", caller: asSrcSession, srcSI: "alice", action: "sts:SetSourceIdentity"},
		{name: "neither tags nor source identity: sts:AssumeRole suffices"},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				fx := newPolFx(t)
				target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: assumeOnly})
				creds, callerARN := fx.bob.Credentials, bobARN
				if row.caller == asSrcSession {
					out := mustAssume(t, fx.e, creds, &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("src-session"), SourceIdentity: aws.String(row.srcSI)})
					creds, callerARN = credsOf(out.Credentials), srcSessionARN
				}
				in := &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("s1")}
				if row.in != nil {
					row.in(in)
				}
				api, ctx := paths(fx.e).byName(pth.name).api(creds)
				_, err := api.AssumeRole(ctx, in)
				var want *wantErr
				if row.action != "" {
					want = deniedBy(callerARN, row.action, target.ARN)
				}
				checkErr(t, err, want)
			})
		}
	}
}

// TestConformanceSourceIPThroughHandler pins aws:SourceIp: the Handler
// takes it from the connection's remote address (behaviour §12).
func TestConformanceSourceIPThroughHandler(t *testing.T) {
	rows := []struct {
		name, cidr string
		deny       bool
	}{
		{"aws:SourceIp is the client's address", "127.0.0.0/8", false},
		{"aws:SourceIp outside the range denies", "10.0.0.0/8", true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			fx := newPolFx(t)
			target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: trustWithCondition(`{"IpAddress":{"aws:SourceIp":"` + row.cidr + `"}}`)})
			srv := httptest.NewServer(fx.e.Handler())
			defer srv.Close()
			cfg := aws.Config{Region: "us-east-1", HTTPClient: srv.Client(),
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return fx.bob.Credentials, nil })}
			client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(srv.URL); o.RetryMaxAttempts = 1 })
			_, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("s1")})
			var want *wantErr
			if row.deny {
				want = deniedBy(bobARN, "sts:AssumeRole", target.ARN)
			}
			checkErr(t, err, want)
		})
	}
}
