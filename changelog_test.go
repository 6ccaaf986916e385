package fakests

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// This file pins the change log (behaviour §23): what LogChanges writes
// rebuilds the engine (Recover), a torn final record is told from a
// corrupt one by its offset, and a log that cannot be written stops
// changes rather than losing them.

// loggedWorld is a fullWorld whose every change went to log, from New on.
func loggedWorld(t testing.TB, seed byte) (*fullWorld, *bytes.Buffer) {
	t.Helper()
	log := new(bytes.Buffer)
	w := newFullWorldWith(t, seed, func(e *Engine) {
		if err := e.LogChanges(log); err != nil {
			t.Fatal(err)
		}
	})
	return w, log
}

// withoutJournal returns a snapshot document without its journal, which
// change records do not carry.
func withoutJournal(t testing.TB, doc []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "journal")
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChangeLogRecovers rebuilds, from the log of every change, an engine
// in the state of the one that wrote it (the journal aside), which
// answers its credentials.
func TestChangeLogRecovers(t *testing.T) {
	w, log := loggedWorld(t, 11)
	// Changes after the world's: a sweep, a role chained, a fault used up.
	w.clk.Advance(2 * time.Hour)
	w.e.SweepExpired(0)
	w.e.GetAccessKeyInfo(context.Background(), &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	if err := w.e.DisableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	if err := w.e.ActivateSTSRegion(acctB, "eu-west-2"); err != nil {
		t.Fatal(err)
	}
	e2, err := Recover(bytes.NewReader(log.Bytes()), worldOptions...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(withoutJournal(t, marshalState(t, w.e)), withoutJournal(t, marshalState(t, e2))); diff != "" {
		t.Errorf("recovered state differs (-written +recovered):\n%s", diff)
	}
	for _, p := range paths(e2) {
		api, ctx := p.api(w.creds[opGetFederationToken])
		if _, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Errorf("%s: the federation token's credentials on the recovered engine: %v", p.name, err)
		}
	}
	// One change record per change, each a line of its own.
	if n := bytes.Count(log.Bytes(), []byte("\nC ")); n < 30 {
		t.Errorf("%d change records; the world makes more than 30 changes", n)
	}
	if !bytes.HasPrefix(log.Bytes(), []byte("S ")) {
		t.Errorf("the log starts %q, not with a snapshot record", log.Bytes()[:20])
	}
}

// TestChangeLogRecordFormat pins the frame of a record: kind, payload
// length and CRC-32C in hex, the JSON payload, a newline.
func TestChangeLogRecordFormat(t *testing.T) {
	got := string(appendRecord(nil, 'C', []byte(`{"sweptBefore":"2030-06-01T12:00:00Z"}`)))
	// 0x26 = 38 bytes; the CRC-32C (Castagnoli, reflected 0x82F63B78) of
	// the payload, computed apart from Go with a bitwise Python loop that
	// gives the standard check value 0xe3069283 for "123456789".
	want := "C 00000026 678cabaf " + `{"sweptBefore":"2030-06-01T12:00:00Z"}` + "\n"
	if got != want {
		t.Errorf("record %q, want %q", got, want)
	}
}

// TestChangeLogTornAndCorrupt cuts and damages a log: a log cut inside
// its last record gives the engine of the records before, with a torn
// error at the record's offset; zero bytes at the end are torn too; a
// damaged record with more after it is corrupt, and gives no engine.
func TestChangeLogTornAndCorrupt(t *testing.T) {
	w, log := loggedWorld(t, 12)
	whole := log.Bytes()
	last := int64(bytes.LastIndex(whole[:len(whole)-1], []byte("\n")) + 1)
	before, err := Recover(bytes.NewReader(whole[:last]), worldOptions...)
	if err != nil {
		t.Fatal(err)
	}
	want := withoutJournal(t, marshalState(t, before))
	records := bytes.Count(whole, []byte("\n"))

	for _, cut := range []int64{last + 1, last + 10, last + 20, last + 21, int64(len(whole)) - 1} {
		e, err := Recover(bytes.NewReader(whole[:cut]), worldOptions...)
		var le *ChangeLogError
		if !errors.As(err, &le) || !le.Torn || le.Offset != last || le.Record != records-1 {
			t.Fatalf("cut at %d: error %v, want a torn record %d at offset %d", cut, err, records-1, last)
		}
		if e == nil {
			t.Fatalf("cut at %d: no engine", cut)
		}
		if diff := docDiff(want, withoutJournal(t, marshalState(t, e))); diff != "" {
			t.Errorf("cut at %d: state differs from the records before:\n%s", cut, diff)
		}
	}
	zeros := append(append([]byte(nil), whole...), make([]byte, 300)...)
	if _, err := Recover(bytes.NewReader(zeros), worldOptions...); !isTorn(err, int64(len(whole))) {
		t.Errorf("zero bytes after the last record: %v", err)
	}

	// A byte changed in the middle: corrupt, with the damaged record's
	// offset, whichever part of it was hit.
	mid := int64(bytes.Index(whole, []byte("\nC ")) + 1)
	for _, at := range []int64{mid, mid + 3, mid + 15, mid + 25} {
		bad := append([]byte(nil), whole...)
		bad[at] ^= 0x01
		e, err := Recover(bytes.NewReader(bad), worldOptions...)
		var le *ChangeLogError
		if !errors.As(err, &le) || le.Torn || le.Offset != mid || e != nil {
			t.Errorf("byte %d changed: engine %v, error %v; want a corrupt record at offset %d and no engine", at, e != nil, err, mid)
		}
	}
	// The snapshot record itself cut: no engine.
	if e, err := Recover(bytes.NewReader(whole[:100]), worldOptions...); e != nil || !isTorn(err, 0) {
		t.Errorf("a log cut in its snapshot record: engine %v, error %v", e != nil, err)
	}
	if e, err := Recover(bytes.NewReader(nil), worldOptions...); e != nil || err == nil || !strings.Contains(err.Error(), "no snapshot record") {
		t.Errorf("an empty log: engine %v, error %v", e != nil, err)
	}
	_ = w
}

// isTorn reports whether err is a torn record at offset.
func isTorn(err error, offset int64) bool {
	var le *ChangeLogError
	return errors.As(err, &le) && le.Torn && le.Offset == offset
}

// failingWriter fails every write from the n-th on.
type failingWriter struct {
	buf bytes.Buffer
	n   int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("disk full")
	}
	return f.buf.Write(p)
}

