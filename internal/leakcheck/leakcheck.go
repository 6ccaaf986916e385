// Package leakcheck fails a test binary whose tests leave goroutines of this
// module running: the standard library's answer to goleak, for the rule that
// no goroutine of fakests outlives its use.
//
// Each package whose code (or whose tests) can start a goroutine calls Main
// from its TestMain:
//
//	func TestMain(m *testing.M) { leakcheck.Main(m) }
//
// After the tests pass, Main waits up to Wait for every goroutine that runs
// code of this module, or was started by it, to end; if some remain it
// prints their stacks and the binary fails. Goroutines of the standard
// library and of other modules (an HTTP client's idle connections, say) are
// not this module's business and are ignored.
package leakcheck

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Wait is how long Main lets goroutines of this module finish after the
// tests. A key pool's filler ends within one key generation after the
// callers go idle (well under a second); the rest is room for a loaded
// machine.
const Wait = 5 * time.Second

// Main runs the tests, then Check(Wait) when they passed, and exits.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := Check(Wait); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// Check waits up to wait for the goroutines Running reports to end. It
// returns nil when none remains, and otherwise an error listing the stacks
// of those still there.
func Check(wait time.Duration) error {
	deadline := time.Now().Add(wait)
	delay := time.Millisecond
	for {
		left := Running()
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("leakcheck: %d goroutine(s) of %s still running %v after the tests:\n\n%s",
				len(left), module, wait, strings.Join(left, "\n\n"))
		}
		time.Sleep(delay)
		delay = min(2*delay, 100*time.Millisecond)
	}
}

// module is this module's path, read from the name of a function of this
// package ("<module>/internal/leakcheck.anchor").
var module = func() string {
	name := runtime.FuncForPC(reflect.ValueOf(anchor).Pointer()).Name()
	return name[:strings.Index(name, "/internal/leakcheck.")]
}()

// anchor exists for its name.
func anchor() {}

// Running returns the stacks of the goroutines, other than the caller's and
// those of the testing package (the main goroutine inside M.Run, tests being
// run), that have a frame in this module's code or were started from it.
func Running() []string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := strings.Split(string(buf), "\n\n")
	var out []string
	for _, s := range stacks[1:] { // the first is the caller's
		if ours(s) && !strings.Contains(s, "\ntesting.tRunner(") && !strings.Contains(s, "\ntesting.(*M).Run(") {
			out = append(out, s)
		}
	}
	return out
}

// ours reports whether a goroutine's stack has a function of this module
// (the package's own, its tests', or its external tests') or a "created by"
// line naming one.
func ours(stack string) bool {
	for _, line := range strings.Split(stack, "\n") {
		line = strings.TrimPrefix(line, "created by ")
		if rest, ok := strings.CutPrefix(line, module); ok && rest != "" && strings.ContainsRune("./_", rune(rest[0])) {
			return true
		}
	}
	return false
}
