// Package apierror is the one error shape of fakests: an AWS API error as it
// travels on the wire, with its code, HTTP status, fault and message. Every
// package of fakests that answers for AWS (the tags rules, the identity
// verifiers, the wire codec, the SigV4 verifier, the engine) returns an
// *Error, and the engine turns it into what the SDK client would return for
// the same answer.
//
// An *Error satisfies smithy.APIError, so code that inspects SDK errors
// with errors.As works on it unchanged:
//
//	var ae smithy.APIError
//	if errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" { ... }
//
// The package also owns the ValidationError template AWS uses for
// constraint violations ("1 validation error detected: Value '…' at '…'
// failed to satisfy constraint: …"; several are counted and joined with
// "; "), so that every package reports violations in the same words and a
// request's violations from different packages join one list (Violations).
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package apierror

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"
)

// Error is an AWS API error: what goes into the <Error> element of an
// ErrorResponse and the status line of the answer.
type Error struct {
	// Code is the wire <Code>, such as "AccessDenied" or "ValidationError".
	Code string
	// Status is the HTTP status the error is answered with.
	Status int
	// Fault is smithy.FaultClient for errors of the sender (wire <Type>
	// Sender) and smithy.FaultServer for the service's own (Receiver).
	Fault smithy.ErrorFault
	// Message is the wire <Message>.
	Message string
}

// New returns the error for code with message: its status and fault are
// the code's (see Status and FaultOf).
func New(code, message string) *Error {
	return &Error{Code: code, Status: Status(code), Fault: FaultOf(code), Message: message}
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns e.Code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns e.Message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault returns e.Fault.
func (e *Error) ErrorFault() smithy.ErrorFault { return e.Fault }

// HTTPStatus returns e.Status.
func (e *Error) HTTPStatus() int { return e.Status }

// WireFault returns the <Type> element of the error: "Receiver" for server
// faults, "Sender" for everything else.
func (e *Error) WireFault() string {
	if e.Fault == smithy.FaultServer {
		return "Receiver"
	}
	return "Sender"
}

// From returns err as an *Error: err itself (or the *Error it wraps), an
// error that carries a code (smithy.APIError) with that code's status, or
// else an InternalFailure whose message is err's text. From(nil) is nil.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		out := New(ae.ErrorCode(), ae.ErrorMessage())
		if f := ae.ErrorFault(); f != smithy.FaultUnknown {
			out.Fault = f
		}
		var hs interface{ HTTPStatusCode() int }
		if errors.As(err, &hs) && hs.HTTPStatusCode() != 0 {
			out.Status = hs.HTTPStatusCode()
		}
		return out
	}
	return New(CodeInternalFailure, err.Error())
}

