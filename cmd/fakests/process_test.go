package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These helpers run the fakests binary as a user runs it: built with go
// build, started as a process, driven over HTTP by other programs (the aws
// CLI, boto3, the JS SDK), stopped by a signal. No process or port may
// outlive a test: each started process is stopped and reaped in the test's
// cleanup, its port checked closed, and TestMain fails the run if a
// process was left (checkProcesses).

// requireTools reports whether a missing aws CLI, boto3 or node must fail
// the tests rather than skip them: CI sets FAKESTS_REQUIRE_PYTHON=1 (python3,
// boto3, the aws CLI) and FAKESTS_REQUIRE_NODE=1 (node and the JS SDK
// installed by npm ci in testdata/js).
func requireTools(what string) bool {
	if what == "node" {
		return os.Getenv("FAKESTS_REQUIRE_NODE") == "1"
	}
	return os.Getenv("FAKESTS_REQUIRE_PYTHON") == "1"
}

// skipOrFail skips the test for a missing tool, or fails it when CI
// requires the tool (env names the variable).
func skipOrFail(t *testing.T, kind, what string, err error) {
	t.Helper()
	env := "FAKESTS_REQUIRE_PYTHON"
	if kind == "node" {
		env = "FAKESTS_REQUIRE_NODE"
	}
	if requireTools(kind) {
		t.Fatalf("%s=1 but %s is unavailable: %v", env, what, err)
	}
	t.Skipf("%s is unavailable (%v); set %s=1 to make this a failure", what, err, env)
}

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

// fakestsBinary returns the path of the fakests binary, built once per
// test run (FAKESTS_BIN names one already built, as .ci/run does).
func fakestsBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("FAKESTS_BIN"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "fakests-bin-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "fakests")
		out, err := exec.Command("go", "build", "-o", buildBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// removeBuild removes the binary built for the run.
func removeBuild() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// proc is a fakests process started by startBinary.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan struct{} // closed once the process is reaped
	err    error         // its exit, once done
}

var (
	procsMu sync.Mutex
	procs   []*proc // every process started, for checkProcesses
)

// startBinary starts fakests serve with args (plus -addr 127.0.0.1:0
// unless args set -addr) and returns once it printed its base URL. The
// test's cleanup kills it if it is still running and checks its port is
// closed.
func startBinary(t *testing.T, args ...string) *proc {
	t.Helper()
	bin := fakestsBinary(t)
	argv := append([]string{"serve"}, args...)
	if !strings.Contains(strings.Join(args, " "), "-addr") {
		argv = append(argv, "-addr", "127.0.0.1:0")
	}
	cmd := exec.Command(bin, argv...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &proc{cmd: cmd, stderr: new(syncBuffer), done: make(chan struct{})}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	procsMu.Lock()
	procs = append(procs, p)
	procsMu.Unlock()
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		first <- strings.TrimSpace(line)
		p.err = cmd.Wait() // reads stdout to its end first
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		p.checkPortClosed(t)
	})
	select {
	case p.url = <-first:
	case <-time.After(15 * time.Second):
		t.Fatalf("fakests printed no URL within 15s; stderr:\n%s", p.stderr)
	}
	if p.url == "" {
		<-p.done
		t.Fatalf("fakests exited without a URL: %v; stderr:\n%s", p.err, p.stderr)
	}
	return p
}

// signal sends sig to the process and waits up to 15s for it to exit,
// returning its exit error.
func (p *proc) signal(t *testing.T, sig syscall.Signal) error {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return p.err
	case <-time.After(15 * time.Second):
		p.kill()
		t.Fatalf("fakests did not exit within 15s of %v; stderr:\n%s", sig, p.stderr)
		return nil
	}
}

// kill kills the process group (the process and anything it started) and
// reaps the process.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// checkPortClosed fails the test if the process's port still accepts
// connections after it was reaped.
func (p *proc) checkPortClosed(t *testing.T) {
	u, err := url.Parse(p.url)
	if err != nil || u.Host == "" {
		return
	}
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("port %s still open after fakests exited", u.Host)
	}
}

// checkProcesses returns an error naming every started process that was
// not reaped.
func checkProcesses() error {
	procsMu.Lock()
	defer procsMu.Unlock()
	var left []string
	for _, p := range procs {
		select {
		case <-p.done:
		default:
			left = append(left, fmt.Sprint(p.cmd.Process.Pid))
			p.kill()
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("fakests process(es) %s outlived their tests", strings.Join(left, ", "))
	}
	return nil
}

// cleanEnv is the process environment without AWS_* variables and with
// AWS configuration files disabled, plus extra ("K=V").
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_DEFAULT_REGION=us-east-1", "AWS_REGION=us-east-1")
	return append(env, extra...)
}

// toolExit77 is the exit status of a script that cannot import its SDK.
const toolExit77 = 77

// runTool runs a command with env and a 60s bound, and returns its stdout;
// a failure to run fails the test. kind and what name the tool for
// skipOrFail when it is missing.
func runTool(t *testing.T, kind, what string, env []string, dir string, name string, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, kind, what, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Dir = env, dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == toolExit77 {
			skipOrFail(t, kind, what, errors.New(strings.TrimSpace(stderr.String())))
		}
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// runJSON runs a tool that prints one JSON object and decodes it.
func runJSON(t *testing.T, kind, what string, env []string, dir string, out any, name string, args ...string) {
	t.Helper()
	b := runTool(t, kind, what, env, dir, name, args...)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s printed no JSON: %v\n%s", name, err, b)
	}
}
