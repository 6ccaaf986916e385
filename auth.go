package fakests

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/sigv4"
	"github.com/fakests/fakests/tags"
)

// This file says who is calling. It turns an access key (and session token)
// into a Principal, for the typed methods (WithCaller) and for the wire
// (after the SigV4 check), and serves emulators of other AWS services with
// Authenticate:
//
//	p, err := e.Authenticate(r)
//	if err != nil { ... answer with err.(*fakests.AuthError).Status ... }
//	d, err := e.Authorize(r.Context(), p, fakests.Request{Action: "s3:GetObject", Resource: arn})
//	if !d.Allowed { ... 403, e.EncodeAuthorizationMessage(d) ... }

// AuthError is an authentication failure from Authenticate, as STS would
// report it (behaviour §10): Code is the wire code (InvalidClientTokenId,
// ExpiredToken, SignatureDoesNotMatch, IncompleteSignature or
// MissingAuthenticationToken), Status its HTTP status. It implements
// smithy.APIError.
type AuthError = apierror.Error

// Authenticate verifies the SigV4 signature of a request made to any AWS
// service (Authorization header or presigned query string) with keys this
// engine knows: IAM users' and roots' long-term keys and every session it
// issued. The credential scope may name any service, but its region must be
// the engine's (WithRegion). Failures are *AuthError with STS's codes and
// texts: an unsigned request is MissingAuthenticationToken, an unknown key
// InvalidClientTokenId (in lenient mode it acts as the default user, as on
// the STS wire), an expired session ExpiredToken, a wrong signature, a stale
// date or a foreign region SignatureDoesNotMatch.
//
// Authenticate reads the whole body to hash it (up to 1 MiB) and restores
// r.Body, so the caller can read it again. It verifies a request as a server
// received it: when the Content-Length header is absent (client-side
// requests carry the length outside the header map) the signed length is
// r.ContentLength. The canonical URI is encoded as for every service but S3
// (each path segment escaped once more); sign S3-style requests with the
// SDK signer's defaults, not with DisableURIPathEscaping. Unless the
// credential scope names S3 (s3, s3-object-lambda, s3express), the path is
// normalised first, as SigV4 asks and botocore and the JS SDK do: empty, "."
// and ".." segments are dropped, so a request signed for "/" and sent to
// "//" verifies (behaviour §1.4). S3 paths are taken as sent, as the SDK
// signer's defaults sign them. An
// X-Amz-Content-Sha256 header must be the hex SHA-256 of the body
// (UNSIGNED-PAYLOAD and streaming signatures are not accepted for header
// authentication). A presigned request signed with UNSIGNED-PAYLOAD is
// accepted whatever its body, as S3's presigned uploads need: such a body is
// not covered by the signature, so do not take it as the signer's.
//
// Freshness (the 15-minute window) is judged on the wall clock, expiry of
// the credentials on the engine clock, as for STS requests. The returned
// principal remembers the request's source IP, transport and user agent for
// Authorize's aws:SourceIp, aws:SecureTransport and aws:UserAgent.
func (e *Engine) Authenticate(r *http.Request) (*Principal, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("fakests: reading the request body: %w", err)
		}
		if len(body) > maxBody {
			return nil, errorf(apierror.CodeSignatureDoesNotMatch, "fakests: request body larger than %d bytes", maxBody)
		}
	}
	p, _, _, err := e.verifySigned(r, body, "", e.region)
	if err != nil {
		return nil, err
	}
	ri := requestInfoOf(r)
	p.via = &ri
	return e.seal(p), nil
}

// verifySigned authenticates a signed request: it parses the signature,
// checks its scope against service ("" for any) and regions, looks the key
// up and verifies the signature against body on the wall clock. It returns
// the signer and the region the request was signed for. The wire (for STS)
// and Authenticate (for any service) share it. bodySigned is false when the
// signature does not cover a non-empty body (a presigned request signed with
// UNSIGNED-PAYLOAD); an unknown key in lenient mode, whose signature is not
// checked at all, counts as covering it.
func (e *Engine) verifySigned(r *http.Request, body []byte, service string, regions ...string) (p *Principal, region string, bodySigned bool, err error) {
	sig, err := sigv4.Parse(r)
	if err != nil {
		return nil, "", false, err
	}
	if sig == nil {
		return nil, "", false, newError(apierror.CodeMissingAuthenticationToken, msgMissingAuthToken)
	}
	if err := e.verifier.Validate(sig, time.Now(), service, regions...); err != nil {
		return nil, "", false, err
	}
	p, secret, err := e.lookupKey(sig.AccessKeyID, sig.SecurityToken)
	if err != nil {
		return nil, "", false, err
	}
	// A key of an account that has the (opt-in) region disabled is not
	// recognized there at all (behaviour §13).
	if !e.regionEnabled(p.Account, sig.Scope.Region) {
		return nil, "", false, callerRegionError()
	}
	p.region = sig.Scope.Region
	if secret == "" {
		return p, sig.Scope.Region, true, nil
	}
	if bodySigned, err = e.verifier.VerifyValidated(r, body, sig, secret); err != nil {
		return nil, "", false, err
	}
	return p, sig.Scope.Region, bodySigned, nil
}

