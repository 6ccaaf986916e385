package main

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakests/fakests"
)

// This file is the admin API under /_fakests/, plain JSON over HTTP for
// scripts and test suites in any language:
//
//	GET    /_fakests/health             {"status":"ok",...}
//	GET    /_fakests/journal            the journal: one CloudTrail record per line, oldest first
//	DELETE /_fakests/journal            empty the journal
//	GET    /_fakests/faults             the faults in force: [{"id":1,"operation":"AssumeRole",...}]
//	POST   /_fakests/faults             add one: {"operation":"AssumeRole","code":"Throttling","times":2} → {"id":1,...}
//	DELETE /_fakests/faults/{id}        remove one
//	DELETE /_fakests/faults             remove all
//	GET    /_fakests/clock              {"now":"2026-…Z","offset":"0s"}: the engine clock
//	POST   /_fakests/clock/advance      {"by":"1h30m"}: move it forward
//	GET    /_fakests/snapshot           the engine's state as a fakests.Snapshot (JSON; holds secrets)
//	PUT    /_fakests/snapshot           replace the state with a snapshot
//	POST   /_fakests/reset              back to the start: the seed's state, no sessions, the wall clock
//
// Errors are {"error":"…"} with a 4xx status. With -admin-token every
// request needs "Authorization: Bearer <token>"; without one the endpoints
// answer only when the server listens on loopback.

// maxAdminBody caps an admin request's body (a snapshot can be large).
const maxAdminBody = 256 << 20

// adminMux returns the admin endpoints, behind the token check.
func (s *server) adminMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fakests/health", s.getHealth)
	mux.HandleFunc("GET /_fakests/journal", s.getJournal)
	mux.HandleFunc("DELETE /_fakests/journal", s.deleteJournal)
	mux.HandleFunc("GET /_fakests/faults", s.getFaults)
	mux.HandleFunc("POST /_fakests/faults", s.postFault)
	mux.HandleFunc("DELETE /_fakests/faults", s.deleteFaults)
	mux.HandleFunc("DELETE /_fakests/faults/{id}", s.deleteFault)
	mux.HandleFunc("GET /_fakests/clock", s.getClock)
	mux.HandleFunc("POST /_fakests/clock/advance", s.advanceClock)
	mux.HandleFunc("GET /_fakests/snapshot", s.getSnapshot)
	mux.HandleFunc("PUT /_fakests/snapshot", s.putSnapshot)
	mux.HandleFunc("POST /_fakests/reset", s.reset)
	mux.HandleFunc("/_fakests/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no admin endpoint "+r.Method+" "+r.URL.Path)
	})
	return s.adminAuth(mux)
}

// adminAuth lets a request through when the admin endpoints are open to
// it: with the token when one was set, else on a loopback listener.
func (s *server) adminAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := s.cfg.adminToken; tok != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="fakests admin"`)
				adminError(w, http.StatusUnauthorized, "the admin endpoints need the header Authorization: Bearer <the -admin-token>")
				return
			}
		} else if !s.adminOpen {
			adminError(w, http.StatusForbidden, "the admin endpoints are off: the server does not listen on loopback and was started without -admin-token")
			return
		} else if !sameMachine(r) {
			adminError(w, http.StatusForbidden, "the admin endpoints answer only requests addressed to a loopback host and not sent by another site's page; start with -admin-token to reach them otherwise")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameMachine reports whether a request to a loopback listener without
// -admin-token came from a program on this machine, not from a web page
// it is browsing: its Host names a loopback host (a page whose own name
// was made to resolve to 127.0.0.1, DNS rebinding, sends its own name),
// and a browser's Origin, when there is one, is a loopback one too (a
// page elsewhere that posts a form to 127.0.0.1 sends its own origin).
// Clients such as curl and the SDKs send no Origin.
func sameMachine(r *http.Request) bool {
	if !isLoopbackHost(r.Host) {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && isLoopbackHost(u.Host)
}

// isLoopbackHost reports whether host (with or without a port) is
// localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// adminError answers {"error": msg} with status.
func adminError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// decodeBody decodes a JSON request body into v, refusing unknown members.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the request body is not what this endpoint takes: %v", err)
	}
	if dec.More() {
		return errors.New("the request body has more than one JSON value")
	}
	return nil
}

// health is GET /_fakests/health's answer.
type health struct {
	Status   string `json:"status"`
	Account  string `json:"account"`
	Region   string `json:"region"`
	Strict   bool   `json:"strict"`
	State    string `json:"state,omitempty"` // the -state file
	Sessions int    `json:"sessions"`        // sessions held, expired ones included
}

func (s *server) getHealth(w http.ResponseWriter, r *http.Request) {
	e := s.engine()
	writeJSON(w, http.StatusOK, health{Status: "ok", Account: e.AccountID(), Region: e.Region(),
		Strict: s.cfg.strict, State: s.cfg.state, Sessions: e.SessionCount()})
}

func (s *server) getJournal(w http.ResponseWriter, r *http.Request) {
	evs := s.engine().Events()
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range evs {
		if err := enc.Encode(&evs[i]); err != nil {
			return // the client left
		}
	}
}

func (s *server) deleteJournal(w http.ResponseWriter, r *http.Request) {
	s.engine().ResetEvents()
	w.WriteHeader(http.StatusNoContent)
}

// faultJSON is a fault on the admin API: fakests.Fault with the delay as a
// Go duration ("250ms"), plus its ID and remaining failures when listed.
type faultJSON struct {
	ID          uint64  `json:"id,omitempty"`
	Operation   string  `json:"operation,omitempty"`
	Principal   string  `json:"principal,omitempty"`
	Code        string  `json:"code,omitempty"`
	Message     string  `json:"message,omitempty"`
	Status      int     `json:"status,omitempty"`
	Times       int     `json:"times,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	Delay       string  `json:"delay,omitempty"`
	Remaining   int     `json:"remaining,omitempty"`
}

