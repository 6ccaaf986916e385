package fakests

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// This file holds one row per constraint of every constrained member of
// every operation fakests serves, read from botocore's STS model
// (boto/botocore botocore/data/sts/2011-06-15/service-2.json, behaviour §4),
// list members included. Each expected message is AWS's ValidationError
// template (behaviour §3) written out in full; a member's failed constraints
// appear in the order AWS reports them (behaviour §3). GetWebIdentityToken's
// members are pinned from AWS's recorded answers in
// conformance_outbound_test.go, and GetDelegatedAccessToken's one member in
// conformance_delegation_test.go.

// modelSource names the model shape a row checks.
func modelSource(shape string) string {
	return "boto/botocore botocore/data/sts/2011-06-15/service-2.json shape " + shape
}

// Patterns and constraint texts as AWS writes them.
const (
	mArnPattern    = `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	mNamePattern   = `Member must satisfy regular expression pattern: [\w+=,.@-]*`
	mExtPattern    = `Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`
	mSerialPattern = `Member must satisfy regular expression pattern: [\w+=/:,.@-]*`
	mTokenPattern  = `Member must satisfy regular expression pattern: [\d]*`
	mPolicyPattern = `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`
	mKeyPattern    = `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	mValuePattern  = `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	mAccessPattern = `Member must satisfy regular expression pattern: [\w]*`
	mNotNull       = "Member must not be null"
)

// ve is one violation of the template: Value '<value>' at '<field>' ...
func ve(value, field, constraint string) string {
	return "Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + constraint
}

// veNull is a missing required member.
func veNull(field string) string {
	return "Value null at '" + field + "' failed to satisfy constraint: " + mNotNull
}

// vErr is the ValidationError reporting the given violations.
func vErr(violations ...string) *wantErr {
	if len(violations) == 1 {
		return &wantErr{"ValidationError", "1 validation error detected: " + violations[0], 400}
	}
	return &wantErr{"ValidationError", itoa(len(violations)) + " validation errors detected: " + strings.Join(violations, "; "), 400}
}

func minLen(n string) string { return "Member must have length greater than or equal to " + n }
func maxLen(n string) string { return "Member must have length less than or equal to " + n }
func minVal(n string) string { return "Member must have value greater than or equal to " + n }
func maxVal(n string) string { return "Member must have value less than or equal to " + n }

// conformanceCall is one request to an API.
type conformanceCall func(context.Context, stsAPI) error

// conformanceRow is one pinned case: its public source, the call and AWS's
// answer. engineOnly marks requests a real *sts.Client refuses to send (the
// Go SDK checks required members itself); the Handler rows of
// conformance_recorded_test.go carry such cases over the wire. unsigned
// marks the anonymous operations.
type conformanceRow struct {
	source, name string
	call         conformanceCall
	want         *wantErr
	engineOnly   bool
	unsigned     bool
}

func callAR(in *sts.AssumeRoleInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.AssumeRole(ctx, in); return err }
}
func callSAML(in *sts.AssumeRoleWithSAMLInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.AssumeRoleWithSAML(ctx, in); return err }
}
func callWeb(in *sts.AssumeRoleWithWebIdentityInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error {
		_, err := api.AssumeRoleWithWebIdentity(ctx, in)
		return err
	}
}
func modelGFT(in *sts.GetFederationTokenInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.GetFederationToken(ctx, in); return err }
}
func modelGST(in *sts.GetSessionTokenInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.GetSessionToken(ctx, in); return err }
}
func callGAKI(in *sts.GetAccessKeyInfoInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.GetAccessKeyInfo(ctx, in); return err }
}
func callDecode(in *sts.DecodeAuthorizationMessageInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error {
		_, err := api.DecodeAuthorizationMessage(ctx, in)
		return err
	}
}

// runConformance runs every row on the typed engine and through a real
// *sts.Client, as creds (or unsigned).
func runConformance(t *testing.T, e *Engine, creds aws.Credentials, rows []conformanceRow) {
	t.Helper()
	for _, row := range rows {
		for _, p := range paths(e) {
			if row.engineOnly && p.name == "client" {
				continue
			}
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(creds)
				if row.unsigned {
					api, ctx = p.unsigned()
				}
				err := row.call(ctx, api)
				if err == nil {
					t.Fatalf("no error; want %+v (source: %s)", row.want, row.source)
				}
				checkErr(t, err, row.want)
				if t.Failed() {
					t.Logf("source: %s", row.source)
				}
			})
		}
	}
}

// Values used across rows.
var (
	mRole     = "arn:aws:iam::123456789012:role/Long"
	mARN19    = "arn:aws:iam::1:role" // 19 characters
	mARN2049  = "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 2049-31)
	mARNCtl   = "arn:aws:iam::123456789012:role/a\x01b"     // a control character
	mARNEmoji = "arn:aws:iam::123456789012:role/\U0001F600" // a supplementary character
	mS65      = strings.Repeat("s", 65)
)

// TestConformanceModelAssumeRole pins every constraint of AssumeRole's
// members (behaviour §3, §4, §9).
func TestConformanceModelAssumeRole(t *testing.T) {
	w := newWorld(t)
	sess := aws.String("ok-session")
	ar := func(mod func(*sts.AssumeRoleInput)) conformanceCall {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(mRole), RoleSessionName: sess}
		mod(in)
		return callAR(in)
	}
	tag := func(k, v *string) []types.Tag { return []types.Tag{{Key: k, Value: v}} }
	ctx6 := make([]types.ProvidedContext, 6)
	for i := range ctx6 {
		ctx6[i] = types.ProvidedContext{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("abcd")}
	}
	ctxList := strings.Repeat("ProvidedContext(providerArn=arn:aws:iam::aws:contextProvider/IdentityCenter, contextAssertion=abcd), ", 5) +
		"ProvidedContext(providerArn=arn:aws:iam::aws:contextProvider/IdentityCenter, contextAssertion=abcd)"
	keys51 := make([]string, 51)
	for i := range keys51 {
		keys51[i] = "k"
	}
	keyConstraints := "Member must satisfy constraint: [" + maxLen("128") + ", " + minLen("1") + ", " + mKeyPattern + "]"
	rows := []conformanceRow{
		{modelSource("AssumeRoleRequest required RoleArn"), "RoleArn null", ar(func(in *sts.AssumeRoleInput) { in.RoleArn = nil }),
			vErr(veNull("roleArn")), true, false},
		{modelSource("arnType min 20"), "RoleArn of 19 characters", ar(func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String(mARN19) }),
			vErr(ve(mARN19, "roleArn", minLen("20"))), false, false},
		{modelSource("arnType max 2048"), "RoleArn of 2049 characters", ar(func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String(mARN2049) }),
			vErr(ve(mARN2049, "roleArn", maxLen("2048"))), false, false},
		{modelSource("arnType pattern"), "RoleArn with a control character", ar(func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String(mARNCtl) }),
			vErr(ve(mARNCtl, "roleArn", mArnPattern)), true, false}, // XML cannot carry U+0001 back to a client
		{modelSource("arnType pattern (Java reads \\u10000 as \\u1000 and 0)"), "RoleArn with a supplementary character",
			ar(func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String(mARNEmoji) }),
			vErr(ve(mARNEmoji, "roleArn", mArnPattern)), false, false},
		{modelSource("arnType min 20 and pattern +"), "empty RoleArn fails the pattern and the minimum",
			ar(func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String("") }),
			vErr(ve("", "roleArn", mArnPattern), ve("", "roleArn", minLen("20"))), false, false},
		{modelSource("AssumeRoleRequest required RoleSessionName"), "RoleSessionName null",
			ar(func(in *sts.AssumeRoleInput) { in.RoleSessionName = nil }), vErr(veNull("roleSessionName")), true, false},
		{modelSource("roleSessionNameType min 2"), "RoleSessionName of 1 character",
			ar(func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("a") }), vErr(ve("a", "roleSessionName", minLen("2"))), false, false},
		{modelSource("roleSessionNameType min 2, pattern *"), "empty RoleSessionName fails only the minimum",
			ar(func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("") }), vErr(ve("", "roleSessionName", minLen("2"))), false, false},
		{modelSource("roleSessionNameType max 64"), "RoleSessionName of 65 characters",
			ar(func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String(mS65) }), vErr(ve(mS65, "roleSessionName", maxLen("64"))), false, false},
		{modelSource("roleSessionNameType pattern"), "RoleSessionName with a slash",
			ar(func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("a/b") }), vErr(ve("a/b", "roleSessionName", mNamePattern)), false, false},
		{modelSource("PolicyDescriptorType.arn arnType min 20"), "PolicyArns member arn of 19 characters",
			ar(func(in *sts.AssumeRoleInput) { in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String(mARN19)}} }),
			vErr(ve(mARN19, "policyArns.1.member.arn", minLen("20"))), false, false},
		{modelSource("PolicyDescriptorType.arn arnType pattern"), "second PolicyArns member with a supplementary character",
			ar(func(in *sts.AssumeRoleInput) {
				in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}, {Arn: aws.String(mARNEmoji)}}
			}),
			vErr(ve(mARNEmoji, "policyArns.2.member.arn", mArnPattern)), false, false},
		{modelSource("unrestrictedSessionPolicyDocumentType min 1, pattern +"), "empty Policy fails the minimum and the pattern",
			ar(func(in *sts.AssumeRoleInput) { in.Policy = aws.String("") }),
			vErr(ve("", "policy", minLen("1")), ve("", "policy", mPolicyPattern)), false, false},
		{modelSource("unrestrictedSessionPolicyDocumentType pattern"), "Policy with a character above U+00FF",
			ar(func(in *sts.AssumeRoleInput) { in.Policy = aws.String("{\u0100}") }),
			vErr(ve("{\u0100}", "policy", mPolicyPattern)), false, false},
		{modelSource("roleDurationSecondsType min 900"), "DurationSeconds 899",
			ar(func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(899) }), vErr(ve("899", "durationSeconds", minVal("900"))), false, false},
		{modelSource("roleDurationSecondsType max 43200"), "DurationSeconds 43201",
			ar(func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(43201) }), vErr(ve("43201", "durationSeconds", maxVal("43200"))), false, false},
		{modelSource("tagListType max 50"), "51 Tags",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = numberedTags(51) }),
			vErr(ve("["+numberedTagList(51)+"]", "tags", maxLen("50"))), false, false},
		{modelSource("Tag required Key"), "Tag without Key", ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(nil, aws.String("v")) }),
			vErr(veNull("tags.1.member.key")), true, false},
		{modelSource("Tag required Value"), "Tag without Value", ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String("k"), nil) }),
			vErr(veNull("tags.1.member.value")), true, false},
		{modelSource("tagKeyType min 1, pattern +"), "empty tag key",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String(""), aws.String("v")) }),
			vErr(ve("", "tags.1.member.key", minLen("1")), ve("", "tags.1.member.key", mKeyPattern)), false, false},
		{modelSource("tagKeyType max 128"), "tag key of 129 characters",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String(strings.Repeat("k", 129)), aws.String("v")) }),
			vErr(ve(strings.Repeat("k", 129), "tags.1.member.key", maxLen("128"))), false, false},
		{modelSource("tagKeyType pattern"), "tag key with a comma",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String("a,b"), aws.String("v")) }),
			vErr(ve("a,b", "tags.1.member.key", mKeyPattern)), false, false},
		{modelSource("tagValueType min 0"), "empty tag value is valid, so only the session name fails",
			ar(func(in *sts.AssumeRoleInput) {
				in.Tags = tag(aws.String("k"), aws.String(""))
				in.RoleSessionName = aws.String("a")
			}),
			vErr(ve("a", "roleSessionName", minLen("2"))), false, false},
		{modelSource("tagValueType max 256"), "tag value of 257 characters",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String("k"), aws.String(strings.Repeat("v", 257))) }),
			vErr(ve(strings.Repeat("v", 257), "tags.1.member.value", maxLen("256"))), false, false},
		{modelSource("tagValueType pattern"), "tag value with an exclamation mark",
			ar(func(in *sts.AssumeRoleInput) { in.Tags = tag(aws.String("k"), aws.String("v!")) }),
			vErr(ve("v!", "tags.1.member.value", mValuePattern)), false, false},
		{modelSource("tagKeyListType max 50"), "51 TransitiveTagKeys",
			ar(func(in *sts.AssumeRoleInput) { in.TransitiveTagKeys = keys51 }),
			vErr(ve("["+strings.Join(keys51, ", ")+"]", "transitiveTagKeys", maxLen("50"))), false, false},
		{modelSource("tagKeyListType member tagKeyType"), "a TransitiveTagKeys member that breaks tagKeyType",
			ar(func(in *sts.AssumeRoleInput) { in.TransitiveTagKeys = []string{"ok", "a,b"} }),
			vErr(ve("[ok, a,b]", "transitiveTagKeys", keyConstraints)), false, false},
		{modelSource("externalIdType min 2"), "ExternalId of 1 character",
			ar(func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("e") }), vErr(ve("e", "externalId", minLen("2"))), false, false},
		{modelSource("externalIdType max 1224"), "ExternalId of 1225 characters",
			ar(func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String(strings.Repeat("e", 1225)) }),
			vErr(ve(strings.Repeat("e", 1225), "externalId", maxLen("1224"))), false, false},
		{modelSource("externalIdType pattern"), "ExternalId with a space",
			ar(func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("e f") }), vErr(ve("e f", "externalId", mExtPattern)), false, false},
		{modelSource("serialNumberType min 9"), "SerialNumber of 8 characters",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String("GAHT1234")
				in.TokenCode = aws.String("123456")
			}),
			vErr(ve("GAHT1234", "serialNumber", minLen("9"))), false, false},
		{modelSource("serialNumberType max 256"), "SerialNumber of 257 characters",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String(strings.Repeat("s", 257))
				in.TokenCode = aws.String("123456")
			}),
			vErr(ve(strings.Repeat("s", 257), "serialNumber", maxLen("256"))), false, false},
		{modelSource("serialNumberType pattern"), "SerialNumber with a space",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String("GAHT 12345678")
				in.TokenCode = aws.String("123456")
			}),
			vErr(ve("GAHT 12345678", "serialNumber", mSerialPattern)), false, false},
		{modelSource("tokenCodeType min 6"), "TokenCode of 5 digits",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String("GAHT12345678")
				in.TokenCode = aws.String("12345")
			}),
			vErr(ve("12345", "tokenCode", minLen("6"))), false, false},
		{modelSource("tokenCodeType max 6"), "TokenCode of 7 digits",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String("GAHT12345678")
				in.TokenCode = aws.String("1234567")
			}),
			vErr(ve("1234567", "tokenCode", maxLen("6"))), false, false},
		{modelSource("tokenCodeType pattern"), "TokenCode with a letter",
			ar(func(in *sts.AssumeRoleInput) {
				in.SerialNumber = aws.String("GAHT12345678")
				in.TokenCode = aws.String("12345a")
			}),
			vErr(ve("12345a", "tokenCode", mTokenPattern)), false, false},
		{modelSource("sourceIdentityType min 2"), "SourceIdentity of 1 character",
			ar(func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("a") }), vErr(ve("a", "sourceIdentity", minLen("2"))), false, false},
		{modelSource("sourceIdentityType max 64"), "SourceIdentity of 65 characters",
			ar(func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String(mS65) }), vErr(ve(mS65, "sourceIdentity", maxLen("64"))), false, false},
		{modelSource("sourceIdentityType pattern"), "SourceIdentity with a colon",
			ar(func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("aws:x") }), vErr(ve("aws:x", "sourceIdentity", mNamePattern)), false, false},
		{modelSource("ProvidedContextsListType max 5"), "6 ProvidedContexts",
			ar(func(in *sts.AssumeRoleInput) { in.ProvidedContexts = ctx6 }),
			vErr(ve("["+ctxList+"]", "providedContexts", maxLen("5"))), false, false},
		{modelSource("ProvidedContext.ProviderArn arnType min 20"), "ProviderArn of 19 characters",
			ar(func(in *sts.AssumeRoleInput) {
				in.ProvidedContexts = []types.ProvidedContext{{ProviderArn: aws.String(mARN19), ContextAssertion: aws.String("abcd")}}
			}),
			vErr(ve(mARN19, "providedContexts.1.member.providerArn", minLen("20"))), false, false},
		{modelSource("ProvidedContext.ContextAssertion contextAssertionType min 4"), "ContextAssertion of 3 characters",
			ar(func(in *sts.AssumeRoleInput) {
				in.ProvidedContexts = []types.ProvidedContext{{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("abc")}}
			}),
			vErr(ve("abc", "providedContexts.1.member.contextAssertion", minLen("4"))), false, false},
		{modelSource("ProvidedContext.ContextAssertion contextAssertionType max 2048"), "ContextAssertion of 2049 characters",
			ar(func(in *sts.AssumeRoleInput) {
				in.ProvidedContexts = []types.ProvidedContext{{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String(strings.Repeat("c", 2049))}}
			}),
			vErr(ve(strings.Repeat("c", 2049), "providedContexts.1.member.contextAssertion", maxLen("2048"))), false, false},
		{modelSource("AssumeRoleRequest member order"), "violations of several members come in the model's member order",
			ar(func(in *sts.AssumeRoleInput) {
				in.RoleArn = aws.String("")
				in.RoleSessionName = aws.String("a")
				in.DurationSeconds = aws.Int32(1)
				in.SourceIdentity = aws.String("a")
			}),
			vErr(ve("", "roleArn", mArnPattern), ve("", "roleArn", minLen("20")), ve("a", "roleSessionName", minLen("2")),
				ve("1", "durationSeconds", minVal("900")), ve("a", "sourceIdentity", minLen("2"))), false, false},
	}
	runConformance(t, w.e, w.bob.Credentials, rows)
}

// TestConformanceModelFederated pins every constraint of AssumeRoleWithSAML's
// and AssumeRoleWithWebIdentity's members (behaviour §3, §4).
func TestConformanceModelFederated(t *testing.T) {
	w := newWorld(t)
	const provider = "arn:aws:iam::123456789012:saml-provider/idp"
	saml := func(mod func(*sts.AssumeRoleWithSAMLInput)) conformanceCall {
		in := &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(mRole), PrincipalArn: aws.String(provider), SAMLAssertion: aws.String("PHNhbWw+")}
		mod(in)
		return callSAML(in)
	}
	web := func(mod func(*sts.AssumeRoleWithWebIdentityInput)) conformanceCall {
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(mRole), RoleSessionName: aws.String("web"), WebIdentityToken: aws.String("a.b.c")}
		mod(in)
		return callWeb(in)
	}
	p2049 := strings.Repeat("p", 2049)
	rows := []conformanceRow{
		{modelSource("AssumeRoleWithSAMLRequest required RoleArn"), "SAML RoleArn null", saml(func(in *sts.AssumeRoleWithSAMLInput) { in.RoleArn = nil }),
			vErr(veNull("roleArn")), true, true},
		{modelSource("arnType min 20"), "SAML RoleArn of 19 characters", saml(func(in *sts.AssumeRoleWithSAMLInput) { in.RoleArn = aws.String(mARN19) }),
			vErr(ve(mARN19, "roleArn", minLen("20"))), false, true},
		{modelSource("AssumeRoleWithSAMLRequest required PrincipalArn"), "PrincipalArn null",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.PrincipalArn = nil }), vErr(veNull("principalArn")), true, true},
		{modelSource("arnType max 2048"), "PrincipalArn of 2049 characters",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.PrincipalArn = aws.String(mARN2049) }),
			vErr(ve(mARN2049, "principalArn", maxLen("2048"))), false, true},
		{modelSource("arnType pattern"), "PrincipalArn with a supplementary character",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.PrincipalArn = aws.String(mARNEmoji) }),
			vErr(ve(mARNEmoji, "principalArn", mArnPattern)), false, true},
		{modelSource("AssumeRoleWithSAMLRequest required SAMLAssertion"), "SAMLAssertion null",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.SAMLAssertion = nil }), vErr(veNull("sAMLAssertion")), true, true},
		{modelSource("SAMLAssertionType min 4"), "SAMLAssertion of 3 characters",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.SAMLAssertion = aws.String("abc") }), vErr(ve("abc", "sAMLAssertion", minLen("4"))), false, true},
		{modelSource("SAMLAssertionType max 100000"), "SAMLAssertion of 100001 characters",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.SAMLAssertion = aws.String(strings.Repeat("A", 100001)) }),
			vErr(ve(strings.Repeat("A", 100001), "sAMLAssertion", maxLen("100000"))), false, true},
		{modelSource("PolicyDescriptorType.arn arnType min 20"), "SAML PolicyArns member arn of 19 characters",
			saml(func(in *sts.AssumeRoleWithSAMLInput) {
				in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String(mARN19)}}
			}),
			vErr(ve(mARN19, "policyArns.1.member.arn", minLen("20"))), false, true},
		{modelSource("sessionPolicyDocumentType max 2048"), "SAML Policy of 2049 characters",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.Policy = aws.String(p2049) }), vErr(ve(p2049, "policy", maxLen("2048"))), false, true},
		{modelSource("sessionPolicyDocumentType min 1, pattern +"), "empty SAML Policy",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.Policy = aws.String("") }),
			vErr(ve("", "policy", minLen("1")), ve("", "policy", mPolicyPattern)), false, true},
		{modelSource("roleDurationSecondsType max 43200"), "SAML DurationSeconds 43201",
			saml(func(in *sts.AssumeRoleWithSAMLInput) { in.DurationSeconds = aws.Int32(43201) }),
			vErr(ve("43201", "durationSeconds", maxVal("43200"))), false, true},
		{modelSource("AssumeRoleWithWebIdentityRequest required RoleSessionName"), "web RoleSessionName null",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleSessionName = nil }), vErr(veNull("roleSessionName")), true, true},
		{modelSource("roleSessionNameType pattern"), "web RoleSessionName with a colon",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleSessionName = aws.String("a:b") }),
			vErr(ve("a:b", "roleSessionName", mNamePattern)), false, true},
		{modelSource("arnType min 20, pattern +"), "empty web RoleArn",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleArn = aws.String("") }),
			vErr(ve("", "roleArn", mArnPattern), ve("", "roleArn", minLen("20"))), false, true},
		{modelSource("AssumeRoleWithWebIdentityRequest required WebIdentityToken"), "WebIdentityToken null",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.WebIdentityToken = nil }), vErr(veNull("webIdentityToken")), true, true},
		{modelSource("clientTokenType min 4"), "WebIdentityToken of 3 characters",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.WebIdentityToken = aws.String("a.b") }),
			vErr(ve("a.b", "webIdentityToken", minLen("4"))), false, true},
		{modelSource("clientTokenType max 20000"), "WebIdentityToken of 20001 characters",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) {
				in.WebIdentityToken = aws.String(strings.Repeat("t", 20001))
			}),
			vErr(ve(strings.Repeat("t", 20001), "webIdentityToken", maxLen("20000"))), false, true},
		{modelSource("urlType min 4"), "ProviderId of 3 characters",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.ProviderId = aws.String("a.b") }),
			vErr(ve("a.b", "providerId", minLen("4"))), false, true},
		{modelSource("urlType max 2048"), "ProviderId of 2049 characters",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.ProviderId = aws.String(p2049) }),
			vErr(ve(p2049, "providerId", maxLen("2048"))), false, true},
		{modelSource("sessionPolicyDocumentType pattern"), "web Policy with a character above U+00FF",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.Policy = aws.String("{\u0100}") }),
			vErr(ve("{\u0100}", "policy", mPolicyPattern)), false, true},
		{modelSource("roleDurationSecondsType min 900"), "web DurationSeconds 899",
			web(func(in *sts.AssumeRoleWithWebIdentityInput) { in.DurationSeconds = aws.Int32(899) }),
			vErr(ve("899", "durationSeconds", minVal("900"))), false, true},
	}
	runConformance(t, w.e, aws.Credentials{}, rows)
}

// TestConformanceModelOtherOperations pins every constraint of
// GetFederationToken, GetSessionToken, GetAccessKeyInfo and
// DecodeAuthorizationMessage (behaviour §3, §4).
func TestConformanceModelOtherOperations(t *testing.T) {
	w := newWorld(t)
	n33 := strings.Repeat("n", 33)
	rows := []conformanceRow{
		{modelSource("GetFederationTokenRequest required Name"), "Name null", modelGFT(&sts.GetFederationTokenInput{}), vErr(veNull("name")), true, false},
		{modelSource("userNameType min 2"), "Name of 1 character", modelGFT(&sts.GetFederationTokenInput{Name: aws.String("n")}),
			vErr(ve("n", "name", minLen("2"))), false, false},
		{modelSource("userNameType max 32"), "Name of 33 characters", modelGFT(&sts.GetFederationTokenInput{Name: aws.String(n33)}),
			vErr(ve(n33, "name", maxLen("32"))), false, false},
		{modelSource("userNameType pattern"), "Name with a slash", modelGFT(&sts.GetFederationTokenInput{Name: aws.String("a/b")}),
			vErr(ve("a/b", "name", mNamePattern)), false, false},
		{modelSource("sessionPolicyDocumentType max 2048"), "GetFederationToken Policy of 2049 characters",
			modelGFT(&sts.GetFederationTokenInput{Name: aws.String("Dave"), Policy: aws.String(strings.Repeat("p", 2049))}),
			vErr(ve(strings.Repeat("p", 2049), "policy", maxLen("2048"))), false, false},
		{modelSource("PolicyDescriptorType.arn arnType pattern"), "GetFederationToken PolicyArns member with a supplementary character",
			modelGFT(&sts.GetFederationTokenInput{Name: aws.String("Dave"), PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String(mARNEmoji)}}}),
			vErr(ve(mARNEmoji, "policyArns.1.member.arn", mArnPattern)), false, false},
		{modelSource("durationSecondsType min 900"), "GetFederationToken DurationSeconds 899",
			modelGFT(&sts.GetFederationTokenInput{Name: aws.String("Dave"), DurationSeconds: aws.Int32(899)}),
			vErr(ve("899", "durationSeconds", minVal("900"))), false, false},
		{modelSource("durationSecondsType max 129600"), "GetFederationToken DurationSeconds 129601",
			modelGFT(&sts.GetFederationTokenInput{Name: aws.String("Dave"), DurationSeconds: aws.Int32(129601)}),
			vErr(ve("129601", "durationSeconds", maxVal("129600"))), false, false},
		{modelSource("tagKeyType min 1, pattern +"), "GetFederationToken empty tag key",
			modelGFT(&sts.GetFederationTokenInput{Name: aws.String("Dave"), Tags: []types.Tag{{Key: aws.String(""), Value: aws.String("v")}}}),
			vErr(ve("", "tags.1.member.key", minLen("1")), ve("", "tags.1.member.key", mKeyPattern)), false, false},
		{modelSource("durationSecondsType min 900"), "GetSessionToken DurationSeconds 899",
			modelGST(&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(899)}), vErr(ve("899", "durationSeconds", minVal("900"))), false, false},
		{modelSource("durationSecondsType max 129600"), "GetSessionToken DurationSeconds 129601",
			modelGST(&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)}), vErr(ve("129601", "durationSeconds", maxVal("129600"))), false, false},
		{modelSource("serialNumberType pattern"), "GetSessionToken SerialNumber with a space",
			modelGST(&sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT 12345678"), TokenCode: aws.String("123456")}),
			vErr(ve("GAHT 12345678", "serialNumber", mSerialPattern)), false, false},
		{modelSource("tokenCodeType pattern"), "GetSessionToken TokenCode with a letter",
			modelGST(&sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("12345a")}),
			vErr(ve("12345a", "tokenCode", mTokenPattern)), false, false},
		{modelSource("GetAccessKeyInfoRequest required AccessKeyId"), "AccessKeyId null", callGAKI(&sts.GetAccessKeyInfoInput{}),
			vErr(veNull("accessKeyId")), true, false},
		{modelSource("accessKeyIdType min 16"), "AccessKeyId of 15 characters",
			callGAKI(&sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EX")}),
			vErr(ve("AKIAIOSFODNN7EX", "accessKeyId", minLen("16"))), false, false},
		{modelSource("accessKeyIdType max 128"), "AccessKeyId of 129 characters",
			callGAKI(&sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(strings.Repeat("A", 129))}),
			vErr(ve(strings.Repeat("A", 129), "accessKeyId", maxLen("128"))), false, false},
		{modelSource("accessKeyIdType pattern"), "AccessKeyId with a hyphen",
			callGAKI(&sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIA-IOSFODNN7EXAMPLE")}),
			vErr(ve("AKIA-IOSFODNN7EXAMPLE", "accessKeyId", mAccessPattern)), false, false},
		{modelSource("accessKeyIdType min 16, pattern *"), "empty AccessKeyId fails only the minimum",
			callGAKI(&sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("")}),
			vErr(ve("", "accessKeyId", minLen("16"))), false, false},
		{modelSource("DecodeAuthorizationMessageRequest required EncodedMessage"), "EncodedMessage null",
			callDecode(&sts.DecodeAuthorizationMessageInput{}), vErr(veNull("encodedMessage")), true, false},
		{modelSource("encodedMessageType min 1"), "empty EncodedMessage",
			callDecode(&sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("")}), vErr(ve("", "encodedMessage", minLen("1"))), false, false},
		{modelSource("encodedMessageType max 10240"), "EncodedMessage of 10241 characters",
			callDecode(&sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(strings.Repeat("m", 10241))}),
			vErr(ve(strings.Repeat("m", 10241), "encodedMessage", maxLen("10240"))), false, false},
	}
	runConformance(t, w.e, w.bob.Credentials, rows)
}

// TestConformanceModelAssumeRoot pins every constraint of AssumeRoot's
// members (behaviour §3, §4, §11.4): TargetPrincipal 12–2048, TaskPolicyArn
// required with its arn an arnType, DurationSeconds 0–900.
func TestConformanceModelAssumeRoot(t *testing.T) {
	e, _ := newTestEngine(t)
	call := func(target *string, arn *string, d *int32) conformanceCall {
		in := &sts.AssumeRootInput{TargetPrincipal: target, DurationSeconds: d}
		if arn != nil {
			in.TaskPolicyArn = &types.PolicyDescriptorType{Arn: arn}
		}
		return func(ctx context.Context, api stsAPI) error { _, err := api.AssumeRoot(ctx, in); return err }
	}
	audit := aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")
	t2049 := strings.Repeat("1", 2049)
	rows := []conformanceRow{
		{modelSource("AssumeRootRequest required TargetPrincipal"), "TargetPrincipal null", call(nil, audit, nil),
			vErr(veNull("targetPrincipal")), true, false},
		{modelSource("AssumeRootRequest required TaskPolicyArn"), "TaskPolicyArn null", call(aws.String("210987654321"), nil, nil),
			vErr(veNull("taskPolicyArn")), true, false},
		{modelSource("TargetPrincipalType min 12"), "TargetPrincipal of 11 characters", call(aws.String("21098765432"), audit, nil),
			vErr(ve("21098765432", "targetPrincipal", minLen("12"))), false, false},
		{modelSource("TargetPrincipalType max 2048"), "TargetPrincipal of 2049 characters", call(aws.String(t2049), audit, nil),
			vErr(ve(t2049, "targetPrincipal", maxLen("2048"))), false, false},
		{modelSource("PolicyDescriptorType.arn arnType min 20"), "TaskPolicyArn.arn of 19 characters", call(aws.String("210987654321"), aws.String(mARN19), nil),
			vErr(ve(mARN19, "taskPolicyArn.arn", minLen("20"))), false, false},
		{modelSource("PolicyDescriptorType.arn arnType max 2048"), "TaskPolicyArn.arn of 2049 characters", call(aws.String("210987654321"), aws.String(mARN2049), nil),
			vErr(ve(mARN2049, "taskPolicyArn.arn", maxLen("2048"))), false, false},
		{modelSource("PolicyDescriptorType.arn arnType pattern"), "TaskPolicyArn.arn with a supplementary character", call(aws.String("210987654321"), aws.String(mARNEmoji), nil),
			vErr(ve(mARNEmoji, "taskPolicyArn.arn", mArnPattern)), false, false},
		{modelSource("RootDurationSecondsType min 0"), "DurationSeconds -1", call(aws.String("210987654321"), audit, aws.Int32(-1)),
			vErr(ve("-1", "durationSeconds", minVal("0"))), false, false},
		{modelSource("RootDurationSecondsType max 900"), "DurationSeconds 901", call(aws.String("210987654321"), audit, aws.Int32(901)),
			vErr(ve("901", "durationSeconds", maxVal("900"))), false, false},
	}
	runConformance(t, e, e.DefaultUser().Credentials, rows)
}
