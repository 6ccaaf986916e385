package policy

import (
	"strings"
	"unicode/utf8"
)

// Wildcard patterns: '*' matches any run of characters (also none), '?'
// exactly one character (one rune; an invalid UTF-8 byte counts as one).
//
// A pattern is split at its stars into segments; the first must match at the
// start of the subject, the last at its end, and the middle ones are found
// left to right, each at its leftmost place. Taking the leftmost place is
// always safe (it leaves the most room for what follows), so the matcher
// never backtracks and every subject byte is looked at by the search of at
// most one middle segment: the search for one segment starts where the
// previous one's match ended.
//
// Cost. Let m be the length of the pattern (after policy variables are
// substituted) and n the length of the subject. The first and last segments
// are compared in place, O(m). A middle segment is searched for by its
// finder (globfind.go) in time O(m_i + n_i·k_i) over the n_i subject bytes
// the search scans, where k_i depends only on the segment: at most 64 byte
// comparisons for a literal segment of up to 64 bytes, 1 for a longer literal
// one (Knuth-Morris-Pratt), and ⌈q/64⌉ machine words for a segment holding
// '?' whose core (its text from the first to the last literal character) is
// q runes long. The scanned ranges are disjoint, so a whole match costs
// O(m + n·k) with k the largest k_i. For '?' cores k grows with q: it is 1
// up to 64 runes, at most 32 in a 2,048-character session policy and at most
// 160 within IAM's largest policy size (10,240 characters). globfind.go
// explains why no matcher can promise O(m+n) for '?' in general.

// Markers in a compiled rune program; real runes are never negative.
const (
	runeAny  rune = -1 // '?'
	runeStar rune = -2 // '*'
	runeVar0 rune = -3 // runeVar0-k stands for the builder's k-th variable
)

// glob is a compiled wildcard pattern.
type glob struct {
	hasStar bool
	prefix  gseg   // before the first star (the whole pattern if no star)
	middle  []gseg // between stars, empty ones dropped
	suffix  gseg   // after the last star
}

// gseg is a star-free piece of a pattern.
type gseg struct {
	// pieces is set for a segment holding policy variables: literal text
	// (tokLit), variables (tokVar) and single-character wildcards (tokText
	// "?"). Such a segment is resolved against the request before use.
	pieces []token

	lit    string // the text when the piece has no '?'
	pat    []rune // the piece with runeAny marks, when it has a '?'
	hasAny bool
	// searchable marks a middle segment, which is searched for; the first
	// and last segments are only compared in place. find is its searcher
	// (nil until a segment with variables is resolved).
	searchable bool
	find       *finder
}

// compileGlob compiles s with '*' and '?' as wildcards.
func compileGlob(s string) *glob {
	var b globBuilder
	b.text(s)
	return b.finish()
}

// globBuilder collects pattern pieces: raw text (wildcards active) and
// literal text (from policy variables, never wildcards).
type globBuilder struct {
	prog []rune
	vars []token
}

// variable appends a policy variable, resolved when the pattern is used.
func (b *globBuilder) variable(t token) {
	b.prog = append(b.prog, runeVar0-rune(len(b.vars)))
	b.vars = append(b.vars, t)
}

func (b *globBuilder) text(s string) {
	for _, r := range s {
		switch r {
		case '*':
			b.prog = append(b.prog, runeStar)
		case '?':
			b.prog = append(b.prog, runeAny)
		default:
			b.prog = append(b.prog, r)
		}
	}
}

func (b *globBuilder) literal(s string) {
	for _, r := range s {
		b.prog = append(b.prog, r)
	}
}

func (b *globBuilder) finish() *glob {
	g := &glob{}
	start := 0
	var parts [][]rune
	for i, r := range b.prog {
		if r == runeStar {
			parts = append(parts, b.prog[start:i])
			start = i + 1
			g.hasStar = true
		}
	}
	parts = append(parts, b.prog[start:])
	g.prefix = b.seg(parts[0], false)
	if g.hasStar {
		g.suffix = b.seg(parts[len(parts)-1], false)
		for _, p := range parts[1 : len(parts)-1] {
			if len(p) > 0 {
				g.middle = append(g.middle, b.seg(p, true))
			}
		}
	}
	return g
}

// seg compiles one star-free part of the builder's program; searchable asks
// for the searcher of a middle segment.
func (b *globBuilder) seg(p []rune, searchable bool) gseg {
	dynamic := false
	for _, r := range p {
		if r <= runeVar0 {
			dynamic = true
			break
		}
	}
	if !dynamic {
		return newSeg(p, searchable)
	}
	var s gseg
	var lit []rune
	flush := func() {
		if len(lit) > 0 {
			s.pieces = append(s.pieces, token{kind: tokLit, text: string(lit)})
			lit = lit[:0]
		}
	}
	for _, r := range p {
		switch {
		case r == runeAny:
			flush()
			s.pieces = append(s.pieces, token{kind: tokText, text: "?"})
		case r <= runeVar0:
			flush()
			s.pieces = append(s.pieces, b.vars[runeVar0-r])
		default:
			lit = append(lit, r)
		}
	}
	flush()
	s.searchable = searchable
	return s
}

