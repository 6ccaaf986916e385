package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// TestServeFlagDefaults pins serve's defaults: loopback on port 7787, the
// engine's default account and region, lenient, logging.
func TestServeFlagDefaults(t *testing.T) {
	got, err := parseServeFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{addr: "127.0.0.1:7787", account: "123456789012", region: "us-east-1"}
	if got != want {
		t.Fatalf("defaults = %+v, want %+v", got, want)
	}
	got, err = parseServeFlags([]string{"-addr", "127.0.0.1:0", "-state", "s.json", "-seed", "seed.json", "-strict",
		"-account", "111111111111", "-region", "eu-west-1", "-quiet", "-admin-token", "tok"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = config{addr: "127.0.0.1:0", state: "s.json", seed: "seed.json", strict: true, account: "111111111111",
		region: "eu-west-1", quiet: true, adminToken: "tok"}
	if got != want {
		t.Fatalf("flags = %+v, want %+v", got, want)
	}
	if _, err := parseServeFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	if _, err := parseServeFlags([]string{"extra"}, io.Discard); err == nil || err.Error() != `unexpected argument "extra"` {
		t.Fatalf("a stray argument: %v", err)
	}
}

// TestRunUsage pins the exit statuses of the command line.
func TestRunUsage(t *testing.T) {
	var out, errw strings.Builder
	if code := run(nil, &out, &errw); code != 2 || !strings.Contains(errw.String(), "usage: fakests <command>") {
		t.Fatalf("no command: exit %d, stderr %q", code, errw.String())
	}
	errw.Reset()
	if code := run([]string{"nope"}, &out, &errw); code != 2 || !strings.Contains(errw.String(), `unknown command "nope"`) {
		t.Fatalf("unknown command: exit %d, stderr %q", code, errw.String())
	}
	errw.Reset()
	if code := run([]string{"serve", "-bogus"}, &out, &errw); code != 2 || !strings.Contains(errw.String(), "flag provided but not defined: -bogus") {
		t.Fatalf("bad flag: exit %d, stderr %q", code, errw.String())
	}
	errw.Reset()
	if code := run([]string{"serve", "-addr", "127.0.0.1:0", "-seed", "testdata/does-not-exist.json"}, &out, &errw); code != 1 ||
		!strings.Contains(errw.String(), "seed file: open testdata/does-not-exist.json: no such file or directory") {
		t.Fatalf("missing seed: exit %d, stderr %q", code, errw.String())
	}
}

// TestBaseURL pins the first line's URL: an unspecified address is
// reached on loopback; IPv6 is bracketed.
func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7787}, "http://127.0.0.1:7787"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 80}, "http://127.0.0.1:80"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 80}, "http://[::1]:80"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 9}, "http://[::1]:9"},
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 9}, "http://192.0.2.7:9"},
	} {
		if got := baseURL(tc.addr); got != tc.want {
			t.Errorf("baseURL(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

// TestIsLoopback pins which -addr values count as loopback for the admin
// endpoints.
func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7787": true, "127.0.0.2:1": true, "[::1]:1": true, "localhost:0": true,
		":7787": false, "0.0.0.0:1": false, "[::]:1": false, "192.0.2.1:1": false, "example.com:1": false,
	} {
		got, err := isLoopback(addr)
		if err != nil || got != want {
			t.Errorf("isLoopback(%q) = %v, %v; want %v", addr, got, err, want)
		}
	}
	if _, err := isLoopback("7787"); err == nil {
		t.Error("isLoopback accepted an address without a port")
	}
}

// TestServeFirstLineAndLog starts the server, calls it with a real Go SDK
// client, and pins stdout's first line and stderr's request lines.
func TestServeFirstLineAndLog(t *testing.T) {
	rs := startServe(t, config{})
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`).MatchString(rs.url) {
		t.Fatalf("first line %q is not the base URL", rs.url)
	}
	c := stsClient(rs.url, exampleKey)
	ctx := context.Background()
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), RoleSessionName: aws.String("x")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
		t.Fatalf("AssumeRole with a one-letter session name: %v", err)
	}
	adminDo(t, "GET", rs.url+"/_fakests/health", "")
	if err := rs.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if got := rs.stdout.String(); got != "" {
		t.Errorf("stdout after the base URL = %q, want nothing", got)
	}
	lines := strings.Split(strings.TrimSuffix(rs.stderr.String(), "\n"), "\n")
	want := []string{
		`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z sts:GetCallerIdentity AKIAIOSFODNN7EXAMPLE 200 \d+\.\d{3}ms$`,
		`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z sts:AssumeRole AKIAIOSFODNN7EXAMPLE 400 \d+\.\d{3}ms$`,
		`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z admin:GET /_fakests/health - 200 \d+\.\d{3}ms$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(want), rs.stderr)
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i+1, lines[i], re)
		}
	}
}

