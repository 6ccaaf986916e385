// Package policy implements the IAM policy language: it parses and validates
// policy documents and evaluates requests against them the way AWS does. It
// knows nothing of STS and uses only the standard library, so an emulator of
// any AWS service can use it to authorize its own calls.
//
// # Use
//
// Parse each document once, with the grammar it follows: Identity for
// identity and session policies (no Principal; Resource required), Resource
// for resource policies and role trust policies (Principal required;
// Resource optional). Parse errors are *Error; report Error.Message to the
// client as MalformedPolicyDocument (behaviour §6), and use Error.Detail
// for logs. A *Policy is immutable and safe for concurrent use; set its Name
// before sharing it if you want Decision.Matched to say which policy a
// statement came from.
//
// An emulator of IAM's control plane runs CheckIAM before Parse on the
// identity policies it stores (CreatePolicy, PutUserPolicy, ...): it checks
// in IAM's order and answers with IAM's recorded texts (behaviour §18.2),
// where Parse's order and texts are those STS answers with (§6).
//
//	trust, err := policy.Parse(doc, policy.Resource)
//	...
//	d := policy.Evaluate(&policy.Request{
//		Principal: &policy.Principal{Type: "AWS", Account: "111122223333",
//			IDs: []string{"arn:aws:iam::111122223333:user/alice"}},
//		Action:  "sts:AssumeRole",
//		Context: map[string][]string{"sts:ExternalId": {"xyz"}},
//	}, trust)
//	if !d.Allowed { ... AccessDenied ... }
//
// Evaluate looks at all the given policies together: any applying Deny
// statement wins (ExplicitDeny), else any applying Allow allows, else the
// request is implicitly denied. To intersect permission sets (identity
// policy ∩ session policy, as STS does, §6) call Evaluate once per set and
// require each to allow, with no explicit deny in any.
//
// # Language
//
// Version 2012-10-17 and 2008-10-17 (a document without Version follows
// 2008 rules, which have no policy variables); Id; Statement as an object
// or array; Sid (unique within a policy); Effect; Action/NotAction (matched
// case-insensitively, '*' and '?' wildcards); Resource/NotResource (matched
// case-sensitively, with wildcards and policy variables);
// Principal/NotPrincipal; and Condition with every operator family (String,
// Numeric, Date, Bool, Binary, IpAddress, Arn, Null), their IfExists forms
// and the ForAllValues:/ForAnyValue: set prefixes. Condition key names are
// case-insensitive; values are case-sensitive except for the IgnoreCase
// operators and Bool. Keys missing from the request make positive
// operators false and negated ones (StringNotEquals, NotIpAddress, ...)
// true; IfExists makes them true; ForAllValues is true and ForAnyValue false
// on a missing key.
//
// Wildcard matching never backtracks: matching a subject of n characters
// against a pattern of m costs O(m + n·k), where k is a small constant for
// patterns without '?' and ⌈q/64⌉ machine words for a pattern whose longest
// star-free stretch with '?' spans q characters (at most 32 in a
// 2,048-character session policy). The same holds for Action, NotAction,
// Resource, NotResource, StringLike and ArnLike, with policy variables
// counted at their substituted length (see glob.go and globfind.go).
// Documents are capped at MaxDocumentSize bytes and at the nesting depth the
// grammar needs, and hostile input yields *Error, never a panic.
//
// # Where this package knowingly differs from AWS
//
//   - Parse's validation messages are IAM's only for a few rules (the Msg
//     constants marked as IAM's); the others are our own wording.
//     CheckIAM's stages use IAM's recorded texts.
//   - IAM checks that actions, condition keys and principals exist; this
//     package checks only their shape (a vendor prefix, a non-empty value,
//     no wildcard inside a principal), since it has no catalogue.
//   - Sid characters are not restricted (IAM identity policies allow only
//     letters and digits; other services are laxer).
//   - A condition value that is invalid for its operator (a NumericEquals
//     value that is not a number, an unparseable date or CIDR) is accepted
//     at parse time and never matches; IAM may reject it.
//   - A policy variable whose context key has several values is treated as
//     unresolvable (AWS documents variables for single-valued keys only).
//   - When Request.Principal is nil, statements with NotPrincipal do not
//     apply, like those with Principal.
//   - ArnEquals and ArnLike behave alike, as AWS documents: both match the
//     six ARN parts separately with wildcards. A policy value with fewer
//     than six parts is matched against the whole request value.
//   - Request values of BinaryEquals keys are base64 text, compared by their
//     decoded bytes.
//   - Date values accept RFC 3339 with or without fractions or zone, dates
//     alone, compact forms (20060102T150405Z) and epoch seconds.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package policy
