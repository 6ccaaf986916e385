package fakests

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests pin AssumeRoleWithWebIdentity (behaviour §11.3, §12, §14 item 14)
// on the typed engine path and through a real *sts.Client, which sends the
// operation unsigned (§1.4). Expected strings are AWS's literal texts where
// the behaviour record has them; rows say when a text is fakests' own.

// ghIssuerURL is GitHub Actions' issuer, the commonest OIDC caller of STS.
const ghIssuerURL = "https://token.actions.githubusercontent.com"

// ghProviderARN is the IAM OIDC provider ARN for ghIssuerURL in account A
// (behaviour §2.1: the URL without https://).
const ghProviderARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"

// oidcWorld is an engine with a GitHub-style issuer, its provider and roles
// that trust it.
type oidcWorld struct {
	e      *Engine
	clk    *manualClock
	iss    *federation.OIDCIssuer
	deploy *Role // trusts repo:o/r:* with aud sts.amazonaws.com; tags, source identity; 2 h
	noTags *Role // trusts the provider for sts:AssumeRoleWithWebIdentity only
	next   *Role // chaining target: trusts account A when the caller came through the provider
}

// trustWebIdentity is a trust policy for the GitHub provider with the given
// actions and conditions (a JSON object).
func trustWebIdentity(actions, condition string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + ghProviderARN +
		`"},"Action":` + actions + `,"Condition":` + condition + `}]}`
}

// ghCondition requires the repository o/r and the STS audience (the
// condition GitHub's documentation recommends).
const ghCondition = `{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},` +
	`"StringLike":{"token.actions.githubusercontent.com:sub":"repo:o/r:*"}}`

