package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fakests/fakests"
)

// This file is the server: the engine it serves (built from the state
// file, else from the seed), how requests reach it or the admin endpoints,
// and its life from listening to a graceful shutdown.

// adminPrefix is the path under which the admin endpoints live.
const adminPrefix = "/_fakests/"

// shutdownGrace is how long a shutdown waits for requests in flight.
const shutdownGrace = 10 * time.Second

// server serves one engine at a time: reset and a snapshot put replace it.
type server struct {
	cfg   config
	clock *clock
	seed  *seedFile // nil without -seed
	log   *requestLog
	warn  io.Writer // where the server reports what it did on its own (stderr)
	// adminOpen reports that admin endpoints may answer: with a token, or
	// on a loopback address.
	adminOpen bool

	// mu serializes the changes of the engine as a whole (reset, restore)
	// against each other and against persistence.
	mu  sync.Mutex
	cur atomic.Pointer[instance]
	// state persists changes; nil without -state.
	state *stateFile

	stsHandler   http.Handler // routes to the current engine, logged
	adminHandler http.Handler // the admin endpoints, logged
}

// instance is the engine being served and its Handler.
type instance struct {
	e *fakests.Engine
	h http.Handler
}

// engine returns the engine being served.
func (s *server) engine() *fakests.Engine { return s.cur.Load().e }

// newServer builds the server cfg describes: its engine from the state
// file when it holds state, else a new engine with the seed applied. logw
// receives the request log unless cfg.quiet.
func newServer(cfg config, logw io.Writer) (*server, error) {
	s := &server{cfg: cfg, clock: new(clock), warn: logw}
	if cfg.seed != "" {
		sf, err := loadSeed(cfg.seed)
		if err != nil {
			return nil, err
		}
		s.seed = sf
	}
	loopback, err := isLoopback(cfg.addr)
	if err != nil {
		return nil, err
	}
	s.adminOpen = cfg.adminToken != "" || loopback
	if cfg.state != "" {
		if err := s.openState(); err != nil {
			return nil, err
		}
	} else {
		e, err := s.freshEngine()
		if err != nil {
			return nil, err
		}
		s.setEngine(e)
	}
	var stsH http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cur.Load().h.ServeHTTP(w, r)
	})
	adminH := s.adminMux()
	if !cfg.quiet {
		s.log = newRequestLog(logw)
		stsH = s.log.wrap(stsH, false)
		adminH = s.log.wrap(adminH, true)
	}
	s.stsHandler, s.adminHandler = stsH, adminH
	return s, nil
}

// options returns the engine options of cfg, with the server's clock.
func (s *server) options(extra ...fakests.Option) []fakests.Option {
	opts := []fakests.Option{
		fakests.WithAccountID(s.cfg.account),
		fakests.WithRegion(s.cfg.region),
		fakests.WithClock(s.clock.Now),
	}
	if s.cfg.strict {
		opts = append(opts, fakests.Strict())
	}
	return append(opts, extra...)
}

// freshEngine returns a new engine with the seed applied.
func (s *server) freshEngine(extra ...fakests.Option) (*fakests.Engine, error) {
	e := fakests.New(s.options(extra...)...)
	if s.seed != nil {
		if err := s.seed.apply(e); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// setEngine makes e the engine served.
func (s *server) setEngine(e *fakests.Engine) {
	s.cur.Store(&instance{e: e, h: e.Handler()})
}

// ServeHTTP sends admin paths to the admin endpoints and everything else to
// the engine's Handler (STS, IAM, outbound issuers).
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) || r.URL.Path == strings.TrimSuffix(adminPrefix, "/") {
		s.adminHandler.ServeHTTP(w, r)
		return
	}
	s.stsHandler.ServeHTTP(w, r)
}

// Close saves what is left to save and closes the state file.
func (s *server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == nil {
		return nil
	}
	err := s.state.Close()
	s.state = nil
	return err
}

// serve runs the server until ctx ends, then shuts down gracefully: it
// stops accepting, lets requests in flight finish (up to shutdownGrace)
// and closes the state file. It prints the base URL as stdout's first line
// once the listener is open.
func serve(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	s, err := newServer(cfg, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		s.Close()
		return err
	}
	if !s.adminOpen {
		fmt.Fprintf(stderr, "fakests: %s is not a loopback address: the admin endpoints (%s) are off; start with -admin-token to use them\n", cfg.addr, adminPrefix)
	}
	if _, err := fmt.Fprintln(stdout, baseURL(ln.Addr())); err != nil {
		ln.Close()
		s.Close()
		return err
	}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(stderr, "fakests: ", 0),
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err = <-done: // the listener failed
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = hs.Shutdown(sctx)
		cancel()
		if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// baseURL is the URL clients use to reach a listener: an unspecified
// address (0.0.0.0, ::) is reached on loopback.
func baseURL(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	ip := ta.IP
	switch {
	case ip == nil || ip.IsUnspecified() && ip.To4() != nil:
		ip = net.IPv4(127, 0, 0, 1)
	case ip.IsUnspecified():
		ip = net.IPv6loopback
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(ta.Port))
}

// isLoopback reports whether addr (host:port) listens on loopback only: a
// loopback IP or "localhost". An empty host listens everywhere.
func isLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("-addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}
