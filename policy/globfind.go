package policy

import (
	"strings"
	"unicode/utf8"
)

// Searchers for the middle segments of a wildcard pattern: each finds the
// leftmost occurrence of its segment in a subject and costs O(m + n·k) for a
// segment of m runes and a scan of n bytes, with the constant k given below.
//
// Literal segments (no '?'). Up to shortLiteral bytes: strings.Index. Any
// method it chooses (brute force, first-byte skipping, Rabin-Karp) checks
// each candidate start once and compares at most the needle's length there,
// so k ≤ 64 byte comparisons. Longer: Knuth-Morris-Pratt, O(m + n), whose
// failure table is built with the segment.
//
// Segments with '?'. Leading and trailing '?' only ask for that many runes
// before and after the core (the text from the first to the last literal
// rune), so they are skipped in O(m). A core without '?' is a literal. A core
// with '?' of q runes is found with the bit-parallel shift-and automaton:
// bit j of the state says that the core's first j+1 runes match the runes
// that end at the current subject rune. Each subject rune shifts the state
// by one and masks it with the positions the rune may occupy ('?' or that
// rune), a constant number of operations on ⌈q/64⌉ words, so k = ⌈q/64⌉.
// Every occurrence of the core has q runes, so the first whose last bit
// lights up is the leftmost.
//
// The masks. For q ≤ 64 each rune of the core has a one-word mask. For
// longer cores a mask per distinct rune could take q·⌈q/64⌉ words, so only a
// rune occurring at least W = ⌈q/64⌉ times gets a dense mask (there are at
// most q/W ≤ 64 of them, so at most 64·W ≈ q words); any other keeps the
// list of its fewer than W positions, and a step for it tests and sets those
// bits one by one: again O(W) per subject rune. Building costs O(q).
//
// Why not O(m + n). Deciding whether "*P*" matches a subject is pattern
// matching with don't-cares: with a subject over {a, b} and P over {a, ?},
// P occurs at position i unless some a of P meets a b of the subject, which
// is the Boolean convolution of P's a-positions with the subject's
// b-positions. No linear-time algorithm is known for that (the best take
// O(n log n), with the FFT, and large constants). Shift-and is exact and
// simple, and handles 64 pattern positions per word operation.

// shortLiteral is the longest literal segment searched with strings.Index.
const shortLiteral = 64

// finder searches for one middle segment.
type finder struct {
	lead, trail int // '?' runes before and after the core

	// A core without '?' (possibly empty): lit, with kmp its failure table
	// when it is longer than shortLiteral bytes.
	lit string
	kmp []int32

	// A core with '?': one of these automata.
	word  *wordAutomaton
	multi *multiAutomaton
}

// newLiteralFinder returns the searcher for a segment without '?'.
func newLiteralFinder(lit string) *finder {
	f := &finder{lit: lit}
	if len(lit) > shortLiteral {
		f.kmp = kmpTable(lit)
	}
	return f
}

// newWildFinder returns the searcher for a segment with at least one '?'
// (runeAny in pat).
func newWildFinder(pat []rune) *finder {
	lead := 0
	for lead < len(pat) && pat[lead] == runeAny {
		lead++
	}
	trail := 0
	for trail < len(pat)-lead && pat[len(pat)-1-trail] == runeAny {
		trail++
	}
	core := pat[lead : len(pat)-trail]
	hasAny := false
	for _, r := range core {
		if r == runeAny {
			hasAny = true
			break
		}
	}
	if !hasAny {
		f := newLiteralFinder(string(core))
		f.lead, f.trail = lead, trail
		return f
	}
	f := &finder{lead: lead, trail: trail}
	if len(core) <= 64 {
		f.word = newWordAutomaton(core)
	} else {
		f.multi = newMultiAutomaton(core)
	}
	return f
}

// find locates the leftmost occurrence of the segment in s and returns the
// byte offset just past it.
func (f *finder) find(s string) (int, bool) {
	i, ok := skipRunes(s, 0, f.lead)
	if !ok {
		return 0, false
	}
	var end int
	switch {
	case f.word != nil:
		n, ok := f.word.scan(s[i:])
		if !ok {
			return 0, false
		}
		end = i + n
	case f.multi != nil:
		n, ok := f.multi.scan(s[i:])
		if !ok {
			return 0, false
		}
		end = i + n
	default:
		var j int
		if f.kmp != nil {
			j = kmpIndex(s[i:], f.lit, f.kmp)
		} else {
			j = strings.Index(s[i:], f.lit)
		}
		if j < 0 {
			return 0, false
		}
		end = i + j + len(f.lit)
	}
	// The trailing '?' need runes after the core; a later occurrence would
	// have fewer, so there is no point in searching on.
	return skipRunes(s, end, f.trail)
}

