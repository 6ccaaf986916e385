package policy

import (
	"strings"
	"unicode/utf8"
)

// Wildcard patterns: '*' matches any run of characters (also none), '?'
// exactly one character. A pattern is split at its stars into segments; the
// first must match at the start of the subject, the last at its end, and the
// middle ones are found left to right, each at its leftmost place. Taking the
// leftmost place is always safe (it leaves the most room for what follows),
// so the matcher never backtracks: a segment without '?' is found with
// strings.Index, and a segment with '?' of up to 64 characters with a
// bit-parallel (shift-and) scan, both linear in the subject. Only a segment
// with '?' longer than 64 characters falls back to trying each position.

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
	// Shift-and tables for find, built when hasAny and len(pat) <= 64.
	ascii   *[128]uint64
	other   map[rune]uint64
	anyMask uint64
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
	g.prefix = b.seg(parts[0])
	if g.hasStar {
		g.suffix = b.seg(parts[len(parts)-1])
		for _, p := range parts[1 : len(parts)-1] {
			if len(p) > 0 {
				g.middle = append(g.middle, b.seg(p))
			}
		}
	}
	return g
}

// seg compiles one star-free part of the builder's program.
func (b *globBuilder) seg(p []rune) gseg {
	dynamic := false
	for _, r := range p {
		if r <= runeVar0 {
			dynamic = true
			break
		}
	}
	if !dynamic {
		return newSeg(p)
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
	return s
}

// resolve turns a segment with variables into a plain one for this request.
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
		return gseg{lit: sb.String()}, true
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
	return newSeg(prog), true
}

func newSeg(p []rune) gseg {
	s := gseg{}
	for _, r := range p {
		if r == runeAny {
			s.hasAny = true
			break
		}
	}
	if !s.hasAny {
		s.lit = string(p)
		return s
	}
	s.pat = append([]rune(nil), p...)
	if len(p) <= 64 {
		s.ascii = new([128]uint64)
		for i, r := range p {
			bit := uint64(1) << uint(i)
			switch {
			case r == runeAny:
				s.anyMask |= bit
			case r < 128:
				s.ascii[r] |= bit
			default:
				if s.other == nil {
					s.other = map[rune]uint64{}
				}
				s.other[r] |= bit
			}
		}
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
		n, ok := m.find(rest)
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

// find locates the leftmost occurrence of the segment in s and returns the
// byte offset just past it.
func (g *gseg) find(s string) (int, bool) {
	if !g.hasAny {
		i := strings.Index(s, g.lit)
		if i < 0 {
			return 0, false
		}
		return i + len(g.lit), true
	}
	if g.ascii != nil {
		// Shift-and: bit k of d is set when the first k+1 pattern runes
		// match the runes ending at the current position. Every match has
		// the same length in runes, so the first to end is the leftmost.
		last := uint64(1) << uint(len(g.pat)-1)
		var d uint64
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			var m uint64
			if r >= 0 && r < 128 {
				m = g.ascii[r]
			} else if g.other != nil {
				m = g.other[r]
			}
			d = (d<<1 | 1) & (m | g.anyMask)
			if d&last != 0 {
				return i, true
			}
		}
		return 0, false
	}
	for i := 0; i < len(s); {
		if n, ok := g.matchAt(s[i:]); ok {
			return i + n, true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return 0, false
}
