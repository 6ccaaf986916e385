package awsquery

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// listID names one list parameter; values are bits so a decoder can ask
// for several lists in one pass over the form.
type listID uint8

const (
	listPolicyArns        listID = 1 << iota // PolicyArns.member.N.arn
	listProvidedContexts                     // ProvidedContexts.member.N.ProviderArn / .ContextAssertion
	listTags                                 // Tags.member.N.Key / .Value
	listTransitiveTagKeys                    // TransitiveTagKeys.member.N
	listAudience                             // Audience.member.N
)

// maxIndexDigits bounds a member index to 999,999,999. Longer indexes make
// the key unknown (ignored); no index value ever sizes an allocation.
const maxIndexDigits = 9

// entry is one form key that addresses a field of a list member.
type entry struct {
	list  listID
	field uint8 // 0 for string lists; 1, 2 for structure fields
	index uint32
	value *string // points into the form's storage
}

// lists gathers the list parameters of one request in a single pass over
// the form, then hands each list out in index order.
type lists struct {
	present listID  // lists named by a bare key or by at least one member
	entries []entry // sorted by list, member index, field
}

// scanLists collects the keys of the lists in want, then sorts them by
// list, member index and field. It appends to buf, normally a stack array
// of the caller; everything is passed by value so that the array can stay
// on the stack (a store through a pointer would move it to the heap).
func scanLists(form url.Values, want listID, buf []entry) lists {
	l := lists{entries: buf[:0]}
	for key, vals := range form {
		if len(vals) == 0 {
			continue
		}
		id, rest := matchList(key, want)
		if id == 0 {
			continue
		}
		if rest == "" { // "Tags=": the list is present, perhaps empty (§1.1)
			l.present |= id
			continue
		}
		rest, ok := strings.CutPrefix(rest, ".member.")
		if !ok {
			continue
		}
		index, rest, ok := parseIndex(rest)
		if !ok {
			continue
		}
		field, ok := matchField(id, rest)
		if !ok {
			continue
		}
		l.present |= id
		l.entries = append(l.entries, entry{list: id, field: field, index: index, value: &vals[0]})
	}
	if len(l.entries) > 1 {
		slices.SortFunc(l.entries, func(a, b entry) int {
			if c := cmp.Compare(a.list, b.list); c != 0 {
				return c
			}
			if c := cmp.Compare(a.index, b.index); c != 0 {
				return c
			}
			return cmp.Compare(a.field, b.field)
		})
	}
	return l
}

// matchList reports which wanted list key belongs to and what follows the
// list name.
func matchList(key string, want listID) (listID, string) {
	if key == "" {
		return 0, ""
	}
	var id listID
	var name string
	switch key[0] {
	case 'P':
		id, name = listPolicyArns, "PolicyArns"
		if !strings.HasPrefix(key, name) {
			id, name = listProvidedContexts, "ProvidedContexts"
		}
	case 'T':
		id, name = listTags, "Tags"
		if !strings.HasPrefix(key, name) {
			id, name = listTransitiveTagKeys, "TransitiveTagKeys"
		}
	case 'A':
		id, name = listAudience, "Audience"
	default:
		return 0, ""
	}
	if want&id == 0 || !strings.HasPrefix(key, name) {
		return 0, ""
	}
	return id, key[len(name):]
}

// parseIndex reads a canonical positive decimal member index (no sign, no
// leading zero) followed by the end of the key or a '.'.
func parseIndex(s string) (uint32, string, bool) {
	var n uint32
	i := 0
	for ; i < len(s) && s[i] != '.'; i++ {
		c := s[i]
		if c < '0' || c > '9' || (i == 0 && c == '0') || i == maxIndexDigits {
			return 0, "", false
		}
		n = n*10 + uint32(c-'0')
	}
	if i == 0 {
		return 0, "", false
	}
	return n, s[i:], true
}

// matchField maps what follows the member index to a field number.
func matchField(id listID, rest string) (uint8, bool) {
	switch id {
	case listTransitiveTagKeys, listAudience:
		return 0, rest == ""
	case listPolicyArns:
		return 1, rest == ".arn" // lowercase member name (§1.1)
	case listTags:
		switch rest {
		case ".Key":
			return 1, true
		case ".Value":
			return 2, true
		}
	case listProvidedContexts:
		switch rest {
		case ".ProviderArn":
			return 1, true
		case ".ContextAssertion":
			return 2, true
		}
	}
	return 0, false
}

// members returns the sorted entries of one list and its member count.
func (l lists) members(id listID) ([]entry, int) {
	lo := 0
	for lo < len(l.entries) && l.entries[lo].list != id {
		lo++
	}
	hi, n := lo, 0
	for ; hi < len(l.entries) && l.entries[hi].list == id; hi++ {
		if hi == lo || l.entries[hi].index != l.entries[hi-1].index {
			n++
		}
	}
	return l.entries[lo:hi], n
}

// each calls f once per member with that member's entries.
func each(run []entry, f func(fields []entry)) {
	for i := 0; i < len(run); {
		j := i + 1
		for j < len(run) && run[j].index == run[i].index {
			j++
		}
		f(run[i:j])
		i = j
	}
}

func (l lists) strings(id listID) []string {
	if l.present&id == 0 {
		return nil
	}
	run, n := l.members(id)
	out := make([]string, 0, n)
	for _, e := range run { // one field per member: indexes are distinct
		out = append(out, *e.value)
	}
	return out
}

func (l lists) tags() []types.Tag {
	if l.present&listTags == 0 {
		return nil
	}
	run, n := l.members(listTags)
	out := make([]types.Tag, 0, n)
	each(run, func(fields []entry) {
		var t types.Tag
		for _, e := range fields {
			if e.field == 1 {
				t.Key = e.value
			} else {
				t.Value = e.value
			}
		}
		out = append(out, t)
	})
	return out
}

func (l lists) policyArns() []types.PolicyDescriptorType {
	if l.present&listPolicyArns == 0 {
		return nil
	}
	run, n := l.members(listPolicyArns)
	out := make([]types.PolicyDescriptorType, 0, n)
	for _, e := range run {
		out = append(out, types.PolicyDescriptorType{Arn: e.value})
	}
	return out
}

func (l lists) providedContexts() []types.ProvidedContext {
	if l.present&listProvidedContexts == 0 {
		return nil
	}
	run, n := l.members(listProvidedContexts)
	out := make([]types.ProvidedContext, 0, n)
	each(run, func(fields []entry) {
		var c types.ProvidedContext
		for _, e := range fields {
			if e.field == 1 {
				c.ProviderArn = e.value
			} else {
				c.ContextAssertion = e.value
			}
		}
		out = append(out, c)
	})
	return out
}
