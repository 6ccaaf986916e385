package tags

import (
	"strconv"
	"testing"
)

// benchTags returns n realistic tags (mixed-length keys and values, one
// non-ASCII) and the first half of their keys as transitive keys.
func benchTags(n int) ([]Tag, []string) {
	tags := make([]Tag, n)
	keys := make([]string, 0, n/2)
	for i := range tags {
		tags[i] = Tag{Key: "Project-Key-" + strconv.Itoa(i), Value: "value:team/alpha@example.com=" + strconv.Itoa(i)}
		if i < n/2 {
			keys = append(keys, tags[i].Key)
		}
	}
	if n > 0 {
		tags[0].Value = "Zürich Büro"
	}
	return tags, keys
}

func BenchmarkValidate10(b *testing.B) {
	tags, keys := benchTags(10)
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(tags, keys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate50(b *testing.B) {
	tags, keys := benchTags(50)
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(tags, keys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChain(b *testing.B) {
	inherited := []Tag{{Key: "Dept", Value: "eng"}, {Key: "Org", Value: "core"}}
	tags, keys := benchTags(10)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Chain(inherited, tags, keys); err != nil {
			b.Fatal(err)
		}
	}
}
