package fakests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
)

// These tests pin the journal (behaviour §21) on the typed path and through
// a real client: every call, failed ones too, its identity as CloudTrail
// writes it, no secret, the request ID the client saw, the bound.

// requestIDOf returns the request ID an SDK error carries.
func requestIDOf(t *testing.T, err error) string {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v carries no request ID", err)
	}
	return re.ServiceRequestID()
}

// eventSummary is what a test compares of an event in a sequence.
type eventSummary struct {
	Name, Identity, ErrorCode, ErrorMessage string
}

func summarize(evs []Event) []eventSummary {
	var out []eventSummary
	for _, ev := range evs {
		out = append(out, eventSummary{ev.EventName, ev.UserIdentity.Type, ev.ErrorCode, ev.ErrorMessage})
	}
	return out
}

// TestJournalEveryCall pins that successes and failures are journaled in
// order, with the error CloudTrail writes and the request ID the caller's
// error carries.
func TestJournalEveryCall(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			u := mustUser(t, e, UserSpec{Name: "alice", Policies: []string{allowAssume}})
			api, ctx := paths(e).byName(p.name).api(u.Credentials)
			if _, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
				t.Fatal(err)
			}
			missing := "arn:aws:iam::123456789012:role/never-created"
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("s1")})
			if err == nil {
				t.Fatal("AssumeRole of a missing role succeeded")
			}
			_, err2 := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("x")})
			if _, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)}); err != nil {
				t.Fatal(err)
			}
			evs := e.Events()
			want := []eventSummary{
				{"GetCallerIdentity", "IAMUser", "", ""},
				{"AssumeRole", "IAMUser", "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/never-created"},
				{"AssumeRole", "IAMUser", "ValidationError", "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
				{"GetSessionToken", "IAMUser", "", ""},
			}
			if diff := cmp.Diff(want, summarize(evs)); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}
			if got := requestIDOf(t, err); evs[1].RequestID != got {
				t.Errorf("event RequestID %s, want the error's %s", evs[1].RequestID, got)
			}
			if got := requestIDOf(t, err2); evs[2].RequestID != got {
				t.Errorf("event RequestID %s, want the error's %s", evs[2].RequestID, got)
			}
			// CloudTrail: GetCallerIdentity has null requestParameters and
			// responseElements; a failed call null responseElements and its
			// parameters.
			if evs[0].RequestParameters != nil || evs[0].ResponseElements != nil {
				t.Errorf("GetCallerIdentity: parameters %v, elements %v, want both nil", evs[0].RequestParameters, evs[0].ResponseElements)
			}
			if diff := cmp.Diff(map[string]any{"roleArn": missing, "roleSessionName": "s1"}, evs[1].RequestParameters); diff != "" {
				t.Errorf("failed AssumeRole's requestParameters (-want +got):\n%s", diff)
			}
			if evs[1].ResponseElements != nil {
				t.Errorf("failed AssumeRole's responseElements %v, want nil", evs[1].ResponseElements)
			}
			if got := evs[3].RequestParameters["durationSeconds"]; got != float64(900) {
				t.Errorf("durationSeconds = %#v, want 900 (a JSON number)", got)
			}
			for _, ev := range evs {
				if ev.RecipientAccountID != "123456789012" || ev.AWSRegion != "us-east-1" || !ev.ReadOnly {
					t.Errorf("%s: recipient %s, region %s, readOnly %v", ev.EventName, ev.RecipientAccountID, ev.AWSRegion, ev.ReadOnly)
				}
				if ev.UserIdentity.AccessKeyID != u.Credentials.AccessKeyID {
					t.Errorf("%s: accessKeyId %s, want the caller's", ev.EventName, ev.UserIdentity.AccessKeyID)
				}
			}
		})
	}
}

// TestJournalClientRequestIDOnSuccess pins that a success's event carries
// the x-amzn-RequestId the client read.
func TestJournalClientRequestIDOnSuccess(t *testing.T) {
	e, _ := newTestEngine(t)
	out, err := newClient(e, e.DefaultUser().Credentials).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	if evs := e.Events(); len(evs) != 1 || evs[0].RequestID != id || id == "" {
		t.Fatalf("events %+v, want one with RequestID %q", evs, id)
	}
}