// codes maps each code fakests sends to its HTTP status. Codes not listed
// are client faults answered with 400. Add a code, add its status.
var codes = map[string]int{
	// STS: the errors its model lists and the unmodelled ones it sends.
	CodeValidationError:            http.StatusBadRequest,
	CodeAccessDenied:               http.StatusForbidden,
	CodeInvalidClientTokenID:       http.StatusForbidden,
	CodeSignatureDoesNotMatch:      http.StatusForbidden,
	CodeExpiredToken:               http.StatusForbidden,
	CodeIncompleteSignature:        http.StatusBadRequest,
	CodeMissingAuthenticationToken: http.StatusForbidden,
	CodeInvalidParameterValue:      http.StatusBadRequest,
	CodeInvalidAction:              http.StatusBadRequest,
	CodeMissingAction:              http.StatusBadRequest,
	CodeMalformedQueryString:       http.StatusBadRequest,
	CodeMalformedInput:             http.StatusBadRequest,
	CodeUnsupportedOperation:       http.StatusBadRequest,
	CodeThrottling:                 http.StatusBadRequest,
	CodeInternalFailure:            http.StatusInternalServerError,
	CodeServiceUnavailable:         http.StatusServiceUnavailable,

	CodeExpiredTokenException:                          http.StatusBadRequest,
	CodeMalformedPolicyDocument:                        http.StatusBadRequest,
	CodePackedPolicyTooLarge:                           http.StatusBadRequest,
	CodeRegionDisabledException:                        http.StatusForbidden,
	CodeIDPRejectedClaim:                               http.StatusForbidden,
	CodeInvalidIdentityToken:                           http.StatusBadRequest,
	CodeIDPCommunicationError:                          http.StatusBadRequest,
	CodeInvalidAuthorizationMessageException:           http.StatusBadRequest,
	CodeExpiredTradeInTokenException:                   http.StatusBadRequest,
	CodeJWTPayloadSizeExceededException:                http.StatusBadRequest,
	CodeOutboundWebIdentityFederationDisabledException: http.StatusForbidden,
	CodeSessionDurationEscalationException:             http.StatusForbidden,

	// IAM: the errors of its model (behaviour §16, §18).
	CodeNoSuchEntity:                  http.StatusNotFound,
	CodeEntityAlreadyExists:           http.StatusConflict,
	CodeInvalidInput:                  http.StatusBadRequest,
	CodeLimitExceeded:                 http.StatusConflict,
	CodeDeleteConflict:                http.StatusConflict,
	CodeUnmodifiableEntity:            http.StatusBadRequest,
	CodePolicyNotAttachable:           http.StatusBadRequest,
	CodeInvalidAuthenticationCode:     http.StatusForbidden,
	CodeEntityTemporarilyUnmodifiable: http.StatusConflict,
	CodeConcurrentModification:        http.StatusConflict,
	CodeFeatureEnabled:                http.StatusConflict,
	CodeFeatureDisabled:               http.StatusNotFound,
	CodeOpenIDIdpCommunicationError:   http.StatusBadRequest,
	CodeServiceFailure:                http.StatusInternalServerError,
}

// The codes of STS (the behaviour record, §1.3).
const (
	CodeValidationError            = "ValidationError"
	CodeAccessDenied               = "AccessDenied"
	CodeInvalidClientTokenID       = "InvalidClientTokenId"
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
	CodeExpiredToken               = "ExpiredToken"
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	CodeInvalidParameterValue      = "InvalidParameterValue"
	CodeInvalidAction              = "InvalidAction"
	CodeMissingAction              = "MissingAction"
	CodeMalformedQueryString       = "MalformedQueryString"
	CodeMalformedInput             = "MalformedInput"
	CodeUnsupportedOperation       = "UnsupportedOperation"
	CodeThrottling                 = "Throttling"
	CodeInternalFailure            = "InternalFailure"
	CodeServiceUnavailable         = "ServiceUnavailable"

	CodeExpiredTokenException                          = "ExpiredTokenException"
	CodeMalformedPolicyDocument                        = "MalformedPolicyDocument"
	CodePackedPolicyTooLarge                           = "PackedPolicyTooLarge"
	CodeRegionDisabledException                        = "RegionDisabledException"
	CodeIDPRejectedClaim                               = "IDPRejectedClaim"
	CodeInvalidIdentityToken                           = "InvalidIdentityToken"
	CodeIDPCommunicationError                          = "IDPCommunicationError"
	CodeInvalidAuthorizationMessageException           = "InvalidAuthorizationMessageException"
	CodeExpiredTradeInTokenException                   = "ExpiredTradeInTokenException"
	CodeJWTPayloadSizeExceededException                = "JWTPayloadSizeExceededException"
	CodeOutboundWebIdentityFederationDisabledException = "OutboundWebIdentityFederationDisabledException"
	CodeSessionDurationEscalationException             = "SessionDurationEscalationException"
)

