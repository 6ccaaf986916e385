package fakests

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// These tests pin the region model (behaviour §1.4, §10, §13): every region
// of the aws partition served, opt-in regions per account, STS endpoints
// deactivated per account, and the global endpoint.

// inRegion is a per-call option that sets the call's region, as a client's
// optFns do.
func inRegion(region string) func(*sts.Options) {
	return func(o *sts.Options) { o.Region = region }
}

// The accounts of the stackd capture account/regions.json: a management
// account whose user assumes a role of a member account.
const (
	regionsMgmt   = "111111111111"
	regionsMember = "222222222222"
)

// Texts of behaviour §10 and §13, as AWS sends them.
const (
	// An opt-in region disabled in the caller's account: no period.
	msgTokenInvalidOptIn = "The security token included in the request is invalid"
	// The member's role, assumed by the management account's user.
	msgDelegatedDenied = "User: arn:aws:iam::111111111111:user/Delegated is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
)

// regionsWorld is the capture's setup: user Delegated in the management
// account, role OrganizationAccountAccessRole in the member account
// trusting the management account.
type regionsWorld struct {
	e         *Engine
	delegated *User
	role      *Role
}

func newRegionsWorld(t *testing.T, opts ...Option) *regionsWorld {
	t.Helper()
	e, _ := newTestEngine(t, opts...)
	w := &regionsWorld{e: e}
	w.delegated = mustUser(t, e, UserSpec{Account: regionsMgmt, Name: "Delegated", Policies: []string{allowAssume}})
	w.role = mustRole(t, e, RoleSpec{Account: regionsMember, Name: "OrganizationAccountAccessRole",
		TrustPolicy: trustAccount(regionsMgmt), Policies: []string{adminPolicy}})
	return w
}

// memberSession is a session of the member's role, issued in us-west-2 as
// in the capture.
func (w *regionsWorld) memberSession(t *testing.T, name string) aws.Credentials {
	t.Helper()
	out, err := w.e.AssumeRole(typed(w.delegated.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN),
		RoleSessionName: aws.String(name)}, inRegion("us-west-2"))
	if err != nil {
		t.Fatal(err)
	}
	return credsOf(out.Credentials)
}

// TestOptInRegionCrossAccount replays the stackd capture account/regions.json
// (behaviour §13): with af-south-1 enabled in the management account and
// disabled in the member's, the member's session is not recognized there
// (InvalidClientTokenId without a period) and the management account's user
// cannot assume the member's role there (the plain AccessDenied); once the
// member enables the region both succeed, and once it disables it again
// both fail again.
func TestOptInRegionCrossAccount(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newRegionsWorld(t, Strict())
			e := w.e
			if err := e.EnableRegion(regionsMgmt, "af-south-1"); err != nil {
				t.Fatal(err)
			}
			member := w.memberSession(t, "stackd-region-probe")
			assumeIn := &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN),
				RoleSessionName: aws.String("stackd-regional-boundary"), DurationSeconds: aws.Int32(900)}
			memberAPI, memberCtx := paths(e).byName(p.name).api(member)
			userAPI, userCtx := paths(e).byName(p.name).api(w.delegated.Credentials)
			both := func(wantIdentity, wantAssume *wantErr) {
				t.Helper()
				_, err := memberAPI.GetCallerIdentity(memberCtx, &sts.GetCallerIdentityInput{}, inRegion("af-south-1"))
				checkErr(t, err, wantIdentity)
				_, err = userAPI.AssumeRole(userCtx, assumeIn, inRegion("af-south-1"))
				checkErr(t, err, wantAssume)
			}

			before := e.SessionCount()
			both(&wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403}, &wantErr{"AccessDenied", msgDelegatedDenied, 403})
			if n := e.SessionCount(); n != before {
				t.Errorf("a refused AssumeRole left %d sessions behind", n-before)
			}
			// Elsewhere the same calls succeed: the member's credentials are
			// good, the region is what is refused.
			if _, err := memberAPI.GetCallerIdentity(memberCtx, &sts.GetCallerIdentityInput{}, inRegion("us-west-2")); err != nil {
				t.Errorf("GetCallerIdentity in us-west-2: %v", err)
			}

			if err := e.EnableRegion(regionsMember, "af-south-1"); err != nil {
				t.Fatal(err)
			}
			both(nil, nil)
			if err := e.DisableRegion(regionsMember, "af-south-1"); err != nil {
				t.Fatal(err)
			}
			both(&wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403}, &wantErr{"AccessDenied", msgDelegatedDenied, 403})
		})
	}
}

