package fakests

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
)

// This file pins Snapshot and Restore (behaviour §23): a snapshot holds all
// of the state, its JSON restores into a new engine that answers every
// credential as the first did and then changes as the first does, and a
// snapshot that is refused changes nothing.

// restoreJSON restores doc into a new engine made with opts.
func restoreJSON(t testing.TB, doc []byte, opts ...Option) *Engine {
	t.Helper()
	var s Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	e := New(opts...)
	if err := e.Restore(&s); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSnapshotJSONRestoresEqual restores a snapshot of every kind of state
// through its JSON into a new engine, and in memory into another: each
// marshals to the same bytes as the original.
func TestSnapshotJSONRestoresEqual(t *testing.T) {
	w := newFullWorld(t, 1)
	doc := marshalState(t, w.e)
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	// Every kind of state of behaviour §23 is there.
	for _, k := range []string{"version", "defaultUser", "authorizationMessageKey", "accounts", "users", "roles", "managedPolicies",
		"rootKeys", "mfaDevices", "oidcProviders", "samlProviders", "organizations", "optInRegions", "stsDeactivated",
		"outboundFederation", "delegations", "sessions", "faults", "journal"} {
		if m[k] == nil {
			t.Errorf("the snapshot has no %q", k)
		}
	}
	if v, _ := m["version"].(float64); v != 1 {
		t.Errorf("version %v, want 1", m["version"])
	}
	if diff := docDiff(doc, marshalState(t, restoreJSON(t, doc, worldOptions...))); diff != "" {
		t.Errorf("the engine restored from JSON marshals differently (-original +restored):\n%s", diff)
	}
	e3 := New(worldOptions...)
	if err := e3.Restore(w.e.Snapshot()); err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(doc, marshalState(t, e3)); diff != "" {
		t.Errorf("the engine restored in memory marshals differently (-original +restored):\n%s", diff)
	}
}

// TestRestoreForgetsLaterCredentials restores an engine to a snapshot:
// what was issued and created after it stops working, what it held works.
func TestRestoreForgetsLaterCredentials(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newFullWorld(t, 2)
			snap := w.e.Snapshot()
			later := w.sessionOf(t, p)
			bob := mustUser(t, w.e, UserSpec{Name: "bob"})
			if err := w.e.Restore(snap); err != nil {
				t.Fatal(err)
			}
			invalid := &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403}
			for _, creds := range []aws.Credentials{later, bob.Credentials} {
				api, ctx := paths(w.e).byName(p.name).api(creds)
				_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				checkErr(t, err, invalid)
			}
			api, ctx := paths(w.e).byName(p.name).api(w.creds[opAssumeRole])
			out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Arn); got != "arn:aws:sts::123456789012:assumed-role/deployer/s1" {
				t.Errorf("caller %s after Restore", got)
			}
			// The user can be created again: the name is free once more.
			mustUser(t, w.e, UserSpec{Name: "bob"})
		})
	}
}

// sessionOf issues a role session for alice on path p.
func (w *fullWorld) sessionOf(t testing.TB, p path) aws.Credentials {
	t.Helper()
	api, ctx := paths(w.e).byName(p.name).api(w.user.Credentials)
	out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN), RoleSessionName: aws.String("later")})
	if err != nil {
		t.Fatal(err)
	}
	return credsOf(out.Credentials)
}

