package awsquery

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// AppendResult appends the success document STS sends for action (behaviour
// §1.2):
//
//	<XResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//	  <XResult>
//	    ...members...
//	  </XResult>
//	  <ResponseMetadata>
//	    <RequestId>id</RequestId>
//	  </ResponseMetadata>
//	</XResponse>
//
// out must be the matching output, a non-nil *sts.XOutput (for example
// *sts.AssumeRoleOutput for "AssumeRole"); otherwise AppendResult returns
// buf unchanged and an error, which is a programming mistake, not a wire
// error. Nil members are omitted entirely (behaviour §6: no PackedPolicySize for
// AssumeRole without policies or tags). Timestamps are written in UTC with
// whole seconds ("2026-11-25T19:06:31Z"); a year outside 0–9999 is an error.
//
// Members come in the order of the STS model (botocore's service-2.json),
// which is how AWS's documented sample responses list them, except
// GetCallerIdentity, whose samples say Arn, UserId, Account. The 2026
// members SessionTokenSize and SessionTokenUtilization, absent from that
// model, come last (unverified).
func AppendResult(buf []byte, action string, out any, requestID string) ([]byte, error) {
	start := len(buf)
	want, err := outputAction(out)
	if err != nil {
		return buf, err
	}
	if action != want {
		return buf, fmt.Errorf("awsquery: output %T does not belong to action %q", out, action)
	}
	buf = append(buf, '<')
	buf = append(buf, action...)
	buf = append(buf, `Response xmlns="`+Namespace+`">`...)
	buf = openPair(buf, 1, action, "Result")
	buf, err = appendMembers(buf, out)
	if err != nil {
		return buf[:start], err
	}
	buf = append(buf, "\n  </"...)
	buf = append(buf, action...)
	buf = append(buf, "Result>\n  <ResponseMetadata>"...)
	buf = textElem(buf, 2, "RequestId", requestID)
	buf = append(buf, "\n  </ResponseMetadata>\n</"...)
	buf = append(buf, action...)
	return append(buf, "Response>\n"...), nil
}

// AppendError appends the error document STS sends (behaviour §1.3):
//
//	<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//	  <Error>
//	    <Type>Sender</Type>
//	    <Code>InvalidClientTokenId</Code>
//	    <Message>The security token included in the request is invalid.</Message>
//	  </Error>
//	  <RequestId>id</RequestId>
//	</ErrorResponse>
//
// fault is "Sender" for client faults and "Receiver" for server faults.
// RequestId is a sibling of Error, where botocore and the Go SDK read it.
func AppendError(buf []byte, fault, code, message, requestID string) []byte {
	buf = append(buf, `<ErrorResponse xmlns="`+Namespace+`">`+"\n  <Error>"...)
	buf = textElem(buf, 2, "Type", fault)
	buf = textElem(buf, 2, "Code", code)
	if message != "" { // AWS leaves <Message> out of a MalformedInput (behaviour §1.3)
		buf = textElem(buf, 2, "Message", message)
	}
	buf = append(buf, "\n  </Error>"...)
	buf = textElem(buf, 1, "RequestId", requestID)
	return append(buf, "\n</ErrorResponse>\n"...)
}

// outputAction names the action whose output out is.
func outputAction(out any) (string, error) {
	var name string
	var isNil bool
	switch o := out.(type) {
	case *sts.AssumeRoleOutput:
		name, isNil = ActionAssumeRole, o == nil
	case *sts.AssumeRoleWithSAMLOutput:
		name, isNil = ActionAssumeRoleWithSAML, o == nil
	case *sts.AssumeRoleWithWebIdentityOutput:
		name, isNil = ActionAssumeRoleWithWebIdentity, o == nil
	case *sts.AssumeRootOutput:
		name, isNil = ActionAssumeRoot, o == nil
	case *sts.DecodeAuthorizationMessageOutput:
		name, isNil = ActionDecodeAuthorizationMessage, o == nil
	case *sts.GetAccessKeyInfoOutput:
		name, isNil = ActionGetAccessKeyInfo, o == nil
	case *sts.GetCallerIdentityOutput:
		name, isNil = ActionGetCallerIdentity, o == nil
	case *sts.GetDelegatedAccessTokenOutput:
		name, isNil = ActionGetDelegatedAccessToken, o == nil
	case *sts.GetFederationTokenOutput:
		name, isNil = ActionGetFederationToken, o == nil
	case *sts.GetSessionTokenOutput:
		name, isNil = ActionGetSessionToken, o == nil
	case *sts.GetWebIdentityTokenOutput:
		name, isNil = ActionGetWebIdentityToken, o == nil
	default:
		return "", fmt.Errorf("awsquery: %T is not an STS output", out)
	}
	if isNil {
		return "", fmt.Errorf("awsquery: nil %T", out)
	}
	return name, nil
}

