package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// These tests pin -state (issue 15 §2, §3): a restart keeps every key and
// session valid, a change acknowledged before kill -9 is kept, a torn or
// corrupt file is found at start and never replaced, and the admin
// snapshot endpoints.

// boto3 runs e2e_boto3.py's command against p as the seed's administrator.
func boto3(t *testing.T, p *proc, out any, args ...string) {
	t.Helper()
	runJSON(t, "python", "boto3", cleanEnv(append([]string{"AWS_ENDPOINT_URL=" + p.url}, e2eAdmin...)...), "",
		out, "python3", append([]string{"testdata/e2e_boto3.py"}, args...)...)
}

// TestStateRestartKeepsKeysAndSessions runs the boto3 scenario against a
// server with -state, stops it with SIGTERM, starts another on the same
// file, and calls it with the user's new key and the role session: both
// are who they were.
func TestStateRestartKeepsKeysAndSessions(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	p := startE2E(t, "-state", state)
	got := runScenarioBoto3(t, p, "st")
	keys, _ := got["keys"].(map[string]any)
	user, _ := keys["user"].([]any)
	session, _ := keys["session"].([]any)
	if len(user) != 2 || len(session) != 3 {
		t.Fatalf("the scenario gave no keys: %v", got)
	}
	if err := p.signal(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}

	p = startE2E(t, "-state", state)
	for _, c := range []struct {
		args []any
		want string
	}{
		{user, "arn:aws:iam::123456789012:user/e2e/st-dev"},
		{session, "arn:aws:sts::123456789012:assumed-role/st-deployer/e2e"},
		{[]any{"AKIAE2EADMINEXAMPLE1", "e2eAdminSecretKey/EXAMPLE/0123456789abcd"}, "arn:aws:iam::123456789012:user/admin"},
	} {
		args := []string{"identity"}
		for _, a := range c.args {
			args = append(args, a.(string))
		}
		var out map[string]any
		boto3(t, p, &out, args...)
		want := map[string]any{"GetCallerIdentity": map[string]any{"ok": map[string]any{"Arn": c.want}}}
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("after the restart, %s (-want +got):\n%s", c.want, diff)
		}
	}
	// What the scenario created is there, and the seed did not run again.
	var out map[string]any
	boto3(t, p, &out, "create-user", "st-dev")
	want := map[string]any{"CreateUser": map[string]any{"error": map[string]any{"Code": "EntityAlreadyExists",
		"Message": "User with name st-dev already exists.", "HTTPStatusCode": 409.0}}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("CreateUser after the restart (-want +got):\n%s", diff)
	}
}

// TestStateKill9KeepsAcknowledgedUser creates a user with boto3, kills
// the server with SIGKILL as soon as boto3 has its answer, and finds the
// user after a restart.
func TestStateKill9KeepsAcknowledgedUser(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	p := startE2E(t, "-state", state)
	var out map[string]any
	boto3(t, p, &out, "create-user", "acked")
	if diff := cmp.Diff(map[string]any{"CreateUser": map[string]any{"ok": map[string]any{"Arn": "arn:aws:iam::123456789012:user/acked"}}}, out); diff != "" {
		t.Fatalf("CreateUser (-want +got):\n%s", diff)
	}
	p.kill() // SIGKILL, at once
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server was not killed by SIGKILL: %v", p.cmd.ProcessState)
	}

	p = startE2E(t, "-state", state)
	var after map[string]any
	boto3(t, p, &after, "get-user", "acked")
	if diff := cmp.Diff(map[string]any{"GetUser": map[string]any{"ok": map[string]any{"Arn": "arn:aws:iam::123456789012:user/acked"}}}, after); diff != "" {
		t.Errorf("GetUser after kill -9 and a restart (-want +got):\n%s", diff)
	}
}

// stateWithChanges makes a state file holding a snapshot record and then
// the change records of an AssumeRole, and returns its path.
func stateWithChanges(t *testing.T) string {
	t.Helper()
	state := filepath.Join(t.TempDir(), "state")
	p := startBinary(t, "-quiet", "-state", state)
	ctx := context.Background()
	c := stsClient(p.url, exampleKey)
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	p.kill()
	return state
}

