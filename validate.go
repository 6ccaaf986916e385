package fakests

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
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
	v.checkProvidedContexts(in.ProvidedContexts)
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
func itoa(n int) string { return strconv.Itoa(n) }

// checkProvidedContexts records the violations of AssumeRole's
// ProvidedContexts (behaviour §4, §9): at most five, each member's
// ProviderArn an arnType and ContextAssertion 4–2048 characters, addressed
// like the members of other lists of structures. The model requires neither
// member. An empty list is the same as none (choice: the query protocol
// sends an empty list as a bare key, and AWS reports an empty required list
// as null, so it reads one as absent).
func (v *violations) checkProvidedContexts(cs []types.ProvidedContext) {
	if len(cs) > maxProvidedContext {
		v.Add(providedContextsValue(cs), "providedContexts", apierror.MaxLength(maxProvidedContext))
	}
	for i := range cs {
		prefix := "providedContexts." + strconv.Itoa(i+1) + ".member."
		r := ruleContextProvider
		r.field = prefix + r.field
		v.check(r, cs[i].ProviderArn)
		r = ruleContextAssertion
		r.field = prefix + r.field
		v.check(r, cs[i].ContextAssertion)
	}
}

// providedContextsValue renders the list for a validation message the way
// AWS renders lists of structures (behaviour §3, recorded for Tag):
// [ProvidedContext(providerArn=…, contextAssertion=…), …].
func providedContextsValue(cs []types.ProvidedContext) string {
	s := "["
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += "ProvidedContext(providerArn=" + derefNull(c.ProviderArn) + ", contextAssertion=" + derefNull(c.ContextAssertion) + ")"
	}
	return s + "]"
}

// derefNull is *p, or "null" as Java prints an absent member.
func derefNull(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

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
		s += "PolicyDescriptorType(arn=" + derefNull(a.Arn) + ")"
	}
	return s + "]"
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

// stringRule is one string member's constraints.
type stringRule struct {
	field    string // the member name with its first letter lower-cased
	min, max int    // max 0: no maximum
	pattern  string
	char     func(rune) bool
}