// resolve turns a segment with variables into a plain one for this request.
// The work is linear in the length of the result.
func (g *gseg) resolve(e *evalCtx) (gseg, bool) {
	var vals [8]string
	n, size, hasAny := 0, 0, false
	for _, t := range g.pieces {
		switch t.kind {
		case tokLit:
			size += len(t.text)
		case tokVar:
			v, ok := e.variable(t)
			if !ok {
				return gseg{}, false
			}
			if n < len(vals) {
				vals[n] = v
			}
			n++
			size += len(v)
		default:
			hasAny = true
		}
	}
	value := func(k int, t token) string {
		if k < len(vals) {
			return vals[k]
		}
		v, _ := e.variable(t)
		return v
	}
	searchable := g.searchable
	if !hasAny {
		var sb strings.Builder
		sb.Grow(size)
		k := 0
		for _, t := range g.pieces {
			if t.kind == tokVar {
				sb.WriteString(value(k, t))
				k++
			} else {
				sb.WriteString(t.text)
			}
		}
		s := gseg{lit: sb.String(), searchable: searchable}
		if searchable {
			s.find = newLiteralFinder(s.lit)
		}
		return s, true
	}
	prog := make([]rune, 0, size+len(g.pieces))
	k := 0
	for _, t := range g.pieces {
		switch t.kind {
		case tokLit:
			prog = append(prog, []rune(t.text)...)
		case tokVar:
			prog = append(prog, []rune(value(k, t))...)
			k++
		default:
			prog = append(prog, runeAny)
		}
	}
	return newSeg(prog, searchable), true
}

// newSeg compiles a segment without variables.
func newSeg(p []rune, searchable bool) gseg {
	s := gseg{searchable: searchable}
	for _, r := range p {
		if r == runeAny {
			s.hasAny = true
			break
		}
	}
	if !s.hasAny {
		s.lit = string(p)
		if searchable {
			s.find = newLiteralFinder(s.lit)
		}
		return s
	}
	s.pat = append([]rune(nil), p...)
	if searchable {
		s.find = newWildFinder(s.pat)
	}
	return s
}

// match reports whether the whole of s matches a pattern without variables.
func (g *glob) match(s string) bool { return g.matchIn(s, nil) }

// matchIn reports whether the whole of s matches the pattern, resolving
// variables from e. A variable that cannot be resolved matches nothing.
func (g *glob) matchIn(s string, e *evalCtx) bool {
	prefix, ok := g.prefix.use(e)
	if !ok {
		return false
	}
	if !g.hasStar {
		n, ok := prefix.matchAt(s)
		return ok && n == len(s)
	}
	end, ok := prefix.matchAt(s)
	if !ok {
		return false
	}
	suffix, ok := g.suffix.use(e)
	if !ok {
		return false
	}
	from, ok := suffix.matchEnd(s)
	if !ok || from < end {
		return false
	}
	rest := s[end:from]
	for i := range g.middle {
		m, ok := g.middle[i].use(e)
		if !ok {
			return false
		}
		n, ok := m.find.find(rest)
		if !ok {
			return false
		}
		rest = rest[n:]
	}
	return true
}

// use returns the segment ready for matching: itself, or its resolution.
func (g *gseg) use(e *evalCtx) (gseg, bool) {
	if g.pieces == nil {
		return *g, true
	}
	if e == nil {
		return gseg{}, false
	}
	return g.resolve(e)
}

// matchAt matches the segment at the start of s and returns the bytes used.
// It looks at no more of s than the segment's length.
func (g *gseg) matchAt(s string) (int, bool) {
	if !g.hasAny {
		if strings.HasPrefix(s, g.lit) {
			return len(g.lit), true
		}
		return 0, false
	}
	i := 0
	for _, p := range g.pat {
		if i >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if p != runeAny && p != r {
			return 0, false
		}
		i += size
	}
	return i, true
}

// matchEnd matches the segment at the end of s and returns where it starts.
// It looks at no more of s than the segment's length.
func (g *gseg) matchEnd(s string) (int, bool) {
	if !g.hasAny {
		if strings.HasSuffix(s, g.lit) {
			return len(s) - len(g.lit), true
		}
		return 0, false
	}
	i := len(s)
	for k := len(g.pat) - 1; k >= 0; k-- {
		if i <= 0 {
			return 0, false
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if p := g.pat[k]; p != runeAny && p != r {
			return 0, false
		}
		i -= size
	}
	return i, true
}
