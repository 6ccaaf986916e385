package fakests

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/federation"
)

// errorRow is one row of README's error table: a situation, what STS
// answers (code and HTTP status) and the Go type the caller gets.
type errorRow struct {
	situation  string
	code       string
	status     int
	goType     string
	clientOnly bool // the typed methods cannot be unsigned
	run        func(t *testing.T, p string) error
}

// errorRows runs every situation of README's table.
var errorRows = []errorRow{
	{"expired session credentials", "ExpiredToken", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, clk := newTestEngine(t)
		out, err := e.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(16 * time.Minute)
		api, ctx := paths(e).byName(p).api(credsOf(out.Credentials))
		_, err = api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{"expired web identity token", "ExpiredTokenException", 400, "*types.ExpiredTokenException", false, func(t *testing.T, p string) error {
		w := newOIDCWorld(t)
		tok := w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"sts.amazonaws.com"},
			IssuedAt: testEpoch.Add(-2 * time.Hour), NotBefore: testEpoch.Add(-2 * time.Hour), Expiry: testEpoch.Add(-time.Minute)})
		api, ctx := paths(w.e).byName(p).unsigned()
		_, err := api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, tok))
		return err
	}},
	{"web identity token refused (signature, issuer, audience)", "InvalidIdentityToken", 400, "*types.InvalidIdentityTokenException", false, func(t *testing.T, p string) error {
		w := newOIDCWorld(t)
		tok := w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"https://github.com/o"}})
		api, ctx := paths(w.e).byName(p).unsigned()
		_, err := api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, tok))
		return err
	}},
	{"unknown access key (strict mode) or wrong session token", "InvalidClientTokenId", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t, Strict())
		api, ctx := paths(e).byName(p).api(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
		_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{"wrong secret", "SignatureDoesNotMatch", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		creds := e.DefaultUser().Credentials
		creds.SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		api, ctx := paths(e).byName(p).api(creds)
		_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{"unsigned request to a signed operation", "MissingAuthenticationToken", 403, "*smithy.GenericAPIError", true, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		cfg := e.Config(aws.Credentials{})
		cfg.Credentials = aws.AnonymousCredentials{}
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		return err
	}},
	{"not authorized (policies, or a missing role in strict mode)", "AccessDenied", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		w := newWorld(t, Strict())
		api, ctx := paths(w.e).byName(p).api(w.plain.Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("no")})
		return err
	}},
	{"wrong, reused or unknown MFA code", "AccessDenied", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		f := newMFAFixture(t, "table")
		pp := paths(f.w.e).byName(p)
		if err := f.gst(pp, 0); err != nil {
			t.Fatal(err)
		}
		return f.gst(pp, 0)
	}},
	{"a parameter out of its model's constraints, or a malformed ARN", "ValidationError", 400, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("x")})
		return err
	}},
	{"DurationSeconds over the role's maximum or the chaining cap", "ValidationError", 400, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("xx"), DurationSeconds: aws.Int32(7200)})
		return err
	}},
	{"invalid session tags (duplicate keys, transitive keys not among the tags)", "InvalidParameterValue", 400, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("xx"),
			Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("K"), Value: aws.String("2")}}})
		return err
	}},
	{"malformed session policy", "MalformedPolicyDocument", 400, "*types.MalformedPolicyDocumentException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("xx"), Policy: aws.String("{")})
		return err
	}},
	{"session policies and tags too large to pack", "PackedPolicyTooLarge", 400, "*types.PackedPolicyTooLargeException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("xx"), Tags: incompressibleTags()})
		return err
	}},
	{"GetSessionToken or GetFederationToken with session credentials", "AccessDenied", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		out, err := e.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
		if err != nil {
			t.Fatal(err)
		}
		api, ctx := paths(e).byName(p).api(credsOf(out.Credentials))
		_, err = api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		return err
	}},
	{"an authorization message this engine did not encode", "InvalidAuthorizationMessageException", 400, "*types.InvalidAuthorizationMessageException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("not-a-message")})
		return err
	}},
	{"outbound identity federation off for the caller's account (GetWebIdentityToken)", "OutboundWebIdentityFederationDisabledException", 403, "*types.OutboundWebIdentityFederationDisabledException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.GetWebIdentityToken(ctx, witIn(nil))
		return err
	}},
	{"a web identity token that would outlive the caller's session", "SessionDurationEscalationException", 403, "*types.SessionDurationEscalationException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		out, err := e.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
		if err != nil {
			t.Fatal(err)
		}
		api, ctx := paths(e).byName(p).api(credsOf(out.Credentials))
		_, err = api.GetWebIdentityToken(ctx, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(3600) }))
		return err
	}},
	{"web identity token claims over 14,984 bytes", "JWTPayloadSizeExceededException", 400, "*types.JWTPayloadSizeExceededException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
			t.Fatal(err)
		}
		in := witIn(nil)
		in.Audience = nil
		for i := 0; i < 10; i++ {
			in.Audience = append(in.Audience, strings.Repeat("a", 1000))
		}
		for i := 0; i < 20; i++ {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String("k" + strconv.Itoa(i)), Value: aws.String(strings.Repeat("v", 256))})
		}
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.GetWebIdentityToken(ctx, in)
		return err
	}},
	{"an expired trade-in token", "ExpiredTradeInTokenException", 400, "*types.ExpiredTradeInTokenException", false, func(t *testing.T, p string) error {
		e, clk := newTestEngine(t)
		tok, err := e.CreateDelegation(DelegationSpec{Principal: e.DefaultUser().ARN, TokenLifetime: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err = api.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
		return err
	}},
	{"STS deactivated in the region for the account whose credentials are asked for (`DeactivateSTSRegion`)", "RegionDisabledException", 403, "*types.RegionDisabledException", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		if err := e.DeactivateSTSRegion("123456789012", "eu-west-1"); err != nil {
			t.Fatal(err)
		}
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{}, func(o *sts.Options) { o.Region = "eu-west-1" })
		return err
	}},
	{"a caller whose account has the opt-in region disabled (`DisableRegion`)", "InvalidClientTokenId", 403, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		if err := e.DisableRegion("123456789012", "af-south-1"); err != nil {
			t.Fatal(err)
		}
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Region = "af-south-1" })
		return err
	}},
	{"AssumeRoot or GetWebIdentityToken on the global endpoint (`sts.amazonaws.com`, region `aws-global`)", "InvalidAction", 400, "*smithy.GenericAPIError", false, func(t *testing.T, p string) error {
		e, _ := newTestEngine(t)
		api, ctx := paths(e).byName(p).api(e.DefaultUser().Credentials)
		_, err := api.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"), TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}},
			func(o *sts.Options) { o.Region = "aws-global" })
		return err
	}},
}