var (
	ruleRoleARN          = stringRule{"roleArn", 20, 2048, patternARN, arnChar}
	rulePrincipalARN     = stringRule{"principalArn", 20, 2048, patternARN, arnChar}
	ruleRoleSessionName  = stringRule{"roleSessionName", 2, 64, patternName, nameChar}
	ruleSourceIdentity   = stringRule{"sourceIdentity", 2, 64, patternName, nameChar}
	ruleExternalID       = stringRule{"externalId", 2, 1224, patternExternalID, externalIDChar}
	ruleSerialNumber     = stringRule{"serialNumber", 9, 256, patternSerial, serialChar}
	ruleTokenCode        = stringRule{"tokenCode", 6, 6, patternTokenCode, digitChar}
	ruleFederatedName    = stringRule{"name", 2, 32, patternName, nameChar}
	ruleSessionPolicy    = stringRule{"policy", 1, 2048, patternPolicy, policyChar}
	ruleAssumePolicy     = stringRule{"policy", 1, 0, patternPolicy, policyChar} // AssumeRole: no model maximum since 2023 (§6)
	ruleAccessKeyID      = stringRule{"accessKeyId", 16, 128, patternAccessKey, wordChar}
	rulePolicyARN        = stringRule{"policyArns.member.arn", 20, 2048, patternARN, arnChar}
	ruleContextProvider  = stringRule{"providerArn", 20, 2048, patternARN, arnChar}
	ruleContextAssertion = stringRule{"contextAssertion", 4, 2048, "", nil}
	ruleEncodedMessage   = stringRule{"encodedMessage", 1, 10240, "", nil}
	ruleWebIdentityTok   = stringRule{"webIdentityToken", 4, 20000, "", nil}
	ruleSAMLAssertion    = stringRule{"sAMLAssertion", 4, 100000, "", nil}
	ruleProviderID       = stringRule{"providerId", 4, 2048, "", nil}
	ruleTargetPrincipal  = stringRule{"targetPrincipal", 12, 2048, "", nil}
	ruleTaskPolicyARN    = stringRule{"taskPolicyArn.arn", 20, 2048, patternARN, arnChar}
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

// checkValue records every constraint of r that s fails, in the order AWS
// reports them (apierror.AddMember, behaviour §3). Lengths count code points;
// a pattern ending in + also fails on the empty string, so an empty RoleArn
// fails both its pattern and its minimum length.
func (v *violations) checkValue(r stringRule, s string) {
	n := utf8.RuneCountInString(s)
	tooLong := r.max > 0 && n > r.max
	tooShort := n < r.min
	badChar := r.char != nil && !matches(r, s)
	if !tooLong && !tooShort && !badChar {
		return
	}
	var failed [3]string
	k := 0
	if tooLong {
		failed[k] = apierror.MaxLength(r.max)
		k++
	}
	if tooShort {
		failed[k] = apierror.MinLength(r.min)
		k++
	}
	if badChar {
		failed[k] = apierror.Pattern(r.pattern)
		k++
	}
	v.AddMember(s, r.field, failed[:k]...)
}

// matches reports whether s matches r's pattern: every character in its
// class, and at least one character when the pattern ends in +.
func matches(r stringRule, s string) bool {
	if s == "" {
		return !strings.HasSuffix(r.pattern, "+")
	}
	for _, c := range s {
		if !r.char(c) {
			return false
		}
	}
	return true
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

// Limits of GetWebIdentityToken's members (behaviour §4, §11.11).
const (
	maxAudiences           = 10
	maxAudienceLength      = 1000
	webTokenMinSeconds     = 60
	webTokenMaxSeconds     = 3600
	webTokenDefaultSeconds = 300
)

var ruleSigningAlgorithm = stringRule{"signingAlgorithm", 5, 5, "", nil}

// validateWebIdentityToken checks GetWebIdentityToken's members in model
// order (Audience, DurationSeconds, SigningAlgorithm, Tags), then, once the
// model is satisfied, the algorithm's value: a five-character name other
// than RS256 or ES384 (case counts) gets AWS's own ValidationError
// (behaviour §11.11).
func validateWebIdentityToken(in *sts.GetWebIdentityTokenInput) error {
	var v violations
	v.checkAudience(in.Audience)
	v.checkInt("durationSeconds", in.DurationSeconds, webTokenMinSeconds, webTokenMaxSeconds)
	v.require(ruleSigningAlgorithm, in.SigningAlgorithm)
	v.checkTags(in.Tags)
	if err := v.Err(); err != nil {
		return err
	}
	if alg := *in.SigningAlgorithm; alg != algRS256 && alg != algES384 {
		return newError(apierror.CodeValidationError, msgUnsupportedSigningAlgorithm)
	}
	return nil
}

// checkAudience records the violations of the Audience list, all at the
// list itself as AWS reports a list of strings (behaviour §3, §11.11): an
// absent or empty list is null; more than ten is a length violation; any
// audience outside 1–1000 characters is one "Member must satisfy
// constraint: [...]" naming both of its shape's constraints. The list is
// rendered as Java prints it, [a, b] (an empty audience leaves nothing
// between its commas).
func (v *violations) checkAudience(aud []string) {
	if len(aud) == 0 {
		v.Null("audience")
		return
	}
	tooMany := len(aud) > maxAudiences
	badMember := false
	for _, a := range aud {
		if n := utf8.RuneCountInString(a); n < 1 || n > maxAudienceLength {
			badMember = true
			break
		}
	}
	if !tooMany && !badMember {
		return
	}
	value := "[" + strings.Join(aud, ", ") + "]"
	member := apierror.MemberConstraints(apierror.MaxLength(maxAudienceLength), apierror.MinLength(1))
	switch {
	case tooMany && badMember:
		v.AddMember(value, "audience", apierror.MaxLength(maxAudiences), member)
	case tooMany:
		v.Add(value, "audience", apierror.MaxLength(maxAudiences))
	default:
		v.Add(value, "audience", member)
	}
}

// validateDelegatedAccessToken checks GetDelegatedAccessToken's one member,
// which the model only requires (behaviour §11.8).
func validateDelegatedAccessToken(in *sts.GetDelegatedAccessTokenInput) error {
	var v violations
	if in.TradeInToken == nil {
		v.Null("tradeInToken")
	}
	return v.Err()
}

// validateAssumeRoot checks AssumeRoot's members in model order (behaviour
// §4, §11.4): TargetPrincipal, TaskPolicyArn (a structure whose arn is sent
// as TaskPolicyArn.arn: without it the structure is not sent at all, so AWS
// reports the structure itself as null), DurationSeconds (0–900) and
// MinimumSessionTokenSize. Then the target and the task policy themselves:
// a 12-digit account ID or arn:aws:iam::<account>:root, and one of the five
// task policies.
func validateAssumeRoot(in *sts.AssumeRootInput) error {
	var v violations
	v.require(ruleTargetPrincipal, in.TargetPrincipal)
	if in.TaskPolicyArn == nil || in.TaskPolicyArn.Arn == nil {
		v.Null("taskPolicyArn")
	} else {
		v.checkValue(ruleTaskPolicyARN, *in.TaskPolicyArn.Arn)
	}
	v.checkInt("durationSeconds", in.DurationSeconds, 0, rootMaxTaskSeconds)
	v.checkInt("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, session.MaxTokenSize)
	if err := v.Err(); err != nil {
		return err
	}
	if _, ok := rootTarget(*in.TargetPrincipal); !ok {
		return newError(apierror.CodeValidationError, msgInvalidTargetPrincipal)
	}
	if _, ok := rootTasks[*in.TaskPolicyArn.Arn]; !ok {
		return newError(apierror.CodeValidationError, msgInvalidTaskPolicy)
	}
	return nil
}

// rootTarget returns the account an AssumeRoot TargetPrincipal names: a
// 12-digit account ID, or its root user's ARN (behaviour §11.4).
func rootTarget(s string) (string, bool) {
	if isAccountID(s) {
		return s, true
	}
	acct, ok := strings.CutPrefix(s, "arn:aws:iam::")
	if !ok {
		return "", false
	}
	acct, ok = strings.CutSuffix(acct, ":root")
	return acct, ok && isAccountID(acct)
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
