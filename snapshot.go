package fakests

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// This file is Snapshot and Restore (behaviour §23): a point-in-time copy
// of all of an engine's state, which the same engine or another one made
// with New goes back to, in memory or through its JSON.
//
//	snap := e.Snapshot()
//	defer e.Restore(snap)
//	data, _ := json.Marshal(snap) // holds secrets: keep it as you would keys
//
// The format is snapshot_format.go; snapshot_capture.go copies the engine
// into it, snapshot_build.go makes engine objects of it again, checking
// everything first, and installs them.

// Snapshot is a point-in-time copy of all of an engine's state: accounts,
// IAM users with their access keys (status, dates, deleted ones) and
// secrets, roles (lenient mode's implicit ones too), managed policies with
// their versions, named inline policies and attachments, users and roles
// deleted while sessions still hold them, root keys, MFA devices with
// their seeds, assignments and used codes, identity providers, live
// sessions (expired ones not yet swept included), organizations, region settings, outbound
// identity federation with its issuers and signing keys, delegations not
// yet exchanged, the key that seals authorization messages, injected
// faults and the journal. The engine's options (clock, randomness,
// strictness, journal size, ...) are not state: they belong to the engine
// a snapshot is restored into.
//
// A Snapshot never changes: take one, restore it as often as you like,
// into any number of engines, from any goroutine. Its zero value holds
// nothing and is refused by Restore.
//
// json.Marshal of a Snapshot is a versioned JSON document (behaviour §23)
// that json.Unmarshal reads back, in this process or another. It holds
// every secret the engine knows: secret access keys, MFA seeds, private
// signing keys, trade-in tokens. Keep it as you would those; fakests never
// writes a snapshot anywhere on its own. An OIDC provider created with
// FetchJWKS (a Go function) cannot be written: json.Marshal of a snapshot
// that holds one fails, naming the provider, while Restore of the snapshot
// in memory keeps the function.
type Snapshot struct {
	st *snapState // nil for the zero Snapshot
}

// Snapshot returns a copy of the engine's state now. Calls that change the
// state wait while it is taken (well under a millisecond for a hundred
// identities and a thousand sessions), and each is in it whole or not at
// all.
func (e *Engine) Snapshot() *Snapshot {
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	return &Snapshot{st: e.capture()}
}

// Restore replaces all of the engine's state with snap's: credentials
// issued since snap was taken stop working (InvalidClientTokenId in strict
// mode; lenient mode takes unknown keys for the default user), and
// everything snap held works again, on every path. The engine's options
// stay its own: restored into an engine with a smaller WithJournalSize,
// the journal keeps its newest events.
//
// Restore checks all of snap before it changes anything: a snapshot it
// refuses (zero, decoded from a document that breaks the format's rules,
// or one whose change record the engine's change log cannot take) leaves
// the engine exactly as it was, and the error says why. A call in flight
// while Restore runs finishes against the state before or after it.
// Principals obtained before (Authenticate, Principal) keep describing the
// identities they were obtained for.
func (e *Engine) Restore(snap *Snapshot) error {
	if snap == nil || snap.st == nil {
		return errors.New("fakests: Restore: the snapshot is empty (a zero Snapshot, or one json.Unmarshal did not fill)")
	}
	b, err := e.build(snap.st)
	if err != nil {
		return fmt.Errorf("fakests: Restore: %w", err)
	}
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	if err := e.logSnapshot(snap.st); err != nil {
		return fmt.Errorf("fakests: Restore: %w", err)
	}
	e.install(b)
	return nil
}

// MarshalJSON writes the snapshot's JSON document (behaviour §23). It
// fails for the zero Snapshot and for a snapshot that holds an OIDC
// provider with a FetchJWKS function.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	if s.st == nil {
		return nil, errors.New("fakests: the snapshot is empty")
	}
	return s.st.sorted().appendJSON(nil)
}

