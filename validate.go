package fakests

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/tags"
)

// This file checks request members against the STS model's constraints and
// reports them in AWS's ValidationError template, in the model's member
// order. The Go SDK checks only required members, so everything else
// reaches the engine and must be checked here.

// checkFederatedSession validates the session members AssumeRoleWithSAML
// and AssumeRoleWithWebIdentity share, in their model order (behaviour §4):
// PolicyArns, Policy (at most 2,048 characters, unlike AssumeRole's),
// DurationSeconds and MinimumSessionTokenSize.
func (v *violations) checkFederatedSession(arns []types.PolicyDescriptorType, policy *string, duration, minTokenSize *int32) {
	v.checkPolicyARNs(arns)
	v.check(ruleSessionPolicy, policy)
	v.checkInt("durationSeconds", duration, roleMinSeconds, roleMaxSeconds)
	v.checkInt("minimumSessionTokenSize", minTokenSize, 0, session.MaxTokenSize)
}

// violations collects the constraint failures of one request in member
// order (apierror.Violations), with the checks of STS's member shapes.
type violations struct{ apierror.Violations }

// validateAssumeRole checks every member against the model (behaviour §3, §4)
// and the RoleArn shape (§10).
func validateAssumeRole(in *sts.AssumeRoleInput) error {
	var v violations
	v.require(ruleRoleARN, in.RoleArn)
	v.require(ruleRoleSessionName, in.RoleSessionName)
	v.checkPolicyARNs(in.PolicyArns)
	v.check(ruleAssumePolicy, in.Policy)
	v.checkInt("durationSeconds", in.DurationSeconds, roleMinSeconds, roleMaxSeconds)
	v.checkTags(in.Tags)
	tags.CheckTransitiveKeys(&v.Violations, in.TransitiveTagKeys)
	v.check(ruleExternalID, in.ExternalId)
	v.check(ruleSerialNumber, in.SerialNumber)
	v.check(ruleTokenCode, in.TokenCode)
	v.check(ruleSourceIdentity, in.SourceIdentity)
	if len(in.ProvidedContexts) > maxProvidedContext {
		v.Add(itoa(len(in.ProvidedContexts)), "providedContexts", apierror.MaxLength(maxProvidedContext))
	}
	v.checkInt("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, session.MaxTokenSize)
	if err := v.Err(); err != nil {
		return err
	}
	if !isARNShape(*in.RoleArn) {
		return errorf(apierror.CodeValidationError, msgInvalidARN, *in.RoleArn)
	}
	return nil
}

// itoa formats an int.
func itoa(n int) string { return sprintf("%d", n) }

// checkTags records the violations of a Tags list in member order: its
// size, then each tag's key and value (null when absent, else the tags
// package's length and pattern checks).
func (v *violations) checkTags(ts []types.Tag) {
	if len(ts) > tags.MaxTags {
		tags.CheckCount(&v.Violations, requestTags(ts))
	}
	for i, t := range ts {
		if t.Key == nil {
			v.Null("tags." + strconv.Itoa(i+1) + ".member.key")
		} else {
			tags.CheckKey(&v.Violations, i, *t.Key)
		}
		if t.Value == nil {
			v.Null("tags." + strconv.Itoa(i+1) + ".member.value")
		} else {
			tags.CheckValue(&v.Violations, i, *t.Value)
		}
	}
}

// validateSAML checks every member against the model (behaviour §3, §4) and
// the RoleArn and PrincipalArn shapes (§10).
func validateSAML(in *sts.AssumeRoleWithSAMLInput) error {
	var v violations
	v.require(ruleRoleARN, in.RoleArn)
	v.require(rulePrincipalARN, in.PrincipalArn)
	v.require(ruleSAMLAssertion, in.SAMLAssertion)
	v.checkFederatedSession(in.PolicyArns, in.Policy, in.DurationSeconds, in.MinimumSessionTokenSize)
	if err := v.Err(); err != nil {
		return err
	}
	for _, s := range [...]string{*in.RoleArn, *in.PrincipalArn} {
		if !isARNShape(s) {
			return errorf(apierror.CodeValidationError, msgInvalidARN, s)
		}
	}
	return nil
}

// validateWebIdentity checks every member against the model (behaviour §3, §4)
// and the RoleArn shape (§10).
func validateWebIdentity(in *sts.AssumeRoleWithWebIdentityInput) error {
	var v violations
	v.require(ruleRoleARN, in.RoleArn)
	v.require(ruleRoleSessionName, in.RoleSessionName)
	v.require(ruleWebIdentityTok, in.WebIdentityToken)
	v.check(ruleProviderID, in.ProviderId)
	v.checkFederatedSession(in.PolicyArns, in.Policy, in.DurationSeconds, in.MinimumSessionTokenSize)
	if err := v.Err(); err != nil {
		return err
	}
	if !isARNShape(*in.RoleArn) {
		return errorf(apierror.CodeValidationError, msgInvalidARN, *in.RoleArn)
	}
	return nil
}

// maxPolicyARNs is the documented limit on PolicyArns (behaviour §6).
const maxPolicyARNs = 10

// checkPolicyARNs validates the PolicyArns list's shape.
func (v *violations) checkPolicyARNs(arns []types.PolicyDescriptorType) {
	if len(arns) > maxPolicyARNs {
		v.Add(policyARNsValue(arns), "policyArns", apierror.MaxLength(maxPolicyARNs))
	}
	for i := range arns {
		r := rulePolicyARN
		r.field = "policyArns." + strconv.Itoa(i+1) + ".member.arn"
		v.require(r, arns[i].Arn)
	}
}

// policyARNsValue renders the list for a validation message.
func policyARNsValue(arns []types.PolicyDescriptorType) string {
	s := "["
	for i, a := range arns {
		if i > 0 {
			s += ", "
		}
		s += "PolicyDescriptorType(arn=" + deref(a.Arn) + ")"
	}
	return s + "]"
}

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
		v.Null(r.field)
		return
	}
	v.checkValue(r, *s)
}

