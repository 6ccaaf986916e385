package awsquery

import (
	"strconv"

	"github.com/fakests/fakests/apierror"
)

// The decoder's errors are *apierror.Error. Codes and messages of decoding
// failures are mostly not pinned by any source (behaviour §1.3 lists
// InvalidAction and MissingAction as documented common errors, without
// texts); the messages below are fakests' choice (unverified) unless a
// comment names a source.

func errMissingAction() *apierror.Error {
	return apierror.New(apierror.CodeMissingAction, "Missing Action")
}

func errInvalidAction(action, version string) *apierror.Error {
	return apierror.New(apierror.CodeInvalidAction, "Could not find operation "+action+" for version "+version)
}

// errNotInteger is STS's answer to an integer parameter that is not a
// decimal int32: MalformedInput, HTTP 400 (behaviour §1.1, recorded for
// " 900 ", "900.0", "9e2" and "2147483648"), with no message: a peer's probe
// of AWS shows the <Message> element absent.
func errNotInteger() *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "")
}

// errEmptyInteger is the MalformedInput for an integer parameter sent with
// an empty value; its text is the one a peer's probe of AWS shows
// (behaviour §1.1, reported).
func errEmptyInteger() *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "missing value for decimal type")
}

func errTooLarge(n int) *apierror.Error {
	return apierror.New(apierror.CodeValidationError, "Request of "+strconv.Itoa(n)+" bytes exceeds the limit of "+
		strconv.Itoa(MaxFormBytes)+" bytes")
}

func errTooManyParams() *apierror.Error {
	return apierror.New(apierror.CodeValidationError, "Request has more than "+strconv.Itoa(MaxFormParams)+" parameters")
}

func errBadEncoding(part string) *apierror.Error {
	return apierror.New(apierror.CodeMalformedQueryString, "Invalid percent-encoding in request parameters: "+strconv.Quote(part))
}

// memberPath lower-cases the first letter of a parameter name, as STS
// names members in validation messages (behaviour §3: "durationSeconds").
func memberPath(param string) string {
	if param == "" || param[0] < 'A' || param[0] > 'Z' {
		return param
	}
	return string(param[0]+('a'-'A')) + param[1:]
}
