package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// TestAdminHealth pins GET /_fakests/health.
func TestAdminHealth(t *testing.T) {
	rs := startServe(t, config{quiet: true, strict: true, account: "111122223333", region: "eu-west-1"})
	code, body := adminDo(t, "GET", rs.url+"/_fakests/health", "")
	if code != http.StatusOK || body != `{"status":"ok","account":"111122223333","region":"eu-west-1","strict":true,"sessions":0}`+"\n" {
		t.Fatalf("health: %d %s", code, body)
	}
	code, body = adminDo(t, "GET", rs.url+"/_fakests/nope", "")
	if code != http.StatusNotFound || body != `{"error":"no admin endpoint GET /_fakests/nope"}`+"\n" {
		t.Fatalf("unknown endpoint: %d %s", code, body)
	}
	code, body = adminDo(t, "POST", rs.url+"/_fakests/health", "")
	if code != http.StatusNotFound || body != `{"error":"no admin endpoint POST /_fakests/health"}`+"\n" {
		t.Fatalf("POST health: %d %s", code, body)
	}
}

// TestAdminJournal pins the journal as JSON lines: one CloudTrail record
// per call, oldest first, and DELETE empties it.
func TestAdminJournal(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	c := stsClient(rs.url, exampleKey)
	ctx := context.Background()
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("j1")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(rs.url + "/_fakests/journal")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("Content-Type = %q", ct)
	}
	var recs []map[string]any
	dec := json.NewDecoder(resp.Body)
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, m)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	if recs[0]["eventName"] != "GetCallerIdentity" || recs[1]["eventName"] != "AssumeRole" || recs[1]["eventSource"] != "sts.amazonaws.com" {
		t.Fatalf("records: %v", recs)
	}
	creds := recs[1]["responseElements"].(map[string]any)["credentials"].(map[string]any)
	if creds["accessKeyId"] != aws.ToString(out.Credentials.AccessKeyId) {
		t.Errorf("journal's access key %v, the client got %s", creds["accessKeyId"], aws.ToString(out.Credentials.AccessKeyId))
	}
	if code, _ := adminDo(t, "DELETE", rs.url+"/_fakests/journal", ""); code != http.StatusNoContent {
		t.Fatalf("DELETE journal: %d", code)
	}
	if code, body := adminDo(t, "GET", rs.url+"/_fakests/journal", ""); code != 200 || body != "" {
		t.Fatalf("journal after DELETE: %d %q", code, body)
	}
}

// TestAdminFaults pins fault rules over the admin API: added, listed with
// what they have left, used up by the calls they fail, removed by ID.
func TestAdminFaults(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	code, body := adminDo(t, "POST", rs.url+"/_fakests/faults", `{"operation":"GetCallerIdentity","code":"Throttling","times":1}`)
	if code != http.StatusCreated || body != `{"id":1,"operation":"GetCallerIdentity","code":"Throttling","times":1,"remaining":1}`+"\n" {
		t.Fatalf("add: %d %s", code, body)
	}
	code, body = adminDo(t, "POST", rs.url+"/_fakests/faults", `{"operation":"AssumeRole","code":"InternalFailure","delay":"1ms","probability":0.5}`)
	if code != http.StatusCreated {
		t.Fatalf("add: %d %s", code, body)
	}
	code, body = adminDo(t, "GET", rs.url+"/_fakests/faults", "")
	want := `[{"id":1,"operation":"GetCallerIdentity","code":"Throttling","times":1,"remaining":1},{"id":2,"operation":"AssumeRole","code":"InternalFailure","probability":0.5,"delay":"1ms"}]` + "\n"
	if code != 200 || body != want {
		t.Fatalf("list: %d %s\nwant %s", code, body, want)
	}

	_, err := stsClient(rs.url, exampleKey).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	var re interface{ HTTPStatusCode() int }
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "Throttling" || ae.ErrorMessage() != "Rate exceeded" || !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Fatalf("GetCallerIdentity under the fault: %v", err)
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/faults", ""); !strings.HasPrefix(body, `[{"id":2,`) {
		t.Fatalf("the used-up fault is still listed: %s", body)
	}
	if code, _ = adminDo(t, "DELETE", rs.url+"/_fakests/faults/2", ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	if code, body = adminDo(t, "DELETE", rs.url+"/_fakests/faults/2", ""); code != http.StatusNotFound || body != `{"error":"no fault with id \"2\" in force"}`+"\n" {
		t.Fatalf("delete again: %d %s", code, body)
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/faults", ""); body != "[]\n" {
		t.Fatalf("list after delete: %s", body)
	}
	adminDo(t, "POST", rs.url+"/_fakests/faults", `{"code":"Throttling"}`)
	adminDo(t, "POST", rs.url+"/_fakests/faults", `{"code":"InternalFailure"}`)
	if code, _ = adminDo(t, "DELETE", rs.url+"/_fakests/faults", ""); code != http.StatusNoContent {
		t.Fatalf("delete all: %d", code)
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/faults", ""); body != "[]\n" {
		t.Fatalf("list after delete all: %s", body)
	}

	for _, tc := range []struct{ body, want string }{
		{`{"operation":"Nope","code":"Throttling"}`, `{"error":"fakests: InjectFault: \"Nope\" is not an STS or IAM operation"}`},
		{`{}`, `{"error":"fakests: InjectFault: the fault has neither a Code nor a Delay"}`},
		{`{"code":"Throttling","delay":"soon"}`, `{"error":"delay \"soon\" is not a duration such as \"250ms\""}`},
		{`{"code":"Throttling","colour":"red"}`, `{"error":"the request body is not what this endpoint takes: json: unknown field \"colour\""}`},
		{`{"id":7,"code":"Throttling"}`, `{"error":"id and remaining are the server's to give"}`},
	} {
		if code, body := adminDo(t, "POST", rs.url+"/_fakests/faults", tc.body); code != http.StatusBadRequest || body != tc.want+"\n" {
			t.Errorf("POST %s: %d %s, want 400 %s", tc.body, code, body, tc.want)
		}
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/faults", ""); body != "[]\n" {
		t.Fatalf("refused faults were added: %s", body)
	}
}

