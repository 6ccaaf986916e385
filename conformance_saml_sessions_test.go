package fakests

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/beevik/etree"
	"github.com/fakests/fakests/federation"
)

// TestConformanceSAMLAttacks sends XML attacks through the whole stack: they
// reach the same verdicts as the federation package's own attack tests.
func TestConformanceSAMLAttacks(t *testing.T) {
	sigInvalid := &wantErr{"InvalidIdentityToken", "Response signature invalid", 400}
	malformed := &wantErr{"InvalidIdentityToken", msgSAMLMalformed, 400}
	evil := func(as *etree.Element) *etree.Element {
		e := as.Copy()
		e.RemoveChild(e.SelectElement("Signature"))
		e.RemoveAttr("ID")
		e.CreateAttr("ID", "_evil")
		e.FindElement("./Subject/NameID").SetText("admin@example.com")
		return e
	}
	runSAMLRows(t, []samlRow{
		{name: "XSW: an unsigned evil Assertion before the signed one",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				return samlIn(w.admin.ARN, editResponse(t, w, w.baseAssertion(), func(r, as *etree.Element) { r.InsertChildAt(as.Index(), evil(as)) }))
			},
			want: malformed, typed: isInvalidToken},
		{name: "XSW: the signed Assertion moved into Extensions, an evil one in its place",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				return samlIn(w.admin.ARN, editResponse(t, w, w.baseAssertion(), func(r, as *etree.Element) {
					e := evil(as)
					r.RemoveChild(as)
					r.CreateElement("samlp:Extensions").AddChild(as)
					r.AddChild(e)
				}))
			},
			want: malformed, typed: isInvalidToken},
		{name: "NameID edited after signing",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				return samlIn(w.admin.ARN, editResponse(t, w, w.baseAssertion(), func(_, as *etree.Element) {
					as.FindElement("./Subject/NameID").SetText("admin@example.com")
				}))
			},
			want: sigInvalid, typed: isInvalidToken},
		{name: "a DOCTYPE with an entity is refused before parsing",
			setup: func(t *testing.T, w *samlWorld) *sts.AssumeRoleWithSAMLInput {
				raw := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "x">]>` + string(oktaIdP().Response(w.baseAssertion()))
				return samlIn(w.admin.ARN, base64.StdEncoding.EncodeToString([]byte(raw)))
			},
			want: malformed, typed: isInvalidToken},
	})

	// A comment inside the signed NameID "alice.evil" must not truncate it to
	// "alice": the signature still verifies and the Subject is the whole value.
	for _, p := range paths(nil) {
		t.Run("comment in NameID/"+p.name, func(t *testing.T) {
			w := newSAMLWorld(t)
			a := w.baseAssertion()
			a.NameID = "alice.evil"
			b64 := editResponse(t, w, a, func(_, as *etree.Element) {
				nid := as.FindElement("./Subject/NameID")
				nid.SetText("alice")
				nid.CreateComment("")
				nid.CreateText(".evil")
			})
			raw, _ := base64.StdEncoding.DecodeString(b64)
			if !strings.Contains(string(raw), "alice<!---->.evil") {
				t.Fatal("the test did not build the comment")
			}
			api, ctx := paths(w.e).byName(p.name).unsigned()
			out, err := api.AssumeRoleWithSAML(ctx, samlIn(w.admin.ARN, b64))
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Subject); got != "alice.evil" {
				t.Errorf("Subject = %q, want the whole signed value alice.evil", got)
			}
		})
	}
}

// TestConformanceSAMLSessions pins what the assertion gives the session on
// both paths: durations (§5, §11.2), tags and source identity (§7, §8), the
// saml:* keys that persist into a chained AssumeRole (§12), and which
// roles may be reached (§10, §11.2).
func TestConformanceSAMLSessions(t *testing.T) {
	type row struct {
		name  string // the AWS behaviour pinned
		opts  []Option
		role  func(w *samlWorld) string
		edit  func(a *federation.SAMLAssertion, w *samlWorld)
		in    func(in *sts.AssumeRoleWithSAMLInput)
		check func(t *testing.T, w *samlWorld, out *sts.AssumeRoleWithSAMLOutput)
	}
	expires := func(d time.Duration) func(*testing.T, *samlWorld, *sts.AssumeRoleWithSAMLOutput) {
		return func(t *testing.T, _ *samlWorld, out *sts.AssumeRoleWithSAMLOutput) {
			if got, want := aws.ToTime(out.Credentials.Expiration), testEpoch.Add(d); !got.Equal(want) {
				t.Errorf("Expiration %v, want %v", got, want)
			}
		}
	}
	admin := adminRole
	rows := []row{
		{name: "SessionNotOnOrAfter shortens the session below DurationSeconds (§5: the lesser wins)", role: admin,
			edit: func(a *federation.SAMLAssertion, _ *samlWorld) {
				a.SessionNotOnOrAfter = testEpoch.Add(20 * time.Minute)
			},
			check: expires(20 * time.Minute)},
		{name: "a later SessionNotOnOrAfter leaves DurationSeconds alone", role: admin,
			edit:  func(a *federation.SAMLAssertion, _ *samlWorld) { a.SessionNotOnOrAfter = testEpoch.Add(8 * time.Hour) },
			in:    func(in *sts.AssumeRoleWithSAMLInput) { in.DurationSeconds = aws.Int32(7200) },
			check: expires(2 * time.Hour)},
		{name: "the SessionDuration attribute shortens an API session (§11.2)", role: admin,
			edit:  func(a *federation.SAMLAssertion, _ *samlWorld) { a.SessionDuration = 1800 },
			in:    func(in *sts.AssumeRoleWithSAMLInput) { in.DurationSeconds = aws.Int32(7200) },
			check: expires(30 * time.Minute)},
		{name: "a SessionDuration longer than the default does not lengthen it", role: admin,
			edit:  func(a *federation.SAMLAssertion, _ *samlWorld) { a.SessionDuration = 5400 },
			check: expires(time.Hour)},
		{name: "every saml:* key the strict trust policy names matches Jane's login (§12)",
			role: func(w *samlWorld) string { return w.strictSub.ARN }, check: expires(time.Hour)},
		{name: "lenient mode: a role that was never created is assumed as an implicit role",
			role: func(*samlWorld) string { return "arn:aws:iam::123456789012:role/Ghost" },
			edit: func(a *federation.SAMLAssertion, _ *samlWorld) {
				a.Roles = []string{pair("arn:aws:iam::123456789012:role/Ghost")}
			},
			check: func(t *testing.T, _ *samlWorld, out *sts.AssumeRoleWithSAMLOutput) {
				if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/Ghost/jane" {
					t.Errorf("AssumedRoleUser.Arn %s", got)
				}
			}},
		{name: "a Role pair written provider first is accepted (§11.2: either order)", role: admin,
			edit:  func(a *federation.SAMLAssertion, w *samlWorld) { a.Roles = []string{samlProvARN + "," + w.admin.ARN} },
			check: expires(time.Hour)},
		{name: "a session policy gives PackedPolicySize (§6)", role: admin,
			in: func(in *sts.AssumeRoleWithSAMLInput) {
				in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
			},
			check: func(t *testing.T, _ *samlWorld, out *sts.AssumeRoleWithSAMLOutput) {
				if p := aws.ToInt32(out.PackedPolicySize); out.PackedPolicySize == nil || p <= 0 || p > 100 {
					t.Errorf("PackedPolicySize %v, want a percentage in 1–100", out.PackedPolicySize)
				}
			}},
		{name: "tags and source identity from attributes; transitive tags and saml:sub/namequalifier reach a chained AssumeRole, saml:iss does not (§7, §8, §12)",
			role: admin,
			edit: func(a *federation.SAMLAssertion, _ *samlWorld) {
				a.PrincipalTags = map[string]string{"Team": "blue", "Cost": "42"}
				a.TransitiveTagKeys = []string{"Team"}
				a.SourceIdentity = "jane"
			},
			check: func(t *testing.T, w *samlWorld, out *sts.AssumeRoleWithSAMLOutput) {
				if got := aws.ToString(out.SourceIdentity); got != "jane" {
					t.Errorf("SourceIdentity %q, want jane", got)
				}
				if out.PackedPolicySize == nil {
					t.Error("PackedPolicySize absent, want it with session tags (§6)")
				}
				sess := credsOf(out.Credentials)
				chained, err := newClient(w.e, sess).AssumeRole(context.Background(), &sts.AssumeRoleInput{
					RoleArn: aws.String(w.next.ARN), RoleSessionName: aws.String("chained")})
				if err != nil {
					t.Fatalf("chained AssumeRole to Next: %v", err)
				}
				if got := aws.ToString(chained.SourceIdentity); got != "jane" {
					t.Errorf("chained SourceIdentity %q, want jane (it persists, §8)", got)
				}
				_, err = w.e.AssumeRole(typed(sess), &sts.AssumeRoleInput{RoleArn: aws.String(w.needIss.ARN), RoleSessionName: aws.String("chained")})
				checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/SAMLAdmin/jane is not authorized to perform: sts:AssumeRole on resource: " + w.needIss.ARN, 403})
			}},
	}
	for _, r := range rows {
		for _, p := range paths(nil) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				w := newSAMLWorld(t, r.opts...)
				a := w.baseAssertion()
				if r.edit != nil {
					r.edit(&a, w)
				}
				in := samlIn(r.role(w), oktaIdP().Assertion(a))
				if r.in != nil {
					r.in(in)
				}
				api, ctx := paths(w.e).byName(p.name).unsigned()
				out, err := api.AssumeRoleWithSAML(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				r.check(t, w, out)
			})
		}
	}
}

// TestCreateSAMLProvider pins the administration call's answers.
func TestCreateSAMLProvider(t *testing.T) {
	e, _ := newTestEngine(t)
	md := oktaIdP().Metadata()
	// The refusals are fakests' own texts (an administration call, not STS).
	rows := []struct {
		name    string
		spec    SAMLProviderSpec
		wantARN string // "" when an error is expected
		wantErr string // the refusal's text
	}{
		{"default account", SAMLProviderSpec{Name: "Okta", Metadata: md}, "arn:aws:iam::123456789012:saml-provider/Okta", ""},
		{"another account", SAMLProviderSpec{Account: acctB, Name: "Okta", Metadata: md}, "arn:aws:iam::210987654321:saml-provider/Okta", ""},
		{"the same name twice in one account", SAMLProviderSpec{Name: "Okta", Metadata: md}, "",
			"fakests: SAML provider arn:aws:iam::123456789012:saml-provider/Okta already exists"},
		{"a name with a slash", SAMLProviderSpec{Name: "a/b", Metadata: md}, "",
			`fakests: SAML provider name "a/b" must be 1-128 characters of [A-Za-z0-9_.-]`},
		{"an empty name", SAMLProviderSpec{Metadata: md}, "",
			`fakests: SAML provider name "" must be 1-128 characters of [A-Za-z0-9_.-]`},
		{"a 129-character name", SAMLProviderSpec{Name: strings.Repeat("n", 129), Metadata: md}, "",
			`fakests: SAML provider name "` + strings.Repeat("n", 129) + `" must be 1-128 characters of [A-Za-z0-9_.-]`},
		{"a bad account", SAMLProviderSpec{Account: "12", Name: "X", Metadata: md}, "",
			`fakests: account "12" is not 12 digits`},
		{"metadata that is not XML", SAMLProviderSpec{Name: "Broken", Metadata: []byte("not xml")}, "",
			"fakests: SAML provider Broken: saml metadata: xml rejected: text outside the root element"},
		{"metadata without a signing certificate", SAMLProviderSpec{Name: "NoCert", Metadata: []byte(
			`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor/></md:EntityDescriptor>`)}, "",
			"fakests: SAML provider NoCert: saml metadata: no signing certificate"},
	}
	for _, r := range rows {
		arn, err := e.CreateSAMLProvider(r.spec)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if arn != r.wantARN || gotErr != r.wantErr {
			t.Errorf("%s: got %q, %q; want %q, %q", r.name, arn, gotErr, r.wantARN, r.wantErr)
		}
	}
}
