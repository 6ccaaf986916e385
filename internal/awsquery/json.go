package awsquery

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// This file renders the documents STS sends when a request asks for JSON
// (Accept: application/json, as aws-iam-authenticator's presigned
// GetCallerIdentity does; behaviour §1.2, §1.3). The XML element names become
// nested objects:
//
//	{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"123456789012",
//	"Arn":"arn:aws:iam::123456789012:user/Alice","UserId":"AIDA…"},"ResponseMetadata":{"RequestId":"…"}}}
//
// and errors lose their ErrorResponse wrapper:
//
//	{"Error":{"Code":"SignatureDoesNotMatch","Message":"…","Type":"Sender"},"RequestId":"…"}
//
// Keys come in alphabetical order, every member of the result is written
// (null when absent), numbers are JSON numbers, timestamps whole epoch
// seconds, and the document is compact, as the public samples of real STS
// answers show. Like the XML encoder it appends to a caller's buffer and uses
// no reflection.

// AppendResultJSON appends the JSON document STS sends for action when asked
// for JSON. out must be the matching non-nil output, as for AppendResult;
// otherwise buf is returned unchanged with an error (a programming mistake).
func AppendResultJSON(buf []byte, action string, out any, requestID string) ([]byte, error) {
	want, err := outputAction(out)
	if err != nil {
		return buf, err
	}
	if action != want {
		return buf, fmt.Errorf("awsquery: output %T does not belong to action %q", out, action)
	}
	buf = append(buf, `{"`...)
	buf = append(buf, action...)
	buf = append(buf, `Response":{"`...)
	buf = append(buf, action...)
	buf = append(buf, `Result":`...)
	buf = appendMembersJSON(buf, out)
	buf = append(buf, `,"ResponseMetadata":{"RequestId":`...)
	buf = appendJSONString(buf, requestID)
	return append(buf, "}}}"...), nil
}

// AppendErrorJSON appends the JSON error document STS sends when asked for
// JSON: Error (Code, Message, Type) and RequestId beside it.
func AppendErrorJSON(buf []byte, fault, code, message, requestID string) []byte {
	buf = append(buf, `{"Error":{"Code":`...)
	buf = appendJSONString(buf, code)
	buf = append(buf, `,"Message":`...)
	buf = appendJSONString(buf, message)
	buf = append(buf, `,"Type":`...)
	buf = appendJSONString(buf, fault)
	buf = append(buf, `},"RequestId":`...)
	buf = appendJSONString(buf, requestID)
	return append(buf, '}')
}

// jsonObject writes the members of one JSON object in the order they are
// added, which the callers keep alphabetical.
type jsonObject struct {
	buf   []byte
	first bool
}

func openObject(buf []byte) jsonObject { return jsonObject{buf: append(buf, '{'), first: true} }

func (o *jsonObject) key(name string) {
	if !o.first {
		o.buf = append(o.buf, ',')
	}
	o.first = false
	o.buf = append(o.buf, '"')
	o.buf = append(o.buf, name...)
	o.buf = append(o.buf, `":`...)
}

func (o *jsonObject) str(name string, s *string) {
	o.key(name)
	if s == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	o.buf = appendJSONString(o.buf, *s)
}

func (o *jsonObject) int(name string, n *int32) {
	o.key(name)
	if n == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	o.buf = strconv.AppendInt(o.buf, int64(*n), 10)
}

// time writes a timestamp as whole seconds since the epoch, the form STS
// uses in JSON (behaviour §1.2); fractions are truncated.
func (o *jsonObject) time(name string, t *time.Time) {
	o.key(name)
	if t == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	o.buf = strconv.AppendInt(o.buf, t.Unix(), 10)
}

func (o *jsonObject) credentials(c *types.Credentials) {
	o.key("Credentials")
	if c == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	in := openObject(o.buf)
	in.str("AccessKeyId", c.AccessKeyId)
	in.time("Expiration", c.Expiration)
	in.str("SecretAccessKey", c.SecretAccessKey)
	in.str("SessionToken", c.SessionToken)
	o.buf = in.close()
}

