package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/internal/leakcheck"
)

// TestMain fails the run when a goroutine of this module (see
// internal/leakcheck) or a fakests process started by a test outlives the
// tests; each test that starts the binary also checks its port is closed.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := checkProcesses(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	removeBuild()
	if code == 0 {
		if err := leakcheck.Check(leakcheck.Wait); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a server started in-process by startServe.
type running struct {
	url    string
	stdout *syncBuffer // what serve printed after the base URL
	stderr *syncBuffer
	stop   func() error // ends serve as SIGTERM does and returns its error
}

// startServe runs serve with cfg (its addr defaulting to a free loopback
// port) until the test ends, and returns once the base URL is printed.
func startServe(t *testing.T, cfg config) *running {
	t.Helper()
	if cfg.addr == "" {
		cfg.addr = "127.0.0.1:0"
	}
	if cfg.account == "" {
		cfg.account = "123456789012"
	}
	if cfg.region == "" {
		cfg.region = "us-east-1"
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	rs := &running{stdout: new(syncBuffer), stderr: new(syncBuffer)}
	done := make(chan error, 1)
	go func() {
		err := serve(ctx, cfg, pw, rs.stderr)
		pw.Close()
		done <- err
	}()
	first := make(chan string, 1)
	go func() {
		br := bufio.NewReader(pr)
		line, _ := br.ReadString('\n')
		first <- line
		io.Copy(rs.stdout, br)
	}()
	var stopped bool
	var stopErr error
	rs.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-done
		}
		return stopErr
	}
	t.Cleanup(func() { rs.stop() })
	select {
	case line := <-first:
		if line == "" {
			err := rs.stop()
			t.Fatalf("serve printed no base URL: %v\nstderr:\n%s", err, rs.stderr)
		}
		rs.url = strings.TrimSuffix(line, "\n")
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not print its base URL within 10s")
	}
	return rs
}

// stsClient returns a Go SDK STS client for url signing with creds.
func stsClient(url string, creds aws.Credentials) *sts.Client {
	return sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		Retryer:      aws.NopRetryer{},
	})
}

// exampleKey is any access key: lenient mode lets it act as the default
// user.
var exampleKey = aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// adminDo sends an admin request and returns the status and body.
func adminDo(t *testing.T, method, url, body string, header ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// decodeJSON decodes s into v or fails the test.
func decodeJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}
