package awsquery

import (
	"net/url"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
)

// Namespace is the STS XML namespace (behaviour §1.1).
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// Version is the STS API version (behaviour §1.1).
const Version = "2011-06-15"

// Operation names, as they appear in the Action parameter.
const (
	ActionAssumeRole                 = "AssumeRole"
	ActionAssumeRoleWithSAML         = "AssumeRoleWithSAML"
	ActionAssumeRoleWithWebIdentity  = "AssumeRoleWithWebIdentity"
	ActionAssumeRoot                 = "AssumeRoot"
	ActionDecodeAuthorizationMessage = "DecodeAuthorizationMessage"
	ActionGetAccessKeyInfo           = "GetAccessKeyInfo"
	ActionGetCallerIdentity          = "GetCallerIdentity"
	ActionGetDelegatedAccessToken    = "GetDelegatedAccessToken"
	ActionGetFederationToken         = "GetFederationToken"
	ActionGetSessionToken            = "GetSessionToken"
	ActionGetWebIdentityToken        = "GetWebIdentityToken"
)

// Decode turns a request form (the body of a POST, or the query of a GET)
// into the operation name and its typed input, a pointer to the matching
// sts.XxxInput (for example *sts.AssumeRoleInput for "AssumeRole").
//
// Rules (see the package documentation for which are verified):
//   - A missing or empty Action is MissingAction; an unknown Action, or a
//     Version present and other than 2011-06-15, is InvalidAction
//     "Could not find operation <Action> for version <Version>". A missing
//     Version is accepted.
//   - Each parameter reads the first value of its key. Unknown parameters,
//     and parameters of another operation, are ignored.
//   - A present string parameter yields a non-nil pointer, also when empty.
//   - Integers are decimal int32 (an optional sign and leading zeros are
//     accepted); an empty value or anything else is MalformedInput
//     (behaviour §1.1).
//   - Lists follow the awsquery encoding (Name.member.N[.Field]); a bare
//     "Name=" key makes the list empty and non-nil. Members are ordered by
//     their index N; gaps are closed up; an index that is not a canonical
//     positive decimal (member.0, member.01, member.+1) makes the key unknown,
//     so it is ignored. Memory is proportional to the number of keys, never
//     to index values.
//
// Strings in the returned input share storage with form. Errors are *apierror.Error.
func Decode(form url.Values) (action string, input any, err error) {
	actions := form["Action"]
	if len(actions) == 0 {
		return "", nil, errMissingAction()
	}
	action = actions[0]
	// A Version that is present must be this API's, even when empty; an
	// empty Action names no operation (behaviour §1.1, a peer's probe of AWS).
	if vs := form["Version"]; len(vs) > 0 && vs[0] != Version {
		return action, nil, errInvalidAction(action, vs[0])
	}
	if action == "" {
		return action, nil, errInvalidAction(action, Version)
	}
	d := decoder{form: form}
	switch action {
	case ActionAssumeRole:
		input = d.assumeRole()
	case ActionAssumeRoleWithSAML:
		input = d.assumeRoleWithSAML()
	case ActionAssumeRoleWithWebIdentity:
		input = d.assumeRoleWithWebIdentity()
	case ActionAssumeRoot:
		input = d.assumeRoot()
	case ActionDecodeAuthorizationMessage:
		input = &sts.DecodeAuthorizationMessageInput{EncodedMessage: d.str("EncodedMessage")}
	case ActionGetAccessKeyInfo:
		input = &sts.GetAccessKeyInfoInput{AccessKeyId: d.str("AccessKeyId")}
	case ActionGetCallerIdentity:
		input = &sts.GetCallerIdentityInput{}
	case ActionGetDelegatedAccessToken:
		input = &sts.GetDelegatedAccessTokenInput{TradeInToken: d.str("TradeInToken")}
	case ActionGetFederationToken:
		input = d.getFederationToken()
	case ActionGetSessionToken:
		input = &sts.GetSessionTokenInput{
			DurationSeconds:         d.int32("DurationSeconds"),
			MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
			SerialNumber:            d.str("SerialNumber"),
			TokenCode:               d.str("TokenCode"),
		}
	case ActionGetWebIdentityToken:
		input = d.getWebIdentityToken()
	default:
		return action, nil, errInvalidAction(action, Version)
	}
	if d.err != nil {
		return action, nil, d.err
	}
	return action, input, nil
}

