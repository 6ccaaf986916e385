package fakests

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file mints sessions: the duration bounds of every credential-issuing
// operation, session policies (inline Policy and managed PolicyArns) and
// their packed size with the session tags, and the credentials themselves.

// Token payload sizes by operation, in bytes before base64: chosen so the
// tokens are as long as AWS's typically are (hundreds of characters; role
// sessions longer than GetSessionToken's). Packed session policies and tags
// add to them (behaviour §2.3, §6).
const (
	payloadSessionToken    = 230
	payloadFederationToken = 330
	payloadRoleSession     = 560
)

// issuedCreds is a minted set of temporary credentials.
type issuedCreds struct {
	creds     *types.Credentials
	tokenSize int32
	tokenUtil int32
}

// maxKeyDraws is how many access key IDs the engine draws for one key
// before it gives up: with 39 random bits per account, a second draw is
// needed about once in 550 billion keys, an eighth only from a WithRand
// reader that repeats itself.
const maxKeyDraws = 8

// issue mints temporary credentials for info, valid for d from now, and
// stores the session. payload is the token body size; minSize is the
// request's MinimumSessionTokenSize; mfa, when not nil, is the MFA code the
// request proved, used up only once the session is stored (behaviour §9).
// The session never takes the key ID of another: on a collision the ID is
// drawn again. A failed issue leaves no trace.
func (e *Engine) issue(info *sessionInfo, now time.Time, d time.Duration, payload int, minSize *int32, mfa *mfaClaim) (*issuedCreds, error) {
	r := e.random()
	keyID, err := session.NewAccessKeyID(session.PrefixTemporaryKey, info.account, r)
	if err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	secret, err := session.NewSecretAccessKey(r)
	if err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	spec := session.TokenSpec{Payload: payload}
	if minSize != nil {
		spec.MinimumSize = int(*minSize)
	}
	token, digest, err := session.MintSessionToken(spec, r)
	if err != nil {
		return nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	exp := now.Add(d).UTC().Truncate(time.Second)
	// The stored session keeps its own copy of info and one allocation for
	// all its strings: a live session is two heap objects for the GC to
	// mark, and no string of the request pins the request's memory.
	stored := &session.Session[sessionInfo]{
		AccessKeyID: keyID, SecretAccessKey: secret, TokenDigest: digest,
		IssuedAt: now, Expiration: exp, Value: *info,
	}
	v := &stored.Value
	packStrings(&stored.AccessKeyID, &stored.SecretAccessKey, &v.arn, &v.userID, &v.sessionName, &v.sourceIdentity)
	if err := e.storeSession(stored, mfa, r); err != nil {
		return nil, err
	}
	return &issuedCreds{
		creds:     &types.Credentials{AccessKeyId: aws.String(stored.AccessKeyID), SecretAccessKey: aws.String(secret), SessionToken: aws.String(token), Expiration: aws.Time(exp)},
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
	managed        []string // managed session policies by ARN
	tags           []tags.Tag
	transitive     []tags.Tag
	sourceIdentity string
	mfaAt          time.Time
	federated      string
	context        map[string][]string
	minTokenSize   *int32
	// mfa is the MFA code the request proved, used up when the session is
	// issued (nil without one).
	mfa *mfaClaim
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
// credentials and stores the session (behaviour §2.2, §6, §11.1).
func (e *Engine) issueRoleSession(s *roleSession) (*issuedRole, error) {
	var packed *int32
	payload := payloadRoleSession
	if s.policy != nil || len(s.policyARNs) > 0 || len(s.requestTags) > 0 {
		pk, err := e.pack(s.policy, s.policyARNs, s.requestTags)
		if err != nil {
			return nil, err
		}
		packed = aws.Int32(int32(pk.Percent))
		payload += pk.Bytes
	}
	// Lenient mode's stand-in for a role that was never created is kept
	// only once a session of it is issued (behaviour §11.1).
	r, undo, err := e.keepImplicitRole(s.role)
	if err != nil {
		return nil, err
	}
	info := &sessionInfo{typ: AssumedRole, origin: s.op, account: r.account,
		arn:    arn.STS(r.account, "assumed-role/"+r.name+"/"+s.name),
		userID: r.id + ":" + s.name, sessionName: s.name, role: r,
		sourceIdentity: s.sourceIdentity, tags: s.tags, transitive: s.transitive,
		policies: s.policies, policyARNs: s.managed, hasPolicy: len(s.policies)+len(s.managed) > 0, mfaAt: s.mfaAt,
		federated: s.federated, context: s.context}
	iss, err := e.issue(info, s.now, s.duration, payload, s.minTokenSize, s.mfa)
	if err != nil {
		undo()
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

// Duration bounds of the AssumeRole family (behaviour §5).
const (
	roleMinSeconds     = 900
	roleMaxSeconds     = 43200
	roleDefaultSeconds = 3600
	chainMaxSeconds    = 3600
	maxProvidedContext = 5
)

// Duration bounds of GetSessionToken and GetFederationToken (behaviour §5).
const (
	tokenMinSeconds     = 900
	tokenMaxSeconds     = 129600
	tokenDefaultSeconds = 43200
	rootMaxSeconds      = 3600
)

// Packing of session policies and tags (behaviour §6)
//
// Every credential-issuing operation that receives session policies (Policy,
// PolicyArns) or session tags packs them into the session token, as STS
// does. fakests models the packing with session.Pack: each inline policy is
// compacted (whitespace outside strings removed) and compressed together
// with the managed policy ARNs; the tags are compressed separately; the sum
// is reported as a percentage of session.PackedCapacity (896 compressed
// bytes), rounded up, in PackedPolicySize. The percentages are of the same
// order as AWS's (a small one-statement policy reports about 10–16 %), not
// AWS's exact numbers, which depend on an undocumented binary format.
//
// Over 100 % the request fails with PackedPolicyTooLarge (HTTP 400): when
// the tags alone exceed the allotment with AWS's observed text "Packed size
// of session tags consumes N% of allotted space.", otherwise with "Packed
// policy consumes N% of allotted space, please use smaller policy."
// (unverified). This is the limit as AWS documented it before the 2026-09
// change that replaced it with a 4,096-byte session-token limit
// (SessionTokenUtilization); whether STS still raises PackedPolicyTooLarge
// after that change is unverified (behaviour §6), so the limit
// can be turned off with WithoutPackedPolicyLimit.

// pack computes the packed size of a request's session policies and tags
// (packSession), and fails with PackedPolicyTooLarge over 100 % unless the
// engine was made WithoutPackedPolicyLimit.
func (e *Engine) pack(inline *string, arns []types.PolicyDescriptorType, ts []tags.Tag) (session.Packed, error) {
	pk, err := packSession(inline, arns, ts)
	if err != nil && e.policyState().noPackedLimit.Load() {
		// The token still grows with what it carries, up to the largest
		// token STS issues (session.MaxTokenSize); the percentage is kept.
		pk.Bytes = min(pk.Bytes, maxPackedPayload)
		return pk, nil
	}
	return pk, err
}

// maxPackedPayload is the most packed bytes a session token can carry on
// top of the largest base payload (a role session's) without exceeding
// session.MaxTokenSize once base64-encoded (16 bytes spare for the header).
const maxPackedPayload = session.MaxTokenSize/4*3 - 16 - payloadRoleSession

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// sessionPolicies parses the inline session policy and checks the managed
// ones, which a session keeps by ARN and reads when it is used, as AWS
// evaluates them live (behaviour §6). It returns MalformedPolicyDocument
// for a bad inline document or an unknown managed policy.
func (e *Engine) sessionPolicies(inline *string, arns []types.PolicyDescriptorType) ([]*policy.Policy, []string, error) {
	var out []*policy.Policy
	if inline != nil {
		p, err := policy.Parse(*inline, policy.Identity)
		if err != nil {
			return nil, nil, newError(apierror.CodeMalformedPolicyDocument, err.Error())
		}
		p.Name = "session-policy"
		out = append(out, p)
	}
	var managed []string
	e.mu.RLock()
	defer e.mu.RUnlock()
	for _, a := range arns {
		if e.managedLocked(deref(a.Arn)) == nil {
			return nil, nil, errorf(apierror.CodeMalformedPolicyDocument, msgPolicyNotAttachable, deref(a.Arn))
		}
		managed = append(managed, deref(a.Arn))
	}
	return out, managed, nil
}

// sessionPolicySetLocked returns the session policies of s as they are
// now: the inline one, and the default version of each managed one. A
// managed policy deleted since the session was issued allows nothing
// (choice). e.mu must be held.
func (e *Engine) sessionPolicySetLocked(s *sessionInfo) []*policy.Policy {
	if len(s.policyARNs) == 0 {
		return s.policies
	}
	out := append(make([]*policy.Policy, 0, len(s.policies)+len(s.policyARNs)), s.policies...)
	for _, a := range s.policyARNs {
		mp := e.managedLocked(a)
		if mp == nil {
			mp = &policy.Policy{Name: a}
		}
		out = append(out, mp)
	}
	return out
}

// packSession computes the packed size of a request's session policies and
// tags, failing with PackedPolicyTooLarge over 100 %.
func packSession(inline *string, arns []types.PolicyDescriptorType, ts []tags.Tag) (session.Packed, error) {
	var docs, arnList []string
	if inline != nil {
		docs = []string{*inline}
	}
	for _, a := range arns {
		arnList = append(arnList, deref(a.Arn))
	}
	pairs := make([][2]string, len(ts))
	for i, t := range ts {
		pairs[i] = [2]string{t.Key, t.Value}
	}
	pk := session.Pack(docs, arnList, pairs)
	switch {
	case pk.TagsPercent > 100:
		return pk, errorf(apierror.CodePackedPolicyTooLarge, msgPackedTagsTooLarge, pk.TagsPercent)
	case pk.Percent > 100:
		return pk, errorf(apierror.CodePackedPolicyTooLarge, msgPackedPolicyTooLarge, pk.Percent)
	}
	return pk, nil
}

// requestTags converts the SDK's tags (already checked for nil members).
func requestTags(in []types.Tag) []tags.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]tags.Tag, len(in))
	for i, t := range in {
		out[i] = tags.Tag{Key: deref(t.Key), Value: deref(t.Value)}
	}
	return out
}