// TestSnapshotNewEngineAnswersAsTheOld takes a snapshot through JSON into a
// new engine on the same clock and a randomness at the same point: every
// credential the first engine issued works on the second, with the same
// answers; the MFA code used stays used, the pending delegation and the
// authorization message work; and the same calls on both leave both in
// the same state.
func TestSnapshotNewEngineAnswersAsTheOld(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newFullWorld(t, 3)
			doc := marshalState(t, w.e)
			pos := w.rnd.position()
			rnd := newSeqReader(3)
			e2 := restoreJSON(t, doc, append([]Option{WithClock(w.clk.Now), WithRand(rnd)}, worldOptions...)...)
			rnd.skipTo(t, pos)
			old, neu := paths(w.e).byName(p.name), paths(e2).byName(p.name)

			for op, creds := range w.creds {
				a1, ctx1 := old.api(creds)
				a2, ctx2 := neu.api(creds)
				want, err := a1.GetCallerIdentity(ctx1, &sts.GetCallerIdentityInput{})
				if err != nil {
					t.Fatalf("%s credentials on the first engine: %v", op, err)
				}
				got, err := a2.GetCallerIdentity(ctx2, &sts.GetCallerIdentityInput{})
				if err != nil {
					t.Fatalf("%s credentials on the restored engine: %v", op, err)
				}
				if diff := cmp.Diff(want, got, sdkOpts); diff != "" {
					t.Errorf("%s credentials: GetCallerIdentity differs (-first +restored):\n%s", op, diff)
				}
			}
			// On both engines: the code alice used at the snapshot's time
			// step is used (the clock is a minute on: the code of two steps
			// back), and the first engine's authorization message decodes.
			for _, pe := range []path{old, neu} {
				api, ctx := pe.api(w.user.Credentials)
				code := w.mfa.Code(w.clk.Now().Add(-time.Minute))
				_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.mfa.SerialNumber), TokenCode: aws.String(code)})
				checkErr(t, err, &wantErr{"AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ", 403})
				msg, err := api.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(w.message)})
				if err != nil || !strings.Contains(aws.ToString(msg.DecodedMessage), `"action":"s3:GetObject"`) {
					t.Errorf("the authorization message on the %s engine: %v, %v", map[*Engine]string{w.e: "first", e2: "restored"}[pe.e], msg, err)
				}
			}

			// The same calls on both engines.
			for _, e := range []*Engine{w.e, e2} {
				pe := paths(e).byName(p.name)
				api, ctx := pe.api(w.user.Credentials)
				if _, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN), RoleSessionName: aws.String("after"),
					SerialNumber: aws.String(w.mfa.SerialNumber), TokenCode: aws.String(w.mfa.Code(w.clk.Now()))}); err != nil {
					t.Fatal(err)
				}
				if _, err := api.GetDelegatedAccessToken(ctx, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(w.pendingToken)}); err != nil {
					t.Fatal(err)
				}
				bob := mustUser(t, e, UserSpec{Name: "bob", Tags: map[string]string{"k": "v"}})
				api, ctx = pe.api(bob.Credentials)
				if _, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{}); err != nil {
					t.Fatal(err)
				}
			}
			first, second := withoutJournalIDs(t, marshalState(t, w.e)), withoutJournalIDs(t, marshalState(t, e2))
			if diff := docDiff(first, second); diff != "" {
				t.Errorf("after the same calls the engines differ (-first +restored):\n%s", diff)
			}
		})
	}
}

