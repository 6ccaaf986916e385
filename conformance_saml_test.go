package fakests

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/beevik/etree"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests pin AssumeRoleWithSAML (behaviour §11.2, §12, §5–§8) on the typed
// engine path and through a real *sts.Client, which sends the operation
// unsigned (§1.4). Expected strings are AWS's literal texts where the
// behaviour record has them; rows say when a text is fakests' own.

const (
	oktaEntityID     = "http://www.okta.com/exk1fakests"
	samlProvName     = "Okta"
	samlProvARN      = "arn:aws:iam::123456789012:saml-provider/Okta"
	samlSignIn       = "https://signin.aws.amazon.com/saml"
	msgNotAuthzSAML  = "Not authorized to perform sts:AssumeRoleWithSAML"
	msgSAMLMalformed = "Invalid SAML response: the SAMLAssertion is not a well-formed base64-encoded SAML 2.0 Response" // fakests' text
)

// Minting keys costs tens of milliseconds, so the tests share two IdPs with
// the same entity ID and keys of their own; their clock is the engines'
// start, testEpoch.
var (
	oktaIdP = sync.OnceValue(func() *federation.SAMLIdP { return newOktaIdP() })
	twinIdP = sync.OnceValue(func() *federation.SAMLIdP { return newOktaIdP() })
)

func newOktaIdP() *federation.SAMLIdP {
	return federation.NewSAMLIdP(oktaEntityID, federation.WithSAMLClock(func() time.Time { return testEpoch }))
}

// wantNameQualifier computes NameQualifier from its definition (§11.2),
// independently of the engine: base64(SHA1(issuer + account + "/" + name)).
func wantNameQualifier(issuer, acct, name string) string {
	sum := sha1.Sum([]byte(issuer + acct + "/" + name))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// samlWorld is an engine with the Okta provider and roles that trust it.
type samlWorld struct {
	e   *Engine
	clk *manualClock
	// admin trusts the provider with saml:aud = the sign-in endpoint (AWS's
	// recommended condition), allows tags and source identity, lasts ≤ 2 h.
	admin *Role
	// strictSub requires saml:sub, :sub_type, :iss, :doc, :namequalifier, :cn.
	strictSub *Role
	// bare trusts the provider for sts:AssumeRoleWithSAML only.
	bare *Role
	// next and needIss are chaining targets trusting account A: next wants
	// the persisted saml:sub and the Team principal tag, needIss saml:iss
	// (which does not persist).
	next, needIss *Role
}

func trustSAML(actions, condition string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + samlProvARN +
		`"},"Action":` + actions + `,"Condition":` + condition + `}]}`
}

func trustChain(condition string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` +
		`"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":` + condition + `}]}`
}

func newSAMLWorld(t testing.TB, opts ...Option) *samlWorld {
	t.Helper()
	e, clk := newTestEngine(t, opts...)
	arn, err := e.CreateSAMLProvider(SAMLProviderSpec{Name: samlProvName, Metadata: oktaIdP().Metadata()})
	if err != nil {
		t.Fatal(err)
	}
	if arn != samlProvARN {
		t.Fatalf("provider ARN %q, want %q", arn, samlProvARN)
	}
	nq := wantNameQualifier(oktaEntityID, acctA, samlProvName)
	w := &samlWorld{e: e, clk: clk}
	w.admin = mustRole(t, e, RoleSpec{Name: "SAMLAdmin", MaxSessionDuration: 2 * time.Hour, Policies: []string{allowAssume},
		TrustPolicy: trustSAML(`["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"]`,
			`{"StringEquals":{"saml:aud":"`+samlSignIn+`"}}`)})
	w.strictSub = mustRole(t, e, RoleSpec{Name: "StrictSub", TrustPolicy: trustSAML(`"sts:AssumeRoleWithSAML"`,
		`{"StringEquals":{"saml:sub":"jane@example.com","saml:sub_type":"persistent","saml:iss":"`+oktaEntityID+
			`","saml:doc":"123456789012/Okta","saml:namequalifier":"`+nq+`","saml:cn":"Jane Doe"}}`)})
	w.bare = mustRole(t, e, RoleSpec{Name: "Bare", TrustPolicy: trustSAML(`"sts:AssumeRoleWithSAML"`, `{}`)})
	w.next = mustRole(t, e, RoleSpec{Name: "Next", TrustPolicy: trustChain(`{"StringEquals":{"aws:FederatedProvider":"` + samlProvARN +
		`","saml:sub":"jane@example.com","saml:namequalifier":"` + nq + `","aws:PrincipalTag/Team":"blue"}}`)})
	w.needIss = mustRole(t, e, RoleSpec{Name: "NeedIss", TrustPolicy: trustChain(`{"StringEquals":{"saml:iss":"` + oktaEntityID + `"}}`)})
	return w
}

