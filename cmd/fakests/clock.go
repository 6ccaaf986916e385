package main

import (
	"sync/atomic"
	"time"
)

// This file is the engine clock the server owns (fakests.WithClock): the
// wall clock plus an offset that the admin endpoint moves forward, so that
// a script can travel past an expiry without waiting.

// clock is the wall clock shifted by an offset. It is safe for concurrent
// use.
type clock struct {
	offset atomic.Int64 // nanoseconds added to the wall clock
}

// Now returns the engine's time: the wall clock plus the offset.
func (c *clock) Now() time.Time {
	return time.Now().Add(time.Duration(c.offset.Load()))
}

// Offset returns how far the clock is ahead of the wall clock.
func (c *clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// Advance moves the clock forward by d and returns its new offset.
func (c *clock) Advance(d time.Duration) time.Duration {
	return time.Duration(c.offset.Add(int64(d)))
}

// SetOffset sets the offset (a restored state's, or zero on reset).
func (c *clock) SetOffset(d time.Duration) { c.offset.Store(int64(d)) }
