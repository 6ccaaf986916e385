package fakests

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// This file is the change log (behaviour §23): durable state for programs
// that keep an engine across restarts, such as a server.
//
//	f, _ := os.Create(path)
//	e.LogChanges(f)                    // a snapshot record, then one change record per change
//	...
//	e, err := fakests.Recover(f2, opts...) // after a restart or a crash
//
// A log is a sequence of self-checking records (recordKind, length,
// CRC-32C, JSON payload, newline). A snapshot record holds a snapshot's
// JSON document and replaces the whole state; a change record holds what
// one change made: the entities it created or changed, in the snapshot's
// format (snapshot_format.go), and what it removed.
//
// How the engine writes them: every change of the engine's state holds
// e.stateMu for reading and the lock of what it changes, so that
// LogChanges and Snapshot, which hold e.stateMu for writing, see each
// change with its record or neither; and it writes its record inside the
// lock of what it changes, so that the records of changes to one thing
// are in the order of the changes. A change that fails, or whose record
// cannot be written, leaves no trace. Three shapes, one per kind of state:
//
// IAM's identity model (accounts, users and their keys, roles, managed
// policies, MFA devices: everything under e.mu) changes inside changeIAM
// (changelog_iam.go). The change marks each entity before it changes it
// and changes the accounts' maps through the change's helpers; changeIAM
// then writes one record that puts every marked entity whole, as it is
// after the change (or names it deleted, or detached when only sessions
// still hold it), and takes everything back if the record cannot be
// written. A new IAM mutation is:
//
//	return e.changeIAM(func(c *iamChange) error {
//		... check, returning IAM's error ...
//		c.user(u)             // c.role(r), c.policy(mp), c.device(d), c.account(a)
//		u.tags = merged       // change it in place
//		setIn(c, a.users, k, u) // deleteIn, c.accountOf, c.registerKey for the maps
//		return nil
//	})
//
// and nothing else: the record follows from the marks. A field added to an
// entity goes into its JSON type and capture and build functions
// (snapshot_format.go says how); its changes are recorded already.
//
// Identity providers, which are never changed in place, change through
// changeProviders: the change says which providers it stores and deletes;
// the record is written, then the change applied.
//
// Everything else (sessions, organizations, regions, outbound federation,
// delegations, faults, the message key) writes its record itself, before
// applying the change or taking it back after:
//
//	e.stateMu.RLock()
//	defer e.stateMu.RUnlock()
//	s.mu.Lock()
//	defer s.mu.Unlock()
//	... check ...
//	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Organizations: ...} }); err != nil {
//		return err
//	}
//	... apply ...
//
// and, if it removes something that a put cannot say, adds a member to
// deletions and its case to stateIndex.apply.
//
// changelog_iam_test.go runs every mutating IAM operation and every
// exported method that changes state with a change log, and compares the
// recovered engine with the live one; its tables must name every such
// operation and method, so a new one fails the test until it has a row.

// changeLog is where an engine writes its change records (LogChanges).
type changeLog struct {
	// on is set once LogChanges set a writer, so that an engine without a
	// log pays one atomic load per change.
	on atomic.Bool

	mu  sync.Mutex // guards w, err and buf
	w   io.Writer
	err error  // the first write that failed: no record is written after it
	buf []byte // a record being framed
}

// Record kinds: the first byte of every record.
const (
	recordSnapshot = 'S'
	recordChange   = 'C'
)

// recordHeaderLen is the length of a record's header: "S 0000002a
// 1c291ca3 ", the kind, the payload's length and its CRC-32C, each
// followed by a space, the numbers as eight lower-case hex digits.
const recordHeaderLen = 20

// maxRecordPayload is the largest payload Recover reads: a longer length
// is a corrupt header.
const maxRecordPayload = 1 << 30

// castagnoli is the CRC-32C table.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// changeRecord is a change record's payload: what one change made.
type changeRecord struct {
	// Put holds the entities the change created or changed; each replaces
	// the one with the same key (unique ID, ARN, access key ID, ...).
	Put *entities `json:"put,omitempty"`
	// Delete names what the change removed.
	Delete *deletions `json:"delete,omitempty"`
	// MFAUsed are MFA codes that issued a session.
	MFAUsed []mfaUseJSON `json:"mfaUsed,omitempty"`
	// SweptBefore is SweepExpired's cutoff: the sessions that expired
	// before it were forgotten.
	SweptBefore *time.Time `json:"sweptBefore,omitempty"`
}

// deletions name what a change removed. A deleted user or role is not
// here: a change record puts it detached, as sessions may still hold it.
type deletions struct {
	// Accounts are accounts that no longer hold anything.
	Accounts []string `json:"accounts,omitempty"`
	// Roles are unique IDs of implicit roles whose first session failed.
	Roles []string `json:"roles,omitempty"`
	// ManagedPolicies are the ARNs of deleted managed policies.
	ManagedPolicies []string `json:"managedPolicies,omitempty"`
	// MFADevices are the serial numbers of deleted MFA devices.
	MFADevices []string `json:"mfaDevices,omitempty"`
	// OIDCProviders and SAMLProviders are the ARNs of deleted identity
	// providers.
	OIDCProviders []string `json:"oidcProviders,omitempty"`
	SAMLProviders []string `json:"samlProviders,omitempty"`
	// Delegations are the trade-in tokens exchanged.
	Delegations []string `json:"delegations,omitempty"`
	// Faults are the IDs of faults removed or used up.
	Faults []uint64 `json:"faults,omitempty"`
	// STSDeactivated are the STS endpoints activated again.
	STSDeactivated []regionJSON `json:"stsDeactivated,omitempty"`
}

