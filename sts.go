package fakests

import (
	"crypto/rand"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/internal/sigv4"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file is the engine itself: the Engine type, New and every Option,
// and the state that lives as long as an engine (the randomness, the
// session store, the authorization and federation settings). Each Option
// documents its default.

// federationState holds an engine's identity providers (Engine.federation).
type federationState struct {
	mu   sync.RWMutex
	oidc map[string]*oidcProvider // by "<account>/<URL without https://>"
	saml map[string]*samlProvider // by provider ARN
}

// federationState returns e's identity providers.
func (e *Engine) federationState() *federationState { return &e.federation }

// Defaults of an Engine made by New with no options.
const (
	// DefaultAccountID is the account of the default IAM user and of
	// entities created without an Account.
	DefaultAccountID = "123456789012"
	// DefaultRegion is the region whose STS endpoint the engine plays.
	DefaultRegion = "us-east-1"
	// DefaultUserName is the IAM user that callers without credentials (and,
	// in lenient mode, callers with unknown access keys) act as.
	DefaultUserName = "fakests-default"
)

// Engine is an in-process AWS STS. Its typed methods have exactly the
// signatures of *sts.Client's, so an Engine satisfies any interface a user
// carved out of the client; Config, APIOption, ClientOption and Handler route
// real clients and HTTP requests into the same engine.
//
// An Engine is safe for concurrent use. The zero value is not usable: call
// New.
type Engine struct {
	account string
	region  string
	now     func() time.Time
	strict  bool
	// sessionTokenChains holds GetSessionToken sessions to the role-chaining
	// cap (WithSessionTokenChainingLimit).
	sessionTokenChains bool

	randMu sync.Mutex // guards rand when it is not crypto/rand
	rand   io.Reader
	// randSafe reports whether rand is safe for concurrent use without randMu.
	randSafe bool

	mu       sync.RWMutex        // guards accounts and keys
	accounts map[string]*account // by account ID
	keys     map[string]*longTermKey

	sessions *session.Store[sessionInfo]
	verifier *sigv4.Verifier
	mfaMu    sync.Mutex // guards the used steps of every MFA device

	// defaultUser is the user callers without credentials act as; Restore
	// replaces it.
	defaultUser atomic.Pointer[user]
	authz       policyState     // authorization settings and caches (options_policy.go)
	federation  federationState // OIDC and SAML providers (assume_federated.go)
	outbound    outboundState   // outbound identity federation and trade-in tokens (outbound.go, delegation.go)
	orgs        orgState        // organizations (org.go)
	regions     regionState     // per-account region settings (regions.go)
	// served lists the regions a signature's credential scope may name
	// (regions.go): the engine's own first, then us-east-1 and the rest of
	// the aws partition.
	served []string

	journal journalState // the call journal (journal.go)
	faults  faultState   // injected faults (faults.go)

	// stateMu orders changes against Snapshot, Restore and LogChanges
	// (snapshot.go): every change to the engine's state holds it for
	// reading, together with the lock of what it changes, while it changes
	// the state and writes its change record; those three hold it for
	// writing, and so see each change whole or not at all. Nothing that
	// holds it for reading takes it again.
	stateMu sync.RWMutex
	clog    changeLog // the change log (changelog.go)
}

// Option configures an Engine in New.
type Option func(*Engine)

// WithAccountID sets the default account: the default IAM user's account and
// the account of entities created without one. Default: "123456789012".
func WithAccountID(id string) Option {
	return func(e *Engine) { e.account = id }
}

// WithRegion sets the engine's default region: the Region of the
// aws.Config that Config returns, and the region of typed calls whose
// optFns set none. STS requests may be signed for any region of the aws
// partition (and for this one, should it be outside the partition); a
// request to the host sts.amazonaws.com, or a typed call with region
// aws-global, is the global endpoint, served as us-east-1 (behaviour §1.4,
// §13). Authenticate, which verifies requests to other services, accepts
// this region only. Default: "us-east-1".
func WithRegion(region string) Option {
	return func(e *Engine) { e.region = region }
}

// WithClock sets the engine clock that stamps issue times and judges expiry.
// Request freshness (SigV4's 15-minute window) and the HTTP Date header follow
// the wall clock instead, because clients sign with theirs. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(e *Engine) { e.now = now }
}

// WithRand sets the source of randomness for keys, secrets, tokens and IDs:
// the same bytes give the same values. Reads are serialized, so any reader
// will do. Default: crypto/rand.Reader.
func WithRand(r io.Reader) Option {
	return func(e *Engine) { e.rand, e.randSafe = r, false }
}

// Strict makes the engine as unforgiving as real STS: unknown access keys get
// InvalidClientTokenId and roles that were never created get AccessDenied.
// Without it (lenient mode, the default) any unknown access key acts as the
// default IAM user, and AssumeRole on a role that was never created succeeds
// as if the role trusted the caller, with a one-hour MaxSessionDuration.
// Whatever was created is enforced in both modes.
func Strict() Option {
	return func(e *Engine) { e.strict = true }
}

// WithPresignWindowFixed makes presigned requests valid for 15 minutes
// after their X-Amz-Date whatever their X-Amz-Expires says, as real STS is
// reported to treat presigned GetCallerIdentity URLs (the EKS and Vault
// login flows; unverified). Default: X-Amz-Expires is honoured, as SigV4
// defines it.
func WithPresignWindowFixed() Option {
	return func(e *Engine) {
		e.verifier = sigv4.NewVerifierWithOptions(sigv4.Options{IgnorePresignedExpires: true})
	}
}

