package fakests

import (
	"testing"

	"github.com/fakests/fakests/internal/leakcheck"
)

// TestMain fails the run when a goroutine of this module outlives the tests
// (see internal/leakcheck).
func TestMain(m *testing.M) { leakcheck.Main(m) }
