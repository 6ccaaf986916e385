package fakests

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/tags"
)

// This file is the one catalogue of the errors fakests returns: the
// operation names, each wire code with its HTTP status and fault, and each
// message template. Call sites build errors from these entries; they never
// type a message inline.
//
// Errors take the form the SDK client would give for the same answer: a
// types.*Exception where the operation's model lists the code (the
// awsAwsquery_deserializeOpError<Op> switch of the SDK), a
// *smithy.GenericAPIError with the real code, message and fault otherwise.

// msgSignatureDoesNotMatch is the SignatureDoesNotMatch text of facts §10,
// used by the typed path when WithCaller carries a wrong secret.
const msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// errorCode is a wire error code with its HTTP status and fault. Add a code,
// add its status.
type errorCode struct {
	code   string
	status int
	fault  smithy.ErrorFault
}

// The codes fakests sends (facts §1.3).
var (
	codeValidation            = errorCode{"ValidationError", 400, smithy.FaultClient}
	codeAccessDenied          = errorCode{"AccessDenied", 403, smithy.FaultClient}
	codeInvalidClientTokenID  = errorCode{"InvalidClientTokenId", 403, smithy.FaultClient}
	codeSignatureDoesNotMatch = errorCode{"SignatureDoesNotMatch", 403, smithy.FaultClient}
	codeExpiredToken          = errorCode{"ExpiredToken", 403, smithy.FaultClient}
	codeIncompleteSignature   = errorCode{"IncompleteSignature", 400, smithy.FaultClient}
	codeMissingAuthToken      = errorCode{"MissingAuthenticationToken", 403, smithy.FaultClient}
	codeInvalidParameter      = errorCode{"InvalidParameterValue", 400, smithy.FaultClient}
	codeInvalidAction         = errorCode{"InvalidAction", 400, smithy.FaultClient}
	codeMissingAction         = errorCode{"MissingAction", 400, smithy.FaultClient}
	codeUnsupported           = errorCode{"UnsupportedOperation", 400, smithy.FaultClient}
	codeInternalFailure       = errorCode{"InternalFailure", 500, smithy.FaultServer}

	codeExpiredTokenException   = errorCode{"ExpiredTokenException", 400, smithy.FaultClient}
	codeMalformedPolicyDocument = errorCode{"MalformedPolicyDocument", 400, smithy.FaultClient}
	codePackedPolicyTooLarge    = errorCode{"PackedPolicyTooLarge", 400, smithy.FaultClient}
	codeRegionDisabled          = errorCode{"RegionDisabledException", 403, smithy.FaultClient}
	codeIDPRejectedClaim        = errorCode{"IDPRejectedClaim", 403, smithy.FaultClient}
	codeInvalidIdentityToken    = errorCode{"InvalidIdentityToken", 400, smithy.FaultClient}
	codeIDPCommunicationError   = errorCode{"IDPCommunicationError", 400, smithy.FaultClient}
	codeInvalidAuthorizationMsg = errorCode{"InvalidAuthorizationMessageException", 400, smithy.FaultClient}
)

// allCodes lists every code for status lookups on the wire.
var allCodes = []errorCode{
	codeValidation, codeAccessDenied, codeInvalidClientTokenID, codeSignatureDoesNotMatch,
	codeExpiredToken, codeIncompleteSignature, codeMissingAuthToken, codeInvalidParameter,
	codeInvalidAction, codeMissingAction, codeUnsupported, codeInternalFailure,
	codeExpiredTokenException, codeMalformedPolicyDocument, codePackedPolicyTooLarge,
	codeRegionDisabled, codeIDPRejectedClaim, codeInvalidIdentityToken,
	codeIDPCommunicationError, codeInvalidAuthorizationMsg,
}

// lookupCode returns the catalogue entry of a wire code; unknown codes are
// client faults with status 400.
func lookupCode(code string) errorCode {
	for _, c := range allCodes {
		if c.code == code {
			return c
		}
	}
	return errorCode{code, 400, smithy.FaultClient}
}

// Message templates. Literal AWS texts where the facts sheet records them;
// "unverified" marks the ones fakests chose.
const (
	// §10
	msgInvalidClientTokenID = "The security token included in the request is invalid."
	msgExpiredToken         = "The security token included in the request is expired"
	msgMissingAuthToken     = "Request is missing Authentication Token" // unverified text
	msgNotAuthorized        = "User: %s is not authorized to perform: %s on resource: %s"
	msgRootCannotAssume     = "Roles may not be assumed by root accounts."
	msgSessionCredsGST      = "Cannot call GetSessionToken with session credentials"
	msgSessionCredsGFT      = "Cannot call GetFederationToken with session credentials"
	// §10, §11.3: federated callers are anonymous, so the denial names none.
	msgFederatedNotAuthorized = "Not authorized to perform %s"
	// §11.3: no IAM OIDC provider in the role's account for the token's iss.
	msgNoOIDCProvider = "No OpenIDConnect provider found in your account for %s"
	// §11.2: PrincipalArn names no SAML provider (AWS's text; the code,
	// InvalidIdentityToken, is unverified).
	msgNoSAMLProvider = "Specified provider doesn't exist."
	// §11.2: the assertion's SessionNotOnOrAfter has passed (unverified text).
	msgSAMLSessionOver = "Assertion session expired: SessionNotOnOrAfter %s is not after the current time %s"
	// §11.3: FetchJWKS failed (clarifications, Issue 4; unverified text).
	msgIDPCommunication = "Couldn't retrieve the verification keys of your identity provider %s: %v"
	// §9
	msgMFAInvalidCode   = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	msgMFAUnknownSerial = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
	// §5
	msgOverMaxSessionDuration = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	msgOverChainingLimit      = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	// §10: malformed ARN parameters.
	msgInvalidARN = "%s is invalid"
	// §11.6: a key ID that is neither ours nor decodable (unverified).
	msgUnknownAccessKey = "The specified access key ID %s does not exist"
	// §6: the packed session policies and tags exceed the allotment. AWS words
	// the tag case so (observed); the policy case is unverified.
	msgPackedPolicyTooLarge = "Packed policy consumes %d%% of allotted space, please use smaller policy."
	msgPackedTagsTooLarge   = "Packed size of session tags consumes %d%% of allotted space."
	// An operation fakests does not implement yet.
	msgUnsupported = "fakests does not support %s yet"
	// §3: the generic validation template and its constraints.
	msgValidationOne  = "1 validation error detected: %s"
	msgValidationMany = "%d validation errors detected: %s"
	msgViolation      = "Value '%s' at '%s' failed to satisfy constraint: %s"
	msgViolationNull  = "Value null at '%s' failed to satisfy constraint: Member must not be null" // unverified
	msgMaxLength      = "Member must have length less than or equal to %d"
	msgMinLength      = "Member must have length greater than or equal to %d"
	msgMinValue       = "Member must have value greater than or equal to %d"
	msgMaxValue       = "Member must have value less than or equal to %d"
	msgPattern        = "Member must satisfy regular expression pattern: %s"
)