func newOIDCWorld(t testing.TB, opts ...Option) *oidcWorld {
	t.Helper()
	e, clk := newTestEngine(t, opts...)
	w := &oidcWorld{e: e, clk: clk, iss: federation.NewOIDCIssuer(ghIssuerURL, federation.WithIssuerClock(clk.Now))}
	arn, err := e.CreateOIDCProvider(OIDCProviderSpec{URL: ghIssuerURL,
		ClientIDs: []string{"sts.amazonaws.com", "other-audience"}, JWKS: w.iss.JWKS()})
	if err != nil {
		t.Fatal(err)
	}
	if arn != ghProviderARN {
		t.Fatalf("provider ARN %q, want %q", arn, ghProviderARN)
	}
	all := `["sts:AssumeRoleWithWebIdentity","sts:TagSession","sts:SetSourceIdentity"]`
	w.deploy = mustRole(t, e, RoleSpec{Name: "GitHubDeploy", TrustPolicy: trustWebIdentity(all, ghCondition),
		Policies: []string{allowAssume}, MaxSessionDuration: 2 * time.Hour})
	w.noTags = mustRole(t, e, RoleSpec{Name: "NoTags", TrustPolicy: trustWebIdentity(`"sts:AssumeRoleWithWebIdentity"`, `{}`)})
	w.next = mustRole(t, e, RoleSpec{Name: "Next", Policies: []string{allowAssume}, TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{` +
		`"aws:FederatedProvider":"` + ghProviderARN + `","token.actions.githubusercontent.com:sub":"repo:o/r:ref:refs/heads/main",` +
		`"aws:PrincipalTag/Team":"blue"}}}]}`})
	return w
}

// token mints a GitHub-style token for repo:o/r on main, with extra claims.
func (w *oidcWorld) token(extra map[string]any) string {
	return w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"sts.amazonaws.com"}, Extra: extra})
}

// webIn is a request for role with token.
func webIn(role, token string) *sts.AssumeRoleWithWebIdentityInput {
	return &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role), RoleSessionName: aws.String("gh-run"), WebIdentityToken: aws.String(token)}
}

var webIdentityOpts = cmp.Options{sdkOpts, ignoreSecrets,
	cmpopts.IgnoreFields(sts.AssumeRoleWithWebIdentityOutput{}, "SessionTokenSize", "SessionTokenUtilization")}

func TestConformanceWebIdentitySuccess(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t)
			api, ctx := paths(w.e).byName(p.name).unsigned()
			out, err := api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, w.token(nil)))
			if err != nil {
				t.Fatal(err)
			}
			// §11.3: Provider is the provider ARN (observed), Subject the
			// sub claim, Audience the matched client ID; no PackedPolicySize
			// without policies or tags (as AssumeRole, §6).
			want := &sts.AssumeRoleWithWebIdentityOutput{
				Credentials: &types.Credentials{Expiration: aws.Time(testEpoch.Add(time.Hour))},
				AssumedRoleUser: &types.AssumedRoleUser{Arn: aws.String("arn:aws:sts::123456789012:assumed-role/GitHubDeploy/gh-run"),
					AssumedRoleId: aws.String(w.deploy.RoleID + ":gh-run")},
				Provider:                    aws.String(ghProviderARN),
				SubjectFromWebIdentityToken: aws.String("repo:o/r:ref:refs/heads/main"),
				Audience:                    aws.String("sts.amazonaws.com"),
			}
			if diff := cmp.Diff(want, out, webIdentityOpts); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			checkCredShape(t, out.Credentials, acctA)
			checkTokenFields(t, out.Credentials, out.SessionTokenSize, out.SessionTokenUtilization)
			// §2.5: the session's GetCallerIdentity is the assumed-role ARN.
			id, err := w.e.GetCallerIdentity(typed(credsOf(out.Credentials)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(id.Arn) + " " + aws.ToString(id.UserId); got != *want.AssumedRoleUser.Arn+" "+*want.AssumedRoleUser.AssumedRoleId {
				t.Errorf("GetCallerIdentity = %s", got)
			}
		})
	}
}

// webRow is one request and the error STS answers it with.
type webRow struct {
	name  string // the AWS behaviour pinned
	setup func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput
	want  *wantErr
	typed func(error) bool // the typed exception the SDK gives, when modelled
}

func isInvalidToken(err error) bool {
	var e *types.InvalidIdentityTokenException
	return errors.As(err, &e)
}

func isExpiredToken(err error) bool {
	var e *types.ExpiredTokenException
	return errors.As(err, &e)
}

const (
	msgNotAuthorizedWeb = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	msgNoKeyAWS         = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
)

func TestConformanceWebIdentityErrors(t *testing.T) {
	rows := []webRow{
		{name: "unknown issuer: No OpenIDConnect provider found (§11.3, observed)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				other := federation.NewOIDCIssuer("https://idp.example.com/tenant", federation.WithIssuerClock(w.clk.Now))
				return webIn(w.deploy.ARN, other.Token(federation.Claims{Subject: "alice", Audience: []string{"sts.amazonaws.com"}}))
			},
			want:  &wantErr{"InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://idp.example.com/tenant", 400},
			typed: isInvalidToken},
		{name: "the provider must be in the role's account (§11.3: your account)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				r := mustRole(t, w.e, RoleSpec{Account: acctB, Name: "Elsewhere", TrustPolicy: trustWebIdentity(`"sts:AssumeRoleWithWebIdentity"`, `{}`)})
				return webIn(r.ARN, w.token(nil))
			},
			want:  &wantErr{"InvalidIdentityToken", "No OpenIDConnect provider found in your account for " + ghIssuerURL, 400},
			typed: isInvalidToken},
		{name: "aud not among the provider's client IDs: Incorrect token audience (§11.3, observed)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"https://github.com/o"}}))
			},
			want:  &wantErr{"InvalidIdentityToken", "Incorrect token audience", 400},
			typed: isInvalidToken},
		{name: "expired token: ExpiredTokenException 400 with AWS's text (§11.3, observed)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				tok := w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"sts.amazonaws.com"},
					IssuedAt: testEpoch.Add(-2 * time.Hour), NotBefore: testEpoch.Add(-2 * time.Hour), Expiry: testEpoch.Add(-time.Minute)})
				return webIn(w.deploy.ARN, tok)
			},
			want: &wantErr{"ExpiredTokenException", "Token expired: current date/time " + strconv.FormatInt(testEpoch.Unix(), 10) +
				" must be before the expiration date/time " + strconv.FormatInt(testEpoch.Add(-time.Minute).Unix(), 10), 400},
			typed: isExpiredToken},
		{name: "token signed by another issuer instance with the same URL: key not found (§11.3, observed text)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				twin := federation.NewOIDCIssuer(ghIssuerURL, federation.WithIssuerClock(w.clk.Now))
				return webIn(w.deploy.ARN, twin.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"sts.amazonaws.com"}}))
			},
			want:  &wantErr{"InvalidIdentityToken", msgNoKeyAWS, 400},
			typed: isInvalidToken},
		{name: `alg "none" is refused as an invalid token (message fakests' own)`,
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				enc := base64.RawURLEncoding.EncodeToString
				tok := enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(`{"iss":"`+ghIssuerURL+
					`","sub":"repo:o/r:ref:refs/heads/main","aud":"sts.amazonaws.com","exp":`+strconv.FormatInt(testEpoch.Add(time.Hour).Unix(), 10)+`}`)) + "."
				return webIn(w.deploy.ARN, tok)
			},
			want:  &wantErr{"InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", 400},
			typed: isInvalidToken},
		{name: "trust policy: sub of another repository does not match repo:o/r:* (§10 text)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.iss.Token(federation.Claims{Subject: "repo:o/evil:ref:refs/heads/main", Audience: []string{"sts.amazonaws.com"}}))
			},
			want: &wantErr{"AccessDenied", msgNotAuthorizedWeb, 403}},
		{name: "trust policy: an aud the provider accepts but the condition does not",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{"other-audience"}}))
			},
			want: &wantErr{"AccessDenied", msgNotAuthorizedWeb, 403}},
		{name: "tags in the token need sts:TagSession in the trust policy (§7)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.noTags.ARN, w.token(map[string]any{"https://aws.amazon.com/tags": map[string]any{"principal_tags": map[string]any{"Team": []string{"blue"}}}}))
			},
			want: &wantErr{"AccessDenied", msgNotAuthorizedWeb, 403}},
		{name: "a source identity in the token needs sts:SetSourceIdentity (§8)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.noTags.ARN, w.token(map[string]any{"https://aws.amazon.com/source_identity": "alice"}))
			},
			want: &wantErr{"AccessDenied", msgNotAuthorizedWeb, 403}},
		{name: "DurationSeconds over the role's MaxSessionDuration (§5)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				in := webIn(w.deploy.ARN, w.token(nil))
				in.DurationSeconds = aws.Int32(7201)
				return in
			},
			want: &wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400}},
		{name: "DurationSeconds under 900 (§3)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				in := webIn(w.deploy.ARN, w.token(nil))
				in.DurationSeconds = aws.Int32(600)
				return in
			},
			want: &wantErr{"ValidationError", "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", 400}},
		{name: "RoleSessionName of one character (§4)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				in := webIn(w.deploy.ARN, w.token(nil))
				in.RoleSessionName = aws.String("x")
				return in
			},
			want: &wantErr{"ValidationError", "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2", 400}},
		{name: "a Policy over 2048 characters (§4, §6: the model's maximum for this operation)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				in := webIn(w.deploy.ARN, w.token(nil))
				in.Policy = aws.String(longPolicy)
				return in
			},
			want: &wantErr{"ValidationError", "1 validation error detected: Value '" + longPolicy +
				"' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048", 400}},
		{name: "a role that does not exist, in strict mode: AccessDenied (§10)",
			setup: func(t *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn("arn:aws:iam::123456789012:role/Missing", w.token(nil))
			},
			want: &wantErr{"AccessDenied", msgNotAuthorizedWeb, 403}},
	}
	for _, row := range rows {
		for _, p := range paths(nil) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				w := newOIDCWorld(t, Strict())
				api, ctx := paths(w.e).byName(p.name).unsigned()
				in := row.setup(t, w)
				_, err := api.AssumeRoleWithWebIdentity(ctx, in)
				checkErr(t, err, row.want)
				if row.typed != nil && !row.typed(err) {
					t.Errorf("error %T is not the modelled exception", err)
				}
			})
		}
	}
}