// pair is a Role attribute value for r with the Okta provider.
func pair(roleARN string) string { return roleARN + "," + samlProvARN }

// baseAssertion is Jane's login, mapped to every role of the world.
func (w *samlWorld) baseAssertion() federation.SAMLAssertion {
	return federation.SAMLAssertion{NameID: "jane@example.com", SessionName: "jane",
		Roles:      []string{pair(w.admin.ARN), pair(w.strictSub.ARN), pair(w.bare.ARN)},
		Attributes: map[string][]string{"urn:oid:2.5.4.3": {"Jane Doe"}}}
}

// assertion mints Jane's login after edit changes it.
func (w *samlWorld) assertion(edit func(*federation.SAMLAssertion)) string {
	a := w.baseAssertion()
	if edit != nil {
		edit(&a)
	}
	return oktaIdP().Assertion(a)
}

func samlIn(roleARN, b64 string) *sts.AssumeRoleWithSAMLInput {
	return &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN), PrincipalArn: aws.String(samlProvARN), SAMLAssertion: aws.String(b64)}
}

var samlOpts = cmp.Options{sdkOpts, ignoreSecrets,
	cmpopts.IgnoreFields(sts.AssumeRoleWithSAMLOutput{}, "SessionTokenSize", "SessionTokenUtilization")}

func TestConformanceSAMLSuccess(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newSAMLWorld(t)
			// Okta's AudienceRestriction is urn:amazon:webservices; the
			// Recipient is the sign-in endpoint (§11.2).
			b64 := w.assertion(func(a *federation.SAMLAssertion) { a.Audience = "urn:amazon:webservices" })
			api, ctx := paths(w.e).byName(p.name).unsigned()
			out, err := api.AssumeRoleWithSAML(ctx, samlIn(w.admin.ARN, b64))
			if err != nil {
				t.Fatal(err)
			}
			// §11.2: Subject is the NameID, SubjectType its format without the
			// SAML 2.0 prefix, Audience the Recipient (not the
			// AudienceRestriction), NameQualifier the documented hash; no
			// PackedPolicySize without policies or tags (§6).
			want := &sts.AssumeRoleWithSAMLOutput{
				Credentials: &types.Credentials{Expiration: aws.Time(testEpoch.Add(time.Hour))},
				AssumedRoleUser: &types.AssumedRoleUser{Arn: aws.String("arn:aws:sts::123456789012:assumed-role/SAMLAdmin/jane"),
					AssumedRoleId: aws.String(w.admin.RoleID + ":jane")},
				Subject:       aws.String("jane@example.com"),
				SubjectType:   aws.String("persistent"),
				Issuer:        aws.String(oktaEntityID),
				Audience:      aws.String(samlSignIn),
				NameQualifier: aws.String(wantNameQualifier(oktaEntityID, "123456789012", "Okta")),
			}
			if diff := cmp.Diff(want, out, samlOpts); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			checkCredShape(t, out.Credentials, acctA)
			checkTokenFields(t, out.Credentials, out.SessionTokenSize, out.SessionTokenUtilization)
			id, err := w.e.GetCallerIdentity(typed(credsOf(out.Credentials)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(id.Arn); got != *want.AssumedRoleUser.Arn {
				t.Errorf("GetCallerIdentity Arn = %s, want %s", got, *want.AssumedRoleUser.Arn)
			}
		})
	}
}