// modelled lists, per operation, the codes whose model gives them a typed
// error (the SDK's deserializers.go).
var modelled = map[string][]string{
	opAssumeRole:                 {"ExpiredTokenException", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoleWithSAML:         {"ExpiredTokenException", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoleWithWebIdentity:  {"ExpiredTokenException", "IDPCommunicationError", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoot:                 {"ExpiredTokenException", "RegionDisabledException"},
	opDecodeAuthorizationMessage: {"InvalidAuthorizationMessageException"},
	opGetFederationToken:         {"MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opGetSessionToken:            {"RegionDisabledException"},
}

// typedError builds the SDK's typed error for a modelled code.
func typedError(code, msg string) error {
	switch code {
	case "ExpiredTokenException":
		return &types.ExpiredTokenException{Message: &msg}
	case "MalformedPolicyDocument":
		return &types.MalformedPolicyDocumentException{Message: &msg}
	case "PackedPolicyTooLarge":
		return &types.PackedPolicyTooLargeException{Message: &msg}
	case "RegionDisabledException":
		return &types.RegionDisabledException{Message: &msg}
	case "IDPRejectedClaim":
		return &types.IDPRejectedClaimException{Message: &msg}
	case "InvalidIdentityToken":
		return &types.InvalidIdentityTokenException{Message: &msg}
	case "IDPCommunicationError":
		return &types.IDPCommunicationErrorException{Message: &msg}
	case "InvalidAuthorizationMessageException":
		return &types.InvalidAuthorizationMessageException{Message: &msg}
	}
	return nil
}

// newError returns the error op gives for code with message msg: typed when
// the operation models the code, generic otherwise.
func newError(op string, c errorCode, msg string) error {
	for _, m := range modelled[op] {
		if m == c.code {
			return typedError(c.code, msg)
		}
	}
	return &smithy.GenericAPIError{Code: c.code, Message: msg, Fault: c.fault}
}

// errorf is newError with a message template.
func errorf(op string, c errorCode, format string, args ...any) error {
	return newError(op, c, fmt.Sprintf(format, args...))
}

// notAuthorized is the AccessDenied of §10 for caller on action and resource.
func notAuthorized(op, callerARN, action, resource string) error {
	return errorf(op, codeAccessDenied, msgNotAuthorized, callerARN, action, resource)
}

// msgInvalidAuthorizationMessage answers an EncodedMessage this engine did
// not encode (facts §11.5: the code is modelled, the text unverified).
const msgInvalidAuthorizationMessage = "The encoded authorization message is invalid or was not issued by this service."

// verifyError maps a federation verdict to op's error: the code goes
// through the catalogue, so modelled codes become typed exceptions, and
// the message passes through unchanged.
func verifyError(op string, err error) error {
	if ve, ok := err.(*federation.VerifyError); ok {
		return newError(op, lookupCode(ve.Code), ve.Message)
	}
	return newError(op, codeInternalFailure, err.Error())
}

// msgPolicyNotAttachable answers a PolicyArns entry that names no managed
// policy the engine knows (unverified: modelled on IAM's text).
const msgPolicyNotAttachable = "Policy %s does not exist or is not attachable."

// tagError maps a tags package error to the engine's catalogue.
func tagError(op string, err error) error {
	if te, ok := err.(*tags.Error); ok {
		return newError(op, lookupCode(te.Code), te.Message)
	}
	return err
}

// Operation names, as they appear in Action= and in errors.
const (
	opAssumeRole                 = "AssumeRole"
	opAssumeRoleWithSAML         = "AssumeRoleWithSAML"
	opAssumeRoleWithWebIdentity  = "AssumeRoleWithWebIdentity"
	opAssumeRoot                 = "AssumeRoot"
	opDecodeAuthorizationMessage = "DecodeAuthorizationMessage"
	opGetAccessKeyInfo           = "GetAccessKeyInfo"
	opGetCallerIdentity          = "GetCallerIdentity"
	opGetDelegatedAccessToken    = "GetDelegatedAccessToken"
	opGetFederationToken         = "GetFederationToken"
	opGetSessionToken            = "GetSessionToken"
	opGetWebIdentityToken        = "GetWebIdentityToken"
)