// skipRunes returns the offset n runes after byte i of s.
func skipRunes(s string, i, n int) (int, bool) {
	for ; n > 0; n-- {
		if i >= len(s) {
			return 0, false
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return i, true
}

// nextRune decodes the rune at byte i of s, with a fast path for ASCII.
func nextRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// kmpTable returns the Knuth-Morris-Pratt failure function of p: entry i is
// the length of the longest proper prefix of p[:i+1] that is also its suffix.
func kmpTable(p string) []int32 {
	fail := make([]int32, len(p))
	k := 0
	for i := 1; i < len(p); i++ {
		for k > 0 && p[i] != p[k] {
			k = int(fail[k-1])
		}
		if p[i] == p[k] {
			k++
		}
		fail[i] = int32(k)
	}
	return fail
}

// kmpIndex returns the index of the first p in s, or -1, in O(len(s)+len(p)):
// i only advances, and every fall-back along fail undoes an earlier advance
// of k. While no prefix of p is pending it skips ahead with IndexByte.
func kmpIndex(s, p string, fail []int32) int {
	k := 0
	for i := 0; i < len(s); i++ {
		if k == 0 {
			j := strings.IndexByte(s[i:], p[0])
			if j < 0 {
				return -1
			}
			i += j
			k = 1
		} else {
			for k > 0 && s[i] != p[k] {
				k = int(fail[k-1])
			}
			if s[i] == p[k] {
				k++
			}
		}
		if k == len(p) {
			return i + 1 - len(p)
		}
	}
	return -1
}

// wordAutomaton is shift-and for a core of at most 64 runes.
type wordAutomaton struct {
	ascii [128]uint64
	other map[rune]uint64
	any   uint64
	last  uint64
}

func newWordAutomaton(core []rune) *wordAutomaton {
	a := &wordAutomaton{last: 1 << uint(len(core)-1)}
	for i, r := range core {
		bit := uint64(1) << uint(i)
		switch {
		case r == runeAny:
			a.any |= bit
		case r < utf8.RuneSelf:
			a.ascii[r] |= bit
		default:
			if a.other == nil {
				a.other = map[rune]uint64{}
			}
			a.other[r] |= bit
		}
	}
	return a
}

// scan returns the offset just past the first occurrence of the core in s.
func (a *wordAutomaton) scan(s string) (int, bool) {
	var d uint64
	for i := 0; i < len(s); {
		r, size := nextRune(s, i)
		i += size
		var m uint64
		if r < utf8.RuneSelf {
			m = a.ascii[r]
		} else if a.other != nil {
			m = a.other[r]
		}
		d = (d<<1 | 1) & (m | a.any)
		if d&a.last != 0 {
			return i, true
		}
	}
	return 0, false
}

// multiAutomaton is shift-and for a core of more than 64 runes, on W words.
type multiAutomaton struct {
	q, words int
	any      []uint64 // the positions of '?'
	// class says where a rune's positions are: 0 nowhere (only '?' may
	// match it), c > 0 in dense[c-1], c < 0 in sparse[-c-1].
	ascii  [128]int32
	other  map[rune]int32
	dense  [][]uint64 // masks of runes occurring at least W times
	sparse [][]int32  // positions of runes occurring fewer than W times
}

func newMultiAutomaton(core []rune) *multiAutomaton {
	q := len(core)
	w := (q + 63) / 64
	a := &multiAutomaton{q: q, words: w, any: make([]uint64, w)}
	count := map[rune]int{}
	for _, r := range core {
		if r != runeAny {
			count[r]++
		}
	}
	class := func(r rune) int32 {
		if r < utf8.RuneSelf {
			return a.ascii[r]
		}
		return a.other[r]
	}
	setClass := func(r rune, c int32) {
		if r < utf8.RuneSelf {
			a.ascii[r] = c
			return
		}
		if a.other == nil {
			a.other = map[rune]int32{}
		}
		a.other[r] = c
	}
	for i, r := range core {
		if r == runeAny {
			a.any[i>>6] |= 1 << uint(i&63)
			continue
		}
		c := class(r)
		if c == 0 {
			if count[r] >= w {
				a.dense = append(a.dense, make([]uint64, w))
				c = int32(len(a.dense))
			} else {
				a.sparse = append(a.sparse, make([]int32, 0, count[r]))
				c = -int32(len(a.sparse))
			}
			setClass(r, c)
		}
		if c > 0 {
			a.dense[c-1][i>>6] |= 1 << uint(i&63)
		} else {
			a.sparse[-c-1] = append(a.sparse[-c-1], int32(i))
		}
	}
	return a
}

// scan returns the offset just past the first occurrence of the core in s.
// top counts the state words that may be non-zero: it grows by at most one
// word per rune (the shift carries one bit), and every word it drops was
// added earlier, so keeping it costs O(1) amortised per rune and a scan that
// rarely sees the core's first rune touches one word per rune.
func (a *multiAutomaton) scan(s string) (int, bool) {
	d := make([]uint64, a.words)
	var hits []int32
	lastWord, lastBit := (a.q-1)>>6, uint64(1)<<uint((a.q-1)&63)
	top := 0
	for i := 0; i < len(s); {
		r, size := nextRune(s, i)
		i += size
		if top < a.words {
			top++
		}
		live := d[:top]
		anyMask := a.any[:top]
		var c int32
		if r < utf8.RuneSelf {
			c = a.ascii[r]
		} else if a.other != nil {
			c = a.other[r]
		}
		// One pass: shift in a 1 and keep the positions r may occupy.
		carry := uint64(1)
		switch {
		case c > 0:
			m := a.dense[c-1][:top]
			for w, x := range live {
				live[w] = (x<<1 | carry) & (anyMask[w] | m[w])
				carry = x >> 63
			}
		case c < 0:
			// Position j survives when position j-1 was set before the
			// shift (j = 0 always may start).
			hits = hits[:0]
			for _, j := range a.sparse[-c-1] {
				if j == 0 || (int((j-1)>>6) < top && live[(j-1)>>6]&(1<<uint((j-1)&63)) != 0) {
					hits = append(hits, j)
				}
			}
			for w, x := range live {
				live[w] = (x<<1 | carry) & anyMask[w]
				carry = x >> 63
			}
			for _, j := range hits {
				live[j>>6] |= 1 << uint(j&63)
			}
		default:
			for w, x := range live {
				live[w] = (x<<1 | carry) & anyMask[w]
				carry = x >> 63
			}
		}
		if lastWord < top && live[lastWord]&lastBit != 0 {
			return i, true
		}
		for top > 0 && d[top-1] == 0 {
			top--
		}
	}
	return 0, false
}
