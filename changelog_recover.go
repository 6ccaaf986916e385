package fakests

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strconv"
	"strings"
)

// This file reads a change log back (Recover): it checks each record's
// frame and checksum, applies the records in order to the snapshot the
// first one holds, and builds an engine of the result.

// ChangeLogError is Recover's report of a record it could not use.
type ChangeLogError struct {
	// Offset is the byte offset of the record in the log (the length of
	// the log when the records are whole but the state they make is not
	// one an engine can hold).
	Offset int64
	// Record is the record's index: 0 for the first.
	Record int
	// Torn reports the end of a log cut short while a record was being
	// written: the log ends inside the record (its header or payload is
	// incomplete, with no newline: a record's only newline is its last
	// byte), or holds nothing but zero bytes from the record on (a file
	// whose length was extended before its data reached the disk).
	// It is what a crash during a write leaves; the call whose record it
	// was never returned.
	Torn bool
	// Err says what is wrong.
	Err error
}

// Error describes the record and what is wrong with it.
func (e *ChangeLogError) Error() string {
	what := "corrupt"
	if e.Torn {
		what = "torn"
	}
	return fmt.Sprintf("fakests: change log: %s record %d at offset %d: %v", what, e.Record, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *ChangeLogError) Unwrap() error { return e.Err }

// Recover rebuilds an engine from a change log that LogChanges wrote (a
// snapshot record, then change records, perhaps later snapshot records),
// with opts as New takes them (the log holds state, not options). The
// engine has no change log of its own: give it one with LogChanges.
//
// A record whose frame or checksum is wrong, or whose payload does not
// decode, stops Recover with a *ChangeLogError giving its offset. When
// that record is torn (the log was cut while it was written) and an
// earlier record held a snapshot, Recover returns both the engine rebuilt
// from every record before it and the error: the caller decides. A
// program that writes each record before acknowledging its change (as the
// engine does) loses nothing acknowledged to a torn final record, so a
// server would log it and go on; a corrupt record (Torn false), or a torn
// one followed by more, means the log was damaged, and no engine is
// returned.
//
// A layout that survives a crash at any point, for a server with a state
// file F: at start, if F.next exists and Recover of it returns an engine,
// rename it to F; else remove it. Recover F (or, if it does not exist,
// take New's engine), then create F.next, LogChanges(F.next), sync it,
// rename it to F and sync the directory; the engine logs to F from then
// on. To compact while running, do the same from LogChanges(F.next): until
// the rename, F still holds everything, and F.next everything since.
func Recover(r io.Reader, opts ...Option) (*Engine, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		idx     *stateIndex
		off     int64
		n       int
		tornErr error
	)
	for ; ; n++ {
		kind, payload, size, err := readRecord(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			le := &ChangeLogError{Offset: off, Record: n, Err: err}
			var torn *tornError
			if errors.As(err, &torn) {
				le.Torn, le.Err = true, torn.err
			}
			if !le.Torn || idx == nil {
				return nil, le
			}
			tornErr = le
			break
		}
		if err := idx.apply(kind, payload, &idx); err != nil {
			return nil, &ChangeLogError{Offset: off, Record: n, Err: err}
		}
		off += size
	}
	if idx == nil {
		return nil, &ChangeLogError{Offset: off, Record: n, Err: errors.New("the log holds no snapshot record")}
	}
	e := New(opts...)
	b, err := e.build(idx.state())
	if err != nil {
		return nil, &ChangeLogError{Offset: off, Record: n, Err: fmt.Errorf("the state the records make does not restore: %w", err)}
	}
	e.stateMu.Lock()
	e.install(b)
	e.stateMu.Unlock()
	return e, tornErr
}

// tornError marks a record the log ends inside.
type tornError struct{ err error }

func (t *tornError) Error() string { return t.err.Error() }