// TestStateTornRecord cuts the last record of a state file short, as a
// crash during its write would: the server starts, says on stderr that it
// dropped the record, and serves.
func TestStateTornRecord(t *testing.T) {
	state := stateWithChanges(t)
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	// A record ends with its only newline; cut the last one in the middle.
	last := bytes.LastIndexByte(b[:len(b)-1], '\n') + 1
	cut := last + (len(b)-last)/2
	if err := os.WriteFile(state, b[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	p := startBinary(t, "-quiet", "-state", state)
	want := regexp.MustCompile(`^fakests: state file ` + regexp.QuoteMeta(state) + `: dropped the torn record \d+ at offset ` + strconv.Itoa(last) + `, the end of a write a crash cut short \(its call was never acknowledged\)\n$`)
	if !want.MatchString(p.stderr.String()) {
		t.Errorf("stderr:\n%s\nwant it to match %s", p.stderr, want)
	}
	if code, body := adminDo(t, "GET", p.url+"/_fakests/health", ""); code != http.StatusOK {
		t.Errorf("health after the torn record: %d %s", code, body)
	}
}

// TestStateCorruptStopsTheStart changes one byte inside a record of the
// state file: the server does not start (exit status 1, nothing on
// stdout), names the file, the record and its offset, and leaves the file
// as it was.
func TestStateCorruptStopsTheStart(t *testing.T) {
	state := stateWithChanges(t)
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	// The first record's payload: flip a byte in its middle.
	first := bytes.IndexByte(b, '\n') + 1
	damaged := bytes.Clone(b)
	damaged[first/2] ^= 0x20
	if err := os.WriteFile(state, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(fakestsBinary(t), "serve", "-addr", "127.0.0.1:0", "-state", state)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	want := regexp.MustCompile(`^fakests serve: state file ` + regexp.QuoteMeta(state) + `: change log: corrupt record 0 at offset 0: .+ \(the file is left as it is: move it away to start afresh\)\n$`)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || stdout.String() != "" || !want.MatchString(stderr.String()) {
		t.Fatalf("exit %v, stdout %q, stderr %q; want status 1 and a match of %s", err, stdout.String(), stderr.String(), want)
	}
	after, err := os.ReadFile(state)
	if err != nil || !bytes.Equal(after, damaged) {
		t.Errorf("the corrupt file was changed (%v)", err)
	}
	if _, err := os.Stat(state + ".next"); !os.IsNotExist(err) {
		t.Errorf("%s.next was left behind: %v", state, err)
	}
}

// TestStateClockSurvivesRestart pins that the admin clock's offset is
// state too.
func TestStateClockSurvivesRestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	rs := startServe(t, config{quiet: true, state: state})
	if code, body := adminDo(t, "POST", rs.url+"/_fakests/clock/advance", `{"by":"90m"}`); code != http.StatusOK {
		t.Fatalf("advance: %d %s", code, body)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, config{quiet: true, state: state})
	var c clockJSON
	_, body := adminDo(t, "GET", rs.url+"/_fakests/clock", "")
	decodeJSON(t, body, &c)
	if c.Offset != "1h30m0s" {
		t.Errorf("offset after the restart: %s, want 1h30m0s", c.Offset)
	}
}

// TestAdminSnapshot pins GET and PUT /_fakests/snapshot: a snapshot taken,
// changes made, the snapshot put back: the changes are gone and what the
// snapshot held works; a body that is not a snapshot is refused with 400
// and changes nothing. With -state, the restored state is what a restart
// recovers.
func TestAdminSnapshot(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	rs := startServe(t, config{quiet: true, strict: true, seed: "testdata/e2e.seed.json", state: state})
	ctx := context.Background()
	admin := aws.Credentials{AccessKeyID: "AKIAE2EADMINEXAMPLE1", SecretAccessKey: "e2eAdminSecretKey/EXAMPLE/0123456789abcd"}
	first, err := stsClient(rs.url, admin).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	sess := aws.Credentials{AccessKeyID: *first.Credentials.AccessKeyId, SecretAccessKey: *first.Credentials.SecretAccessKey, SessionToken: *first.Credentials.SessionToken}
	code, snap := adminDo(t, "GET", rs.url+"/_fakests/snapshot", "")
	var doc map[string]any
	decodeJSON(t, snap, &doc)
	if code != http.StatusOK || doc["version"] != 1.0 {
		t.Fatalf("GET snapshot: %d %.200s", code, snap)
	}
	second, err := stsClient(rs.url, admin).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	later := aws.Credentials{AccessKeyID: *second.Credentials.AccessKeyId, SecretAccessKey: *second.Credentials.SecretAccessKey, SessionToken: *second.Credentials.SessionToken}

	for _, bad := range []struct{ body, want string }{
		{`{"version":99}`, `{"error":"not a snapshot: `},
		{`not json`, `{"error":"not a snapshot: `},
	} {
		if code, body := adminDo(t, "PUT", rs.url+"/_fakests/snapshot", bad.body); code != http.StatusBadRequest || !strings.HasPrefix(body, bad.want) {
			t.Errorf("PUT %s: %d %s", bad.body, code, body)
		}
	}
	if _, err := stsClient(rs.url, later).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("a refused snapshot changed the state: %v", err)
	}
	if code, body := adminDo(t, "PUT", rs.url+"/_fakests/snapshot", snap); code != http.StatusNoContent {
		t.Fatalf("PUT snapshot: %d %s", code, body)
	}
	check := func(when string) {
		t.Helper()
		if _, err := stsClient(rs.url, sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Errorf("%s: the snapshot's session: %v", when, err)
		}
		_, err := stsClient(rs.url, later).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if got := errCode(err); got != "InvalidClientTokenId" {
			t.Errorf("%s: the session issued after the snapshot: %v, want InvalidClientTokenId", when, err)
		}
	}
	check("after PUT")
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, config{quiet: true, strict: true, seed: "testdata/e2e.seed.json", state: state})
	check("after a restart")
}