// TestServeQuiet pins -quiet: the base URL and nothing on stderr.
func TestServeQuiet(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	if _, err := stsClient(rs.url, exampleKey).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	if err := rs.stop(); err != nil {
		t.Fatal(err)
	}
	if got := rs.stderr.String(); got != "" {
		t.Fatalf("stderr with -quiet = %q", got)
	}
}

// TestDescribe pins how a log line names requests: IAM by Version or
// scope, presigned callers, unsigned requests, and hostile values.
func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, body, auth string
		op, caller                       string
	}{
		{"sts form", "POST", "/", "Action=GetCallerIdentity&Version=2011-06-15",
			"AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", "sts:GetCallerIdentity", "AKIAX"},
		{"iam by version", "POST", "/", "Action=CreateUser&UserName=a&Version=2010-05-08",
			"AWS4-HMAC-SHA256 Credential=ASIAY/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00", "iam:CreateUser", "ASIAY"},
		{"presigned", "GET", "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=AKIAZ%2F20260101%2Fus-east-1%2Fsts%2Faws4_request", "", "",
			"sts:GetCallerIdentity", "AKIAZ"},
		{"unsigned", "POST", "/", "Action=AssumeRoleWithWebIdentity&Version=2011-06-15", "", "sts:AssumeRoleWithWebIdentity", "-"},
		{"no action", "GET", "/x", "", "", "sts:GET /x", "-"},
		{"hostile action", "POST", "/", "Action=A%20B%0AC", "", "sts:A_B_C", "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			op, caller := describe(r)
			if op != tc.op || caller != tc.caller {
				t.Errorf("describe = %q, %q; want %q, %q", op, caller, tc.op, tc.caller)
			}
			b, _ := io.ReadAll(r.Body)
			if string(b) != tc.body {
				t.Errorf("body after describe = %q, want %q", b, tc.body)
			}
		})
	}
}

// TestGracefulShutdown pins that SIGTERM's shutdown lets a request in
// flight finish: a call delayed by an injected fault is answered after the
// shutdown began, and serve returns without error once it is.
func TestGracefulShutdown(t *testing.T) {
	rs := startServe(t, config{quiet: true})
	if code, body := adminDo(t, "POST", rs.url+"/_fakests/faults", `{"operation":"GetCallerIdentity","delay":"1500ms"}`); code != http.StatusCreated {
		t.Fatalf("add fault: %d %s", code, body)
	}
	type result struct {
		out *sts.GetCallerIdentityOutput
		err error
	}
	res := make(chan result, 1)
	go func() {
		out, err := stsClient(rs.url, exampleKey).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		res <- result{out, err}
	}()
	time.Sleep(500 * time.Millisecond) // the call is waiting in the engine (a loaded machine may take a while to send it)
	start := time.Now()
	if err := rs.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	r := <-res
	if r.err != nil {
		t.Fatalf("the call in flight failed: %v", r.err)
	}
	if diff := cmp.Diff("arn:aws:iam::123456789012:user/fakests-default", aws.ToString(r.out.Arn)); diff != "" {
		t.Fatal(diff)
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Fatalf("serve returned %v after the stop, before the request in flight could finish", took)
	}
	if _, err := http.Get(rs.url + "/_fakests/health"); err == nil {
		t.Fatal("the server still answers after shutdown")
	}
}