// readRecord reads one record: its kind, its payload and its size in
// bytes. It returns io.EOF at the end of a log that ends between records.
func readRecord(br *bufio.Reader) (kind byte, payload []byte, size int64, err error) {
	var hdr [recordHeaderLen]byte
	n, err := io.ReadFull(br, hdr[:])
	switch {
	case err == io.EOF:
		return 0, nil, 0, io.EOF
	case err == io.ErrUnexpectedEOF && bytes.IndexByte(hdr[:n], '\n') >= 0:
		return 0, nil, 0, fmt.Errorf("%q is not a record header", hdr[:n])
	case err == io.ErrUnexpectedEOF:
		if allZero(hdr[:n]) {
			return 0, nil, 0, &tornError{errors.New("zero bytes to the end of the log")}
		}
		return 0, nil, 0, &tornError{fmt.Errorf("the log ends %d bytes into the record's %d-byte header", n, recordHeaderLen)}
	case err != nil:
		return 0, nil, 0, err
	}
	length, sum, ok := parseHeader(hdr[:])
	if !ok {
		if allZero(hdr[:]) && restIsZero(br) {
			return 0, nil, 0, &tornError{errors.New("zero bytes to the end of the log")}
		}
		return 0, nil, 0, fmt.Errorf("%q is not a record header", hdr[:])
	}
	var buf bytes.Buffer
	got, err := io.CopyN(&buf, br, int64(length)+1)
	if err == io.EOF {
		// A record cut by a crash holds no newline (its payload is JSON on
		// one line, the newline its last byte): one that does was followed
		// by more records, and its length is wrong.
		if bytes.IndexByte(buf.Bytes(), '\n') >= 0 {
			return 0, nil, 0, fmt.Errorf("the record's length, %d bytes, runs past the end of the log through later records", length)
		}
		return 0, nil, 0, &tornError{fmt.Errorf("the log ends %d bytes into the record's %d-byte payload", got, length)}
	}
	if err != nil {
		return 0, nil, 0, err
	}
	b := buf.Bytes()
	payload, end := b[:length], b[length]
	if crc32.Checksum(payload, castagnoli) != sum {
		return 0, nil, 0, fmt.Errorf("the payload's CRC-32C is not %08x", sum)
	}
	if end != '\n' {
		return 0, nil, 0, errors.New("the record does not end with a newline")
	}
	return hdr[0], payload, recordHeaderLen + int64(length) + 1, nil
}