// appendJSON appends st's document: its short members through
// encoding/json, its sessions and journal by hand (snapshot_codec.go).
func (st *snapState) appendJSON(buf []byte) ([]byte, error) {
	rest := *st
	rest.Sessions, rest.Journal = nil, nil
	head, err := json.Marshal(&rest)
	if err != nil {
		return nil, err
	}
	if buf == nil {
		buf = make([]byte, 0, len(head)+640*len(st.Sessions)+2048*len(st.Journal))
	}
	buf = append(buf, head[:len(head)-1]...) // all but its closing brace
	if len(st.Sessions) > 0 {
		buf = append(appendKey(buf, "sessions"), '[')
		for i := range st.Sessions {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = st.Sessions[i].appendJSON(buf); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	if len(st.Journal) > 0 {
		if buf, err = st.Journal.appendJSON(appendKey(buf, "journal")); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

// UnmarshalJSON reads a document MarshalJSON wrote. It refuses a document
// of another version than this fakests writes, a member the format does
// not have, and documents (policies, SAML metadata, keys) that do not
// parse; Restore checks the rest. Like encoding/json's own types it takes
// null as nothing to do.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	st, err := decodeSnapState(data)
	if err != nil {
		return err
	}
	s.st = st
	return nil
}

// decodeSnapState decodes and prepares a snapshot document: its sessions
// and journal by hand, the rest through encoding/json, refusing members
// the format does not have. A version other than this fakests reads is
// refused as soon as it is read (MarshalJSON writes it first), whatever
// the rest holds.
func decodeSnapState(data []byte) (*snapState, error) {
	r := jsonReader{b: data}
	st := new(snapState)
	var versionErr error
	seen := make(map[string]bool, 3)
	rest := []byte{'{'}
	r.object(func(key string) {
		switch key {
		case "version", "sessions", "journal":
			if seen[key] {
				r.fail("member %q appears twice", key)
				return
			}
			seen[key] = true
		}
		switch key {
		case "version":
			n := r.number()
			v, err := strconv.Atoi(string(n))
			switch {
			case r.err != nil:
			case err != nil:
				r.fail("version %s is not a whole number", n)
			case v != snapshotVersion:
				versionErr = versionError(v)
				r.fail("%v", versionErr)
			}
			st.Version = v
		case "sessions":
			if r.null() {
				return
			}
			r.array(func() {
				st.Sessions = append(st.Sessions, sessionJSON{})
				st.Sessions[len(st.Sessions)-1].read(&r)
			})
		case "journal":
			st.Journal = r.journal()
		default:
			if len(rest) > 1 {
				rest = append(rest, ',')
			}
			rest = append(appendJSONString(rest, key), ':')
			rest = append(rest, r.raw()...)
		}
	})
	if versionErr != nil {
		return nil, versionErr
	}
	if r.ws(); r.err == nil && r.i != len(data) {
		r.fail("data after the JSON value")
	}
	if r.err != nil {
		return nil, fmt.Errorf("fakests: snapshot: %w", r.err)
	}
	if !seen["version"] {
		return nil, versionError(0)
	}
	rest = append(rest, '}')
	sessions, journal, version := st.Sessions, st.Journal, st.Version
	if err := strictUnmarshal(rest, st); err != nil {
		return nil, fmt.Errorf("fakests: snapshot: %w", err)
	}
	st.Sessions, st.Journal, st.Version = sessions, journal, version
	if err := st.prepare(); err != nil {
		return nil, fmt.Errorf("fakests: snapshot: %w", err)
	}
	return st, nil
}

// versionError refuses a snapshot of version v.
func versionError(v int) error {
	if v == 0 {
		return fmt.Errorf("fakests: snapshot: no version member (this fakests reads version %d)", snapshotVersion)
	}
	return fmt.Errorf("fakests: snapshot: version %d is not supported (this fakests reads version %d)", v, snapshotVersion)
}

// strictUnmarshal decodes one JSON value into v, refusing members v does
// not have and anything after the value.
func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