// TestJournalUnknownCaller pins the identity of a call that failed
// authentication: Unknown, with the access key it presented.
func TestJournalUnknownCaller(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			api, ctx := paths(e).byName(p.name).api(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "x"})
			_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			checkErr(t, err, &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403})
			evs := e.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			want := UserIdentity{Type: "Unknown", AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}
			if diff := cmp.Diff(want, evs[0].UserIdentity); diff != "" {
				t.Errorf("userIdentity (-want +got):\n%s", diff)
			}
			if evs[0].ErrorCode != "InvalidClientTokenId" || evs[0].RequestID != requestIDOf(t, err) {
				t.Errorf("event %+v", evs[0])
			}
		})
	}
}

// TestJournalNoSecret pins that no event holds a secret access key, an MFA
// code, a web identity token or a SAML assertion, whichever operation
// issued or carried it (behaviour §21).
func TestJournalNoSecret(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t)
			e := w.e
			idp := federation.NewSAMLIdP("https://idp.example.com/saml", federation.WithSAMLClock(w.clk.Now))
			samlARN, err := e.CreateSAMLProvider(SAMLProviderSpec{Name: "Corp", Metadata: idp.Metadata()})
			if err != nil {
				t.Fatal(err)
			}
			samlRole := mustRole(t, e, RoleSpec{Name: "SAMLRole", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` +
				samlARN + `"},"Action":"sts:AssumeRoleWithSAML"}]}`})
			u := mustUser(t, e, UserSpec{Name: "mia", Policies: []string{allowAssume}})
			dev, err := e.CreateVirtualMFADevice(u.ARN)
			if err != nil {
				t.Fatal(err)
			}
			role := mustRole(t, e, RoleSpec{Name: "target", TrustPolicy: trustPrincipal(u.ARN)})
			path := paths(e).byName(p.name)
			api, ctx := path.api(u.Credentials)
			var secrets []string
			keep := func(s *string) {
				if s != nil {
					secrets = append(secrets, *s)
				}
			}
			code := dev.Code(e.Now())
			st, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(code)})
			if err != nil {
				t.Fatal(err)
			}
			keep(st.Credentials.SecretAccessKey)
			secrets = append(secrets, code)
			ft, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed")})
			if err != nil {
				t.Fatal(err)
			}
			keep(ft.Credentials.SecretAccessKey)
			w.clk.Advance(30e9) // the next MFA step: a code works once per step (§9)
			code2 := dev.Code(e.Now())
			ar, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("s1"),
				SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(code2)})
			if err != nil {
				t.Fatal(err)
			}
			keep(ar.Credentials.SecretAccessKey)
			secrets = append(secrets, code2)
			unsigned, uctx := path.unsigned()
			token := w.token(nil)
			wi, err := unsigned.AssumeRoleWithWebIdentity(uctx, webIn(w.deploy.ARN, token))
			if err != nil {
				t.Fatal(err)
			}
			keep(wi.Credentials.SecretAccessKey)
			assertion := idp.Assertion(federation.SAMLAssertion{NameID: "jane@example.com", SessionName: "jane",
				Roles: []string{samlRole.ARN + "," + samlARN}})
			sa, err := unsigned.AssumeRoleWithSAML(uctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRole.ARN),
				PrincipalArn: aws.String(samlARN), SAMLAssertion: aws.String(assertion)})
			if err != nil {
				t.Fatal(err)
			}
			keep(sa.Credentials.SecretAccessKey)
			// A token that fails verification is kept out too.
			if _, err := unsigned.AssumeRoleWithWebIdentity(uctx, webIn(w.deploy.ARN, token+"x")); err == nil {
				t.Fatal("a tampered token was accepted")
			}
			secrets = append(secrets, token, assertion)

			evs := e.Events()
			if len(evs) != 6 {
				t.Fatalf("%d events, want 6", len(evs))
			}
			b, err := json.Marshal(evs)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				if strings.Contains(string(b), s) {
					t.Errorf("the journal holds the secret %.20q…", s)
				}
			}
			for _, name := range []string{"secretAccessKey", "tokenCode", "webIdentityToken", "sAMLAssertion"} {
				if strings.Contains(string(b), `"`+name+`"`) {
					t.Errorf("the journal has a %s member", name)
				}
			}
			// What is kept: the key ID, token and expiration of issued
			// credentials, the MFA serial number.
			creds, _ := evs[2].ResponseElements["credentials"].(map[string]any)
			if creds["accessKeyId"] != aws.ToString(ar.Credentials.AccessKeyId) || creds["sessionToken"] != aws.ToString(ar.Credentials.SessionToken) ||
				creds["expiration"] == nil || evs[2].RequestParameters["serialNumber"] != dev.SerialNumber {
				t.Errorf("AssumeRole event: parameters %v, credentials %v", evs[2].RequestParameters, creds)
			}
		})
	}
}

