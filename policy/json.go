package policy

import (
	"strconv"
	"unicode/utf8"
)

// This file holds a small strict JSON reader. encoding/json silently keeps the
// last of two duplicate keys and replaces invalid UTF-8; IAM rejects both, so
// the policy grammar is read from this tree instead.

// MaxDocumentSize is the largest document, in bytes, that Parse accepts.
// IAM's own quotas are far smaller (6,144 characters for a managed policy);
// this cap only protects the parser.
const MaxDocumentSize = 1 << 20

// maxDepth is the deepest nesting the policy grammar can use:
// document → Statement array → statement → Condition → operator → value array.
const maxDepth = 6

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// String names the kind as an error message would.
func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "a boolean"
	case jsonNumber:
		return "a number"
	case jsonString:
		return "a string"
	case jsonArray:
		return "an array"
	default:
		return "an object"
	}
}

// jsonValue is one node of a parsed document. For strings it holds the
// decoded text, for numbers and booleans their literal spelling.
type jsonValue struct {
	kind    jsonKind
	text    string
	elems   []jsonValue
	members []jsonMember
}

type jsonMember struct {
	key string
	val jsonValue
}

type jsonReader struct {
	s   string
	pos int
}

// parseJSON reads exactly one JSON value from s, rejecting duplicate object
// keys, invalid UTF-8 and nesting deeper than maxDepth.
func parseJSON(s string) (jsonValue, error) {
	r := &jsonReader{s: s}
	r.skipSpace()
	v, err := r.value(1)
	if err != nil {
		return jsonValue{}, err
	}
	r.skipSpace()
	if r.pos != len(r.s) {
		return jsonValue{}, r.fail("unexpected text after the document")
	}
	return v, nil
}

func (r *jsonReader) fail(what string) error {
	return syntaxError("invalid JSON at byte " + strconv.Itoa(r.pos) + ": " + what)
}

