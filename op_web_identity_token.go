package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/tags"
)

// GetWebIdentityToken returns a JSON Web Token that says who the caller is,
// signed with its account's key, for services outside AWS that trust the
// account's issuer (outbound identity federation, behaviour §11.11, §16).
// The account must have turned the feature on
// (EnableOutboundWebIdentityFederation). A relying party verifies the token
// with the key set that Handler serves at the issuer's
// /.well-known/jwks.json.
//
// The checks run in the order AWS's recorded answers show: the model's
// constraints; the algorithm (RS256 or ES384); duplicate tag keys;
// sts:GetWebIdentityToken, then sts:TagGetWebIdentityToken when tags are
// passed, both on arn:aws:sts::<account>:self, their denials carrying AWS's
// reason; the refusal of GetFederationToken sessions; a token that would
// outlive the caller's session; the feature being off; the claims' size.
func (e *Engine) GetWebIdentityToken(ctx context.Context, in *sts.GetWebIdentityTokenInput, optFns ...func(*sts.Options)) (*sts.GetWebIdentityTokenOutput, error) {
	return serveTyped(e, ctx, opGetWebIdentityToken, in, optFns, e.getWebIdentityToken)
}

func (e *Engine) getWebIdentityToken(ctx context.Context, c *apiCall, in *sts.GetWebIdentityTokenInput) (*sts.GetWebIdentityTokenOutput, error) {
	p, err := e.caller(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := validateWebIdentityToken(in); err != nil {
		return nil, err
	}
	reqTags := requestTags(in.Tags)
	if err := tags.CheckDuplicates(reqTags); err != nil {
		return nil, err
	}
	alg := *in.SigningAlgorithm
	d := seconds(in.DurationSeconds, webTokenDefaultSeconds)
	now := e.now()
	self := arn.STS(p.Account, "self")
	cond := e.baseContext(ctx, p, now)
	cond["sts:IdentityTokenAudience"] = in.Audience
	cond["sts:SigningAlgorithm"] = []string{alg}
	cond["sts:DurationSeconds"] = []string{itoa(int(d / time.Second))} // the default too (behaviour §11.11)
	if len(reqTags) > 0 {
		keys := make([]string, len(reqTags))
		for i, t := range reqTags {
			cond["aws:RequestTag/"+t.Key] = []string{t.Value}
			keys[i] = t.Key
		}
		cond["aws:TagKeys"] = keys
	}
	if err := e.deniedWithReason(p, "sts:GetWebIdentityToken", self, cond); err != nil {
		return nil, err
	}
	if len(reqTags) > 0 {
		if err := e.deniedWithReason(p, "sts:TagGetWebIdentityToken", self, cond); err != nil {
			return nil, err
		}
	}
	if p.Type == FederatedUser {
		return nil, newError(apierror.CodeAccessDenied, msgWebIdentityTokenFederated)
	}
	now = now.Truncate(time.Millisecond)
	expiration := now.Add(d)
	if p.Temporary && !expiration.Before(p.Expiration) {
		// Checked before the feature switch: AWS answers so even while the
		// feature is off (behaviour §11.11). A token exactly as long as the
		// session is refused too ("must be before"; unverified at the edge).
		return nil, newError(apierror.CodeSessionDurationEscalationException, msgSessionDurationEscalation)
	}
	a := e.outboundAccountFor(p.Account)
	if a == nil {
		return nil, newError(apierror.CodeOutboundWebIdentityFederationDisabledException, msgOutboundDisabled)
	}
	jti, err := newUUID(e.random())
	if err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	claims := &webIdentityClaims{
		audience: in.Audience, subject: principalIAMARN(p), issuer: a.issuer, id: jti,
		issuedAt: now.Unix(), expires: now.Unix() + int64(d/time.Second),
		account: p.Account, region: c.region,
		principalTags: p.Tags, requestTags: reqTags, sourceIdentity: p.SourceIdentity,
	}
	if p.Temporary {
		claims.sessionExpiry = p.Expiration
	}
	if orgID, ouPaths, ok := e.orgOf(p.Account); ok {
		claims.orgID, claims.ouPaths = orgID, ouPaths
	}
	payload := claims.appendJSON(make([]byte, 0, 1024))
	if len(payload) > maxClaimsBytes {
		return nil, newError(apierror.CodeJWTPayloadSizeExceededException, msgJWTPayloadTooLarge)
	}
	token, err := e.signOutbound(a, alg, payload)
	if err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	return &sts.GetWebIdentityTokenOutput{WebIdentityToken: aws.String(token), Expiration: aws.Time(expiration)}, nil
}

// outboundAccountFor returns acct's outbound federation while it is on, or
// nil.
func (e *Engine) outboundAccountFor(acct string) *outboundAccount {
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[acct]; a != nil && a.enabled {
		return a
	}
	return nil
}

// signOutbound signs payload with a's key for alg.
func (e *Engine) signOutbound(a *outboundAccount, alg string, payload []byte) (string, error) {
	if alg == algRS256 {
		k, err := e.outboundRSAKey(a)
		if err != nil {
			return "", err
		}
		return signWebIdentityToken(k, nil, payload)
	}
	k, err := e.outboundECKey(a)
	if err != nil {
		return "", err
	}
	return signWebIdentityToken(nil, k, payload)
}

// principalIAMARN is the IAM identity behind p, the sub and principal_id of
// its tokens (behaviour §16): an IAM user's ARN (for GetSessionToken
// sessions too), the role's ARN with its path for a role session, the
// account root's ARN for root.
func principalIAMARN(p *Principal) string {
	switch {
	case p.role != nil:
		return p.role.arn
	case p.user != nil:
		return p.user.arn
	}
	return p.ARN
}