// TestJournalFederatedCallers pins the userIdentity of the unsigned
// operations (behaviour §21): SAMLUser and WebIdentityUser, with the
// principal ID CloudTrail builds, and the resources named.
func TestJournalFederatedCallers(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newOIDCWorld(t)
			api, ctx := paths(w.e).byName(p.name).unsigned()
			out, err := api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, w.token(nil)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRoleWithWebIdentity(ctx, webIn(w.deploy.ARN, "not-a-jwt"))
			if err == nil {
				t.Fatal("a malformed token was accepted")
			}
			evs := w.e.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2", len(evs))
			}
			want := UserIdentity{Type: "WebIdentityUser",
				PrincipalID:      ghProviderARN + ":sts.amazonaws.com:repo:o/r:ref:refs/heads/main",
				UserName:         "repo:o/r:ref:refs/heads/main",
				IdentityProvider: ghProviderARN}
			if diff := cmp.Diff(want, evs[0].UserIdentity); diff != "" {
				t.Errorf("userIdentity (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(UserIdentity{Type: "WebIdentityUser"}, evs[1].UserIdentity); diff != "" {
				t.Errorf("failed call's userIdentity (-want +got):\n%s", diff)
			}
			if evs[1].ErrorCode != "InvalidIdentityToken" || evs[1].RequestID != requestIDOf(t, err) {
				t.Errorf("failed call's event %+v", evs[1])
			}
			re := evs[0].ResponseElements
			if re["provider"] != ghProviderARN || re["subjectFromWebIdentityToken"] != "repo:o/r:ref:refs/heads/main" ||
				re["audience"] != "sts.amazonaws.com" || re["assumedRoleUser"] == nil {
				t.Errorf("responseElements %v", re)
			}
			if diff := cmp.Diff([]Resource{{ARN: w.deploy.ARN, AccountID: "123456789012", Type: "AWS::IAM::Role"}}, evs[0].Resources); diff != "" {
				t.Errorf("resources (-want +got):\n%s", diff)
			}
			if evs[0].RecipientAccountID != "123456789012" || evs[0].SharedEventID != "" {
				t.Errorf("recipient %s, shared %q", evs[0].RecipientAccountID, evs[0].SharedEventID)
			}
			_ = out

			// The role session the token gave: AssumedRole, with the provider
			// in webIdFederationData.
			api2, ctx2 := paths(w.e).byName(p.name).api(credsOf(out.Credentials))
			if _, err := api2.GetCallerIdentity(ctx2, nil); err != nil {
				t.Fatal(err)
			}
			sc := w.e.Events()[2].UserIdentity.SessionContext
			if sc == nil || sc.WebIDFederationData == nil || sc.WebIDFederationData.FederatedProvider != ghProviderARN ||
				sc.SessionIssuer == nil || sc.SessionIssuer.ARN != w.deploy.ARN {
				t.Errorf("sessionContext %+v", sc)
			}
		})
	}
}