func (v *violations) checkValue(r stringRule, s string) {
	n := utf8.RuneCountInString(s)
	if r.max > 0 && n > r.max {
		v.Add(s, r.field, apierror.MaxLength(r.max))
	}
	if n < r.min {
		v.Add(s, r.field, apierror.MinLength(r.min))
	}
	if r.char != nil {
		for _, c := range s {
			if !r.char(c) {
				v.Add(s, r.field, apierror.Pattern(r.pattern))
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
		v.Add(strconv.Itoa(n), field, apierror.MinValue(min))
	}
	if n > max {
		v.Add(strconv.Itoa(n), field, apierror.MaxValue(max))
	}
}

// sprintf is fmt.Sprintf, named for brevity in constraint texts.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// validateFederationToken checks GetFederationToken's members in model
// order.
func validateFederationToken(in *sts.GetFederationTokenInput) error {
	var v violations
	v.require(ruleFederatedName, in.Name)
	v.check(ruleSessionPolicy, in.Policy)
	v.checkPolicyARNs(in.PolicyArns)
	v.checkInt("durationSeconds", in.DurationSeconds, tokenMinSeconds, tokenMaxSeconds)
	v.checkTags(in.Tags)
	v.checkInt("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, session.MaxTokenSize)
	return v.Err()
}

// validateSessionToken checks GetSessionToken's members in model order.
func validateSessionToken(in *sts.GetSessionTokenInput) error {
	var v violations
	v.checkInt("durationSeconds", in.DurationSeconds, tokenMinSeconds, tokenMaxSeconds)
	v.check(ruleSerialNumber, in.SerialNumber)
	v.check(ruleTokenCode, in.TokenCode)
	v.checkInt("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, session.MaxTokenSize)
	return v.Err()
}

// validateAccessKeyInfo checks GetAccessKeyInfo's one member.
func validateAccessKeyInfo(in *sts.GetAccessKeyInfoInput) error {
	var v violations
	v.require(ruleAccessKeyID, in.AccessKeyId)
	return v.Err()
}

// validateDecodeMessage checks DecodeAuthorizationMessage's one member.
func validateDecodeMessage(in *sts.DecodeAuthorizationMessageInput) error {
	var v violations
	v.require(ruleEncodedMessage, in.EncodedMessage)
	return v.Err()
}
