package fakests

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/session"
	"github.com/fakests/fakests/tags"
)

// Token payload sizes by operation, in bytes before base64: chosen so the
// tokens are as long as AWS's typically are (hundreds of characters; role
// sessions longer than GetSessionToken's). Packed session policies and tags
// add to them (facts §2.3, §6).
const (
	payloadSessionToken    = 230
	payloadFederationToken = 330
	payloadRoleSession     = 560
)

// issued is a minted set of temporary credentials.
type issued struct {
	creds     *types.Credentials
	tokenSize int32
	tokenUtil int32
}

// issue mints temporary credentials for info, valid for d from now, and
// stores the session. payload is the token body size; minSize is the
// request's MinimumSessionTokenSize.
func (e *Engine) issue(op string, info *sessionInfo, now time.Time, d time.Duration, payload int, minSize *int32) (*issued, error) {
	r := e.random()
	keyID, err := session.NewAccessKeyID(session.PrefixTemporaryKey, info.account, r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	secret, err := session.NewSecretAccessKey(r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	spec := session.TokenSpec{Payload: payload}
	if minSize != nil {
		spec.MinimumSize = int(*minSize)
	}
	token, err := session.NewSessionToken(spec, r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	exp := now.Add(d).UTC().Truncate(time.Second)
	// The stored session keeps its own copy of info and one allocation for
	// all its strings: a live session is two heap objects for the GC to
	// mark, and no string of the request pins the request's memory.
	stored := &session.Session[sessionInfo]{
		AccessKeyID: keyID, SecretAccessKey: secret, TokenDigest: session.DigestOf(token),
		IssuedAt: now, Expiration: exp, Value: *info,
	}
	v := &stored.Value
	packStrings(&stored.AccessKeyID, &stored.SecretAccessKey, &v.arn, &v.userID, &v.sessionName, &v.sourceIdentity)
	e.sessions.Put(stored)
	return &issued{
		creds:     &types.Credentials{AccessKeyId: aws.String(keyID), SecretAccessKey: aws.String(secret), SessionToken: aws.String(token), Expiration: aws.Time(exp)},
		tokenSize: int32(len(token)),
		tokenUtil: int32(session.Utilization(len(token))),
	}, nil
}

// seconds returns DurationSeconds or a default, as a duration.
func seconds(p *int32, def int) time.Duration {
	if p == nil {
		return time.Duration(def) * time.Second
	}
	return time.Duration(*p) * time.Second
}

// roleSession describes a role session to issue, whichever operation
// assumes the role (AssumeRole, AssumeRoleWithWebIdentity,
// AssumeRoleWithSAML): everything authorization has already settled.
type roleSession struct {
	op       string
	role     *role
	name     string // the role session name
	now      time.Time
	duration time.Duration
	// policy, policyARNs and requestTags are what the request passed: they
	// are packed into the token (§6) and make PackedPolicySize appear.
	policy      *string
	policyARNs  []types.PolicyDescriptorType
	requestTags []tags.Tag
	// The rest is recorded on the session for later requests.
	policies       []*policy.Policy
	tags           []tags.Tag
	transitive     []tags.Tag
	sourceIdentity string
	mfaAt          time.Time
	federated      string
	context        map[string][]string
	minTokenSize   *int32
}

// issuedRole is an issued role session, ready to copy into an output.
type issuedRole struct {
	Credentials                               *types.Credentials
	AssumedRoleUser                           *types.AssumedRoleUser
	PackedPolicySize                          *int32 // only when policies or tags were passed (§6)
	SourceIdentity                            *string
	SessionTokenSize, SessionTokenUtilization *int32
}

// issueRoleSession packs the session policies and tags, mints the
// credentials and stores the session (facts §2.2, §6, §11.1).
func (e *Engine) issueRoleSession(s *roleSession) (*issuedRole, error) {
	var packed *int32
	payload := payloadRoleSession
	if s.policy != nil || len(s.policyARNs) > 0 || len(s.requestTags) > 0 {
		pk, err := e.pack(s.op, s.policy, s.policyARNs, s.requestTags)
		if err != nil {
			return nil, err
		}
		packed = aws.Int32(int32(pk.Percent))
		payload += pk.Bytes
	}
	r := s.role
	info := &sessionInfo{typ: AssumedRole, origin: s.op, account: r.account,
		arn:    "arn:aws:sts::" + r.account + ":assumed-role/" + r.name + "/" + s.name,
		userID: r.id + ":" + s.name, sessionName: s.name, role: r,
		sourceIdentity: s.sourceIdentity, tags: s.tags, transitive: s.transitive,
		policies: s.policies, hasPolicy: len(s.policies) > 0, mfaAt: s.mfaAt,
		federated: s.federated, context: s.context}
	iss, err := e.issue(s.op, info, s.now, s.duration, payload, s.minTokenSize)
	if err != nil {
		return nil, err
	}
	out := &issuedRole{
		Credentials:             iss.creds,
		AssumedRoleUser:         &types.AssumedRoleUser{Arn: aws.String(info.arn), AssumedRoleId: aws.String(info.userID)},
		PackedPolicySize:        packed,
		SessionTokenSize:        &iss.tokenSize,
		SessionTokenUtilization: &iss.tokenUtil,
	}
	if s.sourceIdentity != "" {
		out.SourceIdentity = aws.String(s.sourceIdentity)
	}
	return out, nil
}

// packStrings copies the strings into one allocation and points each at its
// copy.
func packStrings(ps ...*string) {
	n := 0
	for _, p := range ps {
		n += len(*p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range ps {
		b.WriteString(*p)
	}
	all, off := b.String(), 0
	for _, p := range ps {
		l := len(*p)
		*p = all[off : off+l]
		off += l
	}
}
