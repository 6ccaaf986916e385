//go:build !unix

package fakests

import "time"

// processCPU is unavailable here: the benchmarks report no cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }
