package fakests

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/policy"
)

// This file models the outcome of IAM temporary delegation for partners
// (behaviour §11.8): a customer identity accepts a partner's delegation
// request, IAM sends the partner a trade-in token, and the partner exchanges
// it with GetDelegatedAccessToken for credentials that act as the accepting
// identity within the delegated permissions. CreateDelegation stands for the
// whole IAM side (CreateDelegationRequest, AcceptDelegationRequest,
// SendDelegationToken): it returns the token the partner would receive.
//
// Delegations are plain data kept in outboundState.delegations by token
// until exchanged.

// DelegationSpec describes a delegation that a customer identity accepted,
// for CreateDelegation.
type DelegationSpec struct {
	// Account is the delegating account. Default: the Principal's account;
	// when given it must be the Principal's.
	Account string
	// Principal is the identity that accepted the delegation request, as an
	// ARN: an IAM user (arn:aws:iam::<acct>:user/<path><name>), a role
	// (arn:aws:iam::<acct>:role/<path><name>), a role session
	// (arn:aws:sts::<acct>:assumed-role/<role>/<session>) or the account root
	// (arn:aws:iam::<acct>:root). The user or role must have been created.
	// Required.
	Principal string
	// Policy is an inline policy document: the delegated permissions. With
	// PolicyARNs it is the ceiling of the delegated session, whose
	// permissions are the Principal's identity policies intersected with
	// these, as for session policies. "" for none.
	Policy string
	// PolicyARNs are managed policies (CreateManagedPolicy, in the
	// Principal's account) that join Policy as the ceiling.
	PolicyARNs []string
	// SessionDuration is how long the delegated session lasts, counted from
	// CreateDelegation (AWS starts the window when the customer sends the
	// token, SendDelegationToken): 300 seconds to 12 hours, whole seconds.
	// Default: one hour.
	SessionDuration time.Duration
	// TokenLifetime is how long the trade-in token can be exchanged, on the
	// engine clock from CreateDelegation; after that (or once the session
	// window has passed) GetDelegatedAccessToken answers
	// ExpiredTradeInTokenException. Default: one hour.
	TokenLifetime time.Duration
}

// Bounds of DelegationSpec (behaviour §11.8; IAM's sessionDurationType).
const (
	delegationMinSession     = 300 * time.Second
	delegationMaxSession     = 12 * time.Hour
	delegationDefaultSession = time.Hour
	delegationDefaultToken   = time.Hour
	// delegatedSessionName names the session of a delegation accepted as a
	// role rather than a role session (fakests' choice: AWS's is unknown).
	delegatedSessionName = "DelegatedAccess"
)

// delegation is one accepted delegation whose trade-in token has not been
// exchanged yet.
type delegation struct {
	account      string
	principal    string // the accepting identity's ARN: AssumedPrincipal
	kind         delegatedKind
	entity       string // the IAM user's or role's ARN ("" for root)
	sessionName  string // the role session's name (role principals)
	policy       *string
	policyARNs   []string
	sessionEnd   time.Time // when the delegated session ends
	tokenExpires time.Time // when the trade-in token stops being exchangeable
	// claimed marks a delegation an exchange is under way for (guarded by
	// outboundState.mu): others see it as used; it is removed once the
	// session is issued, released if the exchange fails. Not state: a
	// snapshot holds a claimed delegation as not exchanged.
	claimed bool
}

// delegatedKind is what kind of identity accepted a delegation.
type delegatedKind int

const (
	delegatedUser delegatedKind = iota
	delegatedRole
	delegatedRoot
)

// CreateDelegation records that spec.Principal accepted a temporary
// delegation and returns the trade-in token that IAM would send the partner,
// an opaque string that GetDelegatedAccessToken exchanges, once, for
// credentials of a session acting as the Principal with the delegated
// policies as its ceiling (behaviour §11.8). It needs no caller; its errors
// are plain Go errors.
func (e *Engine) CreateDelegation(spec DelegationSpec) (string, error) {
	d, err := e.newDelegation(spec)
	if err != nil {
		return "", err
	}
	var b [48]byte
	if _, err := io.ReadFull(e.random(), b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.delegations == nil {
		s.delegations = make(map[string]*delegation)
	}
	if s.delegations[token] != nil {
		return "", fmt.Errorf("fakests: the engine's randomness repeated a trade-in token")
	}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Delegations: []delegationJSON{delegationToJSON(token, d)}} }); err != nil {
		return "", err
	}
	s.delegations[token] = d
	return token, nil
}

// newDelegation checks spec and resolves its principal and policies.
func (e *Engine) newDelegation(spec DelegationSpec) (*delegation, error) {
	p, ok := arn.Parse(spec.Principal)
	if !ok || !isAccountID(p.Account) {
		return nil, fmt.Errorf("fakests: delegation principal %q is not an IAM user, role, role session or root ARN", spec.Principal)
	}
	if spec.Account != "" && spec.Account != p.Account {
		return nil, fmt.Errorf("fakests: delegation principal %s is not in account %s", spec.Principal, spec.Account)
	}
	if spec.SessionDuration == 0 {
		spec.SessionDuration = delegationDefaultSession
	}
	if spec.SessionDuration < delegationMinSession || spec.SessionDuration > delegationMaxSession || spec.SessionDuration%time.Second != 0 {
		return nil, fmt.Errorf("fakests: delegation SessionDuration %v is not whole seconds from 300s to 12h", spec.SessionDuration)
	}
	if spec.TokenLifetime == 0 {
		spec.TokenLifetime = delegationDefaultToken
	}
	if spec.TokenLifetime < 0 {
		return nil, fmt.Errorf("fakests: delegation TokenLifetime %v is negative", spec.TokenLifetime)
	}
	d := &delegation{account: p.Account, principal: spec.Principal, policyARNs: append([]string(nil), spec.PolicyARNs...)}
	if spec.Policy != "" {
		if _, err := parsePolicyDoc(spec.Policy, policy.Identity, "delegation policy"); err != nil {
			return nil, err
		}
		pol := spec.Policy
		d.policy = &pol
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	switch {
	case p.Service == "iam" && p.Resource == "root":
		d.kind = delegatedRoot
	case p.Service == "iam" && strings.HasPrefix(p.Resource, "user/"):
		if e.userByARNLocked(spec.Principal) == nil {
			return nil, fmt.Errorf("fakests: delegation principal %s: no such user", spec.Principal)
		}
		d.kind, d.entity = delegatedUser, spec.Principal
	case p.Service == "iam" && strings.HasPrefix(p.Resource, "role/"):
		if e.roleByARNLocked(spec.Principal) == nil {
			return nil, fmt.Errorf("fakests: delegation principal %s: no such role", spec.Principal)
		}
		d.kind, d.entity, d.sessionName = delegatedRole, spec.Principal, delegatedSessionName
	case p.Service == "sts" && strings.HasPrefix(p.Resource, "assumed-role/"):
		parts := strings.Split(p.Resource, "/")
		if len(parts) != 3 || !isEntityName(parts[1]) || len(parts[2]) < 2 || !isEntityName(parts[2]) {
			return nil, fmt.Errorf("fakests: delegation principal %q is not a role session ARN", spec.Principal)
		}
		r := e.roleByNameLocked(p.Account, parts[1])
		if r == nil {
			return nil, fmt.Errorf("fakests: delegation principal %s: no such role", spec.Principal)
		}
		d.kind, d.entity, d.sessionName = delegatedRole, r.arn, parts[2]
	default:
		return nil, fmt.Errorf("fakests: delegation principal %q is not an IAM user, role, role session or root ARN", spec.Principal)
	}
	for _, pa := range d.policyARNs {
		if e.managedLocked(pa) == nil {
			return nil, fmt.Errorf("fakests: delegation policy %s: no such managed policy", pa)
		}
	}
	now := e.now()
	d.sessionEnd = now.Add(spec.SessionDuration)
	d.tokenExpires = now.Add(spec.TokenLifetime)
	return d, nil
}

// roleByARNLocked returns the created role roleARN names (the exact case of
// its ARN), or nil. e.mu must be held.
func (e *Engine) roleByARNLocked(roleARN string) *role {
	p, ok := arn.Parse(roleARN)
	if !ok || p.Service != "iam" || !strings.HasPrefix(p.Resource, "role/") {
		return nil
	}
	r := e.roleByNameLocked(p.Account, p.Resource[strings.LastIndexByte(p.Resource, '/')+1:])
	if r == nil || r.arn != roleARN {
		return nil
	}
	return r
}

// roleByNameLocked returns the created role of acct called name (its exact
// case), or nil. e.mu must be held.
func (e *Engine) roleByNameLocked(acct, name string) *role {
	a := e.accounts[acct]
	if a == nil {
		return nil
	}
	if r := a.roles[strings.ToLower(name)]; r != nil && r.name == name {
		return r
	}
	return nil
}

// claimDelegation claims the delegation of token, so that no concurrent
// exchange gets it too; releaseDelegation gives it back when the exchange
// then fails, which leaves no trace, and consumeDelegation removes it once
// the session is issued (behaviour §11.8).
func (e *Engine) claimDelegation(token string) *delegation {
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.delegations[token]
	if d == nil || d.claimed {
		return nil
	}
	d.claimed = true
	return d
}

// releaseDelegation gives back a delegation claimDelegation claimed.
func (e *Engine) releaseDelegation(d *delegation) {
	s := &e.outbound
	s.mu.Lock()
	d.claimed = false
	s.mu.Unlock()
}

// consumeDelegation removes the delegation of token, exchanged, with its
// change record (written after the session's: a crash between the two
// leaves the token usable and a session nobody holds).
func (e *Engine) consumeDelegation(token string, d *delegation) error {
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.outbound
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.delegations[token] != d { // Restore replaced it meanwhile
		return nil
	}
	if err := e.logChange(func(c *changeRecord) { c.Delete = &deletions{Delegations: []string{token}} }); err != nil {
		d.claimed = false
		return err
	}
	delete(s.delegations, token)
	return nil
}
