package fakests

import (
	"regexp"
	"testing"
)

// The loops must agree with the patterns they replace.
func TestShapesAgreeWithTheirPatterns(t *testing.T) {
	arnRE := regexp.MustCompile(`^arn:[^:]+:[^:]+:[^:]*:[^:]*:[^:]+$`)
	acctRE := regexp.MustCompile(`^\d{12}$`)
	nameRE := regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	inputs := []string{
		"", "arn", "arn:", "arn:aws:iam::123456789012:role/x", "arn:a:::something/test-role",
		"arn:a:b:::something/test-role", "arn:aws:iam::123456789012:role/x:y", "arn::iam::1:r",
		"arn:aws::::r", "arn:aws:iam::1:", "xarn:aws:iam::1:r", "123456789012", "12345678901",
		"12345678901a", "1234567890123", "alice", "a+b=c,d.e@f-g_h", "sp ace", "ünï", "x",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	}
	for _, s := range inputs {
		if got, want := isARNShape(s), arnRE.MatchString(s); got != want {
			t.Errorf("isARNShape(%q) = %v; the pattern says %v", s, got, want)
		}
		if got, want := isAccountID(s), acctRE.MatchString(s); got != want {
			t.Errorf("isAccountID(%q) = %v; the pattern says %v", s, got, want)
		}
		if got, want := isEntityName(s), nameRE.MatchString(s); got != want {
			t.Errorf("isEntityName(%q) = %v; the pattern says %v", s, got, want)
		}
	}
}

func FuzzShapes(f *testing.F) {
	arnRE := regexp.MustCompile(`^arn:[^:]+:[^:]+:[^:]*:[^:]*:[^:]+$`)
	nameRE := regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	f.Add("arn:aws:iam::123456789012:role/x")
	f.Add("a+b=c")
	f.Fuzz(func(t *testing.T, s string) {
		if isARNShape(s) != arnRE.MatchString(s) {
			t.Errorf("isARNShape(%q) disagrees with the pattern", s)
		}
		if isEntityName(s) != nameRE.MatchString(s) {
			t.Errorf("isEntityName(%q) disagrees with the pattern", s)
		}
	})
}
