// Package iamquery is the wire codec of fakests' IAM control plane: it fills
// the aws-sdk-go-v2 service/iam input types from an awsquery request form
// and writes the XML documents IAM answers with, from the matching output
// types or from an error.
//
// Unlike the STS codec (internal/awsquery), which is written by hand for
// eleven operations on a hot path, this one works by reflection over the
// SDK's types: IAM is a control plane of some seventy operations whose
// members follow one naming rule, so the SDK's Go field names are the wire
// names (a test checks every field of every type it handles against
// botocore's IAM model).
//
// # Use
//
//	action, err := iamquery.Action(form)      // Action and Version checked
//	in := new(iam.CreateUserInput)
//	err = iamquery.Decode(form, in)           // members, lists, integers, booleans
//	buf, err = iamquery.AppendResult(buf, action, out, requestID)
//	buf = iamquery.AppendEmpty(buf, action, requestID)  // operations without output
//	buf = iamquery.AppendError(buf, "Sender", code, message, requestID)
//
// Errors are *apierror.Error.
//
// # Decoding (behaviour §18)
//
//   - A member reads the first value of its key; unknown keys are ignored.
//   - Integers: an optional sign and leading zeros are accepted ("+1",
//     "01"); anything else (" 1 ", "1.0", "1e0", an overflow) is
//     MalformedInput without a message, as recorded from IAM; an empty value
//     is MalformedInput "missing value for decimal type" (reported for STS).
//   - Booleans: "true" and "1" are true, "false" and "0" false; anything
//     else ("True", " true", "", "null") is MalformedInput, as recorded.
//   - Lists are Name.member.N (.Field for structures); a bare "Name=" is an
//     empty list. Index rules as recorded from IAM: leading zeros are
//     accepted; "0" is MalformedInput "0 is not a valid index"; a leading
//     '-' is MalformedInput "Key -1 may not have a leading '-'"; any other
//     non-digit is MalformedInput "Start of list found where not expected";
//     an index more than ten past the previous one (past 1 for the first)
//     is MalformedInput "Excessively sparse input would skip N list
//     elements". Smaller gaps are closed up (choice: IAM fills them with
//     null members, which then fail validation).
//   - Blobs are base64.
//
// # Encoding
//
// Documents are laid out like STS's (two-space indentation, no XML
// declaration, a final newline), in the namespace
// https://iam.amazonaws.com/doc/2010-05-08/. Members come in the order of
// the SDK's struct fields (AWS's own order follows neither the model nor the
// alphabet; parsers do not depend on it). A nil pointer or slice is left
// out; a non-nil empty slice is written as an empty element (<Users/>), and
// so is a non-nil structure with no members set (<RoleLastUsed/>), so an
// operation decides which empty members AWS sends. Timestamps are UTC with
// whole seconds; booleans true/false; blobs base64.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module.
package iamquery
