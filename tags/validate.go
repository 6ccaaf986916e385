package tags

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fakests/fakests/apierror"
)

// The model patterns, reproduced verbatim in ValidationError messages
// (behaviour §4 tagKeyType, tagValueType).
const (
	keyPattern   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	valuePattern = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
)

// AWS's exact texts for the semantic errors (behaviour §7, AWS-validated),
// and our choice for the reserved prefix (unverified).
const (
	msgDuplicate  = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
	msgTransitive = "The specified transitive tag key must be included in the requested tags."
	msgConflict   = "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
	msgReserved   = "Tag keys can't begin with the reserved prefix 'aws:'."
)

// asciiAllowed marks the ASCII characters the tag patterns accept: letters,
// digits, space (\p{Z}) and _ . : / = + - @.
var asciiAllowed = func() (t [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range " _.:/=+-@" {
		t[c] = true
	}
	return t
}()

// allowedRune reports whether r is in [\p{L}\p{Z}\p{N}_.:/=+\-@]. U+FFFD, which
// also stands for an invalid UTF-8 byte, is a symbol (So) and so is refused.
func allowedRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiAllowed[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Z, r)
}

// byteClass classifies a byte for scan's fast path: 0 for an allowed ASCII
// character, 1 for a refused one, 2 for any byte of a multi-byte sequence.
var byteClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = 2
		case !asciiAllowed[c]:
			t[c] = 1
		}
	}
	return t
}()

// scan returns the length of s in code points (an invalid UTF-8 byte counts
// as one) and whether every character matches the tag pattern.
func scan(s string) (n int, ok bool) {
	var class byte
	for i := 0; i < len(s); i++ {
		class |= byteClass[s[i]]
	}
	if class < 2 { // all ASCII: one byte per character
		return len(s), class == 0
	}
	ok = true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			ok = ok && asciiAllowed[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			ok = ok && allowedRune(r)
			i += size
		}
		n++
	}
	return n, ok
}

// AddViolations records the constraint violations of a request's Tags and
// TransitiveTagKeys in v, in the model's order: the 'tags' list size, each
// tag's key ('tags.<i>.member.key') and value ('tags.<i>.member.value'),
// then the 'transitiveTagKeys' list size and each of its keys
// ('transitiveTagKeys.<i>.member'); indexes are 1-based. Within one member a
// length violation precedes the pattern one, so an empty key yields two.
// It allocates nothing when everything is valid.
//
// An operation whose request has other members adds their violations to
// the same v, so that one ValidationError reports them all; operations that
// must report tags without a key or value as null call CheckCount, CheckKey,
// CheckValue and CheckTransitiveKeys themselves.
func AddViolations(v *apierror.Violations, tags []Tag, transitiveKeys []string) {
	CheckCount(v, tags)
	for i, t := range tags {
		CheckKey(v, i, t.Key)
		CheckValue(v, i, t.Value)
	}
	CheckTransitiveKeys(v, transitiveKeys)
}

// CheckCount records a Tags list longer than MaxTags, rendering the list as
// AWS does: [Tag(key=k, value=v), ...].
func CheckCount(v *apierror.Violations, tags []Tag) {
	if len(tags) > MaxTags {
		v.Add(renderTags(tags), "tags", apierror.MaxLength(MaxTags))
	}
}

// CheckKey records the violations of the key of the i-th tag (from 0).
func CheckKey(v *apierror.Violations, i int, key string) {
	checkString(v, key, 1, MaxKeyLength, keyPattern, func() string { return memberField("tags", i, ".key") })
}

// CheckValue records the violations of the value of the i-th tag (from 0).
func CheckValue(v *apierror.Violations, i int, value string) {
	checkString(v, value, 0, MaxValueLength, valuePattern, func() string { return memberField("tags", i, ".value") })
}

// CheckTransitiveKeys records the violations of a TransitiveTagKeys list,
// all at the list itself ('transitiveTagKeys'), as AWS reports a list of
// strings (behaviour §3, recorded for GetWebIdentityToken's Audience): more
// than MaxTransitiveKeys keys is "Member must have length less than or equal
// to 50"; any key that breaks tagKeyType is one "Member must satisfy
// constraint: [...]" naming all of tagKeyType's constraints. The list is
// rendered as Java prints it, [a, b].
func CheckTransitiveKeys(v *apierror.Violations, keys []string) {
	tooMany := len(keys) > MaxTransitiveKeys
	badKey := false
	for _, k := range keys {
		if n, ok := scan(k); n < 1 || n > MaxKeyLength || !ok {
			badKey = true
			break
		}
	}
	switch {
	case tooMany && badKey:
		v.AddMember(renderKeys(keys), "transitiveTagKeys", apierror.MaxLength(MaxTransitiveKeys), keyConstraints())
	case tooMany:
		v.Add(renderKeys(keys), "transitiveTagKeys", apierror.MaxLength(MaxTransitiveKeys))
	case badKey:
		v.Add(renderKeys(keys), "transitiveTagKeys", keyConstraints())
	}
}