// TestAdminClock pins the engine clock: read, advanced, and the advance
// seen by the engine (a session expires without waiting).
func TestAdminClock(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	var c0 clockJSON
	code, body := adminDo(t, "GET", rs.url+"/_fakests/clock", "")
	decodeJSON(t, body, &c0)
	if code != 200 || c0.Offset != "0s" || time.Since(c0.Now).Abs() > time.Minute {
		t.Fatalf("clock: %d %s", code, body)
	}
	ctx := context.Background()
	out, err := stsClient(rs.url, exampleKey).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	session := aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	if _, err := stsClient(rs.url, session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("the fresh session: %v", err)
	}

	var c1 clockJSON
	code, body = adminDo(t, "POST", rs.url+"/_fakests/clock/advance", `{"by":"16m"}`)
	decodeJSON(t, body, &c1)
	if code != 200 || c1.Offset != "16m0s" || c1.Now.Sub(c0.Now) < 16*time.Minute {
		t.Fatalf("advance: %d %s", code, body)
	}
	_, err = stsClient(rs.url, session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ExpiredToken" || ae.ErrorMessage() != "The security token included in the request is expired" {
		t.Fatalf("the session after 16 minutes: %v", err)
	}
	for _, bad := range []string{`{"by":"-1h"}`, `{"by":"later"}`, `{}`} {
		if code, _ := adminDo(t, "POST", rs.url+"/_fakests/clock/advance", bad); code != http.StatusBadRequest {
			t.Errorf("advance %s: %d", bad, code)
		}
	}
}

// TestAdminReset pins reset: sessions, journal, faults and clock are back
// to a fresh start.
func TestAdminReset(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	ctx := context.Background()
	out, err := stsClient(rs.url, exampleKey).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/app"), RoleSessionName: aws.String("before")})
	if err != nil {
		t.Fatal(err)
	}
	adminDo(t, "POST", rs.url+"/_fakests/faults", `{"operation":"AssumeRole","code":"Throttling"}`)
	adminDo(t, "POST", rs.url+"/_fakests/clock/advance", `{"by":"1h"}`)
	if code, body := adminDo(t, "POST", rs.url+"/_fakests/reset", ""); code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", code, body)
	}
	_, body := adminDo(t, "GET", rs.url+"/_fakests/health", "")
	var h health
	decodeJSON(t, body, &h)
	if h.Sessions != 0 {
		t.Errorf("sessions after reset = %d", h.Sessions)
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/faults", ""); body != "[]\n" {
		t.Errorf("faults after reset: %s", body)
	}
	if _, body = adminDo(t, "GET", rs.url+"/_fakests/journal", ""); body != "" {
		t.Errorf("journal after reset: %s", body)
	}
	var c clockJSON
	_, body = adminDo(t, "GET", rs.url+"/_fakests/clock", "")
	decodeJSON(t, body, &c)
	if c.Offset != "0s" {
		t.Errorf("clock offset after reset: %s", c.Offset)
	}
	// The old session is gone: its key is unknown, so in lenient mode it
	// acts as the default user.
	old := aws.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	id, err := stsClient(rs.url, old).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("arn:aws:iam::123456789012:user/fakests-default", aws.ToString(id.Arn)); diff != "" {
		t.Errorf("the old session after reset: %s", diff)
	}
}