// TestOptInRegionDefaults pins the defaults (behaviour §13): under Strict()
// every opt-in region is disabled until EnableRegion, in lenient mode
// enabled until DisableRegion; regions enabled by default are always
// served. Each account has its own settings.
func TestOptInRegionDefaults(t *testing.T) {
	optIn := []string{"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1"}
	byDefault := []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
		"ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
		"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	refused := &wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403}
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			strict, _ := newTestEngine(t, Strict())
			lenient, _ := newTestEngine(t)
			other := mustUser(t, strict, UserSpec{Account: acctB, Name: "other"})
			call := func(e *Engine, creds aws.Credentials, region string) error {
				api, ctx := paths(e).byName(p.name).api(creds)
				_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, inRegion(region))
				return err
			}
			for _, r := range byDefault {
				checkErr(t, call(strict, strict.DefaultUser().Credentials, r), nil)
			}
			for _, r := range optIn {
				checkErr(t, call(strict, strict.DefaultUser().Credentials, r), refused)
				checkErr(t, call(lenient, lenient.DefaultUser().Credentials, r), nil)
			}
			if err := strict.EnableRegion(acctA, "me-south-1"); err != nil {
				t.Fatal(err)
			}
			if err := lenient.DisableRegion(acctA, "me-south-1"); err != nil {
				t.Fatal(err)
			}
			checkErr(t, call(strict, strict.DefaultUser().Credentials, "me-south-1"), nil)
			checkErr(t, call(strict, other.Credentials, "me-south-1"), refused) // account B's own setting
			checkErr(t, call(lenient, lenient.DefaultUser().Credentials, "me-south-1"), refused)
			checkErr(t, call(lenient, lenient.DefaultUser().Credentials, "il-central-1"), nil)
		})
	}
}

// TestRegionDisabledException pins STS deactivated in a region enabled by
// default (behaviour §10, §13): the account that must have STS active is
// the one whose credentials are generated, the role's for AssumeRole, the
// caller's for GetSessionToken and GetFederationToken; GetCallerIdentity
// still answers; a refused call leaves no session; ActivateSTSRegion
// restores the region.
func TestRegionDisabledException(t *testing.T) {
	disabled := func(acct string) *wantErr {
		return &wantErr{"RegionDisabledException", "STS is not activated in this region for account:" + acct +
			". Your account administrator can activate STS in this region using the IAM Console.", 403}
	}
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newWorld(t)
			e := w.e
			if err := e.DeactivateSTSRegion(acctB, "eu-west-2"); err != nil {
				t.Fatal(err)
			}
			api, ctx := paths(e).byName(p.name).api(w.bob.Credentials)
			intoB := &sts.AssumeRoleInput{RoleArn: aws.String(w.cross.ARN), RoleSessionName: aws.String("s1")}
			before := e.SessionCount()
			_, err := api.AssumeRole(ctx, intoB, inRegion("eu-west-2"))
			checkErr(t, err, disabled(acctB))
			var typed *types.RegionDisabledException
			if !errors.As(err, &typed) {
				t.Errorf("%T, want *types.RegionDisabledException (AssumeRole's model lists it)", err)
			}
			if n := e.SessionCount(); n != before {
				t.Errorf("a refused AssumeRole left %d sessions", n-before)
			}
			// Another region, or the caller's own account's roles, are not affected.
			_, err = api.AssumeRole(ctx, intoB, inRegion("eu-west-1"))
			checkErr(t, err, nil)
			_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("s2")}, inRegion("eu-west-2"))
			checkErr(t, err, nil)

			// The caller's account deactivated, the role's active: served, as
			// the IAM User Guide's account A/account B example says.
			if err := e.DeactivateSTSRegion(acctA, "us-east-2"); err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRole(ctx, intoB, inRegion("us-east-2"))
			checkErr(t, err, nil)
			// GetSessionToken and GetFederationToken generate the caller's own.
			_, err = api.GetSessionToken(ctx, &sts.GetSessionTokenInput{}, inRegion("us-east-2"))
			checkErr(t, err, disabled(acctA))
			_, err = api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(adminPolicy)}, inRegion("us-east-2"))
			checkErr(t, err, disabled(acctA))
			// GetCallerIdentity generates nothing (reported to answer there).
			_, err = api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, inRegion("us-east-2"))
			checkErr(t, err, nil)

			if err := e.ActivateSTSRegion(acctA, "us-east-2"); err != nil {
				t.Fatal(err)
			}
			_, err = api.GetSessionToken(ctx, &sts.GetSessionTokenInput{}, inRegion("us-east-2"))
			checkErr(t, err, nil)
		})
	}
}