// longPolicy is a valid policy document of more than 2048 characters.
var longPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 2048) +
	`","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

func TestConformanceWebIdentityUnreachableProvider(t *testing.T) {
	// A provider that cannot be reached answers IDPCommunicationError 400,
	// which the SDK retries: three attempts, each fetching again
	// (behaviour §11.3, §19). Fetched keys that are not a key
	// set are the observed "Couldn't retrieve verification key" instead.
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, clk := newTestEngine(t)
			iss := federation.NewOIDCIssuer("https://flaky.example.com", federation.WithIssuerClock(clk.Now))
			var calls atomic.Int32
			var broken atomic.Bool
			if _, err := e.CreateOIDCProvider(OIDCProviderSpec{URL: iss.URL(), ClientIDs: []string{"aud"},
				FetchJWKS: func(ctx context.Context) ([]byte, error) {
					calls.Add(1)
					if broken.Load() {
						return []byte(`<html>not a key set</html>`), nil
					}
					return nil, errors.New("dial tcp: connection refused")
				}}); err != nil {
				t.Fatal(err)
			}
			api, ctx := paths(e).byName(p.name).unsigned()
			in := webIn("arn:aws:iam::123456789012:role/Any", iss.Token(federation.Claims{Subject: "s", Audience: []string{"aud"}}))
			_, err := api.AssumeRoleWithWebIdentity(ctx, in)
			// The text is fakests' own (unverified): the provider, as its ARN names it, and the fetch error.
			checkErr(t, err, &wantErr{"IDPCommunicationError",
				"Couldn't retrieve the verification keys of your identity provider flaky.example.com: dial tcp: connection refused", 400})
			var ice *types.IDPCommunicationErrorException
			if !errors.As(err, &ice) {
				t.Errorf("error %v (%T), want IDPCommunicationErrorException", err, err)
			}
			wantCalls := map[string]int32{"engine": 1, "client": 3}[p.name]
			if got := calls.Load(); got != wantCalls {
				t.Errorf("FetchJWKS called %d times, want %d", got, wantCalls)
			}
			broken.Store(true)
			_, err = api.AssumeRoleWithWebIdentity(ctx, in)
			checkErr(t, err, &wantErr{"InvalidIdentityToken", msgNoKeyAWS, 400})
		})
	}
}

func TestConformanceWebIdentityTagsAndChaining(t *testing.T) {
	// Session tags and the source identity come from the token's claims
	// (§7, §8); the session keeps the provider's keys, aws:FederatedProvider
	// and its transitive tags for later requests (§12), and chaining from it
	// is held to one hour (§5).
	claims := map[string]any{
		"https://aws.amazon.com/tags": map[string]any{
			"principal_tags":      map[string]any{"Team": []string{"blue"}, "Env": []string{"prod"}},
			"transitive_tag_keys": []string{"Team"},
		},
		"https://aws.amazon.com/source_identity": "alice",
	}
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t, Strict())
			third := mustRole(t, w.e, RoleSpec{Name: "Third", TrustPolicy: trustAccountIf(`"aws:PrincipalTag/Team":"blue"`)})
			fourth := mustRole(t, w.e, RoleSpec{Name: "Fourth", TrustPolicy: trustAccountIf(`"aws:PrincipalTag/Env":"prod"`)})
			pth := paths(w.e).byName(p.name)
			anon, anonCtx := pth.unsigned()
			out, err := anon.AssumeRoleWithWebIdentity(anonCtx, webIn(w.deploy.ARN, w.token(claims)))
			if err != nil {
				t.Fatal(err)
			}
			if out.PackedPolicySize == nil || aws.ToString(out.SourceIdentity) != "alice" {
				t.Errorf("PackedPolicySize %v, SourceIdentity %q: want a size (tags were passed) and alice",
					aws.ToInt32(out.PackedPolicySize), aws.ToString(out.SourceIdentity))
			}
			fed := credsOf(out.Credentials)
			assume := func(c aws.Credentials, r *Role, d *int32) (*sts.AssumeRoleOutput, error) {
				api, ctx := pth.api(c)
				return api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("hop"), DurationSeconds: d})
			}
			// Next requires aws:FederatedProvider, the provider's sub and
			// aws:PrincipalTag/Team from the web identity session.
			_, err = assume(fed, w.next, aws.Int32(3601))
			checkErr(t, err, &wantErr{"ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400})
			hop, err := assume(fed, w.next, nil)
			if err != nil {
				t.Fatalf("chained AssumeRole: %v", err)
			}
			if got := aws.ToString(hop.SourceIdentity); got != "alice" {
				t.Errorf("chained SourceIdentity %q, want alice (§8: it persists)", got)
			}
			// One hop further only the transitive tag remains (§7).
			hopCreds := credsOf(hop.Credentials)
			if _, err := assume(hopCreds, third, nil); err != nil {
				t.Errorf("transitive Team tag not seen as aws:PrincipalTag: %v", err)
			}
			_, err = assume(hopCreds, fourth, nil)
			checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/Next/hop is not authorized to perform: sts:AssumeRole on resource: " + fourth.ARN, 403})

			// A session from another branch passes GitHubDeploy's repo:o/r:*
			// but not Next's exact sub.
			dev, err := w.e.AssumeRoleWithWebIdentity(context.Background(), webIn(w.deploy.ARN,
				w.iss.Token(federation.Claims{Subject: "repo:o/r:ref:refs/heads/dev", Audience: []string{"sts.amazonaws.com"}, Extra: claims})))
			if err != nil {
				t.Fatal(err)
			}
			_, err = assume(credsOf(dev.Credentials), w.next, nil)
			checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/GitHubDeploy/gh-run is not authorized to perform: sts:AssumeRole on resource: " + w.next.ARN, 403})
		})
	}
}

// trustAccountIf trusts account A for AssumeRole under one StringEquals
// condition (a JSON member).
func trustAccountIf(cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},` +
		`"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{` + cond + `}}}]}`
}

