package fakests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// This file reads and writes the JSON of a snapshot's two long lists, its
// sessions and its journal, by hand: encoding/json's reflection spends
// several times as long on them (behaviour §23 gives the cost of each;
// BENCHMARKS.md the numbers). Everything else in a snapshot goes through
// encoding/json. The reader checks what it reads as strictly as
// encoding/json does (members it does not know are refused, strings and
// numbers are checked, nesting is bounded), since UnmarshalJSON may be
// given anything.

// maxJSONDepth bounds the nesting the reader accepts in the values it
// skips (encoding/json's own bound).
const maxJSONDepth = 10000

// jsonReader reads one JSON document from b.
type jsonReader struct {
	b   []byte
	i   int
	err error // the first error; reading stops there
}

// fail records the first error and stops reading.
func (r *jsonReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("offset %d: %s", r.i, fmt.Sprintf(format, args...))
	}
	r.i = len(r.b)
}

// ws skips white space.
func (r *jsonReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space (0 at the end).
func (r *jsonReader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// consume reads c if it comes next.
func (r *jsonReader) consume(c byte) bool {
	if r.peek() == c {
		r.i++
		return true
	}
	return false
}

// expect reads c, failing when something else comes.
func (r *jsonReader) expect(c byte) {
	if !r.consume(c) {
		r.fail("expected %q", c)
	}
}

// null reads a null if one comes next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' && bytes.HasPrefix(r.b[r.i:], []byte("null")) {
		r.i += 4
		return true
	}
	return false
}

// object reads an object, calling member with each key to read its value.
func (r *jsonReader) object(member func(key string)) {
	r.expect('{')
	if r.err != nil || r.consume('}') {
		return
	}
	for r.err == nil {
		key := r.str()
		r.expect(':')
		if r.err != nil {
			return
		}
		member(key)
		if !r.consume(',') {
			r.expect('}')
			return
		}
	}
}

// array reads an array, calling elem to read each element.
func (r *jsonReader) array(elem func()) {
	r.expect('[')
	if r.err != nil || r.consume(']') {
		return
	}
	for r.err == nil {
		elem()
		if !r.consume(',') {
			r.expect(']')
			return
		}
	}
}

// str reads a string (null reads as "").
func (r *jsonReader) str() string {
	if r.null() {
		return ""
	}
	if r.peek() != '"' {
		r.fail("expected a string")
		return ""
	}
	start := r.i + 1
	for j := start; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			if s := r.b[start:j]; utf8.Valid(s) {
				r.i = j + 1
				return string(s)
			}
			return r.slowString()
		case c == '\\' || c < 0x20:
			return r.slowString()
		}
	}
	r.fail("a string does not end")
	return ""
}

// slowString reads a string with escapes or invalid UTF-8 as
// encoding/json does.
func (r *jsonReader) slowString() string {
	start := r.i
	r.skipString()
	if r.err != nil {
		return ""
	}
	var s string
	if err := json.Unmarshal(r.b[start:r.i], &s); err != nil {
		r.fail("%v", err)
	}
	return s
}

// skipString skips a string, checking its escapes and that it holds no
// control character.
func (r *jsonReader) skipString() {
	if r.peek() != '"' {
		r.fail("expected a string")
		return
	}
	for j := r.i + 1; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			r.i = j + 1
			return
		case c < 0x20:
			r.i = j
			r.fail("a control character in a string")
			return
		case c == '\\':
			j++
			if j >= len(r.b) {
				break
			}
			switch r.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(r.b) || !isHex4(r.b[j+1:j+5]) {
					r.i = j
					r.fail("a bad \\u escape")
					return
				}
				j += 4
			default:
				r.i = j
				r.fail("a bad escape")
				return
			}
		}
	}
	r.fail("a string does not end")
}

// isHex4 reports whether b is four hex digits.
func isHex4(b []byte) bool {
	for _, c := range b {
		if _, ok := unhex(c); !ok {
			return false
		}
	}
	return true
}

