package fakests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/internal/sigv4"
	"github.com/fakests/fakests/policy"
)

// This file serves emulators of other AWS services: they authenticate a
// SigV4-signed request with the credentials this engine issued
// (Authenticate), decide it with IAM's evaluation logic (Authorize), and
// answer a denial with an encoded message that DecodeAuthorizationMessage
// decodes (EncodeAuthorizationMessage, authmessage.go).
//
//	p, err := e.Authenticate(r)
//	if err != nil { ... answer with err.(*fakests.AuthError).Status ... }
//	d, err := e.Authorize(r.Context(), p, fakests.Request{Action: "s3:GetObject", Resource: arn})
//	if !d.Allowed { ... 403, e.EncodeAuthorizationMessage(d) ... }

// opAuthenticate names Authenticate in errors it shares with STS operations.
const opAuthenticate = "Authenticate"

// AuthError is an authentication failure from Authenticate, as STS would
// report it (facts §10): Code is the wire code (InvalidClientTokenId,
// ExpiredToken, SignatureDoesNotMatch, IncompleteSignature or
// MissingAuthenticationToken), Status its HTTP status. It implements
// smithy.APIError.
type AuthError struct {
	Code    string
	Status  int
	Message string
}

// Error returns "Code: Message".
func (e *AuthError) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns e.Code.
func (e *AuthError) ErrorCode() string { return e.Code }

// ErrorMessage returns e.Message.
func (e *AuthError) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient: every authentication failure is the sender's.
func (e *AuthError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatus returns e.Status.
func (e *AuthError) HTTPStatus() int { return e.Status }

// asAuthError converts the errors of verifySigned into *AuthError.
func asAuthError(err error) error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return &AuthError{Code: se.Code, Status: se.Status, Message: se.Message}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return &AuthError{Code: ae.ErrorCode(), Status: lookupCode(ae.ErrorCode()).status, Message: ae.ErrorMessage()}
	}
	return err
}

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
// SDK signer's defaults, not with DisableURIPathEscaping. An
// X-Amz-Content-Sha256 header must be the hex SHA-256 of the body
// (UNSIGNED-PAYLOAD and streaming signatures are not accepted for header
// authentication).
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
			return nil, &AuthError{Code: codeSignatureDoesNotMatch.code, Status: codeSignatureDoesNotMatch.status,
				Message: fmt.Sprintf("fakests: request body larger than %d bytes", maxBody)}
		}
	}
	p, err := e.verifySigned(opAuthenticate, r, body, "", e.region)
	if err != nil {
		return nil, asAuthError(err)
	}
	ri := requestInfoOf(r)
	p.via = &ri
	return p, nil
}

