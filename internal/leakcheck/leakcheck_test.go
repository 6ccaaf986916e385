package leakcheck

import (
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

func TestModule(t *testing.T) {
	if module != "github.com/fakests/fakests" {
		t.Fatalf("module = %q", module)
	}
}

// parked is a goroutine of this module that waits for release.
func parked(release chan struct{}) { <-release }

// TestCheckReportsLingeringGoroutine starts a goroutine of this module that
// outlives its use: Check must fail and show its stack, then pass once it
// has ended.
func TestCheckReportsLingeringGoroutine(t *testing.T) {
	release := make(chan struct{})
	go parked(release)
	err := Check(50 * time.Millisecond)
	if err == nil {
		t.Fatal("Check passed with a goroutine of the module still running")
	}
	for _, want := range []string{"1 goroutine(s) of github.com/fakests/fakests still running", "leakcheck.parked(", "created by github.com/fakests/fakests/internal/leakcheck.TestCheckReportsLingeringGoroutine"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	close(release)
	if err := Check(5 * time.Second); err != nil {
		t.Fatalf("Check after the goroutine ended: %v", err)
	}
}

// TestRunningIgnoresOtherCode checks that goroutines the standard library
// starts for its own purposes (os/signal's loop, which lasts for the life of
// the process) are not reported.
func TestRunningIgnoresOtherCode(t *testing.T) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	defer signal.Stop(c)
	if left := Running(); len(left) != 0 {
		t.Fatalf("Running reports goroutines of other code:\n%s", strings.Join(left, "\n\n"))
	}
}

func TestOurs(t *testing.T) {
	for _, tc := range []struct {
		stack string
		want  bool
	}{
		{"goroutine 7 [chan send]:\ngithub.com/fakests/fakests/federation.startRSAPool.func1()\n\t/x/keypool.go:49 +0x1\ncreated by github.com/fakests/fakests/federation.startRSAPool in goroutine 6", true},
		{"goroutine 7 [select]:\nnet/http.(*persistConn).readLoop(0x1)\ncreated by net/http.(*Transport).dialConn in goroutine 6", false},
		{"goroutine 9 [chan receive]:\ngithub.com/fakests/fakests.(*Engine).x()\n", true},
		{"goroutine 9 [chan receive]:\ngithub.com/fakests/fakests_test.TestX()\n", true},
		{"goroutine 9 [chan receive]:\ngithub.com/fakests/fakestsother.F()\n", false},
		{"goroutine 9 [chan receive]:\nmain.f()\n\t/home/github.com/fakests/fakests/x.go:1\n", false},
	} {
		if got := ours(tc.stack); got != tc.want {
			t.Errorf("ours(%q) = %v, want %v", tc.stack, got, tc.want)
		}
	}
}