// TestAdminToken pins who may use the admin endpoints: anyone on a
// loopback listener without a token; with -admin-token only requests that
// bear it; on another address without a token nobody. STS is served
// either way.
func TestAdminToken(t *testing.T) {
	get := func(s *server, path string, header ...string) (int, string) {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:7787"
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	mk := func(addr, token string) *server {
		s, err := newServer(config{addr: addr, adminToken: token, quiet: true, account: "123456789012", region: "us-east-1"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	if code, _ := get(mk("127.0.0.1:0", ""), "/_fakests/health"); code != 200 {
		t.Errorf("loopback without token: %d", code)
	}
	open := mk("0.0.0.0:7787", "")
	if code, body := get(open, "/_fakests/health"); code != http.StatusForbidden ||
		body != `{"error":"the admin endpoints are off: the server does not listen on loopback and was started without -admin-token"}`+"\n" {
		t.Errorf("non-loopback without token: %d %s", code, body)
	}
	if code, _ := get(open, "/?Action=GetCallerIdentity&Version=2011-06-15"); code != http.StatusForbidden {
		// Unsigned GetCallerIdentity: STS's MissingAuthenticationToken (403), from the engine.
		t.Errorf("STS on a non-loopback server: %d", code)
	}
	for _, addr := range []string{"127.0.0.1:0", "0.0.0.0:7787"} {
		s := mk(addr, "s3cret")
		if code, body := get(s, "/_fakests/health"); code != http.StatusUnauthorized ||
			body != `{"error":"the admin endpoints need the header Authorization: Bearer \u003cthe -admin-token\u003e"}`+"\n" {
			t.Errorf("%s, no token: %d %s", addr, code, body)
		}
		if code, _ := get(s, "/_fakests/health", "Authorization", "Bearer wrong"); code != http.StatusUnauthorized {
			t.Errorf("%s, wrong token: %d", addr, code)
		}
		if code, _ := get(s, "/_fakests/health", "Authorization", "Bearer s3cret"); code != http.StatusOK {
			t.Errorf("%s, right token: %d", addr, code)
		}
	}
}

// TestAdminFromABrowser pins that a loopback server's admin endpoints,
// open without a token to programs on the machine, refuse what a web page
// the machine's browser shows could send them: a request addressed to
// another host name (DNS rebinding) or carrying another site's Origin. A
// token lets any request through.
func TestAdminFromABrowser(t *testing.T) {
	s, err := newServer(config{addr: "127.0.0.1:0", quiet: true, account: "123456789012", region: "us-east-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const refused = `{"error":"the admin endpoints answer only requests addressed to a loopback host and not sent by another site's page; start with -admin-token to reach them otherwise"}` + "\n"
	for _, tc := range []struct {
		host   string
		header []string
		want   int
	}{
		{"127.0.0.1:7787", nil, http.StatusOK},
		{"localhost:7787", nil, http.StatusOK},
		{"[::1]:7787", nil, http.StatusOK},
		{"LOCALHOST", nil, http.StatusOK},
		{"127.0.0.1:7787", []string{"Origin", "http://localhost:3000"}, http.StatusOK},
		{"127.0.0.1:7787", []string{"Sec-Fetch-Site", "same-origin"}, http.StatusOK},
		{"attacker.example:7787", nil, http.StatusForbidden},
		{"127.0.0.1.attacker.example", nil, http.StatusForbidden},
		{"127.0.0.1:7787", []string{"Origin", "https://attacker.example"}, http.StatusForbidden},
		{"127.0.0.1:7787", []string{"Origin", "null"}, http.StatusForbidden},
		{"127.0.0.1:7787", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
	} {
		r := httptest.NewRequest("POST", "/_fakests/reset", nil)
		r.Host = tc.host
		for i := 0; i+1 < len(tc.header); i += 2 {
			r.Header.Set(tc.header[i], tc.header[i+1])
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		want := tc.want
		if want == http.StatusOK {
			want = http.StatusNoContent // reset's answer
		}
		if w.Code != want || (want == http.StatusForbidden && w.Body.String() != refused) {
			t.Errorf("Host %s %v: %d %s, want %d", tc.host, tc.header, w.Code, w.Body.String(), want)
		}
	}
	tok, err := newServer(config{addr: "127.0.0.1:0", adminToken: "s3cret", quiet: true, account: "123456789012", region: "us-east-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/_fakests/health", nil)
	r.Host = "fakests.internal:7787"
	r.Header.Set("Authorization", "Bearer s3cret")
	w := httptest.NewRecorder()
	tok.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("with the token, another host name: %d %s", w.Code, w.Body.String())
	}
}
