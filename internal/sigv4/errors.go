package sigv4

import (
	"strconv"
	"time"

	"github.com/fakests/fakests/apierror"
)

// Failures are *apierror.Error with one of three codes: IncompleteSignature
// (a malformed Authorization header or query string, HTTP 400),
// MissingAuthenticationToken (no AWS signature at all, 403) or
// SignatureDoesNotMatch (a wrong signature, scope or clock, 403). Unknown
// access keys and bad session tokens (InvalidClientTokenId) are the caller's
// to report: this package never looks credentials up.

func incomplete(msg string) *apierror.Error {
	return apierror.New(apierror.CodeIncompleteSignature, msg)
}

func mismatch(msg string) *apierror.Error {
	return apierror.New(apierror.CodeSignatureDoesNotMatch, msg)
}

// Message texts. Where a text was seen in a real AWS answer the source is named; the rest are
// marked unverified. AWS's auth layer (shared by DynamoDB, Kinesis and the query services)
// reports its SignatureDoesNotMatch family as InvalidSignatureException in JSON protocols;
// texts recorded there are reused here.
const (
	// behaviour §10, reported.
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

	// Unverified for STS: the text DynamoDB's auth layer returns (recorded by dynalite); the
	// code MissingAuthenticationToken for STS is behaviour §10, reported.
	msgMissingToken = "Request is missing Authentication Token"

	// Recorded by dynalite against DynamoDB; code mapped to SignatureDoesNotMatch (unverified
	// for STS, including the 403).
	msgBothAuth = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."

	// Recorded by dynalite against DynamoDB.
	msgHostNotSigned = "'Host' must be a 'SignedHeader' in the AWS Authorization."

	// Unverified: AWS's limit and wording for oversized auth values are unknown.
	msgTooLong = "The Authorization header or query string is too long."
)

// msgMissingEqual is behaviour §10, reported: a component without '=' in the Authorization header.
func msgMissingEqual(component, header string) string {
	return "'" + component + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'."
}

// msgBadDate is recorded by dynalite against DynamoDB (IncompleteSignatureException).
func msgBadDate(got string) string {
	return "Date must be in ISO-8601 'basic format'. Got '" + got + "'. See http://en.wikipedia.org/wiki/ISO_8601"
}

// msgUnsupportedAlgorithm is recorded by dynalite against DynamoDB; the trailing space is AWS's.
func msgUnsupportedAlgorithm(alg string) string {
	return "Unsupported AWS 'algorithm': '" + alg + "' (only AWS4-HMAC-SHA256 for now). "
}

// msgCredentialParts is recorded by dynalite against DynamoDB.
func msgCredentialParts(cred string) string {
	return "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'"
}

// Scope messages. AWS concatenates every failing one, in this order, into one
// SignatureDoesNotMatch message (recorded by dynalite against DynamoDB; the region text with its
// trailing space was seen verbatim from Elasticsearch Service, the date text from a 2015 issue
// against AWS). Each ends in ". " except the date one, which ends in ".".
func msgScopeRegion(got string) string {
	return "Credential should be scoped to a valid region, not '" + got + "'. "
}

func msgScopeService(want string) string {
	return "Credential should be scoped to correct service: '" + want + "'. "
}

func msgScopeTerminator(got string) string {
	return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + got + "'. "
}

func msgScopeDate(got, want, stamp string) string {
	return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
		got + "' != '" + want + "', from '" + stamp + "'."
}

// msgExpired and msgNotYetCurrent are behaviour §10, reported for a 15-minute window. For presigned
// URLs with an X-Amz-Expires other than 900 seconds the same shape is used with that window
// ("N min" when whole minutes, else "N sec"): unverified.
func msgExpired(req, limit, now time.Time, window time.Duration) string {
	return "Signature expired: " + stamp(req) + " is now earlier than " + stamp(limit) +
		" (" + stamp(now) + " - " + windowText(window) + ".)"
}

func msgNotYetCurrent(req, limit, now time.Time, window time.Duration) string {
	return "Signature not yet current: " + stamp(req) + " is still later than " + stamp(limit) +
		" (" + stamp(now) + " + " + windowText(window) + ".)"
}

func windowText(d time.Duration) string {
	secs := int64(d / time.Second)
	if secs%60 == 0 {
		return strconv.FormatInt(secs/60, 10) + " min"
	}
	return strconv.FormatInt(secs, 10) + " sec"
}

// X-Amz-Expires texts are S3's (AuthorizationQueryParametersError); STS's are unverified.
const (
	msgExpiresNotNumber = "X-Amz-Expires should be a number"
	msgExpiresNegative  = "X-Amz-Expires must be non-negative"
	msgExpiresTooLarge  = "X-Amz-Expires must be less than a week (in seconds) that is 604800"
	// msgExpiresZero is ours: a zero lifetime can never be met (unverified).
	msgExpiresZero = "X-Amz-Expires must be greater than zero"
)