// parseHeader reads a record header: kind, length, checksum.
func parseHeader(h []byte) (length, sum uint32, ok bool) {
	if h[0] != recordSnapshot && h[0] != recordChange || h[1] != ' ' || h[10] != ' ' || h[19] != ' ' {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(string(h[2:10]), 16, 32)
	s, err2 := strconv.ParseUint(string(h[11:19]), 16, 32)
	if err1 != nil || err2 != nil || l > maxRecordPayload {
		return 0, 0, false
	}
	return uint32(l), uint32(s), true
}

// allZero reports whether b holds only zero bytes.
func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// restIsZero reads br to its end and reports whether it held only zero
// bytes.
func restIsZero(br *bufio.Reader) bool {
	var buf [4096]byte
	for {
		n, err := br.Read(buf[:])
		if !allZero(buf[:n]) {
			return false
		}
		if err != nil {
			return err == io.EOF
		}
	}
}

// stateIndex is a snapshot being changed by change records: its entities
// by key.
type stateIndex struct {
	st          *snapState // version, default user and journal
	messageKey  []byte
	accounts    map[string]accountJSON
	users       map[string]userJSON
	roles       map[string]roleJSON
	policies    map[string]managedPolicyJSON
	rootKeys    map[string]rootKeyJSON
	mfa         map[string]mfaDeviceJSON
	oidc        map[string]oidcProviderJSON
	saml        map[string]samlProviderJSON
	orgs        map[string]organizationJSON
	optIn       map[regionJSON]bool
	stsOff      map[regionJSON]bool
	outbound    map[string]outboundJSON
	delegations map[string]delegationJSON
	sessions    map[string]sessionJSON
	faults      map[uint64]faultRule
}

// newStateIndex indexes st.
func newStateIndex(st *snapState) *stateIndex {
	x := &stateIndex{st: st, messageKey: st.AuthorizationMessageKey,
		accounts: make(map[string]accountJSON), users: make(map[string]userJSON), roles: make(map[string]roleJSON),
		policies: make(map[string]managedPolicyJSON), rootKeys: make(map[string]rootKeyJSON),
		mfa: make(map[string]mfaDeviceJSON), oidc: make(map[string]oidcProviderJSON),
		saml: make(map[string]samlProviderJSON), orgs: make(map[string]organizationJSON),
		optIn: make(map[regionJSON]bool), stsOff: make(map[regionJSON]bool),
		outbound: make(map[string]outboundJSON), delegations: make(map[string]delegationJSON),
		sessions: make(map[string]sessionJSON, len(st.Sessions)), faults: make(map[uint64]faultRule)}
	x.put(&st.entities)
	return x
}

// put replaces the entities es holds.
func (x *stateIndex) put(es *entities) {
	if es.AuthorizationMessageKey != nil {
		x.messageKey = es.AuthorizationMessageKey
	}
	for _, j := range es.Accounts {
		x.accounts[j.ID] = j
	}
	for _, j := range es.Users {
		x.users[j.ID] = j
	}
	for _, j := range es.Roles {
		x.roles[j.ID] = j
	}
	for _, j := range es.ManagedPolicies {
		x.policies[j.ARN] = j
	}
	for _, j := range es.RootKeys {
		x.rootKeys[j.Account] = j
	}
	for _, j := range es.MFADevices {
		x.mfa[j.SerialNumber] = j
	}
	for _, j := range es.OIDCProviders {
		x.oidc[oidcIndexKey(j.Account, j.URL)] = j
	}
	for _, j := range es.SAMLProviders {
		x.saml[samlIndexKey(j.Account, j.Name)] = j
	}
	for _, j := range es.Organizations {
		x.orgs[j.ID] = j
	}
	for _, j := range es.OptInRegions {
		x.optIn[j.regionJSON] = j.Enabled
	}
	for _, j := range es.STSDeactivated {
		x.stsOff[j] = true
	}
	for _, j := range es.OutboundFederation {
		x.outbound[j.Account] = j
	}
	for _, j := range es.Delegations {
		x.delegations[j.TradeInToken] = j
	}
	for _, j := range es.Sessions {
		x.sessions[j.AccessKeyID] = j
	}
	for _, j := range es.Faults {
		x.faults[j.ID] = j
	}
}

// apply applies one record to *xp: a snapshot record replaces it, a change
// record changes it.
func (x *stateIndex) apply(kind byte, payload []byte, xp **stateIndex) error {
	if kind == recordSnapshot {
		st, err := decodeSnapState(payload)
		if err != nil {
			return err
		}
		*xp = newStateIndex(st)
		return nil
	}
	if x == nil {
		return errors.New("a change record before any snapshot record")
	}
	c, err := decodeChangeRecord(payload)
	if err != nil {
		return fmt.Errorf("change record: %w", err)
	}
	if c.Put != nil {
		if err := c.Put.prepare(); err != nil {
			return fmt.Errorf("change record: %w", err)
		}
		x.put(c.Put)
	}
	if d := c.Delete; d != nil {
		for _, id := range d.Accounts {
			delete(x.accounts, id)
		}
		for _, id := range d.Roles {
			delete(x.roles, id)
		}
		for _, a := range d.ManagedPolicies {
			delete(x.policies, a)
		}
		for _, s := range d.MFADevices {
			delete(x.mfa, s)
		}
		for _, a := range d.OIDCProviders {
			if acct, res, ok := splitIAMARN(a); ok {
				delete(x.oidc, oidcIndexKey(acct, "https://"+strings.TrimPrefix(res, "oidc-provider/")))
			}
		}
		for _, a := range d.SAMLProviders {
			if acct, res, ok := splitIAMARN(a); ok {
				delete(x.saml, samlIndexKey(acct, strings.TrimPrefix(res, "saml-provider/")))
			}
		}
		for _, t := range d.Delegations {
			delete(x.delegations, t)
		}
		for _, id := range d.Faults {
			delete(x.faults, id)
		}
		for _, r := range d.STSDeactivated {
			delete(x.stsOff, r)
		}
	}
	for _, u := range c.MFAUsed {
		d, ok := x.mfa[u.SerialNumber]
		if !ok {
			return fmt.Errorf("change record: MFA device %s is not in the state", u.SerialNumber)
		}
		used := make([]uint64, 0, len(d.UsedSteps)+1)
		for _, s := range d.UsedSteps {
			if s+mfaWindow >= u.CurrentStep && s != u.Step {
				used = append(used, s)
			}
		}
		d.UsedSteps = append(used, u.Step)
		slices.Sort(d.UsedSteps)
		x.mfa[u.SerialNumber] = d
	}
	if c.SweptBefore != nil {
		for id, s := range x.sessions {
			if s.Expiration.Before(*c.SweptBefore) {
				delete(x.sessions, id)
			}
		}
	}
	return nil
}

// oidcIndexKey and samlIndexKey are the index's keys of providers.
func oidcIndexKey(acct, url string) string  { return acct + "/" + url }
func samlIndexKey(acct, name string) string { return acct + "/" + name }

// state returns the snapshot the index holds now. Detached users and
// roles that nothing refers to any more are left out, as Snapshot leaves
// them out: a user is kept while sessions hold it, while it has deleted
// keys (which the engine keeps refusing) or while it is the default user;
// a role while sessions hold it.
func (x *stateIndex) state() *snapState {
	st := &snapState{Version: x.st.Version, DefaultUser: x.st.DefaultUser, Journal: x.st.Journal}
	st.AuthorizationMessageKey = x.messageKey
	st.Accounts = mapValues(x.accounts)
	heldUsers, heldRoles := map[string]bool{x.st.DefaultUser: true}, map[string]bool{}
	for _, s := range x.sessions {
		heldUsers[s.User], heldRoles[s.Role] = true, true
	}
	for _, u := range x.users {
		if !u.Detached || heldUsers[u.ID] || len(u.DeletedAccessKeys) > 0 {
			st.Users = append(st.Users, u)
		}
	}
	for _, r := range x.roles {
		if !r.Detached || heldRoles[r.ID] {
			st.Roles = append(st.Roles, r)
		}
	}
	st.ManagedPolicies = mapValues(x.policies)
	st.RootKeys = mapValues(x.rootKeys)
	st.MFADevices = mapValues(x.mfa)
	st.OIDCProviders = mapValues(x.oidc)
	st.SAMLProviders = mapValues(x.saml)
	st.Organizations = mapValues(x.orgs)
	for r, on := range x.optIn {
		st.OptInRegions = append(st.OptInRegions, optInRegionJSON{r, on})
	}
	for r := range x.stsOff {
		st.STSDeactivated = append(st.STSDeactivated, r)
	}
	st.OutboundFederation = mapValues(x.outbound)
	st.Delegations = mapValues(x.delegations)
	st.Sessions = mapValues(x.sessions)
	st.Faults = mapValues(x.faults)
	return st
}

// mapValues returns m's values (nil for none).
func mapValues[K comparable, V any](m map[K]V) []V {
	if len(m) == 0 {
		return nil
	}
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// decodeChangeRecord decodes a change record's payload. The sessions it
// puts, which nearly every record carries, are read by hand as a
// snapshot's are (most records are nothing else, and encoding/json would
// scan each session twice around its UnmarshalJSON); every other member
// goes through encoding/json, refusing members the format does not have,
// so the record means what strictUnmarshal would make of it.
func decodeChangeRecord(payload []byte) (*changeRecord, error) {
	r := jsonReader{b: payload}
	c := new(changeRecord)
	var sessions []sessionJSON
	rest, putRest := []byte{'{'}, []byte{'{'}
	sawPut, sawSessions := false, false
	member := func(buf []byte, key string) []byte {
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(appendJSONString(buf, key), ':')
		return append(buf, r.raw()...)
	}
	r.object(func(key string) {
		if key != "put" {
			rest = member(rest, key)
			return
		}
		if sawPut {
			r.fail("member %q appears twice", key)
			return
		}
		sawPut = true
		if r.null() {
			return
		}
		c.Put = new(entities)
		r.object(func(key string) {
			if key != "sessions" {
				putRest = member(putRest, key)
				return
			}
			if sawSessions {
				r.fail("member %q appears twice", key)
				return
			}
			sawSessions = true
			if r.null() {
				return
			}
			r.array(func() {
				sessions = append(sessions, sessionJSON{})
				sessions[len(sessions)-1].read(&r)
			})
		})
	})
	if r.ws(); r.err == nil && r.i != len(payload) {
		r.fail("data after the JSON value")
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(rest) > 1 {
		if err := strictUnmarshal(append(rest, '}'), c); err != nil {
			return nil, err
		}
	}
	if c.Put != nil {
		if len(putRest) > 1 {
			if err := strictUnmarshal(append(putRest, '}'), c.Put); err != nil {
				return nil, err
			}
		}
		c.Put.Sessions = sessions
	}
	return c, nil
}