// lookupKey resolves an access key ID and session token to the principal
// they belong to and the secret the request must have been signed with. In
// lenient mode an unknown key resolves to the default user with an empty
// secret (no signature check). Expiry is checked by the caller.
func (e *Engine) lookupKey(keyID, token string) (*Principal, string, error) {
	e.mu.RLock()
	key := e.keys[keyID]
	// An Inactive or deleted key authenticates nothing, not even as an
	// unknown key in lenient mode (behaviour §18).
	refused := key != nil && (key.inactive || key.deleted)
	e.mu.RUnlock()
	if key != nil {
		if token != "" || refused {
			return nil, "", newError(apierror.CodeInvalidClientTokenID, msgInvalidClientTokenID)
		}
		if key.user == nil {
			return e.rootPrincipal(key.account, keyID), key.secret, nil
		}
		return e.userPrincipal(key.user, keyID), key.secret, nil
	}
	if sess, ok := e.sessions.Get(keyID); ok {
		if token == "" || !sess.TokenMatches(token) {
			return nil, "", newError(apierror.CodeInvalidClientTokenID, msgInvalidClientTokenID)
		}
		if sess.Expired(e.now()) {
			return nil, "", newError(apierror.CodeExpiredToken, msgExpiredToken)
		}
		s := &sess.Value
		p := &Principal{
			Type: s.typ, Account: s.account, ARN: s.arn, UserID: s.userID,
			AccessKeyID: keyID, Temporary: true, SessionName: s.sessionName,
			SourceIdentity: s.sourceIdentity, IssuedAt: sess.IssuedAt, Expiration: sess.Expiration,
			user: s.user, role: s.role, sess: s,
		}
		e.mu.RLock() // IAM's TagRole and TagUser change the entity's tags
		switch {
		case s.role != nil:
			p.RoleARN = s.role.arn
			p.Tags = tags.Overlay(s.role.tags, s.tags)
		case s.user != nil:
			p.Tags = tags.Overlay(s.user.tags, s.tags)
		}
		e.mu.RUnlock()
		return p, sess.SecretAccessKey, nil
	}
	if e.strict {
		return nil, "", newError(apierror.CodeInvalidClientTokenID, msgInvalidClientTokenID)
	}
	p := e.userPrincipal(e.defaultUser.Load(), keyID)
	return p, "", nil
}

// rootPrincipal describes an account root calling with its long-term key.
func (e *Engine) rootPrincipal(acct, keyID string) *Principal {
	return &Principal{Type: Root, Account: acct, ARN: arn.Root(acct), UserID: acct, AccessKeyID: keyID}
}

// userPrincipal describes an IAM user calling with its long-term key.
// It reads the user's tags under e.mu, which the caller must not hold.
func (e *Engine) userPrincipal(u *user, keyID string) *Principal {
	e.mu.RLock()
	ts := u.tags
	e.mu.RUnlock()
	return &Principal{Type: IAMUser, Account: u.account, ARN: u.arn, UserID: u.id, AccessKeyID: keyID,
		SessionName: u.name, Tags: ts, user: u}
}

// principalOf returns who holds creds, making a request for region,
// checked as a signature would check them: an unknown key or wrong token is
// InvalidClientTokenId (in lenient mode an unknown key is the default
// user), an expired session ExpiredToken, a key of an account that has the
// opt-in region disabled InvalidClientTokenId without the period, a wrong
// secret SignatureDoesNotMatch.
func (e *Engine) principalOf(creds aws.Credentials, region string) (*Principal, error) {
	p, secret, err := e.lookupKey(strings.TrimSpace(creds.AccessKeyID), creds.SessionToken)
	if err != nil {
		return nil, err
	}
	if !e.regionEnabled(p.Account, region) {
		return nil, callerRegionError()
	}
	p.region = region
	if secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(creds.SecretAccessKey)) != 1 {
		return nil, newError(apierror.CodeSignatureDoesNotMatch, msgSignatureDoesNotMatch)
	}
	return p, nil
}

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
	// region is the region the request was made in (aws:RequestedRegion);
	// "" for the engine's.
	region string
	// seal is the engine's own copy of a principal it handed out
	// (Authenticate, Engine.Principal): Authorize decides on the seal, so
	// a Principal built or altered by hand is refused, not trusted.
	seal *sealed
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