// TestConformanceSAMLSubjectType pins SubjectType for the NameID formats AWS
// accepts (§11.2): SAML 2.0 formats lose their prefix, others stay whole.
func TestConformanceSAMLSubjectType(t *testing.T) {
	rows := []struct{ format, want string }{
		{"urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient"},
		{"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "persistent"},
		{"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"},
	}
	w := newSAMLWorld(t)
	for _, r := range rows {
		out, err := w.e.AssumeRoleWithSAML(context.Background(), samlIn(w.bare.ARN,
			w.assertion(func(a *federation.SAMLAssertion) { a.NameIDFormat = r.format })))
		if err != nil {
			t.Fatalf("%s: %v", r.format, err)
		}
		if got := aws.ToString(out.SubjectType); got != r.want {
			t.Errorf("format %s: SubjectType %q, want %q", r.format, got, r.want)
		}
	}
}

// samlRow is one request and the error STS answers it with.
type samlRow struct {
	name  string // the AWS behaviour pinned
	opts  []Option
	setup func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput
	want  *wantErr
	typed func(error) bool // the typed exception the SDK gives, when modelled
}

func isSAMLMalformedPolicy(err error) bool {
	var e *types.MalformedPolicyDocumentException
	return errors.As(err, &e)
}

// editResponse mints Jane's response for the admin role, lets edit change
// its XML after signing, and encodes it.
func editResponse(t *testing.T, w *samlWorld, a federation.SAMLAssertion, edit func(resp, assertion *etree.Element)) string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(oktaIdP().Response(a)); err != nil {
		t.Fatal(err)
	}
	edit(doc.Root(), doc.Root().SelectElement("Assertion"))
	raw, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

func runSAMLRows(t *testing.T, rows []samlRow) {
	t.Helper()
	for _, r := range rows {
		for _, p := range paths(nil) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				w := newSAMLWorld(t, r.opts...)
				api, ctx := paths(w.e).byName(p.name).unsigned()
				_, err := api.AssumeRoleWithSAML(ctx, r.setup(t, w))
				checkErr(t, err, r.want)
				if r.typed != nil && !r.typed(err) {
					t.Errorf("%T is not the modelled typed exception", err)
				}
			})
		}
	}
}

// samlReq returns a row's request: Jane's assertion, changed by edit, for
// the role role picks, with in changing the request.
func samlReq(role func(*samlWorld) string, edit func(*federation.SAMLAssertion), in func(*sts.AssumeRoleWithSAMLInput)) func(*testing.T, *samlWorld) *sts.AssumeRoleWithSAMLInput {
	return func(_ *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
		r := samlIn(role(w), w.assertion(edit))
		if in != nil {
			in(r)
		}
		return r
	}
}

func adminRole(w *samlWorld) string  { return w.admin.ARN }
func bareRole(w *samlWorld) string   { return w.bare.ARN }
func strictRole(w *samlWorld) string { return w.strictSub.ARN }