// verifySigned authenticates a signed request: it parses the signature,
// checks its scope against service ("" for any) and regions, looks the key
// up and verifies the signature against body on the wall clock. The wire
// (for STS) and Authenticate (for any service) share it.
func (e *Engine) verifySigned(op string, r *http.Request, body []byte, service string, regions ...string) (*Principal, error) {
	sig, err := sigv4.Parse(r)
	if err != nil {
		return nil, err
	}
	if sig == nil {
		return nil, newError(op, codeMissingAuthToken, msgMissingAuthToken)
	}
	if err := e.verifier.Validate(sig, time.Now(), service, regions...); err != nil {
		return nil, err
	}
	p, secret, err := e.lookupKey(op, sig.AccessKeyID, sig.SecurityToken)
	if err != nil {
		return nil, err
	}
	if secret != "" {
		if err := e.verifier.Verify(r, body, sig, secret, time.Now()); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Request is what an emulated service asks Authorize about.
type Request struct {
	// Action is the action asked for, such as "s3:GetObject".
	Action string
	// Resource is the ARN acted on ("*" for actions without a resource).
	Resource string
	// Context holds the request's service-specific condition keys (such as
	// s3:prefix or aws:ResourceTag/<k>). They are added to the global keys
	// Authorize fills in from the principal, replacing any of the same name
	// (ignoring case). aws:ResourceAccount names the resource's account when
	// the ARN does not (S3); without either the resource is taken to be in
	// the principal's account.
	Context map[string][]string
	// ResourcePolicy is the resource-based policy document attached to the
	// resource (a bucket policy, a key policy...), or "" for none.
	ResourcePolicy string
}

// Decision is Authorize's answer.
type Decision struct {
	// Allowed is true when the request is allowed.
	Allowed bool
	// ExplicitDeny is true when a Deny statement applied, in any policy.
	ExplicitDeny bool
	// Reasons explain the decision in words: each statement that applied
	// and the rule that settled it.
	Reasons []string
	// Matched lists every statement that applied: identity policies first,
	// then session policies, then the resource policy.
	Matched []policy.Match
	// Principal, Action and Resource are what was decided.
	Principal        *Principal
	Action, Resource string
	// Context is every condition key the policies saw.
	Context map[string][]string

	matchedPolicies []*policy.Policy // parallel to Matched
}

// Authorize decides whether p may perform req, as IAM does for a request
// inside one partition (facts §6, §11.1):
//
//   - identity-based permissions are p's identity policies (the user's or
//     the role's inline and managed policies), intersected with the
//     session policies p's session was created with; GetFederationToken
//     sessions without a session policy have none; root has all;
//   - a resource policy naming p (by its session ARN, the role or user
//     ARN, or the account) grants on its own within p's account, and must
//     also allow a cross-account request, where the identity side must
//     allow too. Session policies limit what the resource policy grants
//     through the role or user ARN or the account, not what it grants to
//     the session ARN itself;
//   - an explicit Deny in any policy wins.
//
// The global condition keys are filled in from p and the engine:
// aws:PrincipalArn (the role ARN for role sessions), aws:PrincipalAccount,
// aws:PrincipalType, aws:PrincipalTag/*, aws:userid, aws:username (IAM
// users), aws:SourceIdentity, aws:TokenIssueTime, aws:MultiFactorAuthPresent
// and aws:MultiFactorAuthAge (temporary credentials),
// aws:FederatedProvider, aws:CurrentTime and aws:EpochTime on the engine
// clock, aws:RequestedRegion (the engine's region), and aws:SourceIp,
// aws:SecureTransport, aws:UserAgent from the request Authenticate saw.
// req.Context is added on top. Permissions boundaries, service control
// policies and session-less anonymous access beyond a resource policy's
// "*" are not modelled.
//
// The error is non-nil only for a nil principal, an empty action or a
// resource policy that does not parse (a *policy.Error).
func (e *Engine) Authorize(ctx context.Context, p *Principal, req Request) (*Decision, error) {
	if p == nil {
		return nil, errors.New("fakests: Authorize needs a principal")
	}
	if req.Action == "" {
		return nil, errors.New("fakests: Authorize needs an action")
	}
	var rp *policy.Policy
	if req.ResourcePolicy != "" {
		var err error
		if rp, err = e.resourcePolicy(req.ResourcePolicy); err != nil {
			return nil, err
		}
	}
	if p.via != nil {
		if _, ok := ctx.Value(requestInfoKey{}).(requestInfo); !ok {
			ctx = withRequestInfo(ctx, *p.via)
		}
	}
	c := e.baseContext(ctx, p, e.now())
	for k, v := range req.Context {
		for bk := range c {
			if strings.EqualFold(bk, k) {
				delete(c, bk)
			}
		}
		c[k] = v
	}
	d := &Decision{Principal: p, Action: req.Action, Resource: req.Resource, Context: c}
	pr := &policy.Request{Action: req.Action, Resource: req.Resource, Context: c}

	identity, sessPols := e.identityPolicies(p)
	var idDec policy.Decision
	switch {
	case p.Type == Anonymous:
	case p.Type == Root || (p.sess != nil && p.sess.root):
		idDec.Allowed = true
		d.Reasons = append(d.Reasons, "the account root user's identity-based permissions are unlimited")
	default:
		idDec = policy.Evaluate(pr, identity...)
		d.record("identity policy", idDec, identity)
	}
	hasSession := p.sess != nil && p.sess.hasPolicy
	sessionAllows := true
	if hasSession {
		sd := policy.Evaluate(pr, sessPols...)
		d.record("session policy", sd, sessPols)
		d.ExplicitDeny = d.ExplicitDeny || sd.ExplicitDeny
		sessionAllows = sd.Allowed
	}
	d.ExplicitDeny = d.ExplicitDeny || idDec.ExplicitDeny
	idAllows := idDec.Allowed && sessionAllows

	resGrants := false
	if rp != nil {
		rreq := *pr
		rreq.Principal = resourcePrincipal(p)
		rd := policy.Evaluate(&rreq, rp)
		d.record("resource policy", rd, []*policy.Policy{rp})
		d.ExplicitDeny = d.ExplicitDeny || rd.ExplicitDeny
		resGrants = rd.Allowed && sessionAllows
		if rd.Allowed && !sessionAllows && p.Type != Anonymous {
			// A grant to the session itself is not limited by its session policies.
			rreq.Principal = &policy.Principal{Type: "AWS", IDs: []string{p.ARN}}
			resGrants = policy.Evaluate(&rreq, rp).Allowed
		}
	}

	cross := resourceAccount(req.Resource, c) != "" && resourceAccount(req.Resource, c) != p.Account
	switch {
	case d.ExplicitDeny:
		d.Reasons = append(d.Reasons, "denied: an explicit Deny applies")
	case cross && idAllows && resGrants:
		d.Allowed = true
		d.Reasons = append(d.Reasons, "allowed: cross-account request allowed by both the identity side and the resource policy")
	case cross && idAllows:
		d.Reasons = append(d.Reasons, "denied: cross-account request and the resource policy does not allow "+req.Action+" for this principal")
	case cross && resGrants:
		d.Reasons = append(d.Reasons, "denied: cross-account request and no identity-based policy allows "+req.Action)
	case idAllows || resGrants:
		d.Allowed = true
		d.Reasons = append(d.Reasons, "allowed: an identity-based or resource-based policy allows "+req.Action)
	case idDec.Allowed && !sessionAllows:
		d.Reasons = append(d.Reasons, "denied: an identity policy allows "+req.Action+" but no session policy does")
	default:
		d.Reasons = append(d.Reasons, "denied: no identity-based or resource-based policy allows "+req.Action+" (implicit deny)")
	}
	return d, nil
}

// record notes the statements of one evaluation in d.
func (d *Decision) record(kind string, pd policy.Decision, pols []*policy.Policy) {
	for _, m := range pd.Matched {
		d.Matched = append(d.Matched, m)
		var from *policy.Policy
		for _, p := range pols {
			if p.Name == m.Policy {
				from = p
				break
			}
		}
		d.matchedPolicies = append(d.matchedPolicies, from)
		verb := "allows"
		if m.Effect == policy.Deny {
			verb = "denies"
		}
		sid := ""
		if m.Sid != "" {
			sid = fmt.Sprintf(" (Sid %q)", m.Sid)
		}
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s %q statement %d%s %s", kind, m.Policy, m.Index, sid, verb))
	}
}

// resourcePrincipal is how p appears to a resource policy's Principal: its
// own ARN, the role or IAM user behind a session, and its account.
func resourcePrincipal(p *Principal) *policy.Principal {
	if p.Type == Anonymous {
		return &policy.Principal{}
	}
	ids := []string{p.ARN}
	switch {
	case p.RoleARN != "":
		ids = append(ids, p.RoleARN)
	case p.user != nil && p.user.arn != p.ARN:
		ids = append(ids, p.user.arn)
	}
	return &policy.Principal{Type: "AWS", IDs: ids, Account: p.Account}
}

// resourceAccount returns the account that owns the resource: the
// aws:ResourceAccount key when given, else the ARN's account field.
func resourceAccount(resource string, c map[string][]string) string {
	for k, v := range c {
		if strings.EqualFold(k, "aws:ResourceAccount") && len(v) > 0 {
			return v[0]
		}
	}
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		return parts[4]
	}
	return ""
}
