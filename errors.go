package fakests

import (
	"fmt"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/fakests/fakests/apierror"
)

// This file is the one catalogue of the errors fakests returns: the
// operation names, the message templates, and which codes each operation's
// model lists. Codes, HTTP statuses and faults live in package apierror,
// whose *apierror.Error is the one error every part of fakests returns.
// Call sites build errors from these entries; they never type a message
// inline.
//
// At the edge of a typed method, sdkError turns that error into what the
// SDK client would return for the same answer: a types.*Exception where the
// operation's model lists the code (the awsAwsquery_deserializeOpError<Op>
// switch of the SDK), a *smithy.GenericAPIError with the code and message
// otherwise, wrapped as the client wraps them.

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

// Message templates: AWS's literal texts where a source records them;
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
	// §11.3: FetchJWKS failed (unverified text).
	msgIDPCommunication = "Couldn't retrieve the verification keys of your identity provider %s: %v"
	// §9
	msgMFAInvalidCode   = "MultiFactorAuthentication failed with invalid MFA one time pass code. " // trailing space: stackd iam/mfa_verification.json
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
	// §2.3: no unused access key ID after this many draws (fakests' own).
	msgNoUnusedKeyID = "fakests: no unused access key ID after %d draws"
	// §18: IAM's refusal of a trust-policy principal (type, value).
	msgInvalidPrincipal = "Invalid principal in policy: \"%s\":\"%s\""
	// §10, §13: a caller whose account has the request's opt-in region
	// disabled; unlike the unknown key's text, no period (stackd
	// account/regions.json).
	msgInvalidClientTokenIDOptIn = "The security token included in the request is invalid"
	// §10, §13: STS deactivated in the region for the account named.
	msgRegionDisabled = "STS is not activated in this region for account:%s. Your account administrator can activate STS in this region using the IAM Console."
	// §1.4: the global endpoint's refusals (stackd iam/root_access.json,
	// iam/outbound_issuance.json).
	msgGlobalUnknownOperation = "Unknown Operation"
	msgGlobalNotSupported     = "Operation not supported on STS global endpoint"
	// §1.4: a typed call for a region the engine does not serve, as a
	// client signing for it is told (internal/sigv4's text; trailing space).
	msgScopeRegion = "Credential should be scoped to a valid region, not '%s'. "
	// §11.4: AssumeRoot's checks after the model's (stackd
	// iam/root_access.json, iam/root_sessions.json).
	msgInvalidTaskPolicy       = "Request must contain valid AWS managed task policy ARN"
	msgInvalidTargetPrincipal  = "Request must contain a valid target principal"
	msgRootCredentialsDisabled = "Root credentials management feature is not enabled for your AWS Organization."
	msgRootSessionsDisabled    = "Root sessions feature is not enabled for your AWS Organization."
	// §13: the Account API's refusals, wrapped by EnableRegion and
	// DisableRegion (stackd account/regions.json; for a region enabled by
	// default the text is fakests' choice).
	msgNotOptInRegion  = "%s is not a valid region for opt-in or opt-out."
	msgRegionOptStatus = "Unable to switch region status because of its current opt-in status."
	// §10, used by the typed path when WithCaller carries a wrong secret.
	msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	// §6: a PolicyArns entry that names no managed policy the engine knows
	// (unverified: modelled on IAM's text).
	msgPolicyNotAttachable = "Policy %s does not exist or is not attachable."
	// §11.5: an EncodedMessage this engine did not encode (the code is
	// modelled, the text unverified).
	msgInvalidAuthorizationMessage = "The encoded authorization message is invalid or was not issued by this service."

	// §16: IAM's outbound identity federation switch (account ID).
	msgFeatureAlreadyEnabled  = "Outbound identity federation is already enabled for account %s"
	msgFeatureDisabled        = "Outbound identity federation is disabled for account %s"
	msgFeatureAlreadyDisabled = "Outbound identity federation is already disabled for account %s"
	// §11.11: GetWebIdentityToken.
	msgUnsupportedSigningAlgorithm = "Requested SigningAlgorithm is not supported. See the GetWebIdentityToken documentation for supported algorithms"
	msgOutboundDisabled            = "OutboundWebIdentityFederation is disabled."
	msgSessionDurationEscalation   = "Requested token expiry time must be before the original session's expiry time."
	msgJWTPayloadTooLarge          = "JWT payload exceeds maximum allowed size"
	msgWebIdentityTokenFederated   = "GetWebIdentityToken does not support federated user sessions"
	// §10, §11.11: the reasons AWS appends to a GetWebIdentityToken denial
	// (caller, action, resource, then the action again where named). The
	// session-policy implicit deny follows the IAM User Guide's pattern
	// (troubleshoot_access-denied); the other three are recorded.
	msgNotAuthorizedNoIdentityPolicy = msgNotAuthorized + " because no identity-based policy allows the %s action"
	msgNotAuthorizedNoSessionPolicy  = msgNotAuthorized + " because no session policy allows the %s action"
	msgNotAuthorizedDenyIdentity     = msgNotAuthorized + " with an explicit deny in an identity-based policy"
	msgNotAuthorizedDenySession      = msgNotAuthorized + " with an explicit deny in a session policy"
	// §11.8: trade-in tokens (fakests' own texts: AWS's are unrecorded).
	msgTradeInTokenExpired = "The trade-in token has expired."  // unverified
	msgTradeInTokenInvalid = "The trade-in token is not valid." // unverified
)

