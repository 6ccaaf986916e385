package awsquery

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// plain marks the ASCII bytes that go into XML text unchanged. It has an
// entry for every byte value (false from utf8.RuneSelf on), so the common
// case, a run of plain bytes such as a base64 token, costs one lookup per
// byte.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `&<>"'` {
		t[c] = false
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// appendText appends s as XML character data (also safe inside a
// double-quoted attribute):
//   - & < > " ' become &amp; &lt; &gt; &quot; &apos;
//   - CR becomes &#xD;, so that XML end-of-line normalisation does not turn
//     it into LF; TAB and LF stay as they are;
//   - characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE,
//     U+FFFF) and bytes that are not UTF-8 become U+FFFD, as encoding/xml
//     does. A character reference such as &#x1; would be rejected by
//     conforming parsers (botocore's expat among them).
//
// Whether AWS escapes quotes and apostrophes in text is unverified; every
// XML parser reads both forms alike.
func appendText(buf []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			var esc string
			switch c {
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '"':
				esc = "&quot;"
			case '\'':
				esc = "&apos;"
			case '\r':
				esc = "&#xD;"
			default:
				esc = "\uFFFD"
			}
			buf = append(buf, s[last:i]...)
			buf = append(buf, esc...)
			i++
			last = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			buf = append(buf, s[last:i]...)
			buf = append(buf, "\uFFFD"...)
			last = i + size
		}
		i += size
	}
	return append(buf, s[last:]...)
}

// indent holds the newline and leading spaces of every nesting level the
// documents use (two spaces per level).
const indent = "\n        "

// openElem appends "\n<spaces><name>" at the given depth.
func openElem(buf []byte, depth int, name string) []byte {
	buf = append(buf, indent[:1+2*depth]...)
	buf = append(buf, '<')
	buf = append(buf, name...)
	return append(buf, '>')
}

// closeElem appends "\n<spaces></name>" at the given depth.
func closeElem(buf []byte, depth int, name string) []byte {
	buf = append(buf, indent[:1+2*depth]...)
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// end appends "</name>" on the current line.
func end(buf []byte, name string) []byte {
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// textElem appends <name>escaped s</name> on its own line.
func textElem(buf []byte, depth int, name, s string) []byte {
	buf = openElem(buf, depth, name)
	buf = appendText(buf, s)
	return end(buf, name)
}

// strElem is textElem for an optional member: nil is omitted entirely.
func strElem(buf []byte, depth int, name string, s *string) []byte {
	if s == nil {
		return buf
	}
	return textElem(buf, depth, name, *s)
}

// intElem appends an optional integer member; nil is omitted.
func intElem(buf []byte, depth int, name string, n *int32) []byte {
	if n == nil {
		return buf
	}
	buf = openElem(buf, depth, name)
	buf = strconv.AppendInt(buf, int64(*n), 10)
	return end(buf, name)
}

// timeLayout is how STS writes timestamps: UTC, whole seconds (behaviour §1.2).
const timeLayout = "2006-01-02T15:04:05Z"

// timeLayoutMillis is how STS writes GetWebIdentityToken's Expiration:
// UTC with milliseconds (behaviour §11.11).
const timeLayoutMillis = "2006-01-02T15:04:05.000Z"

// timeElemMillis is timeElem with milliseconds.
func timeElemMillis(buf []byte, depth int, name string, t *time.Time) []byte {
	if t == nil {
		return buf
	}
	buf = openElem(buf, depth, name)
	buf = t.UTC().AppendFormat(buf, timeLayoutMillis)
	return end(buf, name)
}

// timeElem appends an optional timestamp member; nil is omitted. Fractions
// of a second are truncated.
func timeElem(buf []byte, depth int, name string, t *time.Time) []byte {
	if t == nil {
		return buf
	}
	buf = openElem(buf, depth, name)
	buf = t.UTC().AppendFormat(buf, timeLayout)
	return end(buf, name)
}
