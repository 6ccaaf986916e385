package policy

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileCase is a wildcard pattern of about 2,003 characters built to make
// a matcher that tries every position of a long subject quadratic: long runs
// of '?' between literals that nearly match everywhere in a subject made of
// one letter. want says whether it matches the four hostile subjects.
type hostileCase struct {
	name, pattern string
	want          [4]bool // a…a, a…ab, é…é, é…éb
}

func hostileCases() []hostileCase {
	return []hostileCase{
		{"a? pairs", "*" + strings.Repeat("a?", 1000) + "b*", [4]bool{false, true, false, false}},
		{"?a pairs", "*" + strings.Repeat("?a", 1000) + "b*", [4]bool{false, true, false, false}},
		{"a, 2000 ?, b", "*a" + strings.Repeat("?", 2000) + "b*", [4]bool{false, true, false, false}},
		{"ab? triples", "*" + strings.Repeat("ab?", 667) + "c*", [4]bool{false, false, false, false}},
		{"two a? halves", "*" + strings.Repeat("a?", 500) + "*" + strings.Repeat("a?", 499) + "b*", [4]bool{false, true, false, false}},
		{"star a? star", strings.Repeat("*a?", 667) + "*b", [4]bool{false, true, false, false}},
		{"2000 a then b", "*" + strings.Repeat("a", 2000) + "b*", [4]bool{false, true, false, false}},
		{"a?? runs", "*" + strings.Repeat("a??", 667) + "b*", [4]bool{false, true, false, false}},
		{"é? pairs, non-ASCII", "*" + strings.Repeat("é?", 1000) + "b*", [4]bool{false, false, false, true}},
	}
}

// hostileSubjects are the 10,000-character subjects of hostileCase.want.
func hostileSubjects() [4]string {
	a, e := strings.Repeat("a", 10000), strings.Repeat("é", 10000)
	return [4]string{a, a[:9999] + "b", e, e[:len(e)-len("é")] + "b"}
}

// TestGlobHostileInputsAreLinear times every hostile pattern against
// 10,000-character subjects, directly and through Evaluate (Action,
// NotAction, Resource, NotResource, StringLike, ArnLike, with a policy
// variable in the pattern), and compares the time with a yardstick measured
// beside each match: the same subject scanned for a short pattern, which any
// matcher does in one linear pass. A matcher that tries each subject position
// in turn spent about 650 yardsticks per worst hostile match (30 ms each;
// 1 s for all, against a bound of 0.3 s); the bit-parallel one spends 15 to
// 40 (⌈2,001/64⌉ = 32 words per rune), and about 10 on average over all the
// cases. The bound, 100 yardsticks per match plus 50 ms in all, is generous:
// load and -race slow the yardstick as much as the matcher.
func TestGlobHostileInputsAreLinear(t *testing.T) {
	const ratio, slack = 100, 50 * time.Millisecond
	var spent, yardstick time.Duration
	lin := compileGlob("*a?c*")
	timed := func(name string, subj string, f func() bool, want bool) {
		t.Helper()
		start := time.Now()
		lin.match(subj)
		y := time.Since(start)
		start = time.Now()
		got := f()
		d := time.Since(start)
		spent += d
		yardstick += y
		if got != want {
			t.Errorf("%s: matched = %v, want %v", name, got, want)
		}
		if testing.Verbose() {
			t.Logf("%s: %v (yardstick %v)", name, d, y)
		}
	}
	subjects := hostileSubjects()
	for _, c := range hostileCases() {
		g := compileGlob(c.pattern)
		for k, subj := range subjects {
			timed(c.name+" / subject "+strconv.Itoa(k), subj, func() bool { return g.match(subj) }, c.want[k])
		}
	}

	// Through Evaluate, where the 3.5 s Authorize of issue 11 came from: a
	// session-policy-sized document (one hostile pattern per element).
	long := strings.Repeat("a?", 1000) + "b"
	vlong := strings.Repeat("${aws:username}?", 100) + "b" // resolves to 1,100 runes
	docs := map[string]string{
		"Resource":                `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*` + long + `*"}}`,
		"NotResource":             `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::*` + long + `*"}}`,
		"Action":                  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*` + long + `*","Resource":"*"}}`,
		"NotAction":               `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*` + long + `*","Resource":"*"}}`,
		"StringLike":              `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/k":"*` + long + `*"}}}}`,
		"ArnLike":                 `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*` + long + `*"}}}}`,
		"Resource with variables": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*` + vlong + `*"}}`,
	}
	req := &Request{
		Action:   "s3:" + subjects[0],
		Resource: "arn:aws:s3:::" + subjects[0],
		Context: map[string][]string{
			"aws:PrincipalTag/k": {subjects[0]},
			"aws:SourceArn":      {"arn:aws:s3:::" + subjects[0]},
			"aws:username":       {"aaaaaaaaaa"},
		},
	}
	for name, doc := range docs {
		p, err := Parse(doc, Identity)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// NotResource and NotAction deny everything the pattern does not
		// match, which is everything here.
		want := strings.HasPrefix(name, "Not")
		timed("Evaluate "+name, subjects[0], func() bool { return Evaluate(req, p).ExplicitDeny }, want)
	}
	if bound := ratio*yardstick + slack; spent > bound {
		t.Errorf("hostile patterns took %v in all, want under %v (%d linear scans of their subjects, %v, plus %v): matching is not linear",
			spent, bound, ratio, yardstick, slack)
	}
}

