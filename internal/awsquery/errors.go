package awsquery

import (
	"strconv"

	"github.com/fakests/fakests/apierror"
)

// The decoder's errors are *apierror.Error. Codes and messages of decoding
// failures are not pinned by any source (behaviour §1.3 lists InvalidAction
// and MissingAction as documented common errors, without texts); the
// messages below are fakests' choice (unverified).

func errMissingAction() *apierror.Error {
	return apierror.New(apierror.CodeMissingAction, "Missing Action")
}

func errInvalidAction(action, version string) *apierror.Error {
	return apierror.New(apierror.CodeInvalidAction, "Could not find operation "+action+" for version "+version)
}

// errNotInteger names the field the way §3 names members: the parameter
// name with its first letter lower-cased, the raw value in single quotes.
func errNotInteger(param, value string) *apierror.Error {
	var v apierror.Violations
	v.Add(value, memberPath(param), "Member must be a valid 32-bit integer")
	return v.Err().(*apierror.Error)
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