func (o *jsonObject) assumedRoleUser(u *types.AssumedRoleUser) {
	o.key("AssumedRoleUser")
	if u == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	in := openObject(o.buf)
	in.str("Arn", u.Arn)
	in.str("AssumedRoleId", u.AssumedRoleId)
	o.buf = in.close()
}

func (o *jsonObject) federatedUser(u *types.FederatedUser) {
	o.key("FederatedUser")
	if u == nil {
		o.buf = append(o.buf, "null"...)
		return
	}
	in := openObject(o.buf)
	in.str("Arn", u.Arn)
	in.str("FederatedUserId", u.FederatedUserId)
	o.buf = in.close()
}

func (o *jsonObject) close() []byte { return append(o.buf, '}') }

// appendMembersJSON appends the XResult object of out; out has been checked
// by outputAction. Members are those of the SDK's output type, which lists
// them alphabetically.
func appendMembersJSON(buf []byte, out any) []byte {
	o := openObject(buf)
	switch v := out.(type) {
	case *sts.AssumeRoleOutput:
		o.assumedRoleUser(v.AssumedRoleUser)
		o.credentials(v.Credentials)
		o.int("PackedPolicySize", v.PackedPolicySize)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
		o.str("SourceIdentity", v.SourceIdentity)
	case *sts.AssumeRoleWithSAMLOutput:
		o.assumedRoleUser(v.AssumedRoleUser)
		o.str("Audience", v.Audience)
		o.credentials(v.Credentials)
		o.str("Issuer", v.Issuer)
		o.str("NameQualifier", v.NameQualifier)
		o.int("PackedPolicySize", v.PackedPolicySize)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
		o.str("SourceIdentity", v.SourceIdentity)
		o.str("Subject", v.Subject)
		o.str("SubjectType", v.SubjectType)
	case *sts.AssumeRoleWithWebIdentityOutput:
		o.assumedRoleUser(v.AssumedRoleUser)
		o.str("Audience", v.Audience)
		o.credentials(v.Credentials)
		o.int("PackedPolicySize", v.PackedPolicySize)
		o.str("Provider", v.Provider)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
		o.str("SourceIdentity", v.SourceIdentity)
		o.str("SubjectFromWebIdentityToken", v.SubjectFromWebIdentityToken)
	case *sts.AssumeRootOutput:
		o.credentials(v.Credentials)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
		o.str("SourceIdentity", v.SourceIdentity)
	case *sts.DecodeAuthorizationMessageOutput:
		o.str("DecodedMessage", v.DecodedMessage)
	case *sts.GetAccessKeyInfoOutput:
		o.str("Account", v.Account)
	case *sts.GetCallerIdentityOutput:
		o.str("Account", v.Account)
		o.str("Arn", v.Arn)
		o.str("UserId", v.UserId)
	case *sts.GetDelegatedAccessTokenOutput:
		o.str("AssumedPrincipal", v.AssumedPrincipal)
		o.credentials(v.Credentials)
		o.int("PackedPolicySize", v.PackedPolicySize)
	case *sts.GetFederationTokenOutput:
		o.credentials(v.Credentials)
		o.federatedUser(v.FederatedUser)
		o.int("PackedPolicySize", v.PackedPolicySize)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
	case *sts.GetSessionTokenOutput:
		o.credentials(v.Credentials)
		o.int("SessionTokenSize", v.SessionTokenSize)
		o.int("SessionTokenUtilization", v.SessionTokenUtilization)
	case *sts.GetWebIdentityTokenOutput:
		o.time("Expiration", v.Expiration)
		o.str("WebIdentityToken", v.WebIdentityToken)
	}
	return o.close()
}

// appendJSONString appends s as a JSON string: '"' and '\' are escaped,
// control characters become \b \f \n \r \t or \u00XX, and bytes that are not
// UTF-8 become U+FFFD, as encoding/json does. Everything else, '<', '>' and
// '&' included, is copied.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[last:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigitsUpper[c>>4], hexDigitsUpper[c&15])
			}
			i++
			last = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[last:i]...)
			buf = append(buf, "\uFFFD"...)
			last = i + size
		}
		i += size
	}
	buf = append(buf, s[last:]...)
	return append(buf, '"')
}

const hexDigitsUpper = "0123456789ABCDEF"