// TestGlobLongCoresAgreeWithReference checks patterns whose '?' segments are
// longer than 64 runes (the multi-word automaton, with dense and sparse
// masks) against the dynamic-programming reference.
func TestGlobLongCoresAgreeWithReference(t *testing.T) {
	seed := uint64(11)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	alphabets := [][]rune{[]rune("a?"), []rune("ab?"), []rune("ab??é"), []rune("abcdefgh?")}
	for i := 0; i < 3000; i++ {
		alpha := alphabets[next(len(alphabets))]
		p := make([]rune, 0, 200)
		p = append(p, '*')
		for k, n := 0, 60+next(140); k < n; k++ {
			p = append(p, alpha[next(len(alpha))])
		}
		if next(3) == 0 {
			p = append(p, '*')
			for k, n := 0, next(80); k < n; k++ {
				p = append(p, alpha[next(len(alpha))])
			}
		}
		if next(2) == 0 {
			p = append(p, '*')
		}
		s := make([]rune, next(400))
		for k := range s {
			s[k] = alpha[next(len(alpha))]
			if s[k] == '?' { // subjects hold the literal letters mostly
				s[k] = 'a'
			}
		}
		if got, want := compileGlob(string(p)).match(string(s)), globReference(p, s); got != want {
			t.Fatalf("match(%q, %q) = %v, reference says %v", string(p), string(s), got, want)
		}
	}
}

// TestKMPIndex compares the long-literal search with strings.Index.
func TestKMPIndex(t *testing.T) {
	seed := uint64(5)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for i := 0; i < 20000; i++ {
		alpha := "ab"[:1+next(2)] + "c"[:next(2)]
		p := make([]byte, 1+next(12))
		for k := range p {
			p[k] = alpha[next(len(alpha))]
		}
		s := make([]byte, next(40))
		for k := range s {
			s[k] = alpha[next(len(alpha))]
		}
		if got, want := kmpIndex(string(s), string(p), kmpTable(string(p))), strings.Index(string(s), string(p)); got != want {
			t.Fatalf("kmpIndex(%q, %q) = %d, strings.Index says %d", s, p, got, want)
		}
	}
}

// globRegexp is the reference for FuzzGlob: the pattern as an anchored
// regular expression ('*' is .*, '?' is one character, '%' is value, the
// rest literal). Go's regexp package runs in time linear in the subject, so
// it is safe on any input.
func globRegexp(p, value string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '%':
			b.WriteString(regexp.QuoteMeta(value))
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// FuzzGlob compares the matcher with globRegexp, directly and as a Resource
// through Parse and Evaluate, where each '%' of the pattern stands for the
// policy variable ${aws:username} (whose value is the third input, a literal
// in the reference). Inputs are small (patterns up to 300 bytes, subjects up
// to 1,000), valid UTF-8 (the matcher compares literal text byte-wise and
// '?' rune-wise, which only differ on invalid UTF-8), and free of '$' (so
// that the pattern holds no other variables).
func FuzzGlob(f *testing.F) {
	f.Add("a*b?c", "axxbyc", "u")
	f.Add("*"+strings.Repeat("a?", 40)+"b*", strings.Repeat("a", 90)+"b", "u")
	f.Add("*%?%*", "xuzuy", "u")
	f.Add("*"+strings.Repeat("?%", 30)+"*", strings.Repeat("ab", 80), "ab")
	f.Add("?*é?*", "xéé", "é")
	f.Fuzz(func(t *testing.T, pattern, subject, value string) {
		if len(pattern) > 300 || len(subject) > 1000 || len(value) > 20 ||
			!utf8.ValidString(pattern) || !utf8.ValidString(subject) || !utf8.ValidString(value) ||
			strings.Contains(pattern, "$") {
			return
		}
		direct := strings.ReplaceAll(pattern, "%", "")
		if got, want := compileGlob(direct).match(subject), globRegexp(direct, "").MatchString(subject); got != want {
			t.Fatalf("match(%q, %q) = %v, regexp says %v", direct, subject, got, want)
		}

		// As a Resource with variables: the reference substitutes the value.
		resource := strings.ReplaceAll("arn:"+pattern, "%", "${aws:username}")
		doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": map[string]any{
			"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}})
		p, err := Parse(string(doc), Identity)
		if err != nil {
			t.Fatalf("Parse(%s): %v", doc, err)
		}
		req := &Request{Action: "s3:GetObject", Resource: "arn:" + subject,
			Context: map[string][]string{"aws:username": {value}}}
		got := Evaluate(req, p).Allowed
		want := globRegexp("arn:"+pattern, value).MatchString("arn:" + subject)
		if got != want {
			t.Fatalf("Resource %q (aws:username %q) on %q: allowed = %v, regexp says %v", resource, value, "arn:"+subject, got, want)
		}
	})
}