func (r *jsonReader) skipSpace() {
	for r.pos < len(r.s) {
		switch r.s[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *jsonReader) value(depth int) (jsonValue, error) {
	if r.pos >= len(r.s) {
		return jsonValue{}, r.fail("unexpected end of document")
	}
	switch c := r.s[r.pos]; {
	case c == '{':
		if depth > maxDepth {
			return jsonValue{}, r.fail("nested deeper than the policy grammar allows")
		}
		return r.object(depth)
	case c == '[':
		if depth > maxDepth {
			return jsonValue{}, r.fail("nested deeper than the policy grammar allows")
		}
		return r.array(depth)
	case c == '"':
		s, err := r.str()
		return jsonValue{kind: jsonString, text: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	case c == 't':
		return r.literal("true", jsonBool)
	case c == 'f':
		return r.literal("false", jsonBool)
	case c == 'n':
		return r.literal("null", jsonNull)
	default:
		return jsonValue{}, r.fail("unexpected character")
	}
}

func (r *jsonReader) literal(word string, kind jsonKind) (jsonValue, error) {
	if len(r.s)-r.pos < len(word) || r.s[r.pos:r.pos+len(word)] != word {
		return jsonValue{}, r.fail("unexpected character")
	}
	r.pos += len(word)
	return jsonValue{kind: kind, text: word}, nil
}

func (r *jsonReader) object(depth int) (jsonValue, error) {
	r.pos++ // '{'
	v := jsonValue{kind: jsonObject}
	var seen map[string]struct{}
	r.skipSpace()
	if r.pos < len(r.s) && r.s[r.pos] == '}' {
		r.pos++
		return v, nil
	}
	for {
		r.skipSpace()
		if r.pos >= len(r.s) || r.s[r.pos] != '"' {
			return jsonValue{}, r.fail("expected a quoted key")
		}
		key, err := r.str()
		if err != nil {
			return jsonValue{}, err
		}
		// Few objects have many keys; a map only pays off past a handful.
		if seen == nil && len(v.members) >= 8 {
			seen = make(map[string]struct{}, 2*len(v.members))
			for _, m := range v.members {
				seen[m.key] = struct{}{}
			}
		}
		dup := false
		if seen != nil {
			_, dup = seen[key]
			seen[key] = struct{}{}
		} else {
			for _, m := range v.members {
				if m.key == key {
					dup = true
					break
				}
			}
		}
		if dup {
			return jsonValue{}, syntaxError("duplicate key " + strconv.Quote(key))
		}
		r.skipSpace()
		if r.pos >= len(r.s) || r.s[r.pos] != ':' {
			return jsonValue{}, r.fail("expected ':'")
		}
		r.pos++
		r.skipSpace()
		val, err := r.value(depth + 1)
		if err != nil {
			return jsonValue{}, err
		}
		v.members = append(v.members, jsonMember{key: key, val: val})
		r.skipSpace()
		if r.pos >= len(r.s) {
			return jsonValue{}, r.fail("unexpected end of document")
		}
		switch r.s[r.pos] {
		case ',':
			r.pos++
		case '}':
			r.pos++
			return v, nil
		default:
			return jsonValue{}, r.fail("expected ',' or '}'")
		}
	}
}

func (r *jsonReader) array(depth int) (jsonValue, error) {
	r.pos++ // '['
	v := jsonValue{kind: jsonArray}
	r.skipSpace()
	if r.pos < len(r.s) && r.s[r.pos] == ']' {
		r.pos++
		return v, nil
	}
	for {
		r.skipSpace()
		e, err := r.value(depth + 1)
		if err != nil {
			return jsonValue{}, err
		}
		v.elems = append(v.elems, e)
		r.skipSpace()
		if r.pos >= len(r.s) {
			return jsonValue{}, r.fail("unexpected end of document")
		}
		switch r.s[r.pos] {
		case ',':
			r.pos++
		case ']':
			r.pos++
			return v, nil
		default:
			return jsonValue{}, r.fail("expected ',' or ']'")
		}
	}
}

func (r *jsonReader) number() (jsonValue, error) {
	start := r.pos
	if r.s[r.pos] == '-' {
		r.pos++
	}
	digits := func() int {
		n := 0
		for r.pos < len(r.s) && r.s[r.pos] >= '0' && r.s[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	if r.pos < len(r.s) && r.s[r.pos] == '0' {
		r.pos++
	} else if digits() == 0 {
		return jsonValue{}, r.fail("malformed number")
	}
	if r.pos < len(r.s) && r.s[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			return jsonValue{}, r.fail("malformed number")
		}
	}
	if r.pos < len(r.s) && (r.s[r.pos] == 'e' || r.s[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.s) && (r.s[r.pos] == '+' || r.s[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return jsonValue{}, r.fail("malformed number")
		}
	}
	return jsonValue{kind: jsonNumber, text: r.s[start:r.pos]}, nil
}

// str reads a quoted string starting at the opening quote.
func (r *jsonReader) str() (string, error) {
	r.pos++ // opening quote
	start := r.pos
	// Fast path: no escapes.
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		if c == '"' {
			s := r.s[start:r.pos]
			if !utf8.ValidString(s) {
				return "", r.fail("string is not valid UTF-8")
			}
			r.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", r.fail("control character in string")
		}
		r.pos++
	}
	buf := []byte(r.s[start:r.pos])
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", r.fail("string is not valid UTF-8")
			}
			r.pos++
			return string(buf), nil
		case c < 0x20:
			return "", r.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		r.pos++ // backslash
		if r.pos >= len(r.s) {
			break
		}
		e := r.s[r.pos]
		r.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			cp, ok := r.hex4()
			if !ok {
				return "", r.fail("malformed \\u escape")
			}
			if cp >= 0xD800 && cp < 0xDC00 {
				// A high surrogate must be followed by an escaped low one.
				if r.pos+1 < len(r.s) && r.s[r.pos] == '\\' && r.s[r.pos+1] == 'u' {
					r.pos += 2
					lo, ok := r.hex4()
					if !ok || lo < 0xDC00 || lo > 0xDFFF {
						return "", r.fail("unpaired surrogate in \\u escape")
					}
					cp = 0x10000 + (cp-0xD800)<<10 + (lo - 0xDC00)
				} else {
					return "", r.fail("unpaired surrogate in \\u escape")
				}
			} else if cp >= 0xDC00 && cp <= 0xDFFF {
				return "", r.fail("unpaired surrogate in \\u escape")
			}
			buf = utf8.AppendRune(buf, rune(cp))
		default:
			return "", r.fail("unknown escape in string")
		}
	}
	return "", r.fail("unterminated string")
}

func (r *jsonReader) hex4() (int, bool) {
	if len(r.s)-r.pos < 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < 4; i++ {
		c := r.s[r.pos+i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = int(c-'A') + 10
		default:
			return 0, false
		}
		n = n<<4 | d
	}
	r.pos += 4
	return n, true
}