// appendMembers appends the members of out inside its XResult element.
func appendMembers(buf []byte, out any) ([]byte, error) {
	switch o := out.(type) {
	case *sts.AssumeRoleOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = assumedRoleUser(buf, o.AssumedRoleUser)
		buf = intElem(buf, 2, "PackedPolicySize", o.PackedPolicySize)
		buf = strElem(buf, 2, "SourceIdentity", o.SourceIdentity)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.AssumeRoleWithSAMLOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = assumedRoleUser(buf, o.AssumedRoleUser)
		buf = intElem(buf, 2, "PackedPolicySize", o.PackedPolicySize)
		buf = strElem(buf, 2, "Subject", o.Subject)
		buf = strElem(buf, 2, "SubjectType", o.SubjectType)
		buf = strElem(buf, 2, "Issuer", o.Issuer)
		buf = strElem(buf, 2, "Audience", o.Audience)
		buf = strElem(buf, 2, "NameQualifier", o.NameQualifier)
		buf = strElem(buf, 2, "SourceIdentity", o.SourceIdentity)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.AssumeRoleWithWebIdentityOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = strElem(buf, 2, "SubjectFromWebIdentityToken", o.SubjectFromWebIdentityToken)
		buf = assumedRoleUser(buf, o.AssumedRoleUser)
		buf = intElem(buf, 2, "PackedPolicySize", o.PackedPolicySize)
		buf = strElem(buf, 2, "Provider", o.Provider)
		buf = strElem(buf, 2, "Audience", o.Audience)
		buf = strElem(buf, 2, "SourceIdentity", o.SourceIdentity)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.AssumeRootOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = strElem(buf, 2, "SourceIdentity", o.SourceIdentity)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.DecodeAuthorizationMessageOutput:
		buf = strElem(buf, 2, "DecodedMessage", o.DecodedMessage)
	case *sts.GetAccessKeyInfoOutput:
		buf = strElem(buf, 2, "Account", o.Account)
	case *sts.GetCallerIdentityOutput:
		buf = strElem(buf, 2, "Arn", o.Arn)
		buf = strElem(buf, 2, "UserId", o.UserId)
		buf = strElem(buf, 2, "Account", o.Account)
	case *sts.GetDelegatedAccessTokenOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = intElem(buf, 2, "PackedPolicySize", o.PackedPolicySize)
		buf = strElem(buf, 2, "AssumedPrincipal", o.AssumedPrincipal)
	case *sts.GetFederationTokenOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		if u := o.FederatedUser; u != nil {
			buf = openElem(buf, 2, "FederatedUser")
			buf = strElem(buf, 3, "FederatedUserId", u.FederatedUserId)
			buf = strElem(buf, 3, "Arn", u.Arn)
			buf = closeElem(buf, 2, "FederatedUser")
		}
		buf = intElem(buf, 2, "PackedPolicySize", o.PackedPolicySize)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.GetSessionTokenOutput:
		if err := checkCredentials(o.Credentials); err != nil {
			return buf, err
		}
		buf = credentials(buf, o.Credentials)
		buf = tokenSize(buf, o.SessionTokenSize, o.SessionTokenUtilization)
	case *sts.GetWebIdentityTokenOutput:
		if err := checkTime(o.Expiration); err != nil {
			return buf, err
		}
		buf = strElem(buf, 2, "WebIdentityToken", o.WebIdentityToken)
		buf = timeElemMillis(buf, 2, "Expiration", o.Expiration)
	}
	return buf, nil
}

// openPair appends "\n<spaces><ab>" without building the name a+b.
func openPair(buf []byte, depth int, a, b string) []byte {
	buf = append(buf, indent[:1+2*depth]...)
	buf = append(buf, '<')
	buf = append(buf, a...)
	buf = append(buf, b...)
	return append(buf, '>')
}

// credentials appends the Credentials structure in the order the model
// gives: AccessKeyId, SecretAccessKey, SessionToken, Expiration.
func credentials(buf []byte, c *types.Credentials) []byte {
	if c == nil {
		return buf
	}
	buf = openElem(buf, 2, "Credentials")
	buf = strElem(buf, 3, "AccessKeyId", c.AccessKeyId)
	buf = strElem(buf, 3, "SecretAccessKey", c.SecretAccessKey)
	buf = strElem(buf, 3, "SessionToken", c.SessionToken)
	buf = timeElem(buf, 3, "Expiration", c.Expiration)
	return closeElem(buf, 2, "Credentials")
}

// assumedRoleUser appends AssumedRoleUser: AssumedRoleId, then Arn.
func assumedRoleUser(buf []byte, u *types.AssumedRoleUser) []byte {
	if u == nil {
		return buf
	}
	buf = openElem(buf, 2, "AssumedRoleUser")
	buf = strElem(buf, 3, "AssumedRoleId", u.AssumedRoleId)
	buf = strElem(buf, 3, "Arn", u.Arn)
	return closeElem(buf, 2, "AssumedRoleUser")
}

func tokenSize(buf []byte, size, utilization *int32) []byte {
	buf = intElem(buf, 2, "SessionTokenSize", size)
	return intElem(buf, 2, "SessionTokenUtilization", utilization)
}

func checkCredentials(c *types.Credentials) error {
	if c == nil {
		return nil
	}
	return checkTime(c.Expiration)
}

// checkTime rejects timestamps that the four-digit year format cannot carry.
func checkTime(t *time.Time) error {
	if t == nil {
		return nil
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("awsquery: timestamp %v has a year outside 0-9999", *t)
	}
	return nil
}