// mfaUseJSON is one MFA code that issued a session: the device, the time
// step of the code, and the device's current step (steps out of reach of
// every later window are forgotten, as the engine forgets them).
type mfaUseJSON struct {
	SerialNumber string `json:"serialNumber"`
	Step         uint64 `json:"step"`
	CurrentStep  uint64 `json:"currentStep"`
}

// timePtr returns t in UTC, for a record.
func timePtr(t time.Time) *time.Time {
	t = t.UTC()
	return &t
}

// errChangeLogFailed is the error of every change after a change record
// could not be written.
var errChangeLogFailed = errors.New("fakests: the change log failed: the engine accepts no more changes until LogChanges is given a writer again")

// logChange writes the change record fill describes, when the engine has a
// change log. The caller holds e.stateMu for reading and the lock of what
// the change is about, and applies the change only when logChange returns
// nil. A record that cannot be encoded (an OIDC provider with FetchJWKS)
// refuses the change and leaves the log as it was; a record that cannot be
// written refuses this change and every later one, as the log no longer
// follows the engine.
func (e *Engine) logChange(fill func(*changeRecord)) error {
	if !e.clog.on.Load() {
		return nil
	}
	var c changeRecord
	fill(&c)
	payload, err := json.Marshal(&c)
	if err != nil {
		return fmt.Errorf("fakests: the change log cannot hold this change: %w", err)
	}
	return e.clog.write(recordChange, payload)
}

// logSnapshot writes a snapshot record of st, when the engine has a change
// log (Restore: the restored state replaces everything before it). The
// caller holds e.stateMu for writing.
func (e *Engine) logSnapshot(st *snapState) error {
	if !e.clog.on.Load() {
		return nil
	}
	payload, err := st.sorted().appendJSON(nil)
	if err != nil {
		return fmt.Errorf("the change log cannot hold the snapshot: %w", err)
	}
	return e.clog.write(recordSnapshot, payload)
}

// write frames payload as one record and writes it with one Write call.
func (l *changeLog) write(kind byte, payload []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return errChangeLogFailed
	}
	l.buf = appendRecord(l.buf[:0], kind, payload)
	_, err := l.w.Write(l.buf)
	if cap(l.buf) > 64<<10 {
		l.buf = nil // a snapshot's buffer is not kept
	}
	if err != nil {
		l.err = err
		return fmt.Errorf("%w: %v", errChangeLogFailed, err)
	}
	return nil
}

// appendRecord appends the record of payload to buf.
func appendRecord(buf []byte, kind byte, payload []byte) []byte {
	buf = append(buf, kind, ' ')
	buf = appendHex8(buf, uint32(len(payload)))
	buf = append(buf, ' ')
	buf = appendHex8(buf, crc32.Checksum(payload, castagnoli))
	buf = append(buf, ' ')
	buf = append(buf, payload...)
	return append(buf, '\n')
}

// appendHex8 appends v as eight lower-case hex digits.
func appendHex8(buf []byte, v uint32) []byte {
	const hex = "0123456789abcdef"
	for shift := 28; shift >= 0; shift -= 4 {
		buf = append(buf, hex[v>>shift&15])
	}
	return buf
}

// LogChanges makes w the engine's change log: it writes a snapshot record
// of the engine's state to w, then, for every later change, one change
// record before the call that made the change returns (behaviour §23).
// What w has received is then enough for Recover to rebuild the engine as
// it was when the last of those calls returned.
//
// Each record is written with one w.Write call and nothing is buffered:
// give an *os.File, and a change acknowledged to a client survives the
// process being killed (kill -9), as data written with write(2) does. It
// does not survive the machine losing power unless the file is synced:
// fakests never calls Sync; a program that needs that syncs w itself (in
// its Write, or now and then, accepting the loss of what was not yet
// synced). Only changes are recorded (sessions issued, users and roles
// created, MFA codes used, ...), never reads; the journal is in snapshot
// records only.
//
// A later LogChanges switches to its writer, which then receives a
// snapshot record first; the earlier writer receives nothing more. That is
// how a program compacts its log: LogChanges(new file), then replace the
// old file with the new one (see Recover for a layout that survives a
// crash at any point). LogChanges(nil) stops logging.
//
// When a record cannot be written, the change it describes fails
// (InternalFailure on the STS operations, an error from the
// administration methods), and so does every later change, since the log
// no longer follows the engine: stop the program, or call LogChanges with
// a new writer, which starts over from the engine's state. Reads go on.
// InjectFault, Remove and the faults' use are the exception: they have no
// error to return, and go on unlogged. RootCredentials panics, as for a
// key it cannot draw.
//
// LogChanges fails, and leaves the engine's log as it was, when the
// snapshot record cannot be encoded (an OIDC provider with FetchJWKS: the
// log cannot hold a function) or written. Records hold every secret the
// engine knows: keep the file as you would the keys.
func (e *Engine) LogChanges(w io.Writer) error {
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	if w == nil {
		e.clog.mu.Lock()
		e.clog.w, e.clog.err = nil, nil
		e.clog.on.Store(false)
		e.clog.mu.Unlock()
		return nil
	}
	payload, err := e.capture().sorted().appendJSON(nil)
	if err != nil {
		return fmt.Errorf("fakests: LogChanges: %w", err)
	}
	if _, err := w.Write(appendRecord(nil, recordSnapshot, payload)); err != nil {
		return fmt.Errorf("fakests: LogChanges: %w", err)
	}
	e.clog.mu.Lock()
	e.clog.w, e.clog.err = w, nil
	e.clog.on.Store(true)
	e.clog.mu.Unlock()
	return nil
}