// keyConstraints is the element constraint of a list of tag keys: every
// constraint of tagKeyType, as AWS's validator prints the set.
func keyConstraints() string {
	return apierror.MemberConstraints(apierror.MaxLength(MaxKeyLength), apierror.MinLength(1), apierror.Pattern(keyPattern))
}

// checkString records the length and pattern violations of one key or value.
// field is built lazily: the valid path allocates nothing.
func checkString(v *apierror.Violations, s string, min, max int, pattern string, field func() string) {
	n, ok := scan(s)
	ok = ok && (n > 0 || min == 0) // the key pattern ends in +: empty does not match
	if n >= min && n <= max && ok {
		return
	}
	var failed [2]string
	k := 0
	if n < min {
		failed[k] = apierror.MinLength(min)
		k++
	}
	if n > max {
		failed[k] = apierror.MaxLength(max)
		k++
	}
	if !ok {
		failed[k] = apierror.Pattern(pattern)
		k++
	}
	v.AddMember(s, field(), failed[:k]...)
}

// renderTags renders the Tags list as the value of a list-size violation,
// as AWS's recorded answer shows it: [Tag(key=0, value=test), ...].
func renderTags(tags []Tag) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, t := range tags {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("Tag(key=")
		sb.WriteString(t.Key)
		sb.WriteString(", value=")
		sb.WriteString(t.Value)
		sb.WriteByte(')')
	}
	sb.WriteByte(']')
	return sb.String()
}

// renderKeys renders the TransitiveTagKeys list as Java prints a list of
// strings, "[a, b]" (recorded for GetWebIdentityToken's Audience).
func renderKeys(keys []string) string {
	return "[" + strings.Join(keys, ", ") + "]"
}

// Validate checks the Tags and TransitiveTagKeys of one request: at most 50
// tags and 50 transitive keys; key 1–128 characters and value 0–256
// characters matching the model patterns [\p{L}\p{Z}\p{N}_.:/=+\-@]+ and ...*
// (behaviour §4, §7).
//
// Constraint violations come first and are all reported together as one
// ValidationError (see AddViolations for their order). Only a request free
// of constraint violations reaches the semantic checks, which return
// InvalidParameterValue, first failure wins, in this order:
//   - a key starting with "aws:" in any case (our choice; unverified text
//     "Tag keys can't begin with the reserved prefix 'aws:'.");
//   - two keys differing only in case: "Duplicate tag keys found. Please note
//     that Tag keys are case insensitive.";
//   - a transitive key not among the tag keys (compared case-insensitively):
//     "The specified transitive tag key must be included in the requested tags."
//
// A transitive key listed twice is accepted. Validate does not allocate
// when the request is valid. Every error is an *apierror.Error.
func Validate(tags []Tag, transitiveKeys []string) error {
	var h [MaxTags]uint64
	return validate(tags, transitiveKeys, &h)
}

// validate is Validate; on success h[i] holds foldHash(tags[i].Key).
func validate(tags []Tag, transitiveKeys []string, h *[MaxTags]uint64) error {
	var v apierror.Violations
	AddViolations(&v, tags, transitiveKeys)
	if err := v.Err(); err != nil {
		return err
	}

	// From here len(tags) <= MaxTags.
	for i, t := range tags {
		if hasReservedPrefix(t.Key) {
			return apierror.New(apierror.CodeInvalidParameterValue, msgReserved)
		}
		h[i] = foldHash(t.Key)
	}
	for i := 1; i < len(tags); i++ {
		for j := 0; j < i; j++ {
			if h[i] == h[j] && strings.EqualFold(tags[i].Key, tags[j].Key) {
				return apierror.New(apierror.CodeInvalidParameterValue, msgDuplicate)
			}
		}
	}
	for _, k := range transitiveKeys {
		if indexFold(tags, h[:len(tags)], k) < 0 {
			return apierror.New(apierror.CodeInvalidParameterValue, msgTransitive)
		}
	}
	return nil
}

