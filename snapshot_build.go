package fakests

import (
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file makes engine objects of a snapshot (snapshot_format.go) and
// installs them. build checks everything a snapshot says against the
// rules the engine's own methods follow (names, ARNs, references between
// entities, documents that parse) and builds the new state aside, so a
// snapshot it refuses changes nothing; install then swaps the new state in
// at once.

// prepare parses a decoded snapshot's documents once (policies, SAML
// metadata, signing keys), so that restoring it again and again does not
// parse them again. It is called before the snapshot is shared.
func (st *snapState) prepare() error { return st.entities.prepare() }

// prepare parses the documents of decoded entities.
func (es *entities) prepare() error {
	cache := make(map[policyCacheKey]*policy.Policy)
	prep := func(ps []policyJSON, kind policy.Kind, what string) error {
		for i := range ps {
			p, err := ps[i].parse(kind, what, cache)
			if err != nil {
				return err
			}
			ps[i].parsed = p
		}
		return nil
	}
	for i := range es.Users {
		if err := prepInline(es.Users[i].Policies, "user/"+es.Users[i].Name, cache); err != nil {
			return err
		}
	}
	for i := range es.Roles {
		r := &es.Roles[i]
		if err := prepInline(r.Policies, "role/"+r.Name, cache); err != nil {
			return err
		}
		if r.TrustPolicy != nil && r.trust == nil {
			p, err := parseTrustPolicy(r.Name, *r.TrustPolicy)
			if err != nil {
				return fmt.Errorf("role %s: %w", r.ARN, err)
			}
			r.trust = p
		}
	}
	for i := range es.ManagedPolicies {
		m := &es.ManagedPolicies[i]
		for k := range m.Versions {
			v := &m.Versions[k]
			if v.parsed != nil {
				continue
			}
			p, err := parsePolicyDoc(v.Document, policy.Identity, "managed policy "+m.ARN+" version "+v.ID)
			if err != nil {
				return err
			}
			p.Name = m.ARN
			v.parsed = p
		}
	}
	for i := range es.Sessions {
		if err := prep(es.Sessions[i].Policies, policy.Identity, "session "+es.Sessions[i].AccessKeyID); err != nil {
			return err
		}
	}
	for i := range es.SAMLProviders {
		p := &es.SAMLProviders[i]
		if p.parsed != nil {
			continue
		}
		md, err := fedverify.ParseSAMLMetadata([]byte(p.Metadata))
		if err != nil {
			return fmt.Errorf("SAML provider %s of account %s: %w", p.Name, p.Account, err)
		}
		p.parsed = md
	}
	for i := range es.OutboundFederation {
		if err := es.OutboundFederation[i].parseKeys(); err != nil {
			return err
		}
	}
	return nil
}

// prepInline parses the inline policies of the user or role owner
// ("user/NAME"), named as the engine names them in decisions.
func prepInline(ps []inlinePolicyJSON, owner string, cache map[policyCacheKey]*policy.Policy) error {
	for i := range ps {
		if ps[i].parsed != nil {
			continue
		}
		pj := policyJSON{Name: inlineLabel(owner, ps[i].Name), Document: ps[i].Document}
		p, err := pj.parse(policy.Identity, owner, cache)
		if err != nil {
			return err
		}
		ps[i].parsed = p
	}
	return nil
}

// policyCacheKey is what a parsed policy depends on.
type policyCacheKey struct {
	kind           policy.Kind
	name, document string
}

// parse returns the policy p describes: the one parsed before, or a new
// one, shared through cache with the same document of the same name.
func (p *policyJSON) parse(kind policy.Kind, what string, cache map[policyCacheKey]*policy.Policy) (*policy.Policy, error) {
	if p.parsed != nil {
		return p.parsed, nil
	}
	k := policyCacheKey{kind, p.Name, p.Document}
	if c := cache[k]; c != nil {
		return c, nil
	}
	parsed, err := parsePolicyDoc(p.Document, kind, fmt.Sprintf("%s: policy %s", what, p.Name))
	if err != nil {
		return nil, err
	}
	parsed.Name = p.Name
	if cache != nil {
		cache[k] = parsed
	}
	return parsed, nil
}

// parseKeys parses an outbound account's PKCS #8 keys: RSA for RS256,
// P-384 for ES384.
func (j *outboundJSON) parseKeys() error {
	if j.RSAKey != nil && j.rsaKey == nil {
		k, err := x509.ParsePKCS8PrivateKey(j.RSAKey)
		rk, ok := k.(*rsa.PrivateKey)
		if err != nil || !ok || rk.N.BitLen() < 2048 {
			return fmt.Errorf("outbound federation of account %s: rsaKey is not an RSA key of 2048 bits or more in PKCS #8", j.Account)
		}
		j.rsaKey = rk
	}
	if j.ECKey != nil && j.ecKey == nil {
		k, err := x509.ParsePKCS8PrivateKey(j.ECKey)
		ek, ok := k.(*ecdsa.PrivateKey)
		if err != nil || !ok || ek.Curve != elliptic.P384() {
			return fmt.Errorf("outbound federation of account %s: ecKey is not a P-384 key in PKCS #8", j.Account)
		}
		j.ecKey = ek
	}
	return nil
}

// builtState is a snapshot made into engine objects, ready to install.
type builtState struct {
	accounts    map[string]*account
	keys        map[string]*longTermKey
	defaultUser *user
	sessions    []*session.Session[sessionInfo]
	oidc        map[string]*oidcProvider
	saml        map[string]*samlProvider
	orgs        map[string]*organization
	orgAccounts map[string]string
	optIn       map[string]map[string]bool
	stsOff      map[string]map[string]bool
	outbound    map[string]*outboundAccount
	hosts       map[string]string
	delegations map[string]*delegation
	faults      []faultRule
	journal     journalList
	messageKey  *messageKey
}

// builder builds a builtState, finding entities by unique ID.
type builder struct {
	b     builtState
	users map[string]*user
	roles map[string]*role
	// sessionKeys holds the access key IDs of the sessions built so far,
	// heldKeys those of the users' keys (registered or not).
	sessionKeys, heldKeys map[string]bool
	cache                 map[policyCacheKey]*policy.Policy
}

// build checks st and makes engine objects of it, without changing the
// engine.
func (e *Engine) build(st *snapState) (*builtState, error) {
	if st.Version != snapshotVersion {
		return nil, versionError(st.Version)
	}
	bd := &builder{
		b: builtState{accounts: make(map[string]*account), keys: make(map[string]*longTermKey),
			oidc: make(map[string]*oidcProvider), saml: make(map[string]*samlProvider),
			orgs: make(map[string]*organization), orgAccounts: make(map[string]string),
			optIn: make(map[string]map[string]bool), stsOff: make(map[string]map[string]bool),
			outbound: make(map[string]*outboundAccount), hosts: make(map[string]string),
			delegations: make(map[string]*delegation)},
		users: make(map[string]*user), roles: make(map[string]*role),
		sessionKeys: make(map[string]bool, len(st.Sessions)), heldKeys: make(map[string]bool), cache: make(map[policyCacheKey]*policy.Policy),
	}
	steps := []func(*snapState) error{
		bd.accounts, bd.managedPolicies, bd.users_, bd.roles_, bd.rootKeys, bd.mfaDevices, bd.sessions,
		bd.oidcProviders, bd.samlProviders, bd.organizations, bd.regions, bd.outbound, bd.delegations,
		bd.faults, bd.rest,
	}
	for _, step := range steps {
		if err := step(st); err != nil {
			return nil, err
		}
	}
	return &bd.b, nil
}

// install makes b the engine's state. e.stateMu is held for writing.
func (e *Engine) install(b *builtState) {
	e.mu.Lock()
	e.accounts, e.keys = b.accounts, b.keys
	e.mu.Unlock()
	e.defaultUser.Store(b.defaultUser)
	e.sessions.Replace(b.sessions)

	fs := e.federationState()
	fs.mu.Lock()
	fs.oidc, fs.saml = b.oidc, b.saml
	fs.mu.Unlock()

	og := &e.orgs
	og.mu.Lock()
	og.byID, og.byAccount = b.orgs, b.orgAccounts
	og.n.Store(int32(len(b.orgs)))
	og.mu.Unlock()

	rs := &e.regions
	rs.mu.Lock()
	rs.optIn, rs.stsOff = b.optIn, b.stsOff
	rs.set.Store(len(b.optIn) > 0 || len(b.stsOff) > 0)
	rs.mu.Unlock()

	ob := &e.outbound
	ob.mu.Lock()
	ob.accounts, ob.hosts, ob.delegations = b.outbound, b.hosts, b.delegations
	ob.mu.Unlock()

	e.restoreFaultRules(b.faults)
	e.journal.replace(b.journal)
	e.authz.key.Store(b.messageKey)
}

// account returns the account being built, making it.
func (bd *builder) account(id string) *account {
	a := bd.b.accounts[id]
	if a == nil {
		a = &account{id: id, users: make(map[string]*user), roles: make(map[string]*role),
			implicit: make(map[string]*role), policies: make(map[string]*managedPolicy),
			mfa: make(map[string]*mfaDevice), deletedRoles: make(map[string]struct{})}
		bd.b.accounts[id] = a
	}
	return a
}

// policies builds a session's policies of kind.
func (bd *builder) policies(ps []policyJSON, kind policy.Kind, what string) ([]*policy.Policy, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	out := make([]*policy.Policy, len(ps))
	for i := range ps {
		p, err := ps[i].parse(kind, what, bd.cache)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// inline builds the inline policies of the user or role owner
// ("user/NAME"): names 1-128 characters, distinct ignoring case.
func (bd *builder) inline(ps []inlinePolicyJSON, owner, what string) ([]*inlinePolicy, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	if err := prepInline(ps, owner, bd.cache); err != nil {
		return nil, err
	}
	out := make([]*inlinePolicy, len(ps))
	for i, p := range ps {
		if !isPolicyName(p.Name) || findInline(out[:i], p.Name) != nil {
			return nil, fmt.Errorf("%s: inline policy name %q is not 1-128 characters of [\\w+=,.@-] or is held twice", what, p.Name)
		}
		out[i] = &inlinePolicy{name: p.Name, doc: p.Document, parsed: p.parsed}
	}
	return out, nil
}

// checkManaged refuses managed policy ARNs the snapshot does not hold.
func (bd *builder) checkManaged(arns []string, what string) error {
	for i, a := range arns {
		acct, ok := accountOfPolicyARN(a)
		if !ok || bd.b.accounts[acct] == nil || bd.b.accounts[acct].policies[a] == nil || slices.Index(arns, a) != i {
			return fmt.Errorf("%s: managed policy %s is not in the snapshot", what, a)
		}
	}
	return nil
}

// checkIdentity checks the account, path, name and unique ID of a user or
// role, and that its ARN is the one they make.
func checkIdentity(what, id, prefix, acct, path, name, kind, gotARN string) error {
	switch {
	case !isAccountID(acct):
		return fmt.Errorf("%s %s: account %q is not 12 digits", what, gotARN, acct)
	case !pathRE.MatchString(path) || len(path) > 512:
		return fmt.Errorf("%s %s: path %q must start and end with /", what, gotARN, path)
	case !isEntityName(name):
		return fmt.Errorf("%s %s: name %q is not 1-64 characters of [\\w+=,.@-]", what, gotARN, name)
	case gotARN != arn.IAM(acct, kind+path+name):
		return fmt.Errorf("%s %s: the ARN is not %s", what, gotARN, arn.IAM(acct, kind+path+name))
	case len(id) != 21 || !strings.HasPrefix(id, prefix):
		return fmt.Errorf("%s %s: unique ID %q is not %s and 17 characters", what, gotARN, id, prefix)
	}
	return nil
}

// checkKey checks a long-term access key and notes it as held.
func (bd *builder) checkKey(k *accessKeyJSON, what string) error {
	switch {
	case k == nil:
		return fmt.Errorf("%s has no access key", what)
	case k.AccessKeyID == "" || len(k.AccessKeyID) > 128 || k.SecretAccessKey == "":
		return fmt.Errorf("%s: an access key needs an ID (1-128 characters) and a secret", what)
	case bd.heldKeys[k.AccessKeyID]:
		return fmt.Errorf("%s: access key %s is held twice", what, k.AccessKeyID)
	}
	bd.heldKeys[k.AccessKeyID] = true
	return nil
}

func (bd *builder) accounts(st *snapState) error {
	for _, j := range st.Accounts {
		if !isAccountID(j.ID) && j.ID != awsManagedAccount {
			return fmt.Errorf("account %q is not 12 digits or %q", j.ID, awsManagedAccount)
		}
		if bd.b.accounts[j.ID] != nil {
			return fmt.Errorf("account %s is held twice", j.ID)
		}
		a := bd.account(j.ID)
		a.created = j.Created
		for _, r := range j.DeletedRoles {
			if acct, ok := accountOfEntityARN(r, "role/"); !ok || acct != j.ID {
				return fmt.Errorf("account %s: deleted role %q is not a role ARN of the account", j.ID, r)
			}
			a.deletedRoles[r] = struct{}{}
		}
	}
	return nil
}

func (bd *builder) managedPolicies(st *snapState) error {
	for i := range st.ManagedPolicies {
		m := &st.ManagedPolicies[i]
		what := "managed policy " + m.ARN
		acct, ok := accountOfPolicyARN(m.ARN)
		switch {
		case !ok || !isAccountID(acct) && acct != awsManagedAccount:
			return fmt.Errorf("managed policy %q: not a managed policy ARN", m.ARN)
		case !policyPathRE.MatchString(m.Path) || !isPolicyName(m.Name) || m.ARN != arn.IAM(acct, "policy"+m.Path+m.Name):
			return fmt.Errorf("%s: the path %q and name %q do not make the ARN", what, m.Path, m.Name)
		case len(m.ID) != 21 || !strings.HasPrefix(m.ID, session.PrefixPolicy):
			return fmt.Errorf("%s: unique ID %q is not %s and 17 characters", what, m.ID, session.PrefixPolicy)
		case len(m.Versions) == 0 || len(m.Versions) > maxPolicyVersions:
			return fmt.Errorf("%s: %d versions, not 1-%d", what, len(m.Versions), maxPolicyVersions)
		case m.NextVersion < 2 || m.NextVersion > math.MaxInt32:
			return fmt.Errorf("%s: nextVersion %d is not 2 or more", what, m.NextVersion)
		}
		a := bd.account(acct)
		if a.policies[m.ARN] != nil {
			return fmt.Errorf("%s is held twice", what)
		}
		mp := &managedPolicy{account: acct, arn: m.ARN, name: m.Name, path: m.Path, id: m.ID,
			created: m.Created, updated: m.Updated, next: m.NextVersion, tags: slices.Clone([]tags.Tag(m.Tags))}
		if m.Description != nil {
			d := *m.Description
			mp.description = &d
		}
		for k := range m.Versions {
			v := &m.Versions[k]
			n, err := strconv.Atoi(strings.TrimPrefix(v.ID, "v"))
			if err != nil || v.ID != "v"+strconv.Itoa(n) || n < 1 || n >= m.NextVersion || mp.version(v.ID) != nil {
				return fmt.Errorf("%s: version %q is not v1-v%d, or is held twice", what, v.ID, m.NextVersion-1)
			}
			p := v.parsed
			if p == nil {
				if p, err = parsePolicyDoc(v.Document, policy.Identity, what+" version "+v.ID); err != nil {
					return err
				}
				p.Name = m.ARN
			}
			mp.versions = append(mp.versions, &policyVersion{id: v.ID, doc: v.Document, parsed: p, created: v.Created})
		}
		if mp.def = mp.version(m.DefaultVersion); mp.def == nil {
			return fmt.Errorf("%s: the default version %q is not one of its versions", what, m.DefaultVersion)
		}
		a.policies[m.ARN] = mp
	}
	return nil
}

// userKey builds and checks a user's key, registering it with the
// engine's keys when register is set.
func (bd *builder) userKey(j *userKeyJSON, u *user, what string, register bool) (*longTermKey, error) {
	if err := bd.checkKey(&j.accessKeyJSON, what); err != nil {
		return nil, err
	}
	k := &longTermKey{id: j.AccessKeyID, secret: j.SecretAccessKey, account: u.account, user: u,
		created: j.Created, inactive: j.Inactive}
	if register {
		bd.b.keys[k.id] = k
	}
	return k, nil
}

func (bd *builder) users_(st *snapState) error {
	for i := range st.Users {
		j := &st.Users[i]
		what := "user " + j.ARN
		if err := checkIdentity("user", j.ID, session.PrefixUser, j.Account, j.Path, j.Name, "user", j.ARN); err != nil {
			return err
		}
		if bd.users[j.ID] != nil {
			return fmt.Errorf("%s: unique ID %s is held twice", what, j.ID)
		}
		if len(j.AccessKeys) > maxAccessKeys {
			return fmt.Errorf("%s: %d access keys (at most %d)", what, len(j.AccessKeys), maxAccessKeys)
		}
		if err := bd.checkManaged(j.ManagedPolicyARNs, what); err != nil {
			return err
		}
		u := &user{account: j.Account, path: j.Path, name: j.Name, arn: j.ARN, id: j.ID, created: j.Created,
			managed: slices.Clone(j.ManagedPolicyARNs), tags: slices.Clone([]tags.Tag(j.Tags))}
		var err error
		if u.inline, err = bd.inline(j.Policies, "user/"+j.Name, what); err != nil {
			return err
		}
		// A detached user's current keys (a user of a state Restore
		// replaced, which a session issued meanwhile holds) authenticate
		// nothing: they are not the engine's keys. Deleted keys are, so
		// that they stay refused.
		for k := range j.AccessKeys {
			key, err := bd.userKey(&j.AccessKeys[k], u, what, !j.Detached)
			if err != nil {
				return err
			}
			u.keys = append(u.keys, key)
		}
		var deleted []*longTermKey
		for k := range j.DeletedAccessKeys {
			key, err := bd.userKey(&j.DeletedAccessKeys[k], u, what, true)
			if err != nil {
				return err
			}
			key.deleted = true
			deleted = append(deleted, key)
		}
		if id := j.CredentialsKey; id != "" {
			for _, k := range append(slices.Clone(u.keys), deleted...) {
				if k.id == id {
					u.key = k
				}
			}
			if u.key == nil {
				return fmt.Errorf("%s: credentials key %s is not one of the user's keys", what, id)
			}
		}
		bd.users[j.ID] = u
		if j.Detached {
			continue
		}
		a := bd.account(j.Account)
		lower := strings.ToLower(j.Name)
		if a.users[lower] != nil {
			return fmt.Errorf("%s: account %s holds a user of that name twice", what, j.Account)
		}
		a.users[lower] = u
	}
	return nil
}

func (bd *builder) roles_(st *snapState) error {
	for i := range st.Roles {
		j := &st.Roles[i]
		what := "role " + j.ARN
		if err := checkIdentity("role", j.ID, session.PrefixRole, j.Account, j.Path, j.Name, "role", j.ARN); err != nil {
			return err
		}
		if bd.roles[j.ID] != nil {
			return fmt.Errorf("%s: unique ID %s is held twice", what, j.ID)
		}
		d := time.Duration(j.MaxSessionDuration) * time.Second
		if d < time.Hour || d > 12*time.Hour {
			return fmt.Errorf("%s: maxSessionDurationSeconds %d is not 3600-43200", what, j.MaxSessionDuration)
		}
		r := &role{account: j.Account, path: j.Path, name: j.Name, arn: j.ARN, id: j.ID, maxSession: d, created: j.Created,
			managed: slices.Clone(j.ManagedPolicyARNs), tags: slices.Clone([]tags.Tag(j.Tags))}
		if j.Description != nil {
			desc := *j.Description
			r.description = &desc
		}
		var err error
		if r.inline, err = bd.inline(j.Policies, "role/"+j.Name, what); err != nil {
			return err
		}
		if err := bd.checkManaged(j.ManagedPolicyARNs, what); err != nil {
			return err
		}
		switch {
		case j.Implicit && j.TrustPolicy != nil:
			return fmt.Errorf("%s: an implicit role has no trust policy", what)
		case !j.Implicit && j.TrustPolicy == nil:
			return fmt.Errorf("%s: a created role needs its trust policy", what)
		case !j.Implicit:
			r.trustDoc, r.trust = *j.TrustPolicy, j.trust
			if r.trust == nil {
				if r.trust, err = parseTrustPolicy(j.Name, r.trustDoc); err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
			}
		}
		bd.roles[j.ID] = r
		if j.Detached {
			continue
		}
		a := bd.account(j.Account)
		if j.Implicit {
			if a.implicit[j.ARN] != nil {
				return fmt.Errorf("%s: the snapshot holds two implicit roles of that ARN", what)
			}
			a.implicit[j.ARN] = r
			continue
		}
		lower := strings.ToLower(j.Name)
		if a.roles[lower] != nil {
			return fmt.Errorf("%s: account %s holds a role of that name twice", what, j.Account)
		}
		a.roles[lower] = r
	}
	return nil
}

func (bd *builder) rootKeys(st *snapState) error {
	for i := range st.RootKeys {
		j := &st.RootKeys[i]
		what := "root key of account " + j.Account
		if !isAccountID(j.Account) {
			return fmt.Errorf("%s: the account is not 12 digits", what)
		}
		if err := bd.checkKey(&j.accessKeyJSON, what); err != nil {
			return err
		}
		a := bd.account(j.Account)
		if a.rootKey != nil {
			return fmt.Errorf("%s: the account has two root keys", what)
		}
		a.rootKey = &longTermKey{id: j.AccessKeyID, secret: j.SecretAccessKey, account: j.Account, created: j.Created}
		bd.b.keys[j.AccessKeyID] = a.rootKey
	}
	return nil
}

func (bd *builder) mfaDevices(st *snapState) error {
	for i := range st.MFADevices {
		j := &st.MFADevices[i]
		what := "MFA device " + j.SerialNumber
		acct, res, ok := splitIAMARN(j.SerialNumber)
		var u *user
		if j.User != "" {
			if u = bd.users[j.User]; u == nil {
				return fmt.Errorf("%s: user %s is not in the snapshot", what, j.User)
			}
		}
		switch {
		case !ok || !isAccountID(acct) || res != "mfa"+j.Path+j.Name || !pathRE.MatchString(j.Path) || !isEntityName(j.Name):
			return fmt.Errorf("%s: not the MFA device ARN of its path %q and name %q", what, j.Path, j.Name)
		case u != nil && (u.account != acct || bd.b.accounts[acct] == nil || bd.b.accounts[acct].users[strings.ToLower(u.name)] != u):
			return fmt.Errorf("%s: user %s is not a user of account %s", what, j.User, acct)
		case (u == nil) != (j.Enabled == nil):
			return fmt.Errorf("%s: a device has an enable time when, and only when, it is assigned", what)
		case u != nil && len(u.mfa) >= maxMFADevices:
			return fmt.Errorf("%s: user %s has more than %d devices", what, j.User, maxMFADevices)
		case len(j.Seed) == 0 || len(j.Seed) > 64:
			return fmt.Errorf("%s: the seed is not 1-64 bytes", what)
		case len(j.UsedSteps) > 2*mfaWindow+1:
			return fmt.Errorf("%s: more used steps than the acceptance window holds", what)
		}
		a := bd.account(acct)
		if a.mfa[j.SerialNumber] != nil {
			return fmt.Errorf("%s is held twice", what)
		}
		d := &mfaDevice{serial: j.SerialNumber, name: j.Name, path: j.Path, created: j.Created,
			tags: slices.Clone([]tags.Tag(j.Tags)), secret: slices.Clone(j.Seed), user: u,
			used: make(map[uint64]struct{}, len(j.UsedSteps))}
		for _, s := range j.UsedSteps {
			d.used[s] = struct{}{}
		}
		a.mfa[j.SerialNumber] = d
		if u != nil {
			d.enabled = *j.Enabled
			u.mfa = append(u.mfa, d)
		}
	}
	// A user's devices in the order they were enabled, as the engine
	// keeps them.
	for _, u := range bd.users {
		slices.SortStableFunc(u.mfa, func(a, b *mfaDevice) int {
			return cmp.Or(a.enabled.Compare(b.enabled), strings.Compare(a.serial, b.serial))
		})
	}
	return nil
}

// sessionWhat names a session in Restore's errors; its String is made
// only when an error is formatted.
type sessionWhat string

// String returns "session <access key ID>".
func (w sessionWhat) String() string { return "session " + string(w) }

// principalTypes reads the kinds of session in the format.
var principalTypes = map[string]PrincipalType{"IAMUser": IAMUser, "AssumedRole": AssumedRole, "FederatedUser": FederatedUser, "Root": Root}

func (bd *builder) sessions(st *snapState) error {
	bd.b.sessions = make([]*session.Session[sessionInfo], len(st.Sessions))
	// One allocation for all of them, as issue makes one per session.
	stored := make([]session.Session[sessionInfo], len(st.Sessions))
	for i := range st.Sessions {
		j := &st.Sessions[i]
		// what names the session in errors, made only for one (a string
		// per session would cost a tenth of a restore).
		what := sessionWhat(j.AccessKeyID)
		typ, ok := principalTypes[j.Type]
		switch {
		case j.AccessKeyID == "" || len(j.AccessKeyID) > 128 || j.SecretAccessKey == "":
			return fmt.Errorf("%s: a session needs an access key ID (1-128 characters) and a secret", what)
		case bd.sessionKeys[j.AccessKeyID] || bd.b.keys[j.AccessKeyID] != nil:
			return fmt.Errorf("%s: access key %s is held twice", what, j.AccessKeyID)
		case !ok:
			return fmt.Errorf("%s: type %q is not IAMUser, AssumedRole, FederatedUser or Root", what, j.Type)
		case !slices.Contains(operations, j.Operation):
			return fmt.Errorf("%s: %q is not an STS operation", what, j.Operation)
		case !isAccountID(j.Account):
			return fmt.Errorf("%s: account %q is not 12 digits", what, j.Account)
		case j.TaskPolicyARN != "" && rootTasks[j.TaskPolicyARN].document == "":
			return fmt.Errorf("%s: %s is not an AssumeRoot task policy", what, j.TaskPolicyARN)
		}
		v := sessionInfo{typ: typ, origin: j.Operation, account: j.Account, arn: j.ARN, userID: j.UserID,
			sessionName: j.SessionName, root: j.Root, sourceIdentity: j.SourceIdentity,
			tags: []tags.Tag(j.Tags), transitive: []tags.Tag(j.TransitiveTags), hasPolicy: j.HasPolicy,
			federated: j.FederatedProvider, context: j.Context, taskPolicyARN: j.TaskPolicyARN}
		if j.User != "" {
			if v.user = bd.users[j.User]; v.user == nil {
				return fmt.Errorf("%s: user %s is not in the snapshot", what, j.User)
			}
		}
		if j.Role != "" {
			if v.role = bd.roles[j.Role]; v.role == nil {
				return fmt.Errorf("%s: role %s is not in the snapshot", what, j.Role)
			}
		}
		// The shapes the operations issue: a role session has its role, a
		// user's session its user (a federated user of root's has none),
		// a root session neither.
		switch {
		case typ == AssumedRole && (v.role == nil || v.user != nil),
			typ == IAMUser && (v.user == nil || v.role != nil),
			typ == FederatedUser && (v.role != nil || v.user == nil && !v.root),
			typ == Root && (v.user != nil || v.role != nil || !v.root):
			return fmt.Errorf("%s: a %s session with user %q and role %q is not one STS issues", what, j.Type, j.User, j.Role)
		}
		var err error
		if len(j.Policies) > 0 {
			if v.policies, err = bd.policies(j.Policies, policy.Identity, what.String()); err != nil {
				return err
			}
		}
		for _, a := range j.PolicyARNs {
			if _, ok := accountOfPolicyARN(a); !ok {
				return fmt.Errorf("%s: %q is not a managed policy ARN", what, a)
			}
		}
		v.policyARNs = slices.Clone(j.PolicyARNs)
		if j.MFAAuthenticated != nil {
			v.mfaAt = *j.MFAAuthenticated
		}
		stored[i] = session.Session[sessionInfo]{AccessKeyID: j.AccessKeyID, SecretAccessKey: j.SecretAccessKey,
			TokenDigest: session.Digest(j.TokenSHA256), IssuedAt: j.IssuedAt, Expiration: j.Expiration, Value: v}
		bd.b.sessions[i] = &stored[i]
		bd.sessionKeys[j.AccessKeyID] = true
	}
	return nil
}

func (bd *builder) oidcProviders(st *snapState) error {
	for i := range st.OIDCProviders {
		j := &st.OIDCProviders[i]
		what := "OIDC provider " + j.URL
		key, err := oidcProviderKey(j.URL)
		switch {
		case err != nil:
			return fmt.Errorf("%s: %w", what, err)
		case !isAccountID(j.Account):
			return fmt.Errorf("%s: account %q is not 12 digits", what, j.Account)
		case len(j.ClientIDs) > oidcMaxClientIDs:
			return fmt.Errorf("%s: more than %d client IDs", what, oidcMaxClientIDs)
		}
		for _, id := range j.ClientIDs {
			if id == "" || len(id) > oidcMaxClientID {
				return fmt.Errorf("%s: client ID %q is not 1-%d characters", what, id, oidcMaxClientID)
			}
		}
		id := j.Account + "/" + key
		if bd.b.oidc[id] != nil {
			return fmt.Errorf("%s is held twice in account %s", what, j.Account)
		}
		if len(j.Thumbprints) > oidcMaxThumbprint {
			return fmt.Errorf("%s: more than %d thumbprints", what, oidcMaxThumbprint)
		}
		bd.b.oidc[id] = &oidcProvider{account: j.Account, arn: arn.IAM(j.Account, "oidc-provider/"+key), key: key,
			clientIDs: slices.Clone(j.ClientIDs), thumbprints: slices.Clone(j.Thumbprints), created: j.Created,
			tags: slices.Clone([]tags.Tag(j.Tags)), jwks: slices.Clone(j.JWKS), fetch: j.fetch}
	}
	return nil
}

func (bd *builder) samlProviders(st *snapState) error {
	for i := range st.SAMLProviders {
		j := &st.SAMLProviders[i]
		what := "SAML provider " + j.Name
		if !isAccountID(j.Account) || !samlProviderNameRE.MatchString(j.Name) {
			return fmt.Errorf("%s of account %q: the account is not 12 digits or the name not 1-128 characters of [A-Za-z0-9_.-]", what, j.Account)
		}
		md := j.parsed
		if md == nil {
			var err error
			if md, err = fedverify.ParseSAMLMetadata([]byte(j.Metadata)); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		if !isUUID(j.UUID) {
			return fmt.Errorf("%s: uuid %q is not a UUID in lower-case hexadecimal", what, j.UUID)
		}
		p := &samlProvider{account: j.Account, name: j.Name, arn: arn.IAM(j.Account, "saml-provider/"+j.Name),
			metadata: md, document: j.Metadata, uuid: j.UUID, created: j.Created, tags: slices.Clone([]tags.Tag(j.Tags))}
		if bd.b.saml[p.arn] != nil {
			return fmt.Errorf("%s is held twice", p.arn)
		}
		bd.b.saml[p.arn] = p
	}
	return nil
}

// Shapes of Organizations' IDs (AWS's patterns).
var (
	orgIDRE   = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	orgRootRE = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
)

func (bd *builder) organizations(st *snapState) error {
	for i := range st.Organizations {
		j := &st.Organizations[i]
		what := "organization " + j.ID
		switch {
		case !orgIDRE.MatchString(j.ID) || !orgRootRE.MatchString(j.RootID):
			return fmt.Errorf("%s: the ID or root ID %q is not an Organizations ID", what, j.RootID)
		case !isAccountID(j.ManagementAccount):
			return fmt.Errorf("%s: management account %q is not 12 digits", what, j.ManagementAccount)
		case j.DelegatedAdministrator != "" && !slices.Contains(j.Members, j.DelegatedAdministrator):
			return fmt.Errorf("%s: delegated administrator %s is not a member", what, j.DelegatedAdministrator)
		case bd.b.orgs[j.ID] != nil:
			return fmt.Errorf("%s is held twice", what)
		}
		for _, acct := range append([]string{j.ManagementAccount}, j.Members...) {
			if !isAccountID(acct) {
				return fmt.Errorf("%s: member %q is not 12 digits", what, acct)
			}
			if other, ok := bd.b.orgAccounts[acct]; ok {
				return fmt.Errorf("%s: account %s is in organization %s too", what, acct, other)
			}
			bd.b.orgAccounts[acct] = j.ID
		}
		bd.b.orgs[j.ID] = &organization{ID: j.ID, RootID: j.RootID, Management: j.ManagementAccount,
			Members: slices.Clone(j.Members), DelegatedAdmin: j.DelegatedAdministrator,
			RootCredentials: j.RootCredentialsManagement, RootSessions: j.RootSessions}
	}
	return nil
}

func (bd *builder) regions(st *snapState) error {
	for _, j := range st.OptInRegions {
		if !isAccountID(j.Account) || !awsRegions[j.Region] {
			return fmt.Errorf("opt-in region %s of account %q: not an opt-in region of a 12-digit account", j.Region, j.Account)
		}
		m := bd.b.optIn[j.Account]
		if m == nil {
			m = make(map[string]bool)
			bd.b.optIn[j.Account] = m
		}
		if _, dup := m[j.Region]; dup {
			return fmt.Errorf("opt-in region %s of account %s is held twice", j.Region, j.Account)
		}
		m[j.Region] = j.Enabled
	}
	for _, j := range st.STSDeactivated {
		optIn, ok := awsRegions[j.Region]
		if !isAccountID(j.Account) || !ok || optIn || j.Region == "us-east-1" {
			return fmt.Errorf("STS deactivated in %s for account %q: not a region where STS can be deactivated, or not a 12-digit account", j.Region, j.Account)
		}
		m := bd.b.stsOff[j.Account]
		if m == nil {
			m = make(map[string]bool)
			bd.b.stsOff[j.Account] = m
		}
		if m[j.Region] {
			return fmt.Errorf("STS deactivated in %s for account %s is held twice", j.Region, j.Account)
		}
		m[j.Region] = true
	}
	return nil
}

func (bd *builder) outbound(st *snapState) error {
	for i := range st.OutboundFederation {
		j := st.OutboundFederation[i] // a copy: parseKeys may fill it
		what := "outbound federation of account " + j.Account
		host, ok := strings.CutPrefix(j.Issuer, "https://")
		id, isIssuer := strings.CutSuffix(host, issuerHostSuffix)
		switch {
		case !isAccountID(j.Account):
			return fmt.Errorf("%s: the account is not 12 digits", what)
		case !ok || !isIssuer || !isUUID(id):
			return fmt.Errorf("%s: issuer %q is not https://<uuid>%s", what, j.Issuer, issuerHostSuffix)
		case bd.b.outbound[j.Account] != nil:
			return fmt.Errorf("%s is held twice", what)
		case bd.b.hosts[host] != "":
			return fmt.Errorf("%s: issuer %s is account %s's too", what, j.Issuer, bd.b.hosts[host])
		}
		if err := j.parseKeys(); err != nil {
			return err
		}
		bd.b.outbound[j.Account] = &outboundAccount{account: j.Account, issuer: j.Issuer, enabled: j.Enabled, rsaKey: j.rsaKey, ecKey: j.ecKey}
		bd.b.hosts[host] = j.Account
	}
	return nil
}

// isUUID reports whether s is a UUID in lower-case hexadecimal.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// delegatedKinds reads the kinds of delegation in the format.
var delegatedKinds = map[string]delegatedKind{"user": delegatedUser, "role": delegatedRole, "root": delegatedRoot}

func (bd *builder) delegations(st *snapState) error {
	for i := range st.Delegations {
		j := &st.Delegations[i]
		what := "delegation of " + j.Principal
		kind, ok := delegatedKinds[j.Kind]
		switch {
		case j.TradeInToken == "" || len(j.TradeInToken) > 4096:
			return fmt.Errorf("%s: the trade-in token is not 1-4096 characters", what)
		case bd.b.delegations[j.TradeInToken] != nil:
			return fmt.Errorf("%s: its trade-in token is held twice", what)
		case !ok:
			return fmt.Errorf("%s: kind %q is not user, role or root", what, j.Kind)
		case !isAccountID(j.Account):
			return fmt.Errorf("%s: account %q is not 12 digits", what, j.Account)
		}
		if j.Policy != nil {
			if _, err := parsePolicyDoc(*j.Policy, policy.Identity, what); err != nil {
				return err
			}
		}
		d := &delegation{account: j.Account, principal: j.Principal, kind: kind, entity: j.Entity,
			sessionName: j.SessionName, policyARNs: slices.Clone(j.PolicyARNs), sessionEnd: j.SessionEnd, tokenExpires: j.TokenExpires}
		if j.Policy != nil {
			p := *j.Policy
			d.policy = &p
		}
		bd.b.delegations[j.TradeInToken] = d
	}
	return nil
}

func (bd *builder) faults(st *snapState) error {
	ids := make(map[uint64]bool, len(st.Faults))
	for _, r := range st.Faults {
		if err := checkFault(r.Fault); err != nil {
			return fmt.Errorf("fault %d: %w", r.ID, err)
		}
		switch {
		case r.ID == 0 || r.ID > math.MaxInt64 || ids[r.ID]:
			return fmt.Errorf("fault %d: IDs are distinct and positive", r.ID)
		case r.Fault.Times == 0 && r.Remaining != 0, r.Fault.Times > 0 && (r.Remaining < 1 || r.Remaining > r.Fault.Times):
			return fmt.Errorf("fault %d: %d remaining of %d times", r.ID, r.Remaining, r.Fault.Times)
		}
		ids[r.ID] = true
	}
	bd.b.faults = slices.Clone(st.Faults)
	return nil
}

// rest builds what is left: the journal, the message key and the default
// user.
func (bd *builder) rest(st *snapState) error {
	bd.b.journal = st.Journal
	if k := st.AuthorizationMessageKey; k != nil {
		if len(k) != 32 {
			return fmt.Errorf("the authorization message key is %d bytes, not 32", len(k))
		}
		mk, err := newMessageKey(slices.Clone(k))
		if err != nil {
			return err
		}
		bd.b.messageKey = mk
	}
	// The default user may be detached: DeleteUser may delete it.
	u := bd.users[st.DefaultUser]
	if u == nil {
		return fmt.Errorf("the default user %q is not a user of the snapshot", st.DefaultUser)
	}
	bd.b.defaultUser = u
	return nil
}