// TestJournalSAMLCaller pins AssumeRoleWithSAML's event: a SAMLUser
// "<name qualifier>:<subject>", the role and the SAML provider as
// resources, the assertion's facts in responseElements.
func TestJournalSAMLCaller(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newSAMLWorld(t)
			api, ctx := paths(w.e).byName(p.name).unsigned()
			if _, err := api.AssumeRoleWithSAML(ctx, samlIn(w.bare.ARN, w.assertion(nil))); err != nil {
				t.Fatal(err)
			}
			evs := w.e.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			nq := wantNameQualifier(oktaEntityID, acctA, samlProvName)
			want := UserIdentity{Type: "SAMLUser", PrincipalID: nq + ":jane@example.com", UserName: "jane@example.com", IdentityProvider: nq}
			if diff := cmp.Diff(want, evs[0].UserIdentity); diff != "" {
				t.Errorf("userIdentity (-want +got):\n%s", diff)
			}
			wantRes := []Resource{{ARN: w.bare.ARN, AccountID: acctA, Type: "AWS::IAM::Role"},
				{ARN: samlProvARN, AccountID: acctA, Type: "AWS::IAM::SAMLProvider"}}
			if diff := cmp.Diff(wantRes, evs[0].Resources); diff != "" {
				t.Errorf("resources (-want +got):\n%s", diff)
			}
			re := evs[0].ResponseElements
			for _, k := range []string{"subject", "subjectType", "issuer", "audience", "nameQualifier", "credentials", "assumedRoleUser"} {
				if re[k] == nil {
					t.Errorf("responseElements has no %s: %v", k, re)
				}
			}
			if _, ok := evs[0].RequestParameters["sAMLAssertion"]; ok || evs[0].RequestParameters["principalArn"] != samlProvARN {
				t.Errorf("requestParameters %v", evs[0].RequestParameters)
			}
		})
	}
}

// TestJournalSessionIdentities pins the userIdentity of temporary
// credentials: a GetSessionToken session with MFA (IAMUser, mfaAuthenticated
// "true", empty sessionIssuer and webIdFederationData as CloudTrail writes
// them), a federated user (its IAM user as session issuer), and root.
func TestJournalSessionIdentities(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "mia", Path: "/ops/", Policies: []string{allowAssume}})
	dev, err := e.CreateVirtualMFADevice(u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.GetSessionToken(typed(u.Credentials), &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(e.Now()))})
	if err != nil {
		t.Fatal(err)
	}
	ft, err := e.GetFederationToken(typed(u.Credentials), &sts.GetFederationTokenInput{Name: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	rootKey := e.RootCredentials("123456789012")
	e.ResetEvents()
	for _, creds := range []aws.Credentials{credsOf(st.Credentials), credsOf(ft.Credentials), rootKey} {
		if _, err := e.GetCallerIdentity(typed(creds), nil); err != nil {
			t.Fatal(err)
		}
	}
	evs := e.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	attrs := SessionAttributes{CreationDate: testEpoch, MFAAuthenticated: "true"}
	want := []UserIdentity{
		{Type: "IAMUser", PrincipalID: u.UserID, ARN: u.ARN, AccountID: "123456789012", AccessKeyID: aws.ToString(st.Credentials.AccessKeyId),
			UserName: "mia", SessionContext: &SessionContext{SessionIssuer: &SessionIssuer{},
				WebIDFederationData: &WebIDFederationData{Attributes: map[string]string{}}, Attributes: attrs}},
		{Type: "FederatedUser", PrincipalID: "123456789012:bob", ARN: "arn:aws:sts::123456789012:federated-user/bob", AccountID: "123456789012",
			AccessKeyID: aws.ToString(ft.Credentials.AccessKeyId), SessionContext: &SessionContext{
				SessionIssuer: &SessionIssuer{Type: "IAMUser", PrincipalID: u.UserID, ARN: "arn:aws:iam::123456789012:user/ops/mia", AccountID: "123456789012", UserName: "mia"},
				Attributes:    SessionAttributes{CreationDate: testEpoch, MFAAuthenticated: "false"}}},
		{Type: "Root", PrincipalID: "123456789012", ARN: "arn:aws:iam::123456789012:root", AccountID: "123456789012", AccessKeyID: rootKey.AccessKeyID},
	}
	for i := range want {
		if diff := cmp.Diff(want[i], evs[i].UserIdentity); diff != "" {
			t.Errorf("userIdentity %d (-want +got):\n%s", i, diff)
		}
	}
	// As CloudTrail writes a GetSessionToken session's context.
	b, _ := json.Marshal(evs[0].UserIdentity.SessionContext)
	if got, want := string(b), `{"sessionIssuer":{},"webIdFederationData":{"attributes":{}},"attributes":{"creationDate":"2030-06-01T12:00:00Z","mfaAuthenticated":"true"}}`; got != want {
		t.Errorf("sessionContext\n got %s\nwant %s", got, want)
	}
}

// TestJournalHandler pins what only the Handler knows: the client's address
// and User-Agent.
func TestJournalHandler(t *testing.T) {
	e, _ := newTestEngine(t)
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	client := sts.NewFromConfig(aws.Config{Region: e.Region(), BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.NewCredentialsCache(staticCreds(e.DefaultUser().Credentials))})
	if _, err := client.GetCallerIdentity(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	evs := e.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	if evs[0].SourceIPAddress != "127.0.0.1" || !strings.HasPrefix(evs[0].UserAgent, "aws-sdk-go-v2/") {
		t.Errorf("sourceIPAddress %q, userAgent %q", evs[0].SourceIPAddress, evs[0].UserAgent)
	}
}

// TestJournalBounded pins the bound: the newest N events are kept, oldest
// first (WithJournalSize; default 10,000), 0 keeps none, and ResetEvents
// empties the journal.
func TestJournalBounded(t *testing.T) {
	call := func(e *Engine, i int) {
		e.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/none"),
			RoleSessionName: aws.String(fmt.Sprintf("s%05d", i))})
	}
	names := func(evs []Event) []string {
		var out []string
		for _, ev := range evs {
			out = append(out, fmt.Sprint(ev.RequestParameters["roleSessionName"]))
		}
		return out
	}
	e, _ := newTestEngine(t, Strict(), WithJournalSize(3))
	for i := 1; i <= 5; i++ {
		call(e, i)
	}
	if diff := cmp.Diff([]string{"s00003", "s00004", "s00005"}, names(e.Events())); diff != "" {
		t.Errorf("WithJournalSize(3) after 5 calls (-want +got):\n%s", diff)
	}
	e.ResetEvents()
	if evs := e.Events(); len(evs) != 0 {
		t.Errorf("after ResetEvents: %d events", len(evs))
	}
	call(e, 6)
	call(e, 7)
	if diff := cmp.Diff([]string{"s00006", "s00007"}, names(e.Events())); diff != "" {
		t.Errorf("after ResetEvents and 2 calls (-want +got):\n%s", diff)
	}

	off, _ := newTestEngine(t, Strict(), WithJournalSize(0))
	call(off, 1)
	if evs := off.Events(); len(evs) != 0 {
		t.Errorf("WithJournalSize(0) kept %d events", len(evs))
	}

	def, _ := newTestEngine(t, Strict())
	for i := 1; i <= 10001; i++ {
		call(def, i)
	}
	evs := def.Events()
	if len(evs) != 10000 || names(evs)[0] != "s00002" || names(evs)[9999] != "s10001" {
		t.Errorf("default bound: %d events, first %v", len(evs), names(evs[:1]))
	}
}

