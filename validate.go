package fakests

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// This file checks request members against the STS model's constraints
// (facts sheet §4) and reports them in the §3 template. The Go SDK checks
// only required members, so everything else reaches the engine and must be
// checked here.

// Operation names, as they appear in Action= and in errors.
const (
	opAssumeRole                 = "AssumeRole"
	opAssumeRoleWithSAML         = "AssumeRoleWithSAML"
	opAssumeRoleWithWebIdentity  = "AssumeRoleWithWebIdentity"
	opAssumeRoot                 = "AssumeRoot"
	opDecodeAuthorizationMessage = "DecodeAuthorizationMessage"
	opGetAccessKeyInfo           = "GetAccessKeyInfo"
	opGetCallerIdentity          = "GetCallerIdentity"
	opGetDelegatedAccessToken    = "GetDelegatedAccessToken"
	opGetFederationToken         = "GetFederationToken"
	opGetSessionToken            = "GetSessionToken"
	opGetWebIdentityToken        = "GetWebIdentityToken"
)

// Patterns exactly as the model (and so AWS's messages) spell them.
const (
	patternName       = `[\w+=,.@-]*`
	patternExternalID = `[\w+=,.@:\/-]*`
	patternSerial     = `[\w+=/:,.@-]*`
	patternTokenCode  = `[\d]*`
	patternPolicy     = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patternAccessKey  = `[\w]*`
	patternARN        = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
)

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
	arnChar        = func(c rune) bool {
		return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0x7E || c == 0x85 ||
			c >= 0xA0 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF
	}
)

// stringRule is one string member's constraints.
type stringRule struct {
	field    string // the member name with its first letter lower-cased
	min, max int    // max 0: no maximum
	pattern  string
	char     func(rune) bool
}

var (
	ruleRoleARN         = stringRule{"roleArn", 20, 2048, patternARN, arnChar}
	rulePrincipalARN    = stringRule{"principalArn", 20, 2048, patternARN, arnChar}
	ruleRoleSessionName = stringRule{"roleSessionName", 2, 64, patternName, nameChar}
	ruleSourceIdentity  = stringRule{"sourceIdentity", 2, 64, patternName, nameChar}
	ruleExternalID      = stringRule{"externalId", 2, 1224, patternExternalID, externalIDChar}
	ruleSerialNumber    = stringRule{"serialNumber", 9, 256, patternSerial, serialChar}
	ruleTokenCode       = stringRule{"tokenCode", 6, 6, patternTokenCode, digitChar}
	ruleFederatedName   = stringRule{"name", 2, 32, patternName, nameChar}
	ruleSessionPolicy   = stringRule{"policy", 1, 2048, patternPolicy, policyChar}
	ruleAssumePolicy    = stringRule{"policy", 1, 0, patternPolicy, policyChar} // AssumeRole: no model maximum since 2023 (§6)
	ruleAccessKeyID     = stringRule{"accessKeyId", 16, 128, patternAccessKey, wordChar}
	rulePolicyARN       = stringRule{"policyArns.member.arn", 20, 2048, patternARN, arnChar}
	ruleEncodedMessage  = stringRule{"encodedMessage", 1, 10240, "", nil}
	ruleWebIdentityTok  = stringRule{"webIdentityToken", 4, 20000, "", nil}
	ruleSAMLAssertion   = stringRule{"sAMLAssertion", 4, 100000, "", nil}
	ruleProviderID      = stringRule{"providerId", 4, 2048, "", nil}
)

// check validates an optional member: nil is fine.
func (v *violations) check(r stringRule, s *string) {
	if s != nil {
		v.checkValue(r, *s)
	}
}

// require validates a required member.
func (v *violations) require(r stringRule, s *string) {
	if s == nil {
		v.null(r.field)
		return
	}
	v.checkValue(r, *s)
}

func (v *violations) checkValue(r stringRule, s string) {
	n := utf8.RuneCountInString(s)
	if r.max > 0 && n > r.max {
		v.add(s, r.field, sprintf(msgMaxLength, r.max))
	}
	if n < r.min {
		v.add(s, r.field, sprintf(msgMinLength, r.min))
	}
	if r.char != nil {
		for _, c := range s {
			if !r.char(c) {
				v.add(s, r.field, sprintf(msgPattern, r.pattern))
				break
			}
		}
	}
}

// checkInt validates an optional integer member against [min, max].
func (v *violations) checkInt(field string, p *int32, min, max int) {
	if p == nil {
		return
	}
	n := int(*p)
	if n < min {
		v.add(strconv.Itoa(n), field, sprintf(msgMinValue, min))
	}
	if n > max {
		v.add(strconv.Itoa(n), field, sprintf(msgMaxValue, max))
	}
}

// sprintf is fmt.Sprintf, named for brevity in constraint texts.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
