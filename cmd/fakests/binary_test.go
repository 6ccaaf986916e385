package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestBinaryAWSCLIAndSignals starts the binary as a user does, calls it
// with the aws CLI through AWS_ENDPOINT_URL, and stops it with SIGTERM,
// then again with SIGINT: each exits 0 after logging the request.
func TestBinaryAWSCLIAndSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		p := startBinary(t)
		if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(p.url) {
			t.Fatalf("first line %q", p.url)
		}
		env := cleanEnv("AWS_ENDPOINT_URL="+p.url, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=x")
		var id map[string]string
		runJSON(t, "python", "the aws CLI", env, "", &id, "aws", "sts", "get-caller-identity", "--output", "json")
		if id["Arn"] != "arn:aws:iam::123456789012:user/fakests-default" || id["Account"] != "123456789012" {
			t.Fatalf("aws sts get-caller-identity: %v", id)
		}
		if err := p.signal(t, sig); err != nil {
			t.Fatalf("exit after %v: %v\nstderr:\n%s", sig, err, p.stderr)
		}
		if !regexp.MustCompile(`(?m)^\S+ sts:GetCallerIdentity AKIAIOSFODNN7EXAMPLE 200 \S+ms$`).MatchString(p.stderr.String()) {
			t.Errorf("stderr has no log line for the call:\n%s", p.stderr)
		}
	}
}

// TestBinaryBadSeedExits pins that the binary refuses to start on a bad
// seed file: exit status 1, nothing on stdout, the file and JSON path on
// stderr.
func TestBinaryBadSeedExits(t *testing.T) {
	name := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(name, []byte(`{"roles": [{"name": "deployer", "trustPolicy": 42}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(fakestsBinary(t), "serve", "-addr", "127.0.0.1:0", "-seed", name)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	want := "fakests serve: seed file " + name + ": $.roles[0].trustPolicy: must be a policy document: a JSON object, or a string holding one; not a number\n"
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || stdout.String() != "" || stderr.String() != want {
		t.Fatalf("exit %v, stdout %q, stderr %q; want status 1 and %q", err, stdout.String(), stderr.String(), want)
	}
}