// errCode is an API error's code, or "".
func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// seededAdmin is e2e.seed.json's administrator key.
var seededAdmin = aws.Credentials{AccessKeyID: "AKIAE2EADMINEXAMPLE1", SecretAccessKey: "e2eAdminSecretKey/EXAMPLE/0123456789abcd"}

// sessionOf calls GetSessionToken as the seeded administrator.
func sessionOf(t *testing.T, url string) aws.Credentials {
	t.Helper()
	out, err := stsClient(url, seededAdmin).GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
}

// identityErr calls GetCallerIdentity with creds and returns the error
// code ("" for success).
func identityErr(url string, creds aws.Credentials) string {
	_, err := stsClient(url, creds).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil && errCode(err) == "" {
		return err.Error()
	}
	return errCode(err)
}

// TestStateReset pins that a reset with -state starts the file over: a
// session issued before it is unknown after a restart too.
func TestStateReset(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	cfg := config{quiet: true, strict: true, seed: "testdata/e2e.seed.json", state: state}
	rs := startServe(t, cfg)
	sess := sessionOf(t, rs.url)
	if code, body := adminDo(t, "POST", rs.url+"/_fakests/reset", ""); code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", code, body)
	}
	if got := identityErr(rs.url, sess); got != "InvalidClientTokenId" {
		t.Errorf("after the reset: %q, want InvalidClientTokenId", got)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, cfg)
	if got := identityErr(rs.url, sess); got != "InvalidClientTokenId" {
		t.Errorf("after the reset and a restart: %q, want InvalidClientTokenId", got)
	}
	if got := identityErr(rs.url, seededAdmin); got != "" {
		t.Errorf("the seed's key after the reset and a restart: %q", got)
	}
}

// TestStateLeftoverNext pins the start after a crash during a compaction:
// a FILE.next that recovers replaces FILE (it was synced before the
// rename that did not happen); one that does not is removed, and FILE is
// used.
func TestStateLeftoverNext(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	cfg := config{quiet: true, strict: true, seed: "testdata/e2e.seed.json", state: state}
	rs := startServe(t, cfg)
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	older, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, cfg)
	sess := sessionOf(t, rs.url)
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	// FILE.next holds the session (and ends in a torn record: the crash
	// came during a write), FILE the state before it.
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state+".next", append(b, "C 0000"...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, older, 0o600); err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, cfg)
	if got := identityErr(rs.url, sess); got != "" {
		t.Errorf("the session of the leftover FILE.next: %q", got)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	// A FILE.next that does not recover is removed.
	if err := os.WriteFile(state+".next", []byte("S 0000"), 0o600); err != nil {
		t.Fatal(err)
	}
	rs = startServe(t, cfg)
	if got := identityErr(rs.url, sess); got != "" {
		t.Errorf("the session after a torn FILE.next: %q", got)
	}
	if _, err := os.Stat(state + ".next"); !os.IsNotExist(err) {
		t.Errorf("the torn FILE.next is still there: %v", err)
	}
}

// TestStateKill9UnderLoad kills the server with SIGKILL while four
// clients create users as fast as it answers, then restarts it on the
// same file: every user whose CreateUser was answered is there (a request
// cut off by the kill may or may not have been applied: its client never
// learned).
func TestStateKill9UnderLoad(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	p := startBinary(t, "-quiet", "-state", state)
	client := func(url string) *iam.Client {
		return iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return exampleKey, nil })})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client(p.url)
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("load-%d-%d", g, i)
				if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		}()
	}
	// Kill once enough users were acknowledged (a loaded machine may take
	// longer than usual to get there), with at most ten seconds to wait.
	var n int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n = len(acked)
		mu.Unlock()
		if n >= 50 || time.Now().After(deadline) {
			break
		}
	}
	p.kill()
	cancel()
	wg.Wait()
	if n < 10 {
		t.Fatalf("only %d users acknowledged before the kill", n)
	}

	p = startBinary(t, "-quiet", "-state", state)
	c := client(p.url)
	for _, name := range acked {
		if _, err := c.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(name)}); err != nil {
			t.Errorf("acknowledged user %s after kill -9: %v", name, err)
		}
	}
	t.Logf("%d users acknowledged, all kept", len(acked))
}

// TestStateInUse pins that a second server on a state file in use does
// not start (Unix: FILE.lock is locked), and that the file is free again
// once the first has stopped.
func TestStateInUse(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock(2)")
	}
	state := filepath.Join(t.TempDir(), "state")
	rs := startServe(t, config{quiet: true, state: state})
	var out, errw strings.Builder
	code := run([]string{"serve", "-addr", "127.0.0.1:0", "-state", state}, &out, &errw)
	want := "fakests serve: state file " + state + " is in use by another fakests serve (" + state + ".lock is locked)\n"
	if code != 1 || out.String() != "" || errw.String() != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out.String(), errw.String(), want)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	startServe(t, config{quiet: true, state: state})
}
