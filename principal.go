package fakests

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// PrincipalType says what kind of identity made a request.
type PrincipalType int

// The kinds of principal STS distinguishes.
const (
	// Anonymous is an unsigned request (AssumeRoleWithSAML and
	// AssumeRoleWithWebIdentity are sent this way).
	Anonymous PrincipalType = iota
	// Root is an account's root user, with its long-term key.
	Root
	// IAMUser is an IAM user, with its long-term key or with credentials
	// from GetSessionToken.
	IAMUser
	// AssumedRole is a role session from AssumeRole, AssumeRoleWithSAML or
	// AssumeRoleWithWebIdentity.
	AssumedRole
	// FederatedUser is a session from GetFederationToken.
	FederatedUser
)

// String returns the aws:PrincipalType value of the kind.
func (t PrincipalType) String() string {
	return [...]string{"Anonymous", "Account", "User", "AssumedRole", "FederatedUser"}[t]
}

// Principal is who signed a request, as the engine authenticated it.
type Principal struct {
	Type    PrincipalType
	Account string // the principal's account (the role's account for role sessions)
	ARN     string // what GetCallerIdentity reports as Arn
	UserID  string // what GetCallerIdentity reports as UserId (aws:userid)
	// AccessKeyID is the key the request was signed with ("" if anonymous).
	AccessKeyID string
	// Temporary reports session credentials (ASIA…) as opposed to a long-term key.
	Temporary bool
	// SessionName is the role session name or federated user name.
	SessionName string
	// RoleARN is the role behind an AssumedRole session.
	RoleARN string
	// SourceIdentity is the session's source identity, if one was set.
	SourceIdentity string
	// Tags are the principal tags (aws:PrincipalTag/*): the user's or role's
	// tags overlaid by session tags.
	Tags []tags.Tag
	// IssuedAt and Expiration bound a temporary session (zero otherwise).
	IssuedAt, Expiration time.Time

	user *user        // the IAM user behind IAMUser and FederatedUser principals
	role *role        // the role behind AssumedRole
	sess *sessionInfo // the session, for temporary credentials
	via  *requestInfo // the transport of the request Authenticate verified (nil otherwise)
}

// sessionInfo is what the engine attaches to each session it issues.
type sessionInfo struct {
	typ            PrincipalType
	origin         string // the operation that issued the session
	account        string
	arn, userID    string
	sessionName    string
	user           *user // IAM user behind GetSessionToken and GetFederationToken sessions
	role           *role // role behind role sessions
	root           bool  // GetSessionToken by the account root
	sourceIdentity string
	tags           []tags.Tag // session tags (principal tags overlay role/user tags)
	transitive     []tags.Tag // transitive tags, inherited by chained sessions
	policies       []*policy.Policy
	hasPolicy      bool      // session policies were passed (GetFederationToken without one has no permissions)
	mfaAt          time.Time // when MFA was last proven in this chain (zero: never)
	federated      string    // the identity provider of federated role sessions
	context        map[string][]string
}

// callerKey keys the caller credentials in a context.
type callerKey struct{}

// WithCaller returns a context whose typed engine calls act as the holder of
// creds: an IAM user's or root's long-term key, or temporary credentials
// from an earlier call. Without it, typed calls act as the default IAM user.
// The credentials are checked as the wire would check a signature: a wrong
// secret gets SignatureDoesNotMatch, an unknown key or wrong session token
// InvalidClientTokenId, an expired session ExpiredToken.
func WithCaller(ctx context.Context, creds aws.Credentials) context.Context {
	return context.WithValue(ctx, callerKey{}, creds)
}

// callerCreds returns the credentials WithCaller put in ctx.
func callerCreds(ctx context.Context) (aws.Credentials, bool) {
	c, ok := ctx.Value(callerKey{}).(aws.Credentials)
	return c, ok
}

// principalKey keys a principal authenticated by the wire layer.
type principalKey struct{}

// withPrincipal records a principal the wire layer already authenticated.
func withPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}