// first returns the first value of key, or "".
func first(form url.Values, key string) string {
	if v := form[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// decoder reads typed parameters from a form, remembering the first error.
type decoder struct {
	form url.Values
	err  *apierror.Error
}

// str returns a pointer to the first value of key (no copy), or nil.
func (d *decoder) str(key string) *string {
	if v := d.form[key]; len(v) > 0 {
		return &v[0]
	}
	return nil
}

// int32 parses the first value of key as a decimal int32 (an optional sign
// and leading zeros are fine, as with AWS); an empty or malformed value is
// MalformedInput (behaviour §1.1).
func (d *decoder) int32(key string) *int32 {
	vals := d.form[key]
	if len(vals) == 0 {
		return nil
	}
	s := vals[0]
	if s == "" {
		if d.err == nil {
			d.err = errEmptyInteger()
		}
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		if d.err == nil {
			d.err = errNotInteger()
		}
		return nil
	}
	v := int32(n)
	return &v
}

func (d *decoder) assumeRole() *sts.AssumeRoleInput {
	in := &sts.AssumeRoleInput{
		DurationSeconds:         d.int32("DurationSeconds"),
		ExternalId:              d.str("ExternalId"),
		MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
		Policy:                  d.str("Policy"),
		RoleArn:                 d.str("RoleArn"),
		RoleSessionName:         d.str("RoleSessionName"),
		SerialNumber:            d.str("SerialNumber"),
		SourceIdentity:          d.str("SourceIdentity"),
		TokenCode:               d.str("TokenCode"),
	}
	var buf [12]entry
	l := scanLists(d.form, listPolicyArns|listProvidedContexts|listTags|listTransitiveTagKeys, buf[:])
	in.PolicyArns = l.policyArns()
	in.ProvidedContexts = l.providedContexts()
	in.Tags = l.tags()
	in.TransitiveTagKeys = l.strings(listTransitiveTagKeys)
	return in
}

func (d *decoder) assumeRoleWithSAML() *sts.AssumeRoleWithSAMLInput {
	in := &sts.AssumeRoleWithSAMLInput{
		DurationSeconds:         d.int32("DurationSeconds"),
		MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
		Policy:                  d.str("Policy"),
		PrincipalArn:            d.str("PrincipalArn"),
		RoleArn:                 d.str("RoleArn"),
		SAMLAssertion:           d.str("SAMLAssertion"),
	}
	var buf [12]entry
	l := scanLists(d.form, listPolicyArns, buf[:])
	in.PolicyArns = l.policyArns()
	return in
}

func (d *decoder) assumeRoleWithWebIdentity() *sts.AssumeRoleWithWebIdentityInput {
	in := &sts.AssumeRoleWithWebIdentityInput{
		DurationSeconds:         d.int32("DurationSeconds"),
		MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
		Policy:                  d.str("Policy"),
		ProviderId:              d.str("ProviderId"),
		RoleArn:                 d.str("RoleArn"),
		RoleSessionName:         d.str("RoleSessionName"),
		WebIdentityToken:        d.str("WebIdentityToken"),
	}
	var buf [12]entry
	l := scanLists(d.form, listPolicyArns, buf[:])
	in.PolicyArns = l.policyArns()
	return in
}

func (d *decoder) assumeRoot() *sts.AssumeRootInput {
	in := &sts.AssumeRootInput{
		DurationSeconds:         d.int32("DurationSeconds"),
		MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
		TargetPrincipal:         d.str("TargetPrincipal"),
	}
	// TaskPolicyArn is a structure, not a list: TaskPolicyArn.arn (§1.1).
	// The Go SDK sends nothing for a structure whose Arn is nil, so an
	// absent TaskPolicyArn.arn means a nil TaskPolicyArn.
	if arn := d.str("TaskPolicyArn.arn"); arn != nil {
		in.TaskPolicyArn = &types.PolicyDescriptorType{Arn: arn}
	}
	return in
}

func (d *decoder) getFederationToken() *sts.GetFederationTokenInput {
	in := &sts.GetFederationTokenInput{
		DurationSeconds:         d.int32("DurationSeconds"),
		MinimumSessionTokenSize: d.int32("MinimumSessionTokenSize"),
		Name:                    d.str("Name"),
		Policy:                  d.str("Policy"),
	}
	var buf [12]entry
	l := scanLists(d.form, listPolicyArns|listTags, buf[:])
	in.PolicyArns = l.policyArns()
	in.Tags = l.tags()
	return in
}

func (d *decoder) getWebIdentityToken() *sts.GetWebIdentityTokenInput {
	in := &sts.GetWebIdentityTokenInput{
		DurationSeconds:  d.int32("DurationSeconds"),
		SigningAlgorithm: d.str("SigningAlgorithm"),
	}
	var buf [12]entry
	l := scanLists(d.form, listAudience|listTags, buf[:])
	in.Audience = l.strings(listAudience)
	in.Tags = l.tags()
	return in
}
