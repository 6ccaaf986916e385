package apierror

import (
	"sort"
	"unicode/utf16"
)

// This file reproduces the iteration order of a java.util.HashSet of
// strings (Java 8 and later), the order in which AWS's validator reports a
// member's failed constraints (behaviour §3). Six recorded answers fit it and
// none contradicts it: pattern before minimum length for an empty RoleArn,
// pattern before maximum length for an over-long one, minimum length before
// pattern for an empty tag key, and the maximum before the minimum inside a
// list's "Member must satisfy constraint: [...]".

// SetOrder returns texts in the order a java.util.HashSet holding them (added
// in the given order, default capacity 16 and load factor 0.75) iterates:
// by bucket, spread(hashCode) & (capacity-1), then by insertion within a
// bucket. Duplicates are kept once. The result is a new slice only when the
// order changes; texts of length 0 or 1 are returned as they are.
func SetOrder(texts []string) []string {
	if len(texts) < 2 {
		return texts
	}
	uniq := make([]string, 0, len(texts))
	for _, t := range texts {
		dup := false
		for _, u := range uniq {
			if u == t {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, t)
		}
	}
	capacity := 16
	for len(uniq) > capacity*3/4 {
		capacity *= 2
	}
	bucket := func(s string) uint32 { return spread(javaHash(s)) & uint32(capacity-1) }
	sort.SliceStable(uniq, func(i, j int) bool { return bucket(uniq[i]) < bucket(uniq[j]) })
	return uniq
}

// javaHash is Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over the
// UTF-16 code units of s, in 32-bit arithmetic.
func javaHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			h = 31*h + uint32(hi)
			h = 31*h + uint32(lo)
			continue
		}
		h = 31*h + uint32(r)
	}
	return h
}

// spread is java.util.HashMap.hash: the high half folded into the low one.
func spread(h uint32) uint32 { return h ^ h>>16 }