// TestChangeLogWriteFails: when a record cannot be written, the change
// fails and leaves nothing, every later change fails too, reads go on,
// and LogChanges with a new writer starts over.
func TestChangeLogWriteFails(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			alice := mustUser(t, e, UserSpec{Name: "alice", Policies: []string{adminPolicy}})
			role := mustRole(t, e, RoleSpec{Name: "r", TrustPolicy: trustAccount(acctA)})
			fw := &failingWriter{n: 1} // the snapshot record, then nothing
			if err := e.LogChanges(fw); err != nil {
				t.Fatal(err)
			}
			sessions := e.SessionCount()
			api, ctx := paths(e).byName(p.name).api(alice.Credentials)
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("s1")})
			// The client retries an InternalFailure, as against AWS: its last
			// attempt is refused as every change after the failure is.
			wantFail := &wantErr{"InternalFailure", "fakests: the change log failed: the engine accepts no more changes until LogChanges is given a writer again", 500}
			if p.name == "engine" {
				wantFail.Message += ": disk full"
			}
			checkErr(t, err, wantFail)
			if n := e.SessionCount(); n != sessions {
				t.Errorf("%d sessions after the failed AssumeRole, want %d", n, sessions)
			}
			_, err = api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			checkErr(t, err, &wantErr{"InternalFailure", "fakests: the change log failed: the engine accepts no more changes until LogChanges is given a writer again", 500})
			if _, err := e.CreateUser(UserSpec{Name: "bob"}); !errors.Is(err, errChangeLogFailed) {
				t.Errorf("CreateUser after the failure: %v", err)
			}
			if _, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
				t.Errorf("GetCallerIdentity after the failure: %v", err)
			}
			// A new writer: changes work again, and its log rebuilds the engine.
			var again bytes.Buffer
			if err := e.LogChanges(&again); err != nil {
				t.Fatal(err)
			}
			out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("s1")})
			if err != nil {
				t.Fatal(err)
			}
			e2, err := Recover(&again, Strict())
			if err != nil {
				t.Fatal(err)
			}
			api2, ctx2 := paths(e2).byName(p.name).api(credsOf(out.Credentials))
			if _, err := api2.GetCallerIdentity(ctx2, &sts.GetCallerIdentityInput{}); err != nil {
				t.Errorf("the new session on the recovered engine: %v", err)
			}
		})
	}
}

