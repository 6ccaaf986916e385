package sigv4

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// This file builds the SigV4 canonical request from what the client says it signed:
//
//	METHOD \n URI \n QUERY \n name:value\n ... \n SIGNED;HEADERS \n PAYLOAD-HASH
//
// Everything is appended to one caller-owned buffer, so a verification allocates nothing here
// for a request without a query string (the STS POST case).

const hexDigits = "0123456789abcdef"
const upperHex = "0123456789ABCDEF"

// unsignedPayload is the payload hash of S3's presigned URLs. Presigned STS calls from the Go
// SDK, botocore (SigV4QueryAuth hashes the body it empties) and the JS SDK carry the empty
// body's hash instead.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// appendCanonicalRequest appends the canonical request of r under s to buf.
func appendCanonicalRequest(buf []byte, r *http.Request, body []byte, s *Signature, payloadHash []byte) []byte {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	buf = append(buf, method...)
	buf = append(buf, '\n')

	path := ""
	if r.URL != nil {
		path = r.URL.EscapedPath()
	}
	if path == "" {
		path = "/"
	}
	if !s3Style(s.Scope.Service) {
		path = normalizePath(path)
	}
	// Non-S3 services escape the already-escaped path once more ("double encoding"); the
	// engine's Authenticate does so for S3 too (see its documentation).
	buf = appendURIEscape(buf, path, false)
	buf = append(buf, '\n')

	if r.URL != nil && r.URL.RawQuery != "" {
		buf = appendCanonicalQuery(buf, r.URL.RawQuery, s.Presigned)
	}
	buf = append(buf, '\n')

	for _, name := range s.SignedHeaders {
		buf = append(buf, name...)
		buf = append(buf, ':')
		buf = appendHeaderValue(buf, r, body, name)
		buf = append(buf, '\n')
	}
	buf = append(buf, '\n')

	for i, name := range s.SignedHeaders {
		if i > 0 {
			buf = append(buf, ';')
		}
		buf = append(buf, name...)
	}
	buf = append(buf, '\n')
	return append(buf, payloadHash...)
}

// s3Style reports whether service signs its paths as S3 does: as sent, without removing
// empty or dot segments, since they are part of an object key. botocore's and the JS SDK's S3
// signers skip normalisation; every other service normalises (behaviour §1.4).
func s3Style(service string) bool {
	return service == "s3" || service == "s3-object-lambda" || service == "s3express"
}

// normalizePath removes empty, "." and ".." segments from an escaped path, as SigV4 asks of
// every service but S3 and as botocore (remove_dot_segments) and the JS SDK's signer do: "//"
// becomes "/", "/a/./b/../c" becomes "/a/c". The leading slash is kept, and a trailing one
// when a segment remains; ".." above the root is dropped. A path with nothing to remove is
// returned as it is, without allocating.
func normalizePath(p string) string {
	if !needsNormalizing(p) {
		return p
	}
	segs := make([]string, 0, strings.Count(p, "/"))
	for rest := p; ; {
		seg, tail, more := strings.Cut(rest, "/")
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
		if !more {
			break
		}
		rest = tail
	}
	var b strings.Builder
	b.Grow(len(p))
	if strings.HasPrefix(p, "/") {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(segs, "/"))
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		b.WriteByte('/')
	}
	return b.String()
}

// needsNormalizing reports whether p has an empty segment (other than before its leading
// slash or after its trailing one) or a "." or ".." segment.
func needsNormalizing(p string) bool {
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		switch seg := p[start:i]; seg {
		case ".", "..":
			return true
		case "":
			if start != 0 && i != len(p) {
				return true
			}
		}
		start = i + 1
	}
	return false
}

// appendHeaderValue appends the canonical value of the signed header name: every value, each
// trimmed with inner runs of spaces collapsed, joined with ','.
func appendHeaderValue(buf []byte, r *http.Request, body []byte, name string) []byte {
	switch {
	case strings.EqualFold(name, "host"):
		// Go moves Host out of r.Header, on both sides of the wire.
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return appendTrimmed(buf, host)
	case strings.EqualFold(name, "content-length"):
		if v := lookupHeader(r.Header, name); len(v) > 0 {
			return appendValues(buf, v)
		}
		// A request built on the client side carries its length outside the header map
		// (behaviour §1.4).
		n := r.ContentLength
		if n <= 0 {
			n = int64(len(body))
		}
		return strconv.AppendInt(buf, n, 10)
	}
	return appendValues(buf, lookupHeader(r.Header, name))
}

func appendValues(buf []byte, vals []string) []byte {
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendTrimmed(buf, v)
	}
	return buf
}

// appendTrimmed drops leading and trailing spaces and tabs and collapses inner runs of spaces,
// as the SigV4 rules and the Go SDK do (botocore also folds inner tabs; they differ only there).
func appendTrimmed(buf []byte, v string) []byte {
	v = strings.Trim(v, " \t")
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		buf = append(buf, c)
	}
	return buf
}

// lookupHeader finds name in h whatever its case, without allocating when h's keys are in
// canonical form (as Go's server and the SDK leave them).
func lookupHeader(h http.Header, name string) []string {
	if h == nil {
		return nil
	}
	var kb [64]byte
	if len(name) <= len(kb) {
		key := kb[:len(name)]
		upper := true
		for i := 0; i < len(name); i++ {
			c := name[i]
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			key[i] = c
			upper = c == '-'
		}
		if v, ok := h[string(key)]; ok {
			return v
		}
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// appendURIEscape appends s with every byte but the RFC 3986 unreserved ones (and '/' unless
// encodeSlash) percent-encoded in upper-case hex.
func appendURIEscape(buf []byte, s string, encodeSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (c == '/' && !encodeSlash) {
			buf = append(buf, c)
			continue
		}
		buf = append(buf, '%', upperHex[c>>4], upperHex[c&15])
	}
	return buf
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// appendCanonicalQuery appends the query's pairs, each name and value decoded then RFC 3986
// encoded, sorted by encoded name then value. A presigned request's X-Amz-Signature is left out.
func appendCanonicalQuery(buf []byte, raw string, presigned bool) []byte {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, strings.Count(raw, "&")+1)
	var scratch []byte
	for raw != "" {
		var p string
		p, raw, _ = strings.Cut(raw, "&")
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		if presigned && k == qSignature {
			continue
		}
		scratch = appendURIEscape(scratch[:0], k, true)
		ek := string(scratch)
		scratch = appendURIEscape(scratch[:0], v, true)
		pairs = append(pairs, pair{ek, string(scratch)})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	for i, p := range pairs {
		if i > 0 {
			buf = append(buf, '&')
		}
		buf = append(buf, p.k...)
		buf = append(buf, '=')
		buf = append(buf, p.v...)
	}
	return buf
}

// unescapeQuery decodes a query component as Go's url package does ('+' is a space); a
// component with a broken escape is taken literally.
func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// appendHex appends b in lower-case hex.
func appendHex(buf []byte, b []byte) []byte {
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}
