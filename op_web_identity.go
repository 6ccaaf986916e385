package fakests

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/tags"
)

// AssumeRoleWithWebIdentity exchanges an OIDC ID token for a role session
// (behaviour §11.3). The caller is anonymous: the wire does not authenticate the
// operation and a typed call needs no WithCaller (one is ignored). The token
// must come from an OIDC provider (CreateOIDCProvider) of the role's account
// whose URL is the token's "iss"; it is verified against the provider's keys
// and client IDs on the engine clock. The role's trust policy must allow
// sts:AssumeRoleWithWebIdentity for the provider's ARN as a Federated
// principal, with condition keys <provider>:sub, :aud, :amr and :oaud (the
// "aud" claim, present when the token has "azp"), aws:FederatedProvider,
// sts:RoleSessionName and, from the token's session-tag and source-identity
// claims, aws:RequestTag/*, aws:TagKeys, sts:TransitiveTagKeys and
// sts:SourceIdentity (behaviour §7, §8, §12); tags need sts:TagSession and a
// source identity sts:SetSourceIdentity.
//
// Differences from AWS: ProviderId (OAuth 2.0 access tokens of Amazon and
// Facebook) is accepted and ignored, every token being read as an OIDC ID
// token; provider-specific keys beyond sub, aud, amr and oaud (Google's,
// Facebook's, GitHub's custom claims) are not set.
func (e *Engine) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return serveTyped(e, ctx, opAssumeRoleWithWebIdentity, in, optFns, e.assumeRoleWithWebIdentity)
}

func (e *Engine) assumeRoleWithWebIdentity(ctx context.Context, c *apiCall, in *sts.AssumeRoleWithWebIdentityInput) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	if err := validateWebIdentity(in); err != nil {
		return nil, err
	}
	token := *in.WebIdentityToken
	iss, err := fedverify.PeekIssuer(token)
	if err != nil {
		return nil, err
	}
	// The provider must be in the role's account (behaviour §11.3: "your
	// account"; which account exactly is unverified).
	roleARN, _ := arn.Parse(*in.RoleArn) // the shape was validated
	prov := e.oidcProviderFor(roleARN.Account, iss)
	if prov == nil {
		return nil, errorf(apierror.CodeInvalidIdentityToken, msgNoOIDCProvider, iss)
	}
	keys, err := prov.keys(ctx)
	if err != nil {
		return nil, err
	}
	id, err := fedverify.VerifyWebIdentityToken(token, fedverify.WebIdentityCheck{
		Keys: keys, ClientIDs: prov.clientIDs, Now: e.now()})
	if err != nil {
		return nil, err
	}

	keysOf := webIdentityConditions(prov.key, id)
	var principalTags []tags.Tag
	if len(id.PrincipalTags) > 0 {
		principalTags = tags.FromMap(id.PrincipalTags)
	}
	res, err := e.assumeFederated(ctx, &federatedLogin{
		op: c.op, action: "sts:AssumeRoleWithWebIdentity",
		provider: prov.arn, roleARN: *in.RoleArn, sessionName: *in.RoleSessionName,
		tags: principalTags, transitiveKeys: id.TransitiveTagKeys, sourceIdentity: id.SourceIdentity,
		conditions: keysOf, persist: keysOf,
		policy: in.Policy, policyARNs: in.PolicyArns, duration: in.DurationSeconds,
		minTokenSize: in.MinimumSessionTokenSize, region: c.region,
	})
	if err != nil {
		return nil, err
	}
	return &sts.AssumeRoleWithWebIdentityOutput{
		Credentials:                 res.Credentials,
		AssumedRoleUser:             res.AssumedRoleUser,
		PackedPolicySize:            res.PackedPolicySize,
		Provider:                    aws.String(prov.arn), // observed: the provider ARN, not iss (§11.3)
		SubjectFromWebIdentityToken: aws.String(id.Subject),
		Audience:                    aws.String(id.Audience),
		SourceIdentity:              res.SourceIdentity,
		SessionTokenSize:            res.SessionTokenSize,
		SessionTokenUtilization:     res.SessionTokenUtilization,
	}, nil
}

// webIdentityConditions returns the provider's condition keys for a
// verified token (behaviour §12): <p>:sub, <p>:aud (the matched client ID:
// "azp" when present, else the "aud" element the provider lists), <p>:amr
// (multi-valued, when the token has "amr") and, when the token has "azp",
// <p>:oaud with the "aud" claim's values (AWS documents :oaud for Google;
// fakests applies it to every provider, as the verifier applies azp).
func webIdentityConditions(p string, id *fedverify.WebIdentity) map[string][]string {
	c := map[string][]string{
		p + ":sub": {id.Subject},
		p + ":aud": {id.Audience},
	}
	if len(id.AMR) > 0 {
		c[p+":amr"] = id.AMR
	}
	if _, ok := id.Claims["azp"]; ok {
		switch aud := id.Claims["aud"].(type) {
		case string:
			c[p+":oaud"] = []string{aud}
		case []any:
			vals := make([]string, 0, len(aud))
			for _, a := range aud {
				if s, ok := a.(string); ok {
					vals = append(vals, s)
				}
			}
			c[p+":oaud"] = vals
		}
	}
	return c
}