// faultOf converts an engine fault.
func faultOf(fi fakests.FaultInfo) faultJSON {
	f := fi.Fault
	j := faultJSON{ID: fi.ID, Operation: f.Operation, Principal: f.Principal, Code: f.Code, Message: f.Message,
		Status: f.Status, Times: f.Times, Probability: f.Probability, Remaining: fi.Remaining}
	if f.Delay != 0 {
		j.Delay = f.Delay.String()
	}
	return j
}

func (s *server) getFaults(w http.ResponseWriter, r *http.Request) {
	out := []faultJSON{}
	for _, fi := range s.engine().Faults() {
		out = append(out, faultOf(fi))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) postFault(w http.ResponseWriter, r *http.Request) {
	var j faultJSON
	if err := decodeBody(r, &j); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	if j.ID != 0 || j.Remaining != 0 {
		adminError(w, http.StatusBadRequest, "id and remaining are the server's to give")
		return
	}
	f := fakests.Fault{Operation: j.Operation, Principal: j.Principal, Code: j.Code, Message: j.Message,
		Status: j.Status, Times: j.Times, Probability: j.Probability}
	if j.Delay != "" {
		d, err := time.ParseDuration(j.Delay)
		if err != nil {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("delay %q is not a duration such as \"250ms\"", j.Delay))
			return
		}
		f.Delay = d
	}
	fi, err := injectFault(s.engine(), f)
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, faultOf(fi))
}

// injectFault adds f to e, turning InjectFault's documented panic on a
// fault that cannot mean anything into an error.
func injectFault(e *fakests.Engine, f fakests.Fault) (fi fakests.FaultInfo, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	h := e.InjectFault(f)
	fi = fakests.FaultInfo{ID: h.ID(), Fault: f, Remaining: f.Times}
	return fi, nil
}

func (s *server) deleteFault(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || !s.engine().RemoveFault(id) {
		adminError(w, http.StatusNotFound, fmt.Sprintf("no fault with id %q in force", r.PathValue("id")))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) deleteFaults(w http.ResponseWriter, r *http.Request) {
	e := s.engine()
	for _, fi := range e.Faults() {
		e.RemoveFault(fi.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// clockJSON is the engine clock on the admin API.
type clockJSON struct {
	Now    time.Time `json:"now"`    // the engine's time
	Offset string    `json:"offset"` // how far it is ahead of the wall clock
}

func (s *server) clockNow() clockJSON {
	return clockJSON{Now: s.clock.Now().UTC(), Offset: s.clock.Offset().String()}
}

func (s *server) getClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.clockNow())
}

func (s *server) advanceClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		By string `json:"by"`
	}
	if err := decodeBody(r, &req); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	d, err := time.ParseDuration(req.By)
	if err != nil || d < 0 {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("by %q is not a non-negative duration such as \"1h30m\"", req.By))
		return
	}
	if err := s.advance(d); err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, s.clockNow())
}

// advance moves the engine clock forward by d, durably with -state.
func (s *server) advance(d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	off := s.clock.Offset() + d
	if s.state != nil {
		if err := s.state.saveClock(off); err != nil {
			return err
		}
	}
	s.clock.SetOffset(off)
	return nil
}

func (s *server) reset(w http.ResponseWriter, r *http.Request) {
	if err := s.resetEngine(); err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// resetEngine replaces the engine with a fresh one, seeded, on the wall
// clock; with -state the file starts over from it.
func (s *server) resetEngine() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.clock.Offset()
	s.clock.SetOffset(0)
	e, err := s.freshEngineLocked()
	if err != nil {
		s.clock.SetOffset(prev)
		return err
	}
	s.setEngine(e)
	return nil
}
