package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// This file is the request log: one line on stderr per request, written
// when the answer has been sent:
//
//	2026-11-29T19:40:01.123Z sts:AssumeRole AKIAIOSFODNN7EXAMPLE 200 1.234ms
//	2026-11-29T19:40:01.500Z admin:GET /_fakests/journal - 200 0.210ms
//
// The fields are the wall-clock time, the operation (the service, from the
// request's Version or SigV4 scope, and its Action), the caller (the access
// key the request was signed with, "-" for an unsigned one), the HTTP
// status ("aborted" when the client left during an injected delay) and the
// time taken.

// maxLoggedBody is how much of a request body the log reads to find the
// Action: the engine reads no more (a larger body is refused).
const maxLoggedBody = 1<<20 + 1

// requestLog writes request lines to w.
type requestLog struct {
	mu sync.Mutex // guards w and buf
	w  io.Writer
	// buf is reused from line to line.
	buf []byte
}

// newRequestLog returns a log writing to w.
func newRequestLog(w io.Writer) *requestLog { return &requestLog{w: w} }

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and passes it on.
func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200 and passes b on.
func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush passes a flush on, for streamed admin answers.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// wrap returns next with one log line per request. admin says the request
// goes to the admin endpoints, named by method and path instead of Action.
func (l *requestLog) wrap(next http.Handler, admin bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var op, caller string
		if admin {
			op, caller = "admin:"+r.Method+" "+r.URL.Path, "-"
		} else {
			op, caller = describe(r)
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				l.line(start, op, caller, "aborted")
				panic(v)
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			l.line(start, op, caller, strconv.Itoa(status))
		}()
		next.ServeHTTP(sw, r)
	})
}

// line writes one log line.
func (l *requestLog) line(start time.Time, op, caller, status string) {
	took := time.Since(start)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := start.UTC().AppendFormat(l.buf[:0], "2006-01-02T15:04:05.000Z")
	b = append(b, ' ')
	b = append(b, op...)
	b = append(b, ' ')
	b = append(b, caller...)
	b = append(b, ' ')
	b = append(b, status...)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, float64(took)/float64(time.Millisecond), 'f', 3, 64)
	b = append(b, "ms\n"...)
	l.buf = b
	l.w.Write(b)
}

// describe returns a request's operation ("sts:AssumeRole") and caller
// (the signing access key, or "-"). It reads the body to find the Action
// and gives it back to the request unchanged.
func describe(r *http.Request) (op, caller string) {
	var body []byte
	if r.Method != http.MethodGet && r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxLoggedBody))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			// The engine gets what was read and answers for it.
			body = nil
		}
	}
	action := formValue(string(body), "Action")
	if action == "" {
		action = formValue(r.URL.RawQuery, "Action")
	}
	version := formValue(string(body), "Version")
	if version == "" {
		version = formValue(r.URL.RawQuery, "Version")
	}
	key, service := signer(r)
	switch {
	case version == "2010-05-08" || service == "iam":
		service = "iam"
	case version == "2011-06-15" || service == "":
		service = "sts"
	}
	if action == "" {
		action = r.Method + " " + r.URL.Path
	}
	if key == "" {
		key = "-"
	}
	return service + ":" + action, key
}

// formValue returns the first value of name in a URL-encoded form, or "".
func formValue(form, name string) string {
	for form != "" {
		var kv string
		kv, form, _ = strings.Cut(form, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != name {
			continue
		}
		if u, err := url.QueryUnescape(v); err == nil {
			return printable(u)
		}
		return "?"
	}
	return ""
}

// signer returns the access key ID and service of a request's SigV4
// credential scope (Authorization header or presigned query), or "".
func signer(r *http.Request) (key, service string) {
	cred := ""
	if a := r.Header.Get("Authorization"); a != "" {
		if i := strings.Index(a, "Credential="); i >= 0 {
			cred = a[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	} else if q := formValue(r.URL.RawQuery, "X-Amz-Credential"); q != "" {
		cred = q
	}
	if cred == "" {
		return "", ""
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return printable(parts[0]), ""
	}
	return printable(parts[0]), printable(parts[3])
}

// printable keeps a client-chosen string from breaking the log's lines:
// at most 128 characters, control characters and spaces replaced.
func printable(s string) string {
	if len(s) > 128 {
		s = s[:128]
	}
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}
