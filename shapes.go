package fakests

// This file holds the shapes that both the identity model and request
// validation check: account IDs, entity names, ARNs, and the character
// classes of the model's patterns. They are loops, not regular expressions:
// each runs on every AssumeRole-family request.

import (
	"strings"

	"github.com/fakests/fakests/internal/arn"
)

// Shape checks on the hot path, written as loops rather than regular
// expressions: each is called on every AssumeRole-family request.

// isARNShape reports whether s has the shape STS checks first on an ARN
// parameter: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with partition,
// service and resource non-empty (behaviour §10: ^arn:[^:]+:[^:]+:[^:]*:[^:]*:[^:]+$;
// the resource may not contain a colon).
func isARNShape(s string) bool {
	a, ok := arn.Parse(s)
	return ok && a.Partition != "" && a.Service != "" && a.Resource != "" && !strings.Contains(a.Resource, ":")
}

// isAccountID reports whether s is a 12-digit account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isEntityName reports whether s is an IAM user or role name: 1–64
// characters of [\w+=,.@-].
func isEntityName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !nameChar(c) {
			return false
		}
	}
	return true
}

// isWord reports whether c is in Java's ASCII \w.
func isWord(c rune) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// allowed returns a membership test for \w plus extra characters.
func allowed(extra string) func(rune) bool {
	return func(c rune) bool {
		if isWord(c) {
			return true
		}
		for _, x := range extra {
			if c == x {
				return true
			}
		}
		return false
	}
}

var (
	nameChar       = allowed("+=,.@-")
	externalIDChar = allowed("+=,.@:/-")
	serialChar     = allowed("+=/:,.@-")
	digitChar      = func(c rune) bool { return c >= '0' && c <= '9' }
	wordChar       = isWord
	policyChar     = func(c rune) bool { return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xFF }
	// arnChar is the class AWS's Java validator makes of the arnType pattern
	// [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]:
	// Java reads \u10000 as \u1000 followed by '0', so the last range is
	// '0'-\u10FF and no character above U+FFFF matches (behaviour §4: a RoleArn
	// of supplementary characters fails the pattern), while U+0080–U+009F do.
	arnChar = func(c rune) bool {
		return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
	}
)