// TestRegionSettingsErrors pins what the region settings refuse, and that a
// refusal changes nothing.
func TestRegionSettingsErrors(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	apiErr := func(err error) string {
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			return "no APIError in " + errString(err)
		}
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	// The Account API's texts (stackd account/regions.json), wrapped.
	if got := apiErr(e.EnableRegion(acctA, "unknown-region")); got != "ValidationException: unknown-region is not a valid region for opt-in or opt-out." {
		t.Errorf("EnableRegion(unknown-region): %s", got)
	}
	if got := apiErr(e.DisableRegion(acctA, "cn-north-1")); got != "ValidationException: cn-north-1 is not a valid region for opt-in or opt-out." {
		t.Errorf("DisableRegion(cn-north-1): %s", got)
	}
	if got := apiErr(e.DisableRegion(acctA, "us-east-1")); got != "ValidationException: Unable to switch region status because of its current opt-in status." {
		t.Errorf("DisableRegion(us-east-1): %s", got)
	}
	for name, err := range map[string]error{
		"EnableRegion of an account that is not 12 digits": e.EnableRegion("1234", "af-south-1"),
		"DeactivateSTSRegion(us-east-1)":                   e.DeactivateSTSRegion(acctA, "us-east-1"),
		"DeactivateSTSRegion of an opt-in region":          e.DeactivateSTSRegion(acctA, "af-south-1"),
		"DeactivateSTSRegion outside the partition":        e.DeactivateSTSRegion(acctA, "cn-north-1"),
		"ActivateSTSRegion of an opt-in region":            e.ActivateSTSRegion(acctA, "af-south-1"),
		"DeactivateSTSRegion of a bad account":             e.DeactivateSTSRegion("x", "eu-west-1"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := e.ActivateSTSRegion(acctA, "us-east-1"); err != nil {
		t.Errorf("ActivateSTSRegion(us-east-1): %v (always active)", err)
	}
	// Repeating a setting changes nothing.
	for i := 0; i < 2; i++ {
		if err := e.EnableRegion(acctA, "af-south-1"); err != nil {
			t.Fatal(err)
		}
		if err := e.DeactivateSTSRegion(acctA, "eu-west-1"); err != nil {
			t.Fatal(err)
		}
	}
	if !e.regionEnabled(acctA, "af-south-1") || e.regionEnabled(acctA, "ap-east-1") || e.regionEnabled(acctB, "af-south-1") {
		t.Errorf("opt-in state after the refused calls is wrong")
	}
	if e.checkSTSActive(acctA, "eu-west-1") == nil || e.checkSTSActive(acctA, "us-east-1") != nil || e.checkSTSActive(acctB, "eu-west-1") != nil {
		t.Errorf("STS activation after the refused calls is wrong")
	}
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// TestRegionPerClientAndPerCall pins the Go SDK's two ways to choose a
// region: a client's Region (its options) and one call's (optFns), the
// call's winning; and aws:RequestedRegion following the call's region in a
// trust policy, on both paths (behaviour §12, §19).
func TestRegionPerClientAndPerCall(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "traveller", Policies: []string{allowAssume}})
	if err := e.EnableRegion(acctA, "ap-east-1"); err != nil {
		t.Fatal(err)
	}

	t.Run("client Region", func(t *testing.T) {
		client := sts.NewFromConfig(e.Config(u.Credentials), func(o *sts.Options) { o.Region = "me-south-1" })
		ctx := context.Background()
		_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		checkErr(t, err, &wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403})
		_, err = client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, inRegion("ap-east-1"))
		checkErr(t, err, nil)
		client = sts.NewFromConfig(e.Config(u.Credentials), func(o *sts.Options) { o.Region = "ap-east-1" })
		_, err = client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		checkErr(t, err, nil)
		_, err = client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, inRegion("me-south-1"))
		checkErr(t, err, &wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403})
	})

	onlyFrankfurt := mustRole(t, e, RoleSpec{Name: "only-frankfurt", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"` + u.ARN + `"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-central-1"}}}]}`})
	in := &sts.AssumeRoleInput{RoleArn: aws.String(onlyFrankfurt.ARN), RoleSessionName: aws.String("fra")}
	for _, p := range paths(e) {
		t.Run("aws:RequestedRegion/"+p.name, func(t *testing.T) {
			api, ctx := p.api(u.Credentials)
			_, err := api.AssumeRole(ctx, in, inRegion("eu-central-1"))
			checkErr(t, err, nil)
			_, err = api.AssumeRole(ctx, in)
			checkErr(t, err, &wantErr{"AccessDenied", "User: " + u.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + onlyFrankfurt.ARN, 403})
		})
	}
}

// TestGlobalEndpoint pins the global endpoint (behaviour §1.4): region
// aws-global on both paths reaches it, whatever the engine's own region; it
// does not know AssumeRoot (InvalidAction "Unknown Operation"), refuses
// GetWebIdentityToken by name, and serves everything else as us-east-1.
func TestGlobalEndpoint(t *testing.T) {
	e, _ := newTestEngine(t, WithRegion("eu-west-1"))
	onlyVirginia := mustRole(t, e, RoleSpec{Name: "only-virginia", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`})
	global := inRegion("aws-global")
	for _, p := range paths(e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(e.DefaultUser().Credentials)
			_, err := api.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(acctB),
				TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}}, global)
			checkErr(t, err, &wantErr{"InvalidAction", "Unknown Operation", 400})
			_, err = api.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"},
				SigningAlgorithm: aws.String("RS256")}, global)
			checkErr(t, err, &wantErr{"InvalidAction", "Operation not supported on STS global endpoint", 400})
			out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, global)
			if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/fakests-default" {
				t.Errorf("GetCallerIdentity on the global endpoint: %v", err)
			}
			_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(onlyVirginia.ARN), RoleSessionName: aws.String("global")}, global)
			checkErr(t, err, nil)
		})
	}
}

// TestGlobalEndpointHandler pins the global endpoint on the Handler: a
// request whose Host is sts.amazonaws.com, signed for us-east-1 as every
// SDK signs for it; a regional STS host takes signatures for its own region
// only (behaviour §1.4).
func TestGlobalEndpointHandler(t *testing.T) {
	e, _ := newTestEngine(t)
	creds := e.DefaultUser().Credentials
	root := "&TargetPrincipal=210987654321&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMAuditRootUserCredentials"
	for _, tt := range []struct {
		name, host, signRegion, form string
		signed                       bool
		want                         handlerAnswer
	}{
		{"GetCallerIdentity on the global host", "sts.amazonaws.com", "us-east-1", "Action=GetCallerIdentity", true,
			handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/fakests-default",
				UserID: e.DefaultUser().UserID, Account: "123456789012"}},
		{"AssumeRoot on the global host", "sts.amazonaws.com", "us-east-1", "Action=AssumeRoot" + root, true,
			handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "InvalidAction", Message: "Unknown Operation"}},
		{"AssumeRoot on the global host, with the port", "sts.amazonaws.com:443", "us-east-1", "Action=AssumeRoot" + root, true,
			handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "InvalidAction", Message: "Unknown Operation"}},
		{"AssumeRoot unsigned on the global host: refused before authentication", "sts.amazonaws.com", "", "Action=AssumeRoot" + root, false,
			handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "InvalidAction", Message: "Unknown Operation"}},
		{"GetWebIdentityToken on the global host", "sts.amazonaws.com", "us-east-1",
			"Action=GetWebIdentityToken&Audience.member.1=https%3A%2F%2Fapi.example.com&SigningAlgorithm=RS256", true,
			handlerAnswer{Status: 400, Root: "ErrorResponse", Type: "Sender", Code: "InvalidAction", Message: "Operation not supported on STS global endpoint"}},
		{"the global host signed for another region", "sts.amazonaws.com", "eu-west-1", "Action=GetCallerIdentity", true,
			handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch", Message: "Credential should be scoped to a valid region, not 'eu-west-1'. "}},
		{"a regional host signed for its region", "sts.ap-southeast-2.amazonaws.com", "ap-southeast-2", "Action=GetCallerIdentity", true,
			handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/fakests-default",
				UserID: e.DefaultUser().UserID, Account: "123456789012"}},
		{"a regional host signed for another region", "sts.eu-west-1.amazonaws.com", "us-east-1", "Action=GetCallerIdentity", true,
			handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch", Message: "Credential should be scoped to a valid region, not 'us-east-1'. "}},
		{"a test server's host signed for any region", "127.0.0.1:4566", "sa-east-1", "Action=GetCallerIdentity", true,
			handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/fakests-default",
				UserID: e.DefaultUser().UserID, Account: "123456789012"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := tt.form + "&Version=2011-06-15"
			r := httptest.NewRequest(http.MethodPost, "http://"+tt.host+"/", strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.signed {
				signFor(t, r, []byte(form), creds, tt.signRegion)
			}
			rec := handlerServe(e, r)
			if diff := cmp.Diff(tt.want, handlerParse(t, rec.Code, rec.Body.Bytes())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// signFor signs r for STS in region with creds, now.
func signFor(t testing.TB, r *http.Request, body []byte, creds aws.Credentials, region string) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, sha256Hex(string(body)), "sts", region, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// TestRegionsFederated pins the regions for the federated operations: a
// role whose account has the opt-in region disabled is not there ("Not
// authorized to perform …"), and STS deactivated in the role's account is
// RegionDisabledException, typed as AssumeRoleWithWebIdentity's model lists
// it (behaviour §13).
func TestRegionsFederated(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t, Strict())
			api, ctx := paths(w.e).byName(p.name).unsigned()
			in := webIn(w.deploy.ARN, w.token(nil))
			_, err := api.AssumeRoleWithWebIdentity(ctx, in, inRegion("il-central-1"))
			checkErr(t, err, &wantErr{"AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403})
			if err := w.e.EnableRegion(acctA, "il-central-1"); err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRoleWithWebIdentity(ctx, in, inRegion("il-central-1"))
			checkErr(t, err, nil)

			if err := w.e.DeactivateSTSRegion(acctA, "ca-central-1"); err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRoleWithWebIdentity(ctx, in, inRegion("ca-central-1"))
			checkErr(t, err, &wantErr{"RegionDisabledException", "STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.", 403})
			var typed *types.RegionDisabledException
			if !errors.As(err, &typed) {
				t.Errorf("%T, want *types.RegionDisabledException", err)
			}
		})
	}
}

// TestAuthenticateOptInRegion pins the opt-in check for emulators: a
// request signed for the engine's region by a principal whose account has
// that opt-in region disabled is not recognized (behaviour §13), by
// Authenticate and Principal alike.
func TestAuthenticateOptInRegion(t *testing.T) {
	e, _ := newTestEngine(t, Strict(), WithRegion("ap-east-1"))
	u := mustUser(t, e, UserSpec{Name: "hk"})
	r := signedRequest(t, u.Credentials, http.MethodGet, "https://s3.ap-east-1.amazonaws.com/bucket/key", "", "ap-east-1")
	_, err := e.Authenticate(r)
	checkAPIErr(t, err, &wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403})
	_, err = e.Principal(u.Credentials)
	checkAPIErr(t, err, &wantErr{"InvalidClientTokenId", msgTokenInvalidOptIn, 403})

	if err := e.EnableRegion(acctA, "ap-east-1"); err != nil {
		t.Fatal(err)
	}
	r = signedRequest(t, u.Credentials, http.MethodGet, "https://s3.ap-east-1.amazonaws.com/bucket/key", "", "ap-east-1")
	p, err := e.Authenticate(r)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Authorize(context.Background(), p, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key"})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Context["aws:RequestedRegion"]; !cmp.Equal(got, []string{"ap-east-1"}) {
		t.Errorf("aws:RequestedRegion %v, want [ap-east-1]", got)
	}
}

// checkAPIErr compares an error that carries no HTTP response (Authenticate,
// Principal) with want: code, message and the apierror status.
func checkAPIErr(t testing.TB, err error, want *wantErr) {
	t.Helper()
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *AuthError", err, err)
	}
	if diff := cmp.Diff(want, &wantErr{ae.Code, ae.Message, ae.Status}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRegionsConcurrent changes region settings and organizations while
// calls read them (run with -race): the settings are guarded.
func TestRegionsConcurrent(t *testing.T) {
	w := newRegionsWorld(t)
	e := w.e
	member := w.memberSession(t, "concurrent")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				switch (i + j) % 4 {
				case 0:
					_ = e.EnableRegion(regionsMember, "af-south-1")
				case 1:
					_ = e.DisableRegion(regionsMember, "af-south-1")
				case 2:
					_ = e.DeactivateSTSRegion(regionsMember, "eu-west-3")
				case 3:
					_ = e.ActivateSTSRegion(regionsMember, "eu-west-3")
				}
			}
		}(i)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			_, _ = e.CreateOrganization(OrganizationSpec{ManagementAccount: "3000000000" + string(rune('1'+i%9)) + string(rune('0'+i/9))})
		}
	}()
	client := newClient(e, member)
	for i := 0; i < 50; i++ {
		_, _ = client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}, inRegion("af-south-1"))
		_, _ = e.AssumeRole(typed(w.delegated.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN),
			RoleSessionName: aws.String("c")}, inRegion("eu-west-3"))
	}
	close(stop)
	wg.Wait()
}

// FuzzSTSEndpointOf feeds the Host parser arbitrary hosts: it never panics,
// a global host names no region, and a regional one names a region the
// engine serves.
func FuzzSTSEndpointOf(f *testing.F) {
	for _, h := range []string{"sts.amazonaws.com", "STS.AMAZONAWS.COM:443", "sts.af-south-1.amazonaws.com",
		"sts-fips.us-east-1.amazonaws.com", "sts.eu-west-1.api.aws", "sts.mars-1.amazonaws.com", "[::1]:80", "", ":", "sts..amazonaws.com"} {
		f.Add(h)
	}
	e := New()
	f.Fuzz(func(t *testing.T, host string) {
		region, global := e.stsEndpointOf(host)
		if global && region != "" {
			t.Errorf("%q: global with region %q", host, region)
		}
		if region != "" && !e.regionServed(region) {
			t.Errorf("%q: region %q is not served", host, region)
		}
	})
}