// TestErrorTable runs every situation of README's error table on both
// paths (where both apply) and checks code, status and Go type; and checks
// that README's table says exactly what the rows say.
func TestErrorTable(t *testing.T) {
	for _, row := range errorRows {
		for _, p := range paths(nil) {
			if row.clientOnly && p.name == "engine" {
				continue
			}
			t.Run(row.situation+"/"+p.name, func(t *testing.T) {
				err := row.run(t, p.name)
				got := errOf(t, err)
				if got == nil {
					t.Fatalf("no error; want %s %d", row.code, row.status)
				}
				if got.Code != row.code || got.Status != row.status {
					t.Errorf("%s %d (%s), want %s %d", got.Code, got.Status, got.Message, row.code, row.status)
				}
				var ae smithy.APIError
				errors.As(err, &ae)
				if typ := fmt.Sprintf("%T", ae); typ != row.goType {
					t.Errorf("Go type %s, want %s", typ, row.goType)
				}
				var oe *smithy.OperationError
				if !errors.As(err, &oe) {
					t.Errorf("%T is not wrapped in a *smithy.OperationError", err)
				}
			})
		}
	}

	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	in := false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case strings.HasPrefix(line, "| situation | code | HTTP | Go type |"):
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "| "):
			table = append(table, line)
		case in:
			in = false
		}
	}
	var want []string
	for _, row := range errorRows {
		want = append(want, "| "+row.situation+" | `"+row.code+"` | "+strconv.Itoa(row.status)+" | `"+row.goType+"` |")
	}
	if strings.Join(table, "\n") != strings.Join(want, "\n") {
		t.Errorf("README's error table:\n%s\nwant:\n%s", strings.Join(table, "\n"), strings.Join(want, "\n"))
	}
}
