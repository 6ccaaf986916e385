package fakests

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/fakests/fakests/internal/arn"
)

// This file models AWS Organizations as far as STS sees it (behaviour §17):
// which accounts form an organization, its management account, the member
// registered as IAM delegated administrator, and the two IAM features that
// centralized root access needs (RootCredentialsManagement, RootSessions).
// AssumeRoot (op_assume_root.go) asks it who may act on which member;
// policies see aws:PrincipalOrgID and aws:PrincipalOrgPaths for principals
// of its accounts. Like the identity model, CreateOrganization is
// administration: it needs no caller, and its errors are plain Go errors.

// OrganizationSpec describes an organization for CreateOrganization.
type OrganizationSpec struct {
	// ManagementAccount is the organization's management account (12
	// digits). Required.
	ManagementAccount string
	// Members are the member accounts (12 digits each), besides the
	// management account.
	Members []string
	// DelegatedAdministrator is the member registered as delegated
	// administrator for IAM ("" for none): its principals may call
	// AssumeRoot as the management account's may.
	DelegatedAdministrator string
	// RootCredentialsManagement is IAM's organization feature behind the
	// three IAM root-credential tasks (IAMAuditRootUserCredentials,
	// IAMCreateRootUserPassword, IAMDeleteRootUserCredentials).
	RootCredentialsManagement bool
	// RootSessions is IAM's organization feature behind the two resource
	// unlock tasks (S3UnlockBucketPolicy, SQSUnlockQueuePolicy).
	RootSessions bool
}

// Organization is an organization as created. Every account sits directly
// under the organization's root, so each account's aws:PrincipalOrgPaths is
// "<ID>/<RootID>/".
type Organization struct {
	ID                        string // "o-" and 10 lower-case letters or digits
	RootID                    string // "r-" and 4 lower-case letters or digits
	ARN                       string // arn:aws:organizations::<management>:organization/<ID>
	ManagementAccount         string
	Members                   []string
	DelegatedAdministrator    string
	RootCredentialsManagement bool
	RootSessions              bool
}

// organization is the engine's record of an organization: plain data.
type organization struct {
	ID, RootID, Management string
	Members                []string
	DelegatedAdmin         string
	RootCredentials        bool
	RootSessions           bool
}

// orgState is an engine's organizations (Engine.orgs): plain data, so that
// a snapshot can copy it.
type orgState struct {
	mu        sync.RWMutex             // guards byID and byAccount
	byID      map[string]*organization // by organization ID
	byAccount map[string]string        // account (management or member) → organization ID
	// n counts the organizations: while it is zero no request takes the lock.
	n atomic.Int32
}

// CreateOrganization creates an organization of the management account and
// the members, with the IAM root-access features the spec turns on (which
// imply IAM's trusted access). An account belongs to one organization at
// most; the delegated administrator must be a member.
func (e *Engine) CreateOrganization(spec OrganizationSpec) (*Organization, error) {
	if !isAccountID(spec.ManagementAccount) {
		return nil, fmt.Errorf("fakests: management account %q is not 12 digits", spec.ManagementAccount)
	}
	members := make([]string, 0, len(spec.Members))
	for _, m := range spec.Members {
		switch {
		case !isAccountID(m):
			return nil, fmt.Errorf("fakests: member account %q is not 12 digits", m)
		case m == spec.ManagementAccount:
			return nil, fmt.Errorf("fakests: account %s is the management account, not a member", m)
		case slices.Contains(members, m):
			return nil, fmt.Errorf("fakests: member account %s is listed twice", m)
		}
		members = append(members, m)
	}
	if d := spec.DelegatedAdministrator; d != "" && !slices.Contains(members, d) {
		return nil, fmt.Errorf("fakests: delegated administrator %s is not a member account", d)
	}
	o := &organization{Management: spec.ManagementAccount, Members: members,
		DelegatedAdmin:  spec.DelegatedAdministrator,
		RootCredentials: spec.RootCredentialsManagement, RootSessions: spec.RootSessions}

	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.orgs
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range append([]string{o.Management}, members...) {
		if id, ok := s.byAccount[a]; ok {
			return nil, fmt.Errorf("fakests: account %s already belongs to organization %s", a, id)
		}
	}
	for {
		id, err := randomID(e.random(), "o-", 10)
		if err != nil {
			return nil, err
		}
		if s.byID[id] == nil {
			o.ID = id
			break
		}
	}
	root, err := randomID(e.random(), "r-", 4)
	if err != nil {
		return nil, err
	}
	o.RootID = root
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Organizations: []organizationJSON{organizationToJSON(o)}} }); err != nil {
		return nil, err
	}
	if s.byID == nil {
		s.byID = make(map[string]*organization)
		s.byAccount = make(map[string]string)
	}
	s.byID[o.ID] = o
	s.byAccount[o.Management] = o.ID
	for _, m := range members {
		s.byAccount[m] = o.ID
	}
	s.n.Add(1)
	return o.public(), nil
}

// public returns the exported view of o.
func (o *organization) public() *Organization {
	return &Organization{ID: o.ID, RootID: o.RootID,
		ARN:               arn.ARN{Partition: "aws", Service: "organizations", Account: o.Management, Resource: "organization/" + o.ID}.String(),
		ManagementAccount: o.Management, Members: slices.Clone(o.Members),
		DelegatedAdministrator: o.DelegatedAdmin, RootCredentialsManagement: o.RootCredentials,
		RootSessions: o.RootSessions}
}

// path is the organization path of every account of o: they all sit
// directly under the root (aws:PrincipalOrgPaths, behaviour §12).
func (o *organization) path() string { return o.ID + "/" + o.RootID + "/" }

// orgOf returns the organization account belongs to (as its management
// account or a member): its ID and the account's organizational-unit
// paths, each "<org ID>/<root ID>/[<ou ID>/…]" and ending in "/", as
// aws:PrincipalOrgPaths and GetWebIdentityToken's ou_path claim give them.
// ok is false for an account in no organization. The slice is the
// caller's.
func (e *Engine) orgOf(account string) (orgID string, ouPaths []string, ok bool) {
	o, ok := e.organizationOf(account)
	if !ok {
		return "", nil, false
	}
	return o.ID, []string{o.path()}, true
}

// organizationOf returns a copy of the organization account belongs to.
// Its Members slice is shared: read it, never change it.
func (e *Engine) organizationOf(account string) (organization, bool) {
	s := &e.orgs
	if s.n.Load() == 0 {
		return organization{}, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.byID[s.byAccount[account]]
	if o == nil {
		return organization{}, false
	}
	return *o, true
}

// isMember reports whether account is a member of o (the management
// account is not).
func (o *organization) isMember(account string) bool {
	return slices.Contains(o.Members, account)
}

// randomID returns prefix and n lower-case letters or digits drawn from r,
// the shape of Organizations' IDs.
func randomID(r io.Reader, prefix string, n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b), nil
}