// TestChangeLogFetchJWKS: a log cannot hold a FetchJWKS function, so an
// engine with a log refuses such a provider, and LogChanges refuses an
// engine that holds one.
func TestChangeLogFetchJWKS(t *testing.T) {
	fetch := func(context.Context) ([]byte, error) { return nil, errors.New("unreachable") }
	spec := OIDCProviderSpec{URL: "https://fetch.example.com", ClientIDs: []string{"sts.amazonaws.com"}, FetchJWKS: fetch}
	e, _ := newTestEngine(t)
	var log bytes.Buffer
	if err := e.LogChanges(&log); err != nil {
		t.Fatal(err)
	}
	_, err := e.CreateOIDCProvider(spec)
	if err == nil || !strings.Contains(err.Error(), "FetchJWKS function, which JSON cannot hold") {
		t.Errorf("CreateOIDCProvider with FetchJWKS and a change log: %v", err)
	}
	if _, err := e.CreateUser(UserSpec{Name: "after"}); err != nil {
		t.Errorf("a change after the refused provider: %v", err)
	}
	e2, _ := newTestEngine(t)
	if _, err := e2.CreateOIDCProvider(spec); err != nil {
		t.Fatal(err)
	}
	if err := e2.LogChanges(&log); err == nil || !strings.Contains(err.Error(), "FetchJWKS") {
		t.Errorf("LogChanges with a FetchJWKS provider: %v", err)
	}
}

// TestChangeLogRestoreAndCompaction: Restore writes the restored snapshot
// as a record; LogChanges to a new writer compacts, and the old one
// receives nothing more.
func TestChangeLogRestoreAndCompaction(t *testing.T) {
	w, log := loggedWorld(t, 13)
	snap := w.e.Snapshot()
	mustUser(t, w.e, UserSpec{Name: "gone"})
	if err := w.e.Restore(snap); err != nil {
		t.Fatal(err)
	}
	e2, err := Recover(bytes.NewReader(log.Bytes()), worldOptions...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(marshalState(t, w.e), marshalState(t, e2)); diff != "" {
		t.Errorf("after Restore (-engine +recovered):\n%s", diff)
	}
	var compact bytes.Buffer
	if err := w.e.LogChanges(&compact); err != nil {
		t.Fatal(err)
	}
	oldLen := log.Len()
	mustUser(t, w.e, UserSpec{Name: "kept"})
	if log.Len() != oldLen {
		t.Error("the old log received a record after LogChanges switched writers")
	}
	e3, err := Recover(&compact, worldOptions...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := docDiff(withoutJournal(t, marshalState(t, w.e)), withoutJournal(t, marshalState(t, e3))); diff != "" {
		t.Errorf("after compaction (-engine +recovered):\n%s", diff)
	}
}

// TestChangeLogSurvivesKill9 runs a child process that logs to a file and
// prints each session's credentials once AssumeRole has returned them (an
// acknowledgement), kills it with SIGKILL while it is still issuing, and
// recovers the file: every acknowledged session works.
func TestChangeLogSurvivesKill9(t *testing.T) {
	if file := os.Getenv("FAKESTS_KILL9_LOG"); file != "" {
		kill9Child(file)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	file := filepath.Join(t.TempDir(), "state")
	cmd := exec.Command(os.Args[0], "-test.run=^TestChangeLogSurvivesKill9$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FAKESTS_KILL9_LOG="+file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []aws.Credentials
	sc := bufio.NewScanner(out)
	for len(acked) < 300 && sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 4 && f[0] == "ACK" {
			acked = append(acked, aws.Credentials{AccessKeyID: f[1], SecretAccessKey: f[2], SessionToken: f[3]})
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if len(acked) < 300 {
		t.Fatalf("the child acknowledged %d sessions before it stopped", len(acked))
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := Recover(f, Strict())
	var le *ChangeLogError
	if errors.As(err, &le) && le.Torn {
		t.Logf("the kill tore the last record: %v", err) // the call it was for never returned
		err = nil
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, creds := range acked {
		if _, err := e.GetCallerIdentity(WithCaller(context.Background(), creds), &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatalf("acknowledged session %s: %v", creds.AccessKeyID, err)
		}
	}
	t.Logf("%d acknowledged sessions recovered; the engine holds %d", len(acked), e.SessionCount())
}

// kill9Child issues sessions for ever, logging to file, and prints each
// one's credentials once AssumeRole returned them.
func kill9Child(file string) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		panic(err)
	}
	e := New(Strict())
	u, _ := e.CreateUser(UserSpec{Name: "alice", Policies: []string{adminPolicy}})
	r, _ := e.CreateRole(RoleSpec{Name: "r", TrustPolicy: trustAccount(acctA)})
	if err := e.LogChanges(f); err != nil {
		panic(err)
	}
	ctx := WithCaller(context.Background(), u.Credentials)
	for i := 0; ; i++ {
		out, err := e.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String(fmt.Sprint("s", i))})
		if err != nil {
			panic(err)
		}
		c := out.Credentials
		fmt.Printf("ACK %s %s %s\n", *c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	}
}