// The codes of IAM's model (botocore's IAM model, behaviour §16, §18).
const (
	CodeNoSuchEntity                  = "NoSuchEntity"
	CodeEntityAlreadyExists           = "EntityAlreadyExists"
	CodeInvalidInput                  = "InvalidInput"
	CodeLimitExceeded                 = "LimitExceeded"
	CodeDeleteConflict                = "DeleteConflict"
	CodeUnmodifiableEntity            = "UnmodifiableEntity"
	CodePolicyNotAttachable           = "PolicyNotAttachable"
	CodeInvalidAuthenticationCode     = "InvalidAuthenticationCode"
	CodeEntityTemporarilyUnmodifiable = "EntityTemporarilyUnmodifiable"
	CodeConcurrentModification        = "ConcurrentModification"
	CodeFeatureEnabled                = "FeatureEnabled"
	CodeFeatureDisabled               = "FeatureDisabled"
	CodeOpenIDIdpCommunicationError   = "OpenIdIdpCommunicationError"
	CodeServiceFailure                = "ServiceFailure"
	// CodeServiceAccessNotEnabled and the other Organizations-related
	// codes of IAM's model carry no explicit code, so their shape name is
	// the code, answered with 400.
	CodeServiceAccessNotEnabled = "ServiceAccessNotEnabledException"
)

// Status returns the HTTP status AWS answers code with: the code's entry,
// or 400 for a code fakests does not list.
func Status(code string) int {
	if s, ok := codes[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// FaultOf returns the fault of code: server faults (5xx) are the
// service's, everything else the sender's.
func FaultOf(code string) smithy.ErrorFault {
	if Status(code) >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// Violations collects the constraint failures of one request, in the order
// the request's members are checked (the model's member order). Its zero
// value is empty and ready to use; it allocates only when something fails.
type Violations struct {
	list []string
}

// Add records that value at field failed constraint.
func (v *Violations) Add(value, field, constraint string) {
	v.list = append(v.list, "Value '"+value+"' at '"+field+"' failed to satisfy constraint: "+constraint)
}

// Null records that the required member field is absent.
func (v *Violations) Null(field string) {
	v.list = append(v.list, "Value null at '"+field+"' failed to satisfy constraint: Member must not be null")
}

// AddMember records the violations of one member: value at field failed
// every constraint in failed. AWS's validator keeps a member's failed
// constraints in a Java HashSet of their texts, so it reports them in that
// set's iteration order, not in the order they were checked (behaviour §3:
// a too-short ARN reports its pattern before its length, an empty tag key
// its length before its pattern); AddMember reproduces that order
// (SetOrder). With one constraint it is Add.
func (v *Violations) AddMember(value, field string, failed ...string) {
	for _, c := range SetOrder(failed) {
		v.Add(value, field, c)
	}
}

// Len returns how many violations were recorded.
func (v *Violations) Len() int { return len(v.list) }

// Err returns the ValidationError that reports every recorded violation,
// or nil when there is none.
func (v *Violations) Err() error {
	switch len(v.list) {
	case 0:
		return nil
	case 1:
		return New(CodeValidationError, "1 validation error detected: "+v.list[0])
	}
	return New(CodeValidationError, strconv.Itoa(len(v.list))+" validation errors detected: "+strings.Join(v.list, "; "))
}

// Constraint texts of the ValidationError template.

// MaxLength is the constraint of a string or list longer than n.
func MaxLength(n int) string {
	return "Member must have length less than or equal to " + strconv.Itoa(n)
}

// MinLength is the constraint of a string or list shorter than n.
func MinLength(n int) string {
	return "Member must have length greater than or equal to " + strconv.Itoa(n)
}

// MaxValue is the constraint of a number above n.
func MaxValue(n int) string { return "Member must have value less than or equal to " + strconv.Itoa(n) }

// MinValue is the constraint of a number below n.
func MinValue(n int) string {
	return "Member must have value greater than or equal to " + strconv.Itoa(n)
}

// MemberConstraints is the constraint of a list whose elements break their
// own shape's constraints: AWS reports it once, at the list, naming every
// constraint of the element shape as a Java set prints them (behaviour §3):
// "Member must satisfy constraint: [Member must have length less than or
// equal to 1000, Member must have length greater than or equal to 1]".
func MemberConstraints(elem ...string) string {
	return "Member must satisfy constraint: [" + strings.Join(SetOrder(elem), ", ") + "]"
}

// Pattern is the constraint of a string that does not match pattern,
// spelled as the model spells it.
func Pattern(pattern string) string {
	return "Member must satisfy regular expression pattern: " + pattern
}
