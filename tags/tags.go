package tags

import (
	"slices"
	"strings"
)

// Tag is one session tag: a key and its single value. Keys compare
// case-insensitively but keep the spelling the caller gave (behaviour §7).
type Tag struct{ Key, Value string }

// Limits of one request (behaviour §4 tagListType, tagKeyListType,
// tagKeyType, tagValueType).
const (
	// MaxTags is the most tags one request may pass.
	MaxTags = 50
	// MaxTransitiveKeys is the most transitive tag keys one request may pass.
	MaxTransitiveKeys = 50
	// MaxKeyLength is the longest tag key, in Unicode code points.
	MaxKeyLength = 128
	// MaxValueLength is the longest tag value, in Unicode code points.
	MaxValueLength = 256
)

// Lookup finds a tag by key, case-insensitively (Unicode simple folding, as
// strings.EqualFold), and returns the value of the first match.
func Lookup(tags []Tag, key string) (value string, ok bool) {
	for _, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return t.Value, true
		}
	}
	return "", false
}

// Overlay returns base tags (e.g. the role's or IAM user's tags) with over
// (session tags) applied on top: a key in over replaces every base tag with
// the same key regardless of case, and the session's spelling and value win
// (behaviour §7). The result is a new slice sorted by key (see Sorted);
// neither input is modified or validated.
func Overlay(base, over []Tag) []Tag {
	out := make([]Tag, 0, len(base)+len(over))
	for _, b := range base {
		if _, shadowed := Lookup(over, b.Key); !shadowed {
			out = append(out, b)
		}
	}
	out = append(out, over...)
	sortTags(out)
	return out
}

// FromMap returns the tags of m sorted by key. Keys differing only in case
// stay separate tags; Validate reports them as duplicates.
func FromMap(m map[string]string) []Tag {
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sortTags(out)
	return out
}

// ToMap returns the tags as a map from key (as spelled) to value; of
// tags with the same exact key, the last wins.
func ToMap(tags []Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// Sorted returns a copy of tags sorted by key in byte order, ties broken by
// value, so that equal sets of tags always come out in the same order.
func Sorted(tags []Tag) []Tag {
	out := slices.Clone(tags)
	sortTags(out)
	return out
}

// Keys returns the keys of tags in their order.
func Keys(tags []Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Key
	}
	return out
}

func sortTags(tags []Tag) {
	slices.SortFunc(tags, func(a, b Tag) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}
