// Package awsquery is the wire codec of the fake STS: it turns an awsquery
// request form into the aws-sdk-go-v2 input types, and output types or
// errors into the XML documents real STS sends. The HTTP Handler and the
// in-process SDK middleware both use it, so every client sees one wire.
//
// # Use
//
// Decoding a request:
//
//	form, err := awsquery.ParseForm(body) // or ParseQuery(r.URL.RawQuery) for GET
//	if err != nil { /* err is an *apierror.Error: answer 400 with AppendError */ }
//	action, input, err := awsquery.Decode(form)
//	switch in := input.(type) {
//	case *sts.AssumeRoleInput: ...
//	}
//
// The string pointers of a decoded input point into the form's values
// (no copies): don't modify the form while the input is in use.
//
// Encoding the answer (into a reused buffer; no reflection):
//
//	buf, err = awsquery.AppendResult(buf[:0], action, out, requestID) // HTTP 200, text/xml
//	buf = awsquery.AppendError(buf[:0], "Sender", code, message, requestID)
//
// The caller sets the HTTP status and the x-amzn-RequestId header (behaviour
// §1.2): the Go SDK reads the request ID of a success from the header
// only, botocore from the body.
//
// When a request asks for JSON (Accept: application/json, as the EKS login
// does), AppendResultJSON and AppendErrorJSON render the same answers the way
// STS does then (behaviour §1.2, §1.3): nested objects named after the XML
// elements, keys in alphabetical order, absent members null, numbers as JSON
// numbers, timestamps as whole epoch seconds, errors without the
// ErrorResponse wrapper.
//
// # Fidelity
//
// Pinned by tests: the request encoding of the pinned Go SDK for every
// operation and field (including empty lists, "Tags="), the document shapes
// of behaviour §1.2 and §1.3 as parsed by the Go SDK and by botocore's own
// QueryParser, and typed errors where an operation's model lists the code.
//
// Choices no source confirmed (unverified; each is one constant or branch):
//   - Documents are indented by two spaces and end with a newline, like
//     AWS's sample responses, with no XML declaration.
//   - Member order follows the STS model (GetCallerIdentity: Arn, UserId,
//     Account, as in AWS samples); SessionTokenSize and
//     SessionTokenUtilization come last.
//   - Text escapes & < > " ' (as &amp; &lt; &gt; &quot; &apos;) and CR (as
//     &#xD;); characters XML 1.0 forbids and invalid UTF-8 become U+FFFD.
//   - Missing Action: MissingAction "Missing Action" (AWS redirects such a
//     request; the Handler does not). Unknown or empty Action, or a Version
//     other than 2011-06-15 (empty included): InvalidAction "Could not find
//     operation <Action> for version <Version>", as a peer's probe of AWS
//     shows. A missing Version is accepted (AWS: InvalidAction "... for
//     version NO_VERSION_SPECIFIED").
//   - An integer that does not parse as a decimal int32 (DurationSeconds=abc,
//     " 900 ", 900.0, 9e2, or an overflow) is MalformedInput with no message,
//     as recorded from AWS (behaviour §1.1); an empty one is MalformedInput
//     "missing value for decimal type" (a peer's probe of AWS). A sign and
//     leading zeros are accepted (recorded).
//   - List members are ordered by index with gaps closed up; non-canonical
//     indexes (0, leading zeros, signs, more than 9 digits) make the key
//     unknown, and unknown keys are ignored, as AWS ignores unknown
//     parameters. A repeated key: the first value wins.
//   - Bodies over MaxFormBytes or with more than MaxFormParams pairs are a
//     ValidationError; bad percent-encoding is MalformedQueryString. ';' is
//     not a separator.
//   - Timestamps are written with whole seconds (fractions are truncated).
//   - JSON: compact, no final newline; the members of the SDK's output type
//     (the 2026 SessionTokenSize and SessionTokenUtilization included) are
//     all written; control characters are escaped as \b \f \n \r \t or
//     \u00XX with upper-case hex, '<' '>' '&' are not escaped, invalid UTF-8
//     becomes U+FFFD; timestamps are not limited to years 0-9999.
//
// Not handled here: SigV4, and all semantic validation (lengths, patterns,
// ranges), which belongs to the engine.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package awsquery
