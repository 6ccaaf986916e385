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
type globBuilder struct{ prog []rune }

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
	g.prefix = newSeg(parts[0])
	if g.hasStar {
		g.suffix = newSeg(parts[len(parts)-1])
		for _, p := range parts[1 : len(parts)-1] {
			if len(p) > 0 {
				g.middle = append(g.middle, newSeg(p))
			}
		}
	}
	return g
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

// match reports whether the whole of s matches the pattern.
func (g *glob) match(s string) bool {
	if !g.hasStar {
		n, ok := g.prefix.matchAt(s)
		return ok && n == len(s)
	}
	end, ok := g.prefix.matchAt(s)
	if !ok {
		return false
	}
	from, ok := g.suffix.matchEnd(s)
	if !ok || from < end {
		return false
	}
	rest := s[end:from]
	for i := range g.middle {
		n, ok := g.middle[i].find(rest)
		if !ok {
			return false
		}
		rest = rest[n:]
	}
	return true
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