// number reads a number's text, checked against JSON's grammar.
func (r *jsonReader) number() []byte {
	r.ws()
	start, j := r.i, r.i
	digits := func() bool {
		k := j
		for j < len(r.b) && r.b[j] >= '0' && r.b[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(r.b) && r.b[j] == '-' {
		j++
	}
	switch {
	case j < len(r.b) && r.b[j] == '0':
		j++
	case !digits():
		r.fail("expected a number")
		return nil
	}
	if j < len(r.b) && r.b[j] == '.' {
		j++
		if !digits() {
			r.fail("a number's fraction has no digits")
			return nil
		}
	}
	if j < len(r.b) && (r.b[j] == 'e' || r.b[j] == 'E') {
		j++
		if j < len(r.b) && (r.b[j] == '+' || r.b[j] == '-') {
			j++
		}
		if !digits() {
			r.fail("a number's exponent has no digits")
			return nil
		}
	}
	r.i = j
	return r.b[start:j]
}

// boolean reads true or false (null reads as false).
func (r *jsonReader) boolean() bool {
	switch {
	case r.null():
		return false
	case bytes.HasPrefix(r.b[r.i:], []byte("true")):
		r.i += 4
		return true
	case bytes.HasPrefix(r.b[r.i:], []byte("false")):
		r.i += 5
		return false
	}
	r.fail("expected true or false")
	return false
}

// time reads a time in RFC 3339, as time.Time's UnmarshalJSON does (null
// reads as the zero time).
func (r *jsonReader) time() time.Time {
	var t time.Time
	if r.null() {
		return t
	}
	start := r.i
	r.skipString()
	if r.err == nil {
		if err := t.UnmarshalJSON(r.b[start:r.i]); err != nil {
			r.fail("%v", err)
		}
	}
	return t
}

// skip skips any value, checking it.
func (r *jsonReader) skip(depth int) {
	if depth > maxJSONDepth {
		r.fail("values nested deeper than %d", maxJSONDepth)
		return
	}
	switch r.peek() {
	case '{':
		r.i++
		if r.consume('}') {
			return
		}
		for r.err == nil {
			r.skipString()
			r.expect(':')
			r.skip(depth + 1)
			if !r.consume(',') {
				r.expect('}')
				return
			}
		}
	case '[':
		r.i++
		if r.consume(']') {
			return
		}
		for r.err == nil {
			r.skip(depth + 1)
			if !r.consume(',') {
				r.expect(']')
				return
			}
		}
	case '"':
		r.skipString()
	case 't', 'f':
		r.boolean()
	case 'n':
		if !r.null() {
			r.fail("expected null")
		}
	default:
		r.number()
	}
}

// raw skips a value and returns its text.
func (r *jsonReader) raw() []byte {
	r.ws()
	start := r.i
	r.skip(0)
	return r.b[start:r.i]
}

// unknown fails for a member the format does not have, as
// DisallowUnknownFields words it.
func (r *jsonReader) unknown(key string) {
	r.fail("json: unknown field %q", key)
}

// appendTime appends t as encoding/json writes a time.
func appendTime(buf []byte, t time.Time) ([]byte, error) {
	b, err := t.MarshalJSON()
	return append(buf, b...), err
}

// appendKey appends "key": after a comma unless the object just opened.
func appendKey(buf []byte, key string) []byte {
	if c := buf[len(buf)-1]; c != '{' && c != '[' {
		buf = append(buf, ',')
	}
	buf = append(buf, '"')
	buf = append(buf, key...)
	return append(buf, '"', ':')
}

// appendEscapedKey appends "key": for a key that may need escaping.
func appendEscapedKey(buf []byte, key string) []byte {
	if c := buf[len(buf)-1]; c != '{' && c != '[' {
		buf = append(buf, ',')
	}
	return append(appendJSONString(buf, key), ':')
}

// appendStringMember appends "key":"s", or nothing when s is "" and
// omitEmpty.
func appendStringMember(buf []byte, key, s string, omitEmpty bool) []byte {
	if s == "" && omitEmpty {
		return buf
	}
	return appendJSONString(appendKey(buf, key), s)
}

// appendBoolMember appends "key":b, or nothing when b is false and
// omitEmpty.
func appendBoolMember(buf []byte, key string, b, omitEmpty bool) []byte {
	if !b && omitEmpty {
		return buf
	}
	return strconv.AppendBool(appendKey(buf, key), b)
}