// authenticate sets the endpoint of the wire call c, its caller (the
// principal that signed r) and its region, the one r was signed for.
//
// The Host says which endpoint r reached (behaviour §1.4, §13): the global
// endpoint sts.amazonaws.com refuses the operations it does not serve
// before anything else and takes signatures for us-east-1 only; a regional
// STS host, signatures for its own region; any other host (a test
// server's), signatures for any region the engine serves. The operations
// sent unsigned are in the region of a regional host, else in the
// engine's.
//
// A request may do only what its signature covers: the parameters of a
// POST body that the signature does not cover (a presigned URL signed with
// UNSIGNED-PAYLOAD) would add to or override the signed query, Action
// included, so such a request is refused as SignatureDoesNotMatch
// (behaviour §1.4). A GET's body is never read as parameters.
func (e *Engine) authenticate(c *apiCall, r *http.Request, body []byte) error {
	hostRegion, global := e.stsEndpointOf(requestHost(r))
	c.global = global
	if global {
		if err := globalRefusal(c.op); err != nil {
			return err
		}
		hostRegion = globalSigningRegion
	}
	if unsignedOp(c.op) {
		c.region = hostRegion
		if c.region == "" {
			c.region, _ = resolveRegion(e.region)
		}
		c.principal = &Principal{Type: Anonymous, region: c.region}
		return nil
	}
	var p *Principal
	var region string
	var bodySigned bool
	var err error
	if hostRegion != "" {
		p, region, bodySigned, err = e.verifySigned(r, body, "sts", hostRegion)
	} else {
		p, region, bodySigned, err = e.verifySigned(r, body, "sts", e.served...)
	}
	if err != nil {
		return err
	}
	if !bodySigned && r.Method != http.MethodGet {
		return newError(apierror.CodeSignatureDoesNotMatch, msgSignatureDoesNotMatch)
	}
	c.principal, c.region = p, region
	return nil
}

// requestInfoOf extracts what policies may test about the transport.
func requestInfoOf(r *http.Request) requestInfo {
	ri := requestInfo{userAgent: r.UserAgent(), secure: r.TLS != nil || r.URL != nil && r.URL.Scheme == "https"}
	// A client-side request (the adapter's) has no RemoteAddr; skipping it
	// saves SplitHostPort the error it would allocate.
	if r.RemoteAddr != "" {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			ri.sourceIP = host
		}
	}
	return ri
}

// sealed is a principal as the engine handed it out, with the engine that
// did.
type sealed struct {
	p      Principal
	engine *Engine
}

// seal records p as handed out by e and returns it.
func (e *Engine) seal(p *Principal) *Principal {
	c := *p
	c.Tags = slices.Clone(p.Tags)
	p.seal = &sealed{p: c, engine: e}
	return p
}

// Principal returns who holds creds, as Authenticate would find the signer
// of a request made with them, for Authorize: an IAM user's or root's
// long-term key, or temporary credentials the engine issued. It fails as a
// request would: a wrong secret is SignatureDoesNotMatch, an unknown key or
// wrong session token InvalidClientTokenId (in lenient mode an unknown key
// is the default user), an expired session ExpiredToken. Every error is an
// *apierror.Error.
func (e *Engine) Principal(creds aws.Credentials) (*Principal, error) {
	region, _ := resolveRegion(e.region)
	p, err := e.principalOf(creds, region)
	if err != nil {
		return nil, err
	}
	return e.seal(p), nil
}

// requestInfo is what the wire knows about a request that policies can test.
type requestInfo struct {
	sourceIP  string
	userAgent string
	secure    bool
}

type requestInfoKey struct{}

// requestInfoCtx carries a request's requestInfo. It is context.WithValue in
// one allocation: WithValue would box the struct in a second one on every
// wire call.
type requestInfoCtx struct {
	context.Context
	ri requestInfo
}

// Value returns the requestInfo (as a *requestInfo) for requestInfoKey and
// asks the parent for every other key.
func (c *requestInfoCtx) Value(key any) any {
	if _, ok := key.(requestInfoKey); ok {
		return &c.ri
	}
	return c.Context.Value(key)
}

// withRequestInfo returns a context carrying ri.
func withRequestInfo(ctx context.Context, ri requestInfo) context.Context {
	return &requestInfoCtx{Context: ctx, ri: ri}
}

// requestInfoFrom returns the requestInfo withRequestInfo put in ctx.
func requestInfoFrom(ctx context.Context) (requestInfo, bool) {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return *ri, true
	}
	return requestInfo{}, false
}

// maxBody caps the request bodies the engine reads (the largest legal STS
// request, a 100,000-character SAML assertion, fits with room to spare).
const maxBody = 1 << 20

// unsignedOps are sent anonymously by the SDK and accepted that way (§1.4).
func unsignedOp(action string) bool {
	return action == opAssumeRoleWithSAML || action == opAssumeRoleWithWebIdentity
}