func TestConformanceSAMLErrors(t *testing.T) {
	denied := &wantErr{"AccessDenied", msgNotAuthzSAML, 403}
	ghost := "arn:aws:iam::123456789012:role/Ghost"
	invalid := func(msg string) *wantErr { return &wantErr{"InvalidIdentityToken", msg, 400} }
	validation := func(msg string) *wantErr { return &wantErr{"ValidationError", msg, 400} }
	runSAMLRows(t, []samlRow{
		{name: "PrincipalArn names no provider: Specified provider doesn't exist (§11.2 text; code fakests' choice)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) {
				in.PrincipalArn = aws.String("arn:aws:iam::123456789012:saml-provider/Nope")
			}),
			want: invalid("Specified provider doesn't exist."), typed: isInvalidToken},
		{name: "signed by another IdP instance with the same entity ID: Response signature invalid (§11.2)",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				return samlIn(w.admin.ARN, twinIdP().Assertion(w.baseAssertion()))
			},
			want: invalid("Response signature invalid"), typed: isInvalidToken},
		{name: "NotOnOrAfter passed on the engine clock: ExpiredTokenException 400 (§11.2; text fakests')",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				in := samlIn(w.admin.ARN, w.assertion(nil)) // valid until testEpoch+5min
				w.clk.Advance(6 * time.Minute)
				return in
			},
			want:  &wantErr{"ExpiredTokenException", "Response has expired", 400},
			typed: isExpiredToken},
		{name: "no RoleSessionName attribute (§11.2, AWS troubleshooting text)",
			setup: samlReq(adminRole, func(a *federation.SAMLAssertion) { a.SessionName = "" }, nil),
			want:  invalid("RoleSessionName is required in AuthnResponse"), typed: isInvalidToken},
		{name: "RoleSessionName attribute with a space (§11.2)",
			setup: samlReq(adminRole, func(a *federation.SAMLAssertion) { a.SessionName = "jane doe" }, nil),
			want:  invalid("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"), typed: isInvalidToken},
		{name: "the requested role is not among the assertion's Role pairs: AccessDenied (§11.2, §10)",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				return samlIn(w.bare.ARN, w.assertion(func(a *federation.SAMLAssertion) { a.Roles = []string{pair(w.admin.ARN)} }))
			},
			want: denied},
		{name: "trust condition saml:aud is the Recipient: a regional Recipient fails the sign-in endpoint condition (§12)",
			setup: samlReq(adminRole, func(a *federation.SAMLAssertion) { a.Recipient = "https://us-east-1.signin.aws.amazon.com/saml" }, nil),
			want:  denied},
		{name: "trust condition saml:sub: another user is denied (§12)",
			setup: samlReq(strictRole, func(a *federation.SAMLAssertion) { a.NameID = "bob@example.com" }, nil),
			want:  denied},
		{name: "PrincipalTag attributes need sts:TagSession in the trust policy (§7)",
			setup: samlReq(bareRole, func(a *federation.SAMLAssertion) { a.PrincipalTags = map[string]string{"Team": "blue"} }, nil),
			want:  denied},
		{name: "a SourceIdentity attribute needs sts:SetSourceIdentity (§8)",
			setup: samlReq(bareRole, func(a *federation.SAMLAssertion) { a.SourceIdentity = "jane" }, nil),
			want:  denied},
		{name: "transitive key not among the PrincipalTags (§7 text; InvalidIdentityToken is fakests' choice)",
			setup: samlReq(adminRole, func(a *federation.SAMLAssertion) {
				a.PrincipalTags, a.TransitiveTagKeys = map[string]string{"Team": "blue"}, []string{"Project"}
			}, nil),
			want: invalid("The specified transitive tag key must be included in the requested tags."), typed: isInvalidToken},
		{name: "DurationSeconds above the role's MaxSessionDuration (§5)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) { in.DurationSeconds = aws.Int32(3 * 3600) }),
			want:  validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")},
		{name: "strict mode: a role that was never created is AccessDenied (§10)", opts: []Option{Strict()},
			setup: samlReq(func(*samlWorld) string { return ghost }, func(a *federation.SAMLAssertion) { a.Roles = []string{pair(ghost)} }, nil),
			want:  denied},
		{name: "invalid session policy JSON: MalformedPolicyDocument (§6)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) { in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[`) }),
			want:  &wantErr{"MalformedPolicyDocument", "Syntax errors in policy.", 400}, typed: isSAMLMalformedPolicy},
		{name: "DurationSeconds below 900 (§3, §4)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) { in.DurationSeconds = aws.Int32(600) }),
			want:  validation("1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")},
		{name: "PrincipalArn shorter than 20 characters (§3, §4)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) { in.PrincipalArn = aws.String("arn:aws:iam::1:x") }),
			want:  validation("1 validation error detected: Value 'arn:aws:iam::1:x' at 'principalArn' failed to satisfy constraint: Member must have length greater than or equal to 20")},
		{name: "PrincipalArn that is not ARN-shaped: '<arn> is invalid' (§10)",
			setup: samlReq(adminRole, nil, func(in *sts.AssumeRoleWithSAMLInput) { in.PrincipalArn = aws.String("saml-provider/Okta-in-account-A") }),
			want:  validation("saml-provider/Okta-in-account-A is invalid")},
	})
}