// CheckDuplicates returns InvalidParameterValue "Duplicate tag keys found.
// Please note that Tag keys are case insensitive." when two of tags have keys
// that differ at most in case, and nil otherwise. It checks nothing else:
// the tags of GetWebIdentityToken, which become claims of the token, are
// held only to the model's constraints and to this rule, and may even begin
// with "aws:" (behaviour §11.11). It expects at most MaxTags tags (checked
// first, as a constraint violation); beyond them it compares pairs one by
// one.
func CheckDuplicates(tags []Tag) error {
	var h [MaxTags]uint64
	for i, t := range tags {
		kh := foldHash(t.Key)
		for j := 0; j < i; j++ {
			var hj uint64
			if j < MaxTags {
				hj = h[j]
			} else {
				hj = foldHash(tags[j].Key)
			}
			if hj == kh && strings.EqualFold(tags[j].Key, t.Key) {
				return apierror.New(apierror.CodeInvalidParameterValue, msgDuplicate)
			}
		}
		if i < MaxTags {
			h[i] = kh
		}
	}
	return nil
}

// indexFold returns the index of the tag whose key equals key
// case-insensitively, or -1; h holds the foldHash of each tag's key.
func indexFold(tags []Tag, h []uint64, key string) int {
	kh := foldHash(key)
	for i, x := range h {
		if x == kh && strings.EqualFold(tags[i].Key, key) {
			return i
		}
	}
	return -1
}

// foldHash hashes s (FNV-1a over code points) after mapping every character
// to the smallest member of its simple case-folding orbit, so that
// strings.EqualFold(a, b) implies foldHash(a) == foldHash(b). It lets the
// duplicate checks compare numbers and call EqualFold only on a match.
func foldHash(s string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			r = rune(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				if f < r {
					r = f
				}
			}
		}
		h = (h ^ uint64(r)) * prime
	}
	return h
}

// memberField names a list member the way AWS's validator does:
// "<list>.<1-based index>.member<suffix>".
func memberField(list string, i int, suffix string) string {
	return list + "." + strconv.Itoa(i+1) + ".member" + suffix
}

// hasReservedPrefix reports whether key starts with "aws:" in any case.
func hasReservedPrefix(key string) bool {
	return len(key) >= 4 && strings.EqualFold(key[:4], "aws:")
}

// Chain builds a new session's tags when the caller's session carries
// inherited transitive tags (behaviour §7). It validates the request with
// Validate, then rejects a request tag whose key equals (case-insensitively)
// an inherited transitive key with InvalidParameterValue "One of the
// specified transitive tag keys can't be set because it conflicts with a
// transitive tag key from the calling session." (that text even when the
// tag is not itself transitive, as AWS does).
//
// It returns the new session's tags, inherited transitive ones plus the
// requested ones with their case preserved, and the subset that is
// transitive: every inherited tag stays transitive, and a requested tag
// becomes transitive when transitiveKeys names it (case-insensitively; the
// tag's own spelling is kept). Both slices are new and sorted by key (see
// Sorted); with nothing to return they are nil.
//
// The 50-tag limit applies to the request only: the session may hold more
// than 50 tags once inherited ones are added (unverified; in AWS the
// packed-size limit of behaviour §6 bounds the total). Inherited tags are
// trusted as they come from an earlier session and are not revalidated.
func Chain(inherited []Tag, tags []Tag, transitiveKeys []string) (session []Tag, transitive []Tag, err error) {
	var h [MaxTags]uint64
	if err := validate(tags, transitiveKeys, &h); err != nil {
		return nil, nil, err
	}
	hs := h[:len(tags)]
	for _, in := range inherited {
		if indexFold(tags, hs, in.Key) >= 0 {
			return nil, nil, apierror.New(apierror.CodeInvalidParameterValue, msgConflict)
		}
	}
	var mark [MaxTags]bool
	nTransitive := len(inherited)
	for _, k := range transitiveKeys {
		if i := indexFold(tags, hs, k); i >= 0 && !mark[i] {
			mark[i] = true
			nTransitive++
		}
	}
	if len(inherited)+len(tags) == 0 {
		return nil, nil, nil
	}
	session = make([]Tag, 0, len(inherited)+len(tags))
	session = append(session, inherited...)
	session = append(session, tags...)
	sortTags(session)
	if nTransitive == 0 {
		return session, nil, nil
	}
	transitive = make([]Tag, 0, nTransitive)
	transitive = append(transitive, inherited...)
	for i, t := range tags {
		if mark[i] {
			transitive = append(transitive, t)
		}
	}
	sortTags(transitive)
	return session, transitive, nil
}