// TestRestoreRefuses restores snapshots that break the format's rules:
// each is refused with an error saying why, and the engine stays exactly
// as it was.
func TestRestoreRefuses(t *testing.T) {
	w := newFullWorld(t, 4)
	doc := marshalState(t, w.e)
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := func(m map[string]any, k string) map[string]any { return m[k].([]any)[0].(map[string]any) }
	find := func(m map[string]any, k, member, value string) map[string]any {
		for _, x := range m[k].([]any) {
			if x := x.(map[string]any); x[member] == value {
				return x
			}
		}
		t.Fatalf("no %s with %s %q", k, member, value)
		return nil
	}
	cases := []struct {
		name string
		doc  []byte
		want string
	}{
		{"version 2", edit(func(m map[string]any) { m["version"] = 2 }), "version 2 is not supported (this fakests reads version 1)"},
		{"version 2 with new members", edit(func(m map[string]any) { m["version"] = 2; m["iamGroups"] = []any{} }), "version 2 is not supported"},
		{"no version", edit(func(m map[string]any) { delete(m, "version") }), "no version member"},
		{"unknown member", edit(func(m map[string]any) { m["groups"] = []any{} }), `unknown field "groups"`},
		{"not JSON", doc[:len(doc)/2], "unexpected end of JSON input"},
		{"data after", append(append([]byte(nil), doc...), " {}"...), "after top-level value"},
		{"session of a role not held", edit(func(m map[string]any) {
			for _, s := range m["sessions"].([]any) {
				if s := s.(map[string]any); s["role"] != nil {
					s["role"] = "AROAAAAAAAAAAAAAAAAAA"
				}
			}
		}), "role AROAAAAAAAAAAAAAAAAAA is not in the snapshot"},
		{"malformed policy", edit(func(m map[string]any) {
			first(m, "users")["policies"].([]any)[0].(map[string]any)["document"] = `{"Statement":`
		}), "policy"},
		{"access key twice", edit(func(m map[string]any) {
			us := m["users"].([]any)
			us[1].(map[string]any)["accessKeys"] = us[0].(map[string]any)["accessKeys"]
		}), "is held twice"},
		{"no default user", edit(func(m map[string]any) { m["defaultUser"] = "AIDAAAAAAAAAAAAAAAAAA" }), "the default user"},
		{"fault used up", edit(func(m map[string]any) { first(m, "faults")["remaining"] = 0 }), "0 remaining of 3 times"},
		{"journal parameters not an object", edit(func(m map[string]any) { first(m, "journal")["requestParameters"] = []any{1} }), "expected a JSON object or null"},
		{"unknown task policy", edit(func(m map[string]any) {
			for _, s := range m["sessions"].([]any) {
				if s := s.(map[string]any); s["taskPolicyArn"] != nil {
					s["taskPolicyArn"] = "arn:aws:iam::aws:policy/root-task/Everything"
				}
			}
		}), "is not an AssumeRoot task policy"},
		{"ARN not the name's", edit(func(m map[string]any) { first(m, "roles")["name"] = "other" }), "the ARN is not"},
		{"EC key not P-384", edit(func(m map[string]any) { first(m, "outboundFederation")["ecKey"] = "AAAA" }), "not a P-384 key"},
		// IAM's state.
		{"default version not a version", edit(func(m map[string]any) {
			find(m, "managedPolicies", "name", "ReadOnly")["defaultVersion"] = "v9"
		}), "the default version \"v9\" is not one of its versions"},
		{"version past the next", edit(func(m map[string]any) {
			find(m, "managedPolicies", "name", "ReadOnly")["versions"].([]any)[0].(map[string]any)["id"] = "v7"
		}), `version "v7" is not v1-v3`},
		{"credentials key of another user", edit(func(m map[string]any) {
			find(m, "users", "name", "erin")["credentialsKey"] = find(m, "users", "name", "alice")["credentialsKey"]
		}), "is not one of the user's keys"},
		{"inline policy named twice", edit(func(m map[string]any) {
			u := find(m, "users", "name", "alice")
			ps := u["policies"].([]any)
			ps[1].(map[string]any)["name"] = strings.ToUpper(ps[0].(map[string]any)["name"].(string))
		}), "is held twice"},
		{"MFA device of a deleted user", edit(func(m map[string]any) {
			find(m, "mfaDevices", "name", "dave-phone")["user"] = find(m, "users", "name", "carol")["id"]
		}), "is not a user of account"},
		{"unassigned device with an enable time", edit(func(m map[string]any) {
			find(m, "mfaDevices", "name", "spare")["enabled"] = "2026-01-01T00:00:00Z"
		}), "an enable time when, and only when, it is assigned"},
		{"deleted role of another account", edit(func(m map[string]any) {
			find(m, "accounts", "id", acctA)["deletedRoles"] = []any{"arn:aws:iam::210987654321:role/x"}
		}), "is not a role ARN of the account"},
		{"SAML provider UUID", edit(func(m map[string]any) {
			find(m, "samlProviders", "name", "wire-saml")["uuid"] = "x"
		}), `uuid "x" is not a UUID`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := marshalState(t, w.e)
			var s Snapshot
			err := json.Unmarshal(c.doc, &s)
			if err == nil {
				err = w.e.Restore(&s)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if after := marshalState(t, w.e); string(after) != string(before) {
				t.Errorf("a refused snapshot changed the engine")
			}
		})
	}
	t.Run("zero snapshot", func(t *testing.T) {
		for _, s := range []*Snapshot{nil, {}} {
			if err := w.e.Restore(s); err == nil || !strings.Contains(err.Error(), "the snapshot is empty") {
				t.Errorf("Restore(%v): %v", s, err)
			}
		}
		if _, err := json.Marshal(Snapshot{}); err == nil {
			t.Error("json.Marshal of a zero Snapshot succeeded")
		}
	})
}