// Messages of the codes a Fault injects when it sets no Message (behaviour
// §22). Codes whose text names the request (RegionDisabledException,
// AccessDenied) fill their templates above; a code missing here has an
// empty message, as AWS sends some.
const (
	// Throttling 400 Sender: a raw STS ErrorResponse in
	// jlevers/selling-partner-api issue #278; the same text through
	// aws-sdk-go-v2 issue #2481 and lakekeeper/lakekeeper issue #1397.
	msgThrottling = "Rate exceeded"
	// InternalFailure 500: STS answered one with no message
	// (aws/aws-sdk-java-v2 issue #5106 shows "null"), so none.
	msgInternalFailure = ""
	// ServiceUnavailable 503: no STS answer recorded; the STS API
	// reference's description of the error (CommonErrors.html), a choice.
	msgServiceUnavailable = "The request has failed due to a temporary failure of the server."
	// IDPCommunicationError 400: no STS answer recorded; the first sentence
	// of the API reference's description (API_AssumeRoleWithWebIdentity), a
	// choice.
	msgIDPUnreachable = "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached."
)

// faultMessages maps an injected code to AWS's fixed text for it.
var faultMessages = map[string]string{
	apierror.CodeThrottling:                 msgThrottling,
	apierror.CodeInternalFailure:            msgInternalFailure,
	apierror.CodeServiceUnavailable:         msgServiceUnavailable,
	apierror.CodeIDPCommunicationError:      msgIDPUnreachable,
	apierror.CodeExpiredToken:               msgExpiredToken,
	apierror.CodeInvalidClientTokenID:       msgInvalidClientTokenID,
	apierror.CodeSignatureDoesNotMatch:      msgSignatureDoesNotMatch,
	apierror.CodeMissingAuthenticationToken: msgMissingAuthToken,
}

// codeAccountValidation is the Account API's validation code, which
// EnableRegion and DisableRegion wrap (behaviour §13); it is not an STS code.
const codeAccountValidation = "ValidationException"

// newError returns the error for code with message msg.
func newError(code, msg string) error { return apierror.New(code, msg) }

// errorf is newError with a message template.
func errorf(code, format string, args ...any) error {
	return apierror.New(code, fmt.Sprintf(format, args...))
}

// notAuthorized is the AccessDenied of §10 for caller on action and resource.
func notAuthorized(callerARN, action, resource string) error {
	return errorf(apierror.CodeAccessDenied, msgNotAuthorized, callerARN, action, resource)
}

// modelled lists, per operation, the codes whose model gives them a typed
// error (the SDK's deserializers.go).
var modelled = map[string][]string{
	opAssumeRole:                 {"ExpiredTokenException", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoleWithSAML:         {"ExpiredTokenException", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoleWithWebIdentity:  {"ExpiredTokenException", "IDPCommunicationError", "IDPRejectedClaim", "InvalidIdentityToken", "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opAssumeRoot:                 {"ExpiredTokenException", "RegionDisabledException"},
	opDecodeAuthorizationMessage: {"InvalidAuthorizationMessageException"},
	opGetDelegatedAccessToken:    {"ExpiredTradeInTokenException", "PackedPolicyTooLarge", "RegionDisabledException"},
	opGetFederationToken:         {"MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException"},
	opGetSessionToken:            {"RegionDisabledException"},
	opGetWebIdentityToken:        {"JWTPayloadSizeExceededException", "OutboundWebIdentityFederationDisabledException", "SessionDurationEscalationException"},
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
	case "ExpiredTradeInTokenException":
		return &types.ExpiredTradeInTokenException{Message: &msg}
	case "JWTPayloadSizeExceededException":
		return &types.JWTPayloadSizeExceededException{Message: &msg}
	case "OutboundWebIdentityFederationDisabledException":
		return &types.OutboundWebIdentityFederationDisabledException{Message: &msg}
	case "SessionDurationEscalationException":
		return &types.SessionDurationEscalationException{Message: &msg}
	}
	return nil
}

// sdkError returns what an *sts.Client gives its caller when STS answers
// op's request requestID with ae: the typed exception where op's model lists
// the code, else a *smithy.GenericAPIError with the code and message
// ("UnknownError" when there is none) and, as the client's deserializer
// leaves it, no fault, wrapped in an
// *awshttp.ResponseError with the HTTP status and request ID and in a
// *smithy.OperationError naming the service and operation.
func sdkError(op, requestID string, ae *apierror.Error) error {
	var err error
	for _, m := range modelled[op] {
		if m == ae.Code {
			err = typedError(ae.Code, ae.Message)
			break
		}
	}
	if err == nil {
		// The client's deserializer names an error without a message after
		// its placeholder code (behaviour §19).
		msg := ae.Message
		if msg == "" {
			msg = "UnknownError"
		}
		err = &smithy.GenericAPIError{Code: ae.Code, Message: msg}
	}
	resp := &http.Response{StatusCode: ae.Status, Status: http.StatusText(ae.Status),
		Header: http.Header{"X-Amzn-Requestid": {requestID}}}
	return &smithy.OperationError{ServiceID: "STS", OperationName: op, Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: resp}, Err: err},
		RequestID:     requestID,
	}}
}
