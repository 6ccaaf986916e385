package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fakests/fakests"
)

// This file is -state FILE: the engine's change log (fakests.LogChanges)
// kept in FILE, so that state survives restarts and crashes.
//
// Every change (a user created, a session issued, an MFA code used, ...)
// is written to FILE with one write(2) before the call that made it
// returns, so a change acknowledged to a client survives kill -9. The
// layout is the one fakests.Recover describes, which survives a crash at
// any point:
//
//   - at start, a leftover FILE.next (a crash during a compaction) that
//     recovers replaces FILE; one that does not is removed;
//   - FILE is recovered (or, when it does not exist, the seeded engine is
//     taken); a torn final record, which only a crash during its write
//     leaves and whose call was never acknowledged, is reported and
//     dropped; any other damage stops the start with the file, the record
//     and its offset, and the file is left as it is;
//   - the state is then compacted: written as one snapshot record to
//     FILE.next, synced, renamed over FILE, the directory synced; the
//     engine logs to FILE from then on.
//
// FILE.lock is locked (flock, on Unix) while a server uses FILE, so a
// second server on the same file stops at start. Reset compacts the same
// way from the fresh engine. The engine clock's
// offset (POST /_fakests/clock/advance) is not engine state: it lives in
// FILE.clock, replaced atomically before the advance is acknowledged.

// stateFile is the open -state file the engine logs to.
type stateFile struct {
	path string
	f    *os.File // FILE, which the engine appends its records to
	e    *fakests.Engine
	lock *os.File // FILE.lock, locked; nil where locks are not available
}

// nextSuffix, clockSuffix and lockSuffix name the files beside FILE.
const (
	nextSuffix  = ".next"
	clockSuffix = ".clock"
	lockSuffix  = ".lock" // held locked while a server uses FILE (Unix)
)

// openState builds the served engine from the -state file (see above),
// reporting a dropped torn record to s.warn.
func (s *server) openState() (err error) {
	path := s.cfg.state
	lock, err := lockState(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && lock != nil {
			lock.Close()
		}
	}()
	if err := s.settleNext(path); err != nil {
		return err
	}
	var e *fakests.Engine
	f, err := os.Open(path)
	if err == nil {
		err = s.loadClock(path)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A clock file without its state is a leftover: the new state
		// starts on the wall clock.
		if err := os.Remove(path + clockSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("state file: %w", err)
		}
		if e, err = s.freshEngine(); err != nil {
			return err
		}
	case err != nil:
		if f != nil {
			f.Close()
		}
		return fmt.Errorf("state file: %w", err)
	default:
		e, err = fakests.Recover(f, s.options()...)
		f.Close()
		var le *fakests.ChangeLogError
		switch {
		case err == nil:
		case e != nil && errors.As(err, &le) && le.Torn:
			fmt.Fprintf(s.warn, "fakests: state file %s: dropped the torn record %d at offset %d, the end of a write a crash cut short (its call was never acknowledged)\n", path, le.Record, le.Offset)
		default:
			return fmt.Errorf("state file %s: %v (the file is left as it is: move it away to start afresh)", path, strings.TrimPrefix(err.Error(), "fakests: "))
		}
	}
	st := &stateFile{path: path, lock: lock}
	if err := st.adopt(e); err != nil {
		return err
	}
	s.state = st
	s.setEngine(e)
	return nil
}

// settleNext finishes or undoes a compaction a crash interrupted: a
// FILE.next that recovers (its snapshot record whole: it was synced before
// the rename) replaces FILE; any other is removed.
func (s *server) settleNext(path string) error {
	next := path + nextSuffix
	f, err := os.Open(next)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	// Recover returns an engine for a whole log, or one whose last record
	// is torn (never acknowledged); not for a damaged one.
	e, _ := fakests.Recover(f, s.options()...)
	f.Close()
	if e != nil {
		if err := os.Rename(next, path); err != nil {
			return fmt.Errorf("state file: %w", err)
		}
		return syncDir(path)
	}
	if err := os.Remove(next); err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	return nil
}

// adopt compacts e's state into the file and makes it e's change log:
// FILE.next gets a snapshot record, is synced and renamed over FILE. The
// engine logged to before, if any, stops logging.
func (st *stateFile) adopt(e *fakests.Engine) error {
	next := st.path + nextSuffix
	f, err := os.OpenFile(next, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	fail := func(err error) error {
		e.LogChanges(nil)
		f.Close()
		os.Remove(next)
		return fmt.Errorf("state file %s: %w", st.path, err)
	}
	if err := e.LogChanges(f); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := os.Rename(next, st.path); err != nil {
		return fail(err)
	}
	if err := syncDir(st.path); err != nil {
		return fail(err)
	}
	if st.e != nil && st.e != e {
		st.e.LogChanges(nil)
	}
	if st.f != nil {
		st.f.Close()
	}
	st.f, st.e = f, e
	return nil
}

// Close stops the engine logging, syncs the file and closes it (what the
// engine acknowledged is in the file, whole), then releases the lock.
func (st *stateFile) Close() error {
	if st.f == nil {
		return nil
	}
	st.e.LogChanges(nil)
	err := st.f.Sync()
	if cerr := st.f.Close(); err == nil {
		err = cerr
	}
	st.f = nil
	if st.lock != nil {
		st.lock.Close()
		st.lock = nil
	}
	return err
}

// syncDir syncs the directory holding path, so that a rename in it
// survives a crash of the machine.
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// clockState is FILE.clock.
type clockState struct {
	Offset string `json:"offset"` // a Go duration: how far ahead of the wall clock
}

// loadClock sets the clock's offset from FILE.clock, if there is one.
func (s *server) loadClock(path string) error {
	b, err := os.ReadFile(path + clockSuffix)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	var c clockState
	d, perr := time.Duration(0), json.Unmarshal(b, &c)
	if perr == nil {
		d, perr = time.ParseDuration(c.Offset)
	}
	if perr != nil || d < 0 {
		return fmt.Errorf("state file %s%s: not a clock offset such as {\"offset\":\"1h0m0s\"}: %q", path, clockSuffix, b)
	}
	s.clock.SetOffset(d)
	return nil
}

// saveClock replaces FILE.clock with offset d: written to a temporary
// file, synced, renamed.
func (st *stateFile) saveClock(d time.Duration) error {
	name := st.path + clockSuffix
	b, _ := json.Marshal(clockState{Offset: d.String()})
	tmp := name + nextSuffix
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(name)
}

// freshEngineLocked returns a new seeded engine, which with -state the
// file starts over from; s.mu is held.
func (s *server) freshEngineLocked() (*fakests.Engine, error) {
	e, err := s.freshEngine()
	if err != nil {
		return nil, err
	}
	if s.state != nil {
		if err := s.state.saveClock(s.clock.Offset()); err != nil {
			return nil, err
		}
		if err := s.state.adopt(e); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// getSnapshot answers the engine's state as a fakests.Snapshot's JSON.
func (s *server) getSnapshot(w http.ResponseWriter, r *http.Request) {
	b, err := json.Marshal(s.engine().Snapshot())
	if err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// putSnapshot replaces the engine's state with the snapshot in the body
// (with -state, the engine logs it as a snapshot record). A snapshot that
// does not decode or restore changes nothing.
func (s *server) putSnapshot(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	var snap fakests.Snapshot
	if err := json.Unmarshal(b, &snap); err != nil {
		adminError(w, http.StatusBadRequest, "not a snapshot: "+strings.TrimPrefix(err.Error(), "fakests: "))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.engine().Restore(&snap); err != nil {
		adminError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "fakests: "))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