// TestSnapshotFetchJWKS: a provider with a FetchJWKS function restores in
// memory with its function, and its snapshot's JSON cannot be written.
func TestSnapshotFetchJWKS(t *testing.T) {
	w := newOIDCWorld(t)
	iss := federation.NewOIDCIssuer("https://fetch.example.com", federation.WithIssuerClock(w.clk.Now))
	calls := 0
	fetch := func(context.Context) ([]byte, error) { calls++; return iss.JWKS(), nil }
	if _, err := w.e.CreateOIDCProvider(OIDCProviderSpec{URL: "https://fetch.example.com", ClientIDs: []string{"sts.amazonaws.com"}, FetchJWKS: fetch}); err != nil {
		t.Fatal(err)
	}
	snap := w.e.Snapshot()
	_, err := json.Marshal(snap)
	if err == nil || !strings.Contains(err.Error(), "OIDC provider https://fetch.example.com of account 123456789012 has a FetchJWKS function, which JSON cannot hold") {
		t.Errorf("json.Marshal: %v", err)
	}
	e2, _ := newTestEngine(t)
	if err := e2.Restore(snap); err != nil {
		t.Fatal(err)
	}
	role := mustRole(t, e2, RoleSpec{Name: "fetched", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/fetch.example.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`})
	token := iss.Token(federation.Claims{Subject: "s", Audience: []string{"sts.amazonaws.com"}})
	if _, err := e2.AssumeRoleWithWebIdentity(context.Background(), webIn(role.ARN, token)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("FetchJWKS called %d times, want 1", calls)
	}
}

// TestSnapshotImplicitRoles: lenient mode's stand-in for a role never
// created keeps its role ID across a snapshot's JSON.
func TestSnapshotImplicitRoles(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t)
			in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/path/never-created"), RoleSessionName: aws.String("s1")}
			api, ctx := paths(e).byName(p.name).api(e.DefaultUser().Credentials)
			first, err := api.AssumeRole(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			e2 := restoreJSON(t, marshalState(t, e), WithClock(testEpoch.Local))
			api, ctx = paths(e2).byName(p.name).api(e2.DefaultUser().Credentials)
			second, err := api.AssumeRole(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := aws.ToString(first.AssumedRoleUser.AssumedRoleId), aws.ToString(second.AssumedRoleUser.AssumedRoleId); a != b {
				t.Errorf("role session IDs %s and %s: the implicit role's ID changed", a, b)
			}
		})
	}
}

// TestSnapshotIsCopy: what the engine changes after a snapshot (an MFA
// code used, a fault used up, the journal) does not change the snapshot.
func TestSnapshotIsCopy(t *testing.T) {
	w := newFullWorld(t, 5)
	snap := w.e.Snapshot()
	before, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	api, ctx := paths(w.e).byName("engine").api(w.user.Credentials)
	if _, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.mfa.SerialNumber), TokenCode: aws.String(w.mfa.Code(w.clk.Now()))}); err != nil {
		t.Fatal(err)
	}
	api.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")}) // a fault used
	w.e.ResetEvents()
	after, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("the snapshot changed with the engine")
	}
}

// TestRestoreSmallerJournal restores into an engine that keeps fewer
// events: the newest are kept.
func TestRestoreSmallerJournal(t *testing.T) {
	w := newFullWorld(t, 6)
	want := w.e.Events()
	e2 := New(WithJournalSize(3))
	if err := e2.Restore(w.e.Snapshot()); err != nil {
		t.Fatal(err)
	}
	got := e2.Events()
	if len(got) != 3 {
		t.Fatalf("%d events, want 3", len(got))
	}
	if diff := cmp.Diff(want[len(want)-3:], got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestSnapshotWhileCalling takes and restores snapshots while other
// goroutines issue sessions: every snapshot restores (each holds whole
// changes only).
func TestSnapshotWhileCalling(t *testing.T) {
	w := newFullWorld(t, 7)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				w.e.AssumeRole(typed(w.user.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN), RoleSessionName: aws.String("busy")})
				w.e.CreateVirtualMFADevice(w.user.ARN) // fails after the first: no trace
			}
		}()
	}
	for range 20 {
		snap := w.e.Snapshot()
		e2 := New(worldOptions...)
		if err := e2.Restore(snap); err != nil {
			t.Error(err)
		}
		if err := w.e.Restore(snap); err != nil {
			t.Error(err)
		}
	}
	cancel()
	wg.Wait()
}

// TestSnapshotCodecMatchesTags holds the hand-written JSON of sessions and
// journal records (snapshot_codec*.go) to their definitions: a session's
// JSON is what encoding/json writes from sessionJSON's struct tags, and
// reads back into the same session through them; a journal record is the
// event's CloudTrail record, json.Marshal of the Event that Events
// returns.
func TestSnapshotCodecMatchesTags(t *testing.T) {
	w := newFullWorld(t, 8)
	st := w.e.Snapshot().st
	type tagged sessionJSON // the struct tags without the methods
	asAny := func(b []byte) any {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return v
	}
	for _, s := range st.Sessions {
		hand, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		tags, err := json.Marshal(tagged(s))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(asAny(tags), asAny(hand)); diff != "" {
			t.Errorf("session %s: hand-written JSON differs (-tags +hand):\n%s", s.AccessKeyID, diff)
		}
		var back tagged
		if err := strictUnmarshal(hand, &back); err != nil {
			t.Fatal(err)
		}
		var read sessionJSON
		if err := json.Unmarshal(tags, &read); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sessionJSON(back), read, cmp.AllowUnexported(policyJSON{})); diff != "" {
			t.Errorf("session %s: read back differently (-tags +hand):\n%s", s.AccessKeyID, diff)
		}
	}
	evs := w.e.Events()
	if len(evs) != len(st.Journal) {
		t.Fatalf("%d events, %d journal entries", len(evs), len(st.Journal))
	}
	for i := range st.Journal {
		hand, err := st.Journal[i].appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(evs[i])
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(asAny(want), asAny(hand)); diff != "" {
			t.Errorf("event %d (%s): record differs from its Event's (-Event +record):\n%s", i, evs[i].EventName, diff)
		}
	}
}