// WithSessionTokenChainingLimit holds AssumeRole calls made with
// GetSessionToken credentials to the one-hour role-chaining cap, as users
// reported of STS in 2018 (behaviour §5; unverified today). Default: only role
// sessions count as chaining.
func WithSessionTokenChainingLimit() Option {
	return func(e *Engine) { e.sessionTokenChains = true }
}

// New returns an engine with one account and its default IAM user.
func New(opts ...Option) *Engine {
	e := &Engine{
		account:  DefaultAccountID,
		region:   DefaultRegion,
		now:      time.Now,
		rand:     rand.Reader,
		randSafe: true,
		accounts: make(map[string]*account),
		keys:     make(map[string]*longTermKey),
		sessions: session.NewStore[sessionInfo](),
		verifier: sigv4.NewVerifier(),
	}
	for _, o := range opts {
		o(e)
	}
	e.served = e.servedRegions()
	u, err := e.createUser(UserSpec{Name: DefaultUserName, Policies: []string{adminPolicy}})
	if err != nil {
		panic("fakests: cannot create the default user: " + err.Error())
	}
	e.defaultUser.Store(u)
	return e
}

// adminPolicy is the default user's identity policy: everything is allowed,
// so that lenient tests are not stopped by authorization they did not set up.
const adminPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// AccountID returns the engine's default account.
func (e *Engine) AccountID() string { return e.account }

// Region returns the engine's default region (WithRegion).
func (e *Engine) Region() string { return e.region }

// Now returns the engine clock's time.
func (e *Engine) Now() time.Time { return e.now() }

// random returns the engine's source of randomness, serialized when the
// reader given to WithRand may not be safe for concurrent use.
func (e *Engine) random() io.Reader {
	if e.randSafe {
		return e.rand
	}
	return lockedReader{e}
}

// lockedReader serializes reads of a user-supplied reader.
type lockedReader struct{ e *Engine }

// Read reads from the engine's reader under its lock.
func (l lockedReader) Read(b []byte) (int, error) {
	l.e.randMu.Lock()
	defer l.e.randMu.Unlock()
	return l.e.rand.Read(b)
}

// SweepExpired forgets the sessions that expired before the engine clock's
// now minus grace, and returns how many it forgot. Until swept, an expired
// session's holder is told ExpiredToken, as AWS does; after, its key is
// unknown (InvalidClientTokenId in strict mode). Engines live as long as a
// test, so most never need this; long-lived emulators may call it now and
// then.
func (e *Engine) SweepExpired(grace time.Duration) int {
	cutoff := e.now().Add(-grace)
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	if err := e.logChange(func(c *changeRecord) { c.SweptBefore = timePtr(cutoff) }); err != nil {
		return 0
	}
	return e.sessions.Sweep(cutoff)
}

// SessionCount returns how many issued sessions the engine holds, expired
// ones included.
func (e *Engine) SessionCount() int { return e.sessions.Len() }

// WithoutPackedPolicyLimit turns off the PackedPolicyTooLarge check: session
// policies and tags of any packed size are accepted, PackedPolicySize
// reports the percentage even when it exceeds 100, and the session token
// grows with the packed size until it reaches the 4,096-byte maximum. Use it to model STS after
// the 2026-09 change, where the session-token size limit
// (MinimumSessionTokenSize, SessionTokenUtilization) is what bounds a
// session. Default: the limit is enforced, as documented before that change.
func WithoutPackedPolicyLimit() Option {
	return func(e *Engine) { e.policyState().noPackedLimit.Store(true) }
}

// policyState is per-engine state of authorization: the packed-size switch,
// the key that seals authorization messages, and parsed resource policies.
// Every Engine holds one (Engine.authz).
type policyState struct {
	noPackedLimit atomic.Bool

	keyMu sync.Mutex                 // serializes drawing the key
	key   atomic.Pointer[messageKey] // seals authorization messages; drawn on first use (authmessage.go)

	resources    sync.Map // resource policy document → *policy.Policy
	resourcesLen atomic.Int32
}

// policyState returns e's authorization state.
func (e *Engine) policyState() *policyState { return &e.authz }

// sessionInfo is what the engine attaches to each session it issues.
type sessionInfo struct {
	typ            PrincipalType
	origin         string // the operation that issued the session
	account        string
	arn, userID    string
	sessionName    string
	user           *user // IAM user behind GetSessionToken and GetFederationToken sessions
	role           *role // role behind role sessions
	root           bool  // the account root's session: GetSessionToken by root, or AssumeRoot
	sourceIdentity string
	tags           []tags.Tag       // session tags (principal tags overlay role/user tags)
	transitive     []tags.Tag       // transitive tags, inherited by chained sessions
	policies       []*policy.Policy // the inline session policy
	policyARNs     []string         // managed session policies, read when used (behaviour §6)
	hasPolicy      bool             // session policies were passed (GetFederationToken without one has no permissions)
	mfaAt          time.Time        // when MFA was last proven in this chain (zero: never)
	federated      string           // the identity provider of federated role sessions
	context        map[string][]string

	// taskPolicyARN is an AssumeRoot session's task policy, its deny-only
	// ceiling (root_tasks.go); "" for other sessions.
	taskPolicyARN string
}