func TestConformanceWebIdentityRolesAndDurations(t *testing.T) {
	w := newOIDCWorld(t)
	for _, row := range []struct {
		name     string // the AWS behaviour pinned
		role     string
		token    string
		duration *int32
		want     time.Duration
	}{
		{"default duration one hour (§5)", w.deploy.ARN, w.token(nil), nil, time.Hour},
		{"up to the role's MaxSessionDuration (§5)", w.deploy.ARN, w.token(nil), aws.Int32(7200), 2 * time.Hour},
		{"a trust policy with no conditions admits any token of the provider", w.noTags.ARN, w.token(nil), nil, time.Hour},
		{"lenient mode: a role never created trusts every federated caller", "arn:aws:iam::123456789012:role/ci/Implicit", w.token(nil), nil, time.Hour},
	} {
		t.Run(row.name, func(t *testing.T) {
			in := webIn(row.role, row.token)
			in.DurationSeconds = row.duration
			out, err := w.e.AssumeRoleWithWebIdentity(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToTime(out.Credentials.Expiration); !got.Equal(testEpoch.Add(row.want)) {
				t.Errorf("Expiration %v, want %v", got, testEpoch.Add(row.want))
			}
		})
	}
}

func TestCreateOIDCProvider(t *testing.T) {
	e := New()
	jwks := federation.NewOIDCIssuer("https://a.example.com").JWKS()
	fetch := func(context.Context) ([]byte, error) { return jwks, nil }
	// The refusals are fakests' own texts (an administration call, not STS).
	for _, row := range []struct {
		name    string
		spec    OIDCProviderSpec
		wantARN string // "" when the spec must be refused
		wantErr string // the refusal's text
	}{
		{"ARN is the URL without https:// (§2.1)", OIDCProviderSpec{URL: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", ClientIDs: []string{"sts.amazonaws.com"}, JWKS: jwks},
			"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", ""},
		{"another account", OIDCProviderSpec{Account: acctB, URL: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", ClientIDs: []string{"x"}, FetchJWKS: fetch},
			"arn:aws:iam::210987654321:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", ""},
		{"thumbprints are kept", OIDCProviderSpec{URL: "https://b.example.com", ClientIDs: []string{"x"}, JWKS: jwks, Thumbprints: []string{strings.Repeat("ab", 20)}},
			"arn:aws:iam::123456789012:oidc-provider/b.example.com", ""},
		{"duplicate URL in the account", OIDCProviderSpec{URL: "https://b.example.com", ClientIDs: []string{"x"}, JWKS: jwks}, "",
			"fakests: OIDC provider arn:aws:iam::123456789012:oidc-provider/b.example.com already exists in account 123456789012"},
		{"neither JWKS nor FetchJWKS", OIDCProviderSpec{URL: "https://c.example.com", ClientIDs: []string{"x"}}, "",
			"fakests: OIDC provider https://c.example.com needs JWKS or FetchJWKS"},
		{"both JWKS and FetchJWKS", OIDCProviderSpec{URL: "https://c.example.com", ClientIDs: []string{"x"}, JWKS: jwks, FetchJWKS: fetch}, "",
			"fakests: OIDC provider https://c.example.com: set JWKS or FetchJWKS, not both"},
		{"http URL", OIDCProviderSpec{URL: "http://c.example.com", ClientIDs: []string{"x"}, JWKS: jwks}, "",
			`fakests: OIDC provider URL "http://c.example.com" must be https://host[/path] with no query or fragment`},
		{"URL with a query", OIDCProviderSpec{URL: "https://c.example.com/?a=b", ClientIDs: []string{"x"}, JWKS: jwks}, "",
			`fakests: OIDC provider URL "https://c.example.com/?a=b" must be https://host[/path] with no query or fragment`},
		{"no client ID", OIDCProviderSpec{URL: "https://c.example.com", JWKS: jwks}, "",
			"fakests: OIDC provider https://c.example.com needs 1-100 client IDs"},
		{"bad thumbprint", OIDCProviderSpec{URL: "https://c.example.com", ClientIDs: []string{"x"}, JWKS: jwks, Thumbprints: []string{"abc"}}, "",
			`fakests: OIDC provider https://c.example.com: thumbprint "abc" is not 40 hex digits`},
		{"bad account", OIDCProviderSpec{Account: "12", URL: "https://c.example.com", ClientIDs: []string{"x"}, JWKS: jwks}, "",
			`fakests: account "12" is not 12 digits`},
	} {
		t.Run(row.name, func(t *testing.T) {
			arn, err := e.CreateOIDCProvider(row.spec)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if arn != row.wantARN || gotErr != row.wantErr {
				t.Errorf("CreateOIDCProvider = %q, %q; want %q, %q", arn, gotErr, row.wantARN, row.wantErr)
			}
		})
	}
}

// FuzzAssumeRoleWithWebIdentity feeds hostile requests to the operation:
// every answer is a success or an STS error, never a panic.
func FuzzAssumeRoleWithWebIdentity(f *testing.F) {
	w := newOIDCWorld(f)
	f.Add(w.deploy.ARN, "gh-run", w.token(nil), int32(0))
	f.Add(w.deploy.ARN, "gh-run", w.token(map[string]any{"https://aws.amazon.com/tags": map[string]any{"principal_tags": map[string]any{"a": []string{"b"}}}}), int32(900))
	f.Add("arn:aws:iam::123456789012:role/x", "s:1", "a.b.c", int32(-1))
	f.Add("arn:a:b:::c", "xx", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL3gifQ.", int32(43201))
	f.Fuzz(func(t *testing.T, role, name, token string, d int32) {
		in := webIn(role, token)
		in.RoleSessionName = aws.String(name)
		if d != 0 {
			in.DurationSeconds = aws.Int32(d)
		}
		out, err := w.e.AssumeRoleWithWebIdentity(context.Background(), in)
		if err == nil {
			if out.Credentials == nil || out.AssumedRoleUser == nil {
				t.Fatal("success without credentials")
			}
			return
		}
		var ae interface{ ErrorCode() string }
		if !errors.As(err, &ae) || ae.ErrorCode() == "" || ae.ErrorCode() == "InternalFailure" {
			t.Fatalf("error %v (%T) is not an STS error", err, err)
		}
	})
}
