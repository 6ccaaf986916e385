package awsquery

import "strconv"

// Wire error codes that Decode, ParseForm and ParseQuery report. Codes and
// messages of decoding failures are not pinned by any source in the facts
// sheet (§1.3 lists InvalidAction and MissingAction as documented common
// errors, without texts); the messages below are our choice (unverified).
const (
	// CodeMissingAction is reported when the form has no Action (§1.3).
	CodeMissingAction = "MissingAction"
	// CodeInvalidAction is reported for an unknown Action, or a known one
	// with a Version other than 2011-06-15 (§1.3).
	CodeInvalidAction = "InvalidAction"
	// CodeValidationError is reported for integers that do not parse and
	// for requests over the size limits (§3 format; unverified for these cases).
	CodeValidationError = "ValidationError"
	// CodeMalformedQueryString is reported for bad percent-encoding
	// (unverified).
	CodeMalformedQueryString = "MalformedQueryString"
)

// Error is a wire-level decoding failure as STS reports it: always a client
// fault (Type Sender) with HTTP status 400.
type Error struct {
	// Code is the wire <Code>, e.g. "ValidationError" or "InvalidAction".
	Code string
	// Message is the wire <Message>.
	Message string
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Fault returns the wire <Type> of the error, always "Sender".
func (e *Error) Fault() string { return "Sender" }

// HTTPStatus returns the HTTP status STS answers the error with, always 400.
func (e *Error) HTTPStatus() int { return 400 }

func errMissingAction() *Error {
	return &Error{Code: CodeMissingAction, Message: "Missing Action"}
}

func errInvalidAction(action, version string) *Error {
	return &Error{Code: CodeInvalidAction,
		Message: "Could not find operation " + action + " for version " + version}
}

// errNotInteger names the field the way §3 names members: the parameter
// name with its first letter lower-cased, the raw value in single quotes.
func errNotInteger(param, value string) *Error {
	return &Error{Code: CodeValidationError,
		Message: "1 validation error detected: Value '" + value + "' at '" + memberPath(param) +
			"' failed to satisfy constraint: Member must be a valid 32-bit integer"}
}

func errTooLarge(n int) *Error {
	return &Error{Code: CodeValidationError,
		Message: "Request of " + strconv.Itoa(n) + " bytes exceeds the limit of " +
			strconv.Itoa(MaxFormBytes) + " bytes"}
}

func errTooManyParams() *Error {
	return &Error{Code: CodeValidationError,
		Message: "Request has more than " + strconv.Itoa(MaxFormParams) + " parameters"}
}

func errBadEncoding(part string) *Error {
	return &Error{Code: CodeMalformedQueryString,
		Message: "Invalid percent-encoding in request parameters: " + strconv.Quote(part)}
}

// memberPath lower-cases the first letter of a parameter name, as STS
// names members in validation messages (facts §3: "durationSeconds").
func memberPath(param string) string {
	if param == "" || param[0] < 'A' || param[0] > 'Z' {
		return param
	}
	return string(param[0]+('a'-'A')) + param[1:]
}
