package iamquery

import (
	"strconv"

	"github.com/fakests/fakests/apierror"
)

// The codec's errors. Texts recorded from IAM are marked with their source
// in behaviour §18; the others are fakests' choice.

// ErrMissingAction is the answer to a request without an Action (AWS
// redirects such a request; fakests answers as for STS, behaviour §1.1).
func ErrMissingAction() *apierror.Error {
	return apierror.New(apierror.CodeMissingAction, "Missing Action")
}

// ErrInvalidAction is the answer to an Action IAM does not have (or fakests
// does not serve) or a Version other than IAM's: "Could not find operation
// <Action> for version <Version>" (the STS wording, behaviour §1.1).
func ErrInvalidAction(action, version string) *apierror.Error {
	return apierror.New(apierror.CodeInvalidAction, "Could not find operation "+action+" for version "+version)
}

// errNotInteger: an integer member that does not parse (recorded: no
// message).
func errNotInteger() *apierror.Error { return apierror.New(apierror.CodeMalformedInput, "") }

// errEmptyInteger: an integer member sent empty (reported for STS).
func errEmptyInteger() *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "missing value for decimal type")
}

// errNotBoolean: a boolean member other than true, false, 1 or 0
// (recorded: no message).
func errNotBoolean() *apierror.Error { return apierror.New(apierror.CodeMalformedInput, "") }

// errNotBase64: a blob member that is not base64 (choice).
func errNotBase64() *apierror.Error { return apierror.New(apierror.CodeMalformedInput, "") }

// errZeroIndex: a list index of 0 (recorded).
func errZeroIndex() *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "0 is not a valid index")
}

// errNegativeIndex: a list index with a leading '-' (recorded).
func errNegativeIndex(index string) *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "Key "+index+" may not have a leading '-'")
}

// errBadIndex: a list index with any other non-digit (recorded).
func errBadIndex() *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "Start of list found where not expected")
}

// errSparse: a list index more than maxSkip past the previous one
// (recorded).
func errSparse(skip uint64) *apierror.Error {
	return apierror.New(apierror.CodeMalformedInput, "Excessively sparse input would skip "+
		strconv.FormatUint(skip, 10)+" list elements")
}