// TestJournalEventsAreCopies pins that Events hands out copies.
func TestJournalEventsAreCopies(t *testing.T) {
	e, _ := newTestEngine(t)
	out, err := e.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		RoleSessionName: aws.String("s1"), SourceIdentity: aws.String("me")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.GetCallerIdentity(typed(credsOf(out.Credentials)), nil); err != nil {
		t.Fatal(err)
	}
	first := e.Events()
	first[0].RequestParameters["roleArn"] = "changed"
	first[0].ResponseElements["credentials"].(map[string]any)["accessKeyId"] = "changed"
	first[0].Resources[0].ARN = "changed"
	first[1].UserIdentity.SessionContext.SessionIssuer.ARN = "changed"
	first[1].UserIdentity.SessionContext.Attributes.MFAAuthenticated = "changed"
	if diff := cmp.Diff(e.Events(), first); diff == "" {
		t.Fatal("changing the returned events changed the journal")
	}
	second := e.Events()
	if second[0].RequestParameters["roleArn"] != "arn:aws:iam::123456789012:role/r" || second[0].Resources[0].ARN == "changed" ||
		second[1].UserIdentity.SessionContext.SessionIssuer.ARN == "changed" || second[1].UserIdentity.SessionContext.Attributes.MFAAuthenticated != "false" {
		t.Errorf("the journal changed: %+v", second)
	}
}

