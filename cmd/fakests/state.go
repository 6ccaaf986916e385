package main

import (
	"errors"
	"net/http"
	"time"

	"github.com/fakests/fakests"
)

// stateFile persists the engine's state (-state).
type stateFile struct{}

func (s *server) openState() error { return errors.New("-state is not available yet") }

// Close closes the file.
func (f *stateFile) Close() error { return nil }

func (f *stateFile) saveClock(d time.Duration) error { return nil }

// freshEngineLocked returns a new seeded engine; s.mu is held.
func (s *server) freshEngineLocked() (*fakests.Engine, error) { return s.freshEngine() }

func (s *server) getSnapshot(w http.ResponseWriter, r *http.Request) {
	adminError(w, http.StatusNotImplemented, "not yet")
}

func (s *server) putSnapshot(w http.ResponseWriter, r *http.Request) {
	adminError(w, http.StatusNotImplemented, "not yet")
}
