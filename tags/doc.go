// Package tags implements the AWS STS session-tag rules: request validation,
// case-insensitive keys, transitive inheritance across role chains, and the
// overlay of session tags on a role's or IAM user's own tags. It uses the
// standard library and the one error type of package apierror, so the
// engine can import it without JOSE or XML code.
//
// Section numbers (§n) refer to the behaviour record, docs/behaviour.md in
// this module, which gives the source of each rule.
//
// # Use
//
// An operation that receives Tags and TransitiveTagKeys (AssumeRole,
// GetFederationToken, and the tags that AssumeRoleWithSAML and
// AssumeRoleWithWebIdentity read from the assertion or token) calls Chain with
// the transitive tags of the calling session (nil when the caller is not a
// role session):
//
//	session, transitive, err := tags.Chain(caller.TransitiveTags, reqTags, reqTransitiveKeys)
//	if err != nil {
//		var ae *apierror.Error // Code "ValidationError" or "InvalidParameterValue", HTTP 400
//		...
//	}
//	principalTags := tags.Overlay(role.Tags, session) // aws:PrincipalTag/<k> of the new session
//
// session becomes the new session's tags; transitive is what the next
// AssumeRole made with the new credentials inherits. GetFederationToken
// passes nil for both inherited and transitiveKeys. Validate alone checks a
// request without building anything; Lookup reads a tag case-insensitively,
// as condition keys such as aws:PrincipalTag/<k> do.
//
// Every error is an *apierror.Error whose Code and Message are what STS
// sends in the <Error> element (§1.3), with HTTP status 400 for both codes.
// An operation that validates other members too adds the tag violations to
// its own list with AddViolations (or CheckCount, CheckKey, CheckValue and
// CheckTransitiveKeys), so one ValidationError reports them all in the
// model's member order.
//
// # Fidelity
//
// AWS-validated texts (§7): duplicate keys differing only in case, a
// transitive key missing from the tags, and a request tag clashing with an
// inherited transitive key each return InvalidParameterValue with AWS's exact
// message. Length and pattern violations follow §3's ValidationError template
// with the model's patterns (§4); field paths 'tags.<i>.member.key' and
// 'tags.<i>.member.value' match real output seen for other query-protocol
// services.
//
// Choices where AWS's behaviour is unverified, so tests pin our choice:
//   - Keys starting with "aws:" (any case) are refused with
//     InvalidParameterValue "Tag keys can't begin with the reserved prefix
//     'aws:'." after all constraint checks and before the duplicate check.
//     AWS documents the rule (§7) but not how STS reports it.
//   - A list-size violation renders the Tags list as AWS's recorded answer
//     does, '[Tag(key=k, value=v), ...]'. TransitiveTagKeys, a list of
//     strings, is reported as AWS reports GetWebIdentityToken's Audience
//     (recorded, §3): at the list, rendered '[a, b]', with one "Member must
//     satisfy constraint: [...]" naming all of tagKeyType's constraints when
//     any key breaks them; that STS's TransitiveTagKeys behave like Audience
//     is an inference.
//   - Several violations are joined with "; " and counted ("2 validation
//     errors detected: ..."), listed in request order; one field's failed
//     constraints come in the order of a Java HashSet of their texts
//     (apierror.AddMember), which fits every recorded answer: an empty key
//     reports the minimum length ("Member must have length greater than or
//     equal to 1") before the pattern. All violations are reported, however
//     many.
//   - Lengths count Unicode code points (Smithy's rule for the length
//     trait); an invalid UTF-8 byte counts as one and never matches the
//     pattern. \p{L}, \p{N} and \p{Z} follow Go's Unicode tables, which may
//     differ from Java's for the newest characters.
//   - Case-insensitive comparison is Unicode simple folding
//     (strings.EqualFold).
//   - The 50-tag limit applies to each request; a chained session may carry
//     more than 50 tags once inherited transitive tags are added (AWS bounds
//     the total through the packed-size limit, §6, which is the engine's
//     job).
//   - A transitive key listed twice is accepted; a transitive tag keeps the
//     spelling of its Tags entry, not of its TransitiveTagKeys entry.
//
// # Cost
//
// Validate uses no regular expressions: an all-ASCII string is checked with
// one table lookup per byte, other characters with the unicode package, and
// case-insensitive duplicates are found by comparing hashes of case-folded
// keys before calling strings.EqualFold. A valid request allocates nothing
// (about 0.6 µs for 10 tags on a 2-core EPYC); Chain allocates its two result
// slices. See BenchmarkValidate10 and BenchmarkChain.
//
// Not here: "Member must not be null" for a tag without Key or Value (the
// wire decoder sees absent members; this package sees strings), the
// sts:TagSession permission, and packed-size accounting.
package tags