// TestJournalConcurrent calls one engine from many goroutines, on both
// paths, while others read and reset the journal (run with -race).
func TestJournalConcurrent(t *testing.T) {
	e, _ := newTestEngine(t, WithJournalSize(50))
	client := newClient(e, e.DefaultUser().Credentials)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				var api stsAPI = e
				if i%2 == 0 {
					api = client
				}
				api.GetCallerIdentity(context.Background(), nil)
				api.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("s1")})
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 30; i++ {
			for _, ev := range e.Events() {
				if ev.EventName == "" {
					t.Error("an event without a name")
				}
			}
			if i%10 == 0 {
				e.ResetEvents()
			}
		}
	}()
	wg.Wait()
	e.ResetEvents()
	e.GetCallerIdentity(context.Background(), nil)
	if n := len(e.Events()); n != 1 {
		t.Errorf("%d events after a reset and one call", n)
	}
}

// TestJournalAuthorizeEvents pins WithAuthorizeEvents: a decision of an
// emulated service is journaled with the statement that decided it.
func TestJournalAuthorizeEvents(t *testing.T) {
	e, _ := newTestEngine(t, WithAuthorizeEvents())
	u := mustUser(t, e, UserSpec{Name: "dev", Policies: []string{`{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},` +
		`{"Sid":"NoSecrets","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/secret/*"}]}`}})
	p, err := e.Principal(u.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range []string{"arn:aws:s3:::bucket/public/a", "arn:aws:s3:::bucket/secret/b"} {
		if _, err := e.Authorize(context.Background(), p, Request{Action: "s3:GetObject", Resource: res}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Authorize(context.Background(), p, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/x"}); err != nil {
		t.Fatal(err)
	}
	evs := e.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	if evs[0].EventSource != "s3.amazonaws.com" || evs[0].EventName != "GetObject" || evs[0].ErrorCode != "" || evs[0].UserIdentity.ARN != u.ARN {
		t.Errorf("allowed: %+v", evs[0])
	}
	if evs[1].ErrorCode != "AccessDenied" ||
		evs[1].ErrorMessage != "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::bucket/secret/b" {
		t.Errorf("denied: %q %q", evs[1].ErrorCode, evs[1].ErrorMessage)
	}
	deciding := func(ev Event) any {
		a, _ := ev.AdditionalEventData["authorization"].(map[string]any)
		return a["decidingStatement"]
	}
	if diff := cmp.Diff(map[string]any{"policy": "user/dev-inline-1", "sid": "Read", "index": float64(0), "effect": "Allow"}, deciding(evs[0])); diff != "" {
		t.Errorf("allowed by (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"policy": "user/dev-inline-1", "sid": "NoSecrets", "index": float64(1), "effect": "Deny"}, deciding(evs[1])); diff != "" {
		t.Errorf("denied by (-want +got):\n%s", diff)
	}
	if got := deciding(evs[2]); got != nil || evs[2].ErrorCode != "AccessDenied" {
		t.Errorf("implicit deny: deciding %v, error %q", got, evs[2].ErrorCode)
	}

	quiet, _ := newTestEngine(t)
	qp, _ := quiet.Principal(quiet.DefaultUser().Credentials)
	quiet.Authorize(context.Background(), qp, Request{Action: "s3:GetObject", Resource: "*"})
	if n := len(quiet.Events()); n != 0 {
		t.Errorf("without WithAuthorizeEvents Authorize journaled %d events", n)
	}
}

// TestJournalRestore pins the accessors Snapshot and Restore use: the
// events go out and back in unchanged, trimmed to the journal's size.
func TestJournalRestore(t *testing.T) {
	e, _ := newTestEngine(t)
	out, err := e.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/r"), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	e.GetCallerIdentity(typed(credsOf(out.Credentials)), nil)
	evs := e.journalEvents()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3 (a cross-account call and one more)", len(evs))
	}
	other, _ := newTestEngine(t)
	other.restoreJournal(evs)
	if diff := cmp.Diff(evs, other.Events()); diff != "" {
		t.Errorf("restored journal (-want +got):\n%s", diff)
	}
	small, _ := newTestEngine(t, WithJournalSize(2))
	small.restoreJournal(evs)
	if diff := cmp.Diff(evs[1:], small.Events()); diff != "" {
		t.Errorf("restored into a smaller journal (-want +got):\n%s", diff)
	}
}
