package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/tags"
)

// samlPersistent are the saml:* keys that stay on a SAML session and are
// seen by its later requests (behaviour §12); the others exist only while the
// trust policy of AssumeRoleWithSAML is evaluated.
var samlPersistent = [...]string{"saml:namequalifier", "saml:sub", "saml:sub_type"}

// AssumeRoleWithSAML exchanges a signed SAML 2.0 response for a role
// session (behaviour §11.2). The caller is anonymous: the wire does not
// authenticate the operation and a typed call needs no WithCaller (one is
// ignored). PrincipalArn must name a SAML provider (CreateSAMLProvider);
// the response is verified against its metadata on the engine clock
// (signature, Issuer, time conditions, audience, Recipient, NameID,
// attributes), and the requested (RoleArn, PrincipalArn) pair must be one
// of the response's Role attribute values.
// The role's trust policy must allow sts:AssumeRoleWithSAML for the
// provider's ARN as a Federated principal, with condition keys saml:aud
// (the Recipient), saml:iss, saml:sub, saml:sub_type, saml:namequalifier,
// saml:doc and the attribute-mapped saml:* keys, aws:FederatedProvider,
// sts:RoleSessionName (the RoleSessionName attribute) and, from the
// PrincipalTag, TransitiveTagKeys and SourceIdentity attributes,
// aws:RequestTag/*, aws:TagKeys, sts:TransitiveTagKeys and
// sts:SourceIdentity (behaviour §7, §8, §12); tags need sts:TagSession and a
// source identity sts:SetSourceIdentity. Only saml:namequalifier, saml:sub
// and saml:sub_type stay on the session.
//
// The session lasts DurationSeconds (default 3600; above the role's
// MaxSessionDuration is a ValidationError, §5), cut short by the
// assertion's SessionNotOnOrAfter and by its SessionDuration attribute,
// whichever ends first.
//
// Differences from AWS (unverified choices): an unknown PrincipalArn is
// InvalidIdentityToken "Specified provider doesn't exist." (AWS documents
// the text, not the code); a SessionNotOnOrAfter already passed is
// ExpiredTokenException; the provider need not be in the role's account
// (the trust policy decides); a Role pair is matched by exact string.
func (e *Engine) AssumeRoleWithSAML(ctx context.Context, in *sts.AssumeRoleWithSAMLInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithSAMLOutput, error) {
	return serveTyped(e, ctx, opAssumeRoleWithSAML, in, optFns, e.assumeRoleWithSAML)
}

func (e *Engine) assumeRoleWithSAML(ctx context.Context, c *apiCall, in *sts.AssumeRoleWithSAMLInput) (*sts.AssumeRoleWithSAMLOutput, error) {
	if err := validateSAML(in); err != nil {
		return nil, err
	}
	prov := e.samlProviderByARN(*in.PrincipalArn)
	if prov == nil {
		return nil, newError(apierror.CodeInvalidIdentityToken, msgNoSAMLProvider)
	}
	now := e.now()
	login, err := fedverify.VerifySAMLResponse(*in.SAMLAssertion, fedverify.SAMLCheck{Metadata: prov.metadata, Now: now})
	if err != nil {
		return nil, err
	}
	// §11.2: the requested role must be one the IdP maps the user to, with
	// this provider.
	if !hasRolePair(login.Roles, *in.RoleArn, prov.arn) {
		return nil, errorf(apierror.CodeAccessDenied, msgFederatedNotAuthorized, "sts:AssumeRoleWithSAML")
	}
	notAfter, err := samlSessionEnd(login, now)
	if err != nil {
		return nil, err
	}

	keys := login.ConditionKeys(prov.account, prov.name)
	persist := make(map[string][]string, len(samlPersistent))
	for _, k := range samlPersistent {
		persist[k] = keys[k]
	}
	var principalTags []tags.Tag
	if len(login.PrincipalTags) > 0 {
		principalTags = tags.FromMap(login.PrincipalTags)
	}
	res, err := e.assumeFederated(ctx, &federatedLogin{
		op: c.op, action: "sts:AssumeRoleWithSAML",
		provider: prov.arn, roleARN: *in.RoleArn, sessionName: login.RoleSessionName,
		tags: principalTags, transitiveKeys: login.TransitiveTagKeys, sourceIdentity: login.SourceIdentity,
		conditions: keys, persist: persist,
		policy: in.Policy, policyARNs: in.PolicyArns, duration: in.DurationSeconds,
		notAfter: notAfter, minTokenSize: in.MinimumSessionTokenSize, region: c.region,
	})
	if err != nil {
		return nil, err
	}
	return &sts.AssumeRoleWithSAMLOutput{
		Credentials:             res.Credentials,
		AssumedRoleUser:         res.AssumedRoleUser,
		PackedPolicySize:        res.PackedPolicySize,
		Subject:                 aws.String(login.NameID),
		SubjectType:             aws.String(keys["saml:sub_type"][0]),
		Issuer:                  aws.String(login.Issuer),
		Audience:                aws.String(login.Recipient), // §11.2: the Recipient, not the AudienceRestriction
		NameQualifier:           aws.String(keys["saml:namequalifier"][0]),
		SourceIdentity:          res.SourceIdentity,
		SessionTokenSize:        res.SessionTokenSize,
		SessionTokenUtilization: res.SessionTokenUtilization,
	}, nil
}

// hasRolePair reports whether the verified Role attribute pairs roleARN
// with providerARN (the verifier has already put each pair in role,
// provider order).
func hasRolePair(roles [][2]string, roleARN, providerARN string) bool {
	for _, p := range roles {
		if p[0] == roleARN && p[1] == providerARN {
			return true
		}
	}
	return false
}

// samlSessionEnd returns the hard end of the session the assertion allows
// (§11.2): the earlier of SessionNotOnOrAfter and now + the SessionDuration
// attribute, or the zero time when it has neither. A SessionNotOnOrAfter
// that has already passed is ExpiredTokenException (unverified choice).
func samlSessionEnd(l *fedverify.SAMLLogin, now time.Time) (time.Time, error) {
	end := l.SessionNotOnOrAfter
	if !end.IsZero() && !now.Before(end) {
		return time.Time{}, errorf(apierror.CodeExpiredTokenException, msgSAMLSessionOver,
			end.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if l.SessionDuration > 0 {
		if byAttr := now.Add(time.Duration(l.SessionDuration) * time.Second); end.IsZero() || byAttr.Before(end) {
			end = byAttr
		}
	}
	return end, nil
}
