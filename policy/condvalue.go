package policy

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// condValue is one policy value of a condition, compiled for its operator.
// A value that is not valid for its operator (a NumericEquals value that is
// not a number, say) is kept with ok false and matches nothing.
type condValue struct {
	// toks is set when the value holds policy variables and its operator
	// needs the resolved text (StringLike and Arn values resolve inside
	// their patterns instead).
	toks []token

	ok  bool
	s   string // string families; "true"/"false" for Bool
	g   *glob  // StringLike
	arn *arnPattern
	num float64
	t   time.Time
	pfx netip.Prefix
	bin []byte
	b   bool // Null: true means "the key must be absent"
}

func newCondValue(fam family, s string, variables bool) condValue {
	toks := parseTemplate(s, variables)
	if toks == nil {
		toks = []token{{kind: tokText, text: s}}
	}
	switch fam {
	case famStringLike:
		return condValue{ok: true, g: globTokens(toks)}
	case famArn:
		return condValue{ok: true, arn: compileArn(toks)}
	}
	if hasVariables(toks) {
		return condValue{toks: toks}
	}
	text, _ := joinTokens(toks, nil)
	return compileText(fam, text)
}

// compileText compiles a value's final text for the family.
func compileText(fam family, s string) condValue {
	v := condValue{s: s}
	switch fam {
	case famString, famStringIgnoreCase:
		v.ok = true
	case famNumeric:
		v.num, v.ok = parseNumber(s)
	case famDate:
		v.t, v.ok = parseDate(s)
	case famBool:
		v.s = strings.ToLower(s)
		v.ok = v.s == "true" || v.s == "false"
	case famNull:
		ls := strings.ToLower(s)
		v.b, v.ok = ls == "true", ls == "true" || ls == "false"
	case famBinary:
		b, err := base64.StdEncoding.DecodeString(s)
		v.bin, v.ok = b, err == nil
	case famIP:
		v.pfx, v.ok = parsePrefix(s)
	}
	return v
}

// reqValue caches one request value parsed for typed comparison.
type reqValue struct {
	parsed bool
	ok     bool
	num    float64
	t      time.Time
	addr   netip.Addr
	bin    []byte
}

// match compares request value r with the value under op's positive form.
func (v *condValue) match(op operator, r string, rv *reqValue, e *evalCtx) bool {
	switch op.fam {
	case famString:
		return r == v.s
	case famStringIgnoreCase:
		return strings.EqualFold(r, v.s)
	case famStringLike:
		return v.g.matchIn(r, e)
	case famArn:
		return v.arn.match(r, e)
	case famBool:
		return strings.EqualFold(r, v.s)
	}
	if !rv.parsed {
		rv.parsed = true
		switch op.fam {
		case famNumeric:
			rv.num, rv.ok = parseNumber(r)
		case famDate:
			rv.t, rv.ok = parseDate(r)
		case famIP:
			a, err := netip.ParseAddr(r)
			rv.addr, rv.ok = a.WithZone("").Unmap(), err == nil
		case famBinary:
			b, err := base64.StdEncoding.DecodeString(r)
			rv.bin, rv.ok = b, err == nil
		}
	}
	if !rv.ok {
		return false
	}
	switch op.fam {
	case famNumeric:
		return compare(op.ord, cmpFloat(rv.num, v.num))
	case famDate:
		return compare(op.ord, rv.t.Compare(v.t))
	case famIP:
		return v.pfx.Contains(rv.addr)
	case famBinary:
		return bytes.Equal(rv.bin, v.bin)
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare applies an order to the result of comparing request to policy.
func compare(o order, c int) bool {
	switch o {
	case ordEq:
		return c == 0
	case ordLt:
		return c < 0
	case ordLe:
		return c <= 0
	case ordGt:
		return c > 0
	default:
		return c >= 0
	}
}

// parseNumber accepts decimal numbers ("42", "-1.5", "1e3"), nothing else
// (no hex, no underscores, no NaN or infinities).
func parseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// dateLayouts are the ISO 8601 forms Date operators accept; a value
// without a zone is UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"20060102T150405Z0700",
	"20060102T150405Z",
	"2006-01-02",
}

// parseDate accepts ISO 8601 dates and times, and epoch seconds (an
// integer, optionally with a fraction).
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if f, ok := parseEpoch(s); ok {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	if len(s) > 64 {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseEpoch(s string) (float64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 20 {
		return 0, false
	}
	dot := false
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(f) > 1e15 {
		return 0, false
	}
	return f, true
}

// parsePrefix accepts a CIDR block or a single address, IPv4 or IPv6. An
// IPv4-mapped IPv6 value is read as the IPv4 it maps.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		a, bits := p.Addr(), p.Bits()
		if a.Is4In6() {
			if bits < 96 {
				return netip.Prefix{}, false
			}
			a, bits = a.Unmap(), bits-96
		}
		return netip.PrefixFrom(a, bits).Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}
