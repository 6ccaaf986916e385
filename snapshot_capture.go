package fakests

import (
	"cmp"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/policy"
)

// This file copies an engine's state into the snapshot format
// (snapshot_format.go): one function per entity, used by Snapshot and by
// the change records of the change log. Strings, tags, parsed policies
// and keys are shared, not copied: the engine never changes them once
// made. What the engine changes in place (MFA devices' used steps, the
// maps) is copied.

// capture copies the engine's state. e.stateMu is held for writing, so no
// change is under way.
func (e *Engine) capture() *snapState {
	def := e.defaultUser.Load()
	st := &snapState{Version: snapshotVersion, DefaultUser: def.id}
	if k := e.authz.key.Load(); k != nil {
		st.AuthorizationMessageKey = k.raw
	}

	held := make(map[string]bool) // unique IDs of the users and roles captured
	e.mu.RLock()
	e.mfaMu.Lock()
	deleted := e.deletedKeysLocked()
	for _, a := range e.accounts {
		st.Accounts = append(st.Accounts, accountToJSON(a))
		for _, u := range a.users {
			st.Users = append(st.Users, userToJSON(u, deleted[u], false))
			held[u.id] = true
		}
		for _, r := range a.roles {
			st.Roles = append(st.Roles, roleToJSON(r, false))
			held[r.id] = true
		}
		for _, r := range a.implicit {
			st.Roles = append(st.Roles, roleToJSON(r, false))
			held[r.id] = true
		}
		for _, p := range a.policies {
			st.ManagedPolicies = append(st.ManagedPolicies, managedPolicyToJSON(p))
		}
		if k := a.rootKey; k != nil {
			st.RootKeys = append(st.RootKeys, rootKeyToJSON(a.id, k))
		}
		for _, d := range a.mfa {
			st.MFADevices = append(st.MFADevices, mfaDeviceToJSON(d))
		}
	}
	// Users the accounts no longer hold but the engine still refers to:
	// by their deleted keys, which it keeps refusing, or as its default
	// user.
	detachUser := func(u *user) {
		if u != nil && !held[u.id] {
			st.Users = append(st.Users, userToJSON(u, deleted[u], true))
			held[u.id] = true
		}
	}
	for u := range deleted {
		detachUser(u)
	}
	detachUser(def)

	// A session keeps its role or user when the account no longer does
	// (DeleteRole, DeleteUser, or a session issued while Restore replaced
	// the state): the snapshot holds it too, so the session restores.
	all := e.sessions.All()
	st.Sessions = make([]sessionJSON, len(all))
	for i, s := range all {
		st.Sessions[i] = sessionToJSON(s)
		v := &s.Value
		if r := v.role; r != nil && !held[r.id] {
			st.Roles = append(st.Roles, roleToJSON(r, true))
			held[r.id] = true
		}
		detachUser(v.user)
	}
	e.mfaMu.Unlock()
	e.mu.RUnlock()

	fs := e.federationState()
	fs.mu.RLock()
	for _, p := range fs.oidc {
		st.OIDCProviders = append(st.OIDCProviders, oidcProviderToJSON(p))
	}
	for _, p := range fs.saml {
		st.SAMLProviders = append(st.SAMLProviders, samlProviderToJSON(p))
	}
	fs.mu.RUnlock()

	og := &e.orgs
	og.mu.RLock()
	for _, o := range og.byID {
		st.Organizations = append(st.Organizations, organizationToJSON(o))
	}
	og.mu.RUnlock()

	rs := &e.regions
	rs.mu.RLock()
	for acct, m := range rs.optIn {
		for region, on := range m {
			st.OptInRegions = append(st.OptInRegions, optInRegionJSON{regionJSON{acct, region}, on})
		}
	}
	for acct, m := range rs.stsOff {
		for region := range m {
			st.STSDeactivated = append(st.STSDeactivated, regionJSON{acct, region})
		}
	}
	rs.mu.RUnlock()

	ob := &e.outbound
	ob.mu.Lock()
	for _, a := range ob.accounts {
		st.OutboundFederation = append(st.OutboundFederation, outboundToJSON(a))
	}
	for token, d := range ob.delegations {
		st.Delegations = append(st.Delegations, delegationToJSON(token, d))
	}
	ob.mu.Unlock()

	st.Faults = e.faultRules()
	st.Journal = e.journal.entries()
	return st
}

// deletedKeysLocked returns the users' deleted keys (DeleteAccessKey), by
// user. e.mu is held.
func (e *Engine) deletedKeysLocked() map[*user][]*longTermKey {
	var out map[*user][]*longTermKey
	for _, k := range e.keys {
		if k.deleted && k.user != nil {
			if out == nil {
				out = make(map[*user][]*longTermKey)
			}
			out[k.user] = append(out[k.user], k)
		}
	}
	return out
}

// sorted returns a copy of st with every list in its key's order, so that
// equal states marshal to equal bytes (MarshalJSON). The lists are copied,
// not their elements; st is not changed, as a snapshot is shared.
func (st *snapState) sorted() *snapState {
	c := *st
	c.Accounts = slices.Clone(st.Accounts)
	c.Users = slices.Clone(st.Users)
	c.Roles = slices.Clone(st.Roles)
	c.ManagedPolicies = slices.Clone(st.ManagedPolicies)
	c.RootKeys = slices.Clone(st.RootKeys)
	c.MFADevices = slices.Clone(st.MFADevices)
	c.OIDCProviders = slices.Clone(st.OIDCProviders)
	c.SAMLProviders = slices.Clone(st.SAMLProviders)
	c.Organizations = slices.Clone(st.Organizations)
	c.OptInRegions = slices.Clone(st.OptInRegions)
	c.STSDeactivated = slices.Clone(st.STSDeactivated)
	c.OutboundFederation = slices.Clone(st.OutboundFederation)
	c.Delegations = slices.Clone(st.Delegations)
	c.Faults = slices.Clone(st.Faults)
	// Sessions are many and large: sorted by index, then copied in order.
	order := make([]int32, len(st.Sessions))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(st.Sessions[a].AccessKeyID, st.Sessions[b].AccessKeyID) })
	c.Sessions = make([]sessionJSON, len(order))
	for i, j := range order {
		c.Sessions[i] = st.Sessions[j]
	}
	c.sort()
	return &c
}

// sort puts every list of st but its sessions in its key's order.
func (st *snapState) sort() {
	slices.SortFunc(st.Accounts, func(a, b accountJSON) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Users, func(a, b userJSON) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.Roles, func(a, b roleJSON) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.ManagedPolicies, func(a, b managedPolicyJSON) int { return strings.Compare(a.ARN, b.ARN) })
	slices.SortFunc(st.RootKeys, func(a, b rootKeyJSON) int { return strings.Compare(a.Account, b.Account) })
	slices.SortFunc(st.MFADevices, func(a, b mfaDeviceJSON) int { return strings.Compare(a.SerialNumber, b.SerialNumber) })
	slices.SortFunc(st.OIDCProviders, func(a, b oidcProviderJSON) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.URL, b.URL))
	})
	slices.SortFunc(st.SAMLProviders, func(a, b samlProviderJSON) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Name, b.Name))
	})
	slices.SortFunc(st.Organizations, func(a, b organizationJSON) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(st.OptInRegions, func(a, b optInRegionJSON) int { return compareRegions(a.regionJSON, b.regionJSON) })
	slices.SortFunc(st.STSDeactivated, compareRegions)
	slices.SortFunc(st.OutboundFederation, func(a, b outboundJSON) int { return strings.Compare(a.Account, b.Account) })
	slices.SortFunc(st.Delegations, func(a, b delegationJSON) int { return strings.Compare(a.TradeInToken, b.TradeInToken) })
	slices.SortFunc(st.Faults, func(a, b faultRule) int { return cmp.Compare(a.ID, b.ID) })
}

// compareRegions orders account regions by account, then region.
func compareRegions(a, b regionJSON) int {
	return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Region, b.Region))
}

// policiesToJSON describes parsed session policies.
func policiesToJSON(ps []*policy.Policy) []policyJSON {
	if len(ps) == 0 {
		return nil
	}
	out := make([]policyJSON, len(ps))
	for i, p := range ps {
		out[i] = policyJSON{Name: p.Name, Document: p.Document(), parsed: p}
	}
	return out
}

// inlineToJSON describes an entity's inline policies.
func inlineToJSON(ps []*inlinePolicy) []inlinePolicyJSON {
	if len(ps) == 0 {
		return nil
	}
	out := make([]inlinePolicyJSON, len(ps))
	for i, p := range ps {
		out[i] = inlinePolicyJSON{Name: p.name, Document: p.doc, parsed: p.parsed}
	}
	return out
}

// accountToJSON describes a. e.mu is held.
func accountToJSON(a *account) accountJSON {
	j := accountJSON{ID: a.id, Created: a.created.UTC()}
	for r := range a.deletedRoles {
		j.DeletedRoles = append(j.DeletedRoles, r)
	}
	slices.Sort(j.DeletedRoles)
	return j
}

// userKeyToJSON describes a user's key.
func userKeyToJSON(k *longTermKey) userKeyJSON {
	return userKeyJSON{accessKeyJSON: accessKeyJSON{k.id, k.secret}, Created: k.created.UTC(), Inactive: k.inactive}
}

// userToJSON describes u with its deleted keys. e.mu is held. What an
// entity may change in place (its lists) is copied.
func userToJSON(u *user, deleted []*longTermKey, detached bool) userJSON {
	j := userJSON{ID: u.id, ARN: u.arn, Account: u.account, Path: u.path, Name: u.name, Created: u.created.UTC(),
		Policies: inlineToJSON(u.inline), ManagedPolicyARNs: slices.Clone(u.managed), Tags: slices.Clone(u.tags),
		Detached: detached}
	for _, k := range u.keys {
		j.AccessKeys = append(j.AccessKeys, userKeyToJSON(k))
	}
	for _, k := range deleted {
		j.DeletedAccessKeys = append(j.DeletedAccessKeys, userKeyToJSON(k))
	}
	slices.SortFunc(j.DeletedAccessKeys, func(a, b userKeyJSON) int { return strings.Compare(a.AccessKeyID, b.AccessKeyID) })
	if u.key != nil {
		j.CredentialsKey = u.key.id
	}
	return j
}

// roleToJSON describes r. e.mu is held.
func roleToJSON(r *role, detached bool) roleJSON {
	j := roleJSON{ID: r.id, ARN: r.arn, Account: r.account, Path: r.path, Name: r.name, Created: r.created.UTC(),
		Description: r.description, Implicit: r.trust == nil, Policies: inlineToJSON(r.inline),
		ManagedPolicyARNs: slices.Clone(r.managed), MaxSessionDuration: int64(r.maxSession / time.Second),
		Tags: slices.Clone(r.tags), Detached: detached, trust: r.trust}
	if r.trust != nil {
		doc := r.trustDoc
		j.TrustPolicy = &doc
	}
	return j
}

// managedPolicyToJSON describes mp. e.mu is held.
func managedPolicyToJSON(mp *managedPolicy) managedPolicyJSON {
	j := managedPolicyJSON{ARN: mp.arn, ID: mp.id, Path: mp.path, Name: mp.name, Description: mp.description,
		Created: mp.created.UTC(), Updated: mp.updated.UTC(), DefaultVersion: mp.def.id, NextVersion: mp.next,
		Tags: slices.Clone(mp.tags)}
	j.Versions = make([]policyVersionJSON, len(mp.versions))
	for i, v := range mp.versions {
		j.Versions[i] = policyVersionJSON{ID: v.id, Document: v.doc, Created: v.created.UTC(), parsed: v.parsed}
	}
	return j
}

// rootKeyToJSON describes an account root's key.
func rootKeyToJSON(acct string, k *longTermKey) rootKeyJSON {
	return rootKeyJSON{Account: acct, accessKeyJSON: accessKeyJSON{k.id, k.secret}, Created: k.created.UTC()}
}

// mfaDeviceToJSON describes d. e.mu and e.mfaMu are held.
func mfaDeviceToJSON(d *mfaDevice) mfaDeviceJSON {
	j := mfaDeviceJSON{SerialNumber: d.serial, Name: d.name, Path: d.path, Created: d.created.UTC(),
		Tags: slices.Clone(d.tags), Seed: d.secret}
	if d.user != nil {
		j.User = d.user.id
		t := d.enabled.UTC()
		j.Enabled = &t
	}
	for s := range d.used {
		j.UsedSteps = append(j.UsedSteps, s)
	}
	slices.Sort(j.UsedSteps)
	return j
}

// sessionToJSON describes a stored session.
func sessionToJSON(s *session.Session[sessionInfo]) sessionJSON {
	v := &s.Value
	j := sessionJSON{
		AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, TokenSHA256: hexDigest(s.TokenDigest),
		IssuedAt: s.IssuedAt.UTC(), Expiration: s.Expiration.UTC(),
		Type: principalTypeNames[v.typ], Operation: v.origin, Account: v.account, ARN: v.arn, UserID: v.userID,
		SessionName: v.sessionName, Root: v.root, SourceIdentity: v.sourceIdentity,
		Tags: v.tags, TransitiveTags: v.transitive, Policies: policiesToJSON(v.policies), PolicyARNs: v.policyARNs,
		HasPolicy:         v.hasPolicy,
		FederatedProvider: v.federated, Context: v.context, TaskPolicyARN: v.taskPolicyARN,
	}
	if v.user != nil {
		j.User = v.user.id
	}
	if v.role != nil {
		j.Role = v.role.id
	}
	if !v.mfaAt.IsZero() {
		t := v.mfaAt.UTC()
		j.MFAAuthenticated = &t
	}
	return j
}

// oidcProviderToJSON describes p.
func oidcProviderToJSON(p *oidcProvider) oidcProviderJSON {
	return oidcProviderJSON{Account: p.account, URL: "https://" + p.key, ClientIDs: p.clientIDs, Thumbprints: p.thumbprints,
		Created: p.created.UTC(), Tags: p.tags, JWKS: p.jwks, fetch: p.fetch}
}

// samlProviderToJSON describes p.
func samlProviderToJSON(p *samlProvider) samlProviderJSON {
	return samlProviderJSON{Account: p.account, Name: p.name, Metadata: p.document, UUID: p.uuid,
		Created: p.created.UTC(), Tags: p.tags, parsed: p.metadata}
}

// organizationToJSON describes o.
func organizationToJSON(o *organization) organizationJSON {
	return organizationJSON{ID: o.ID, RootID: o.RootID, ManagementAccount: o.Management, Members: slices.Clone(o.Members),
		DelegatedAdministrator: o.DelegatedAdmin, RootCredentialsManagement: o.RootCredentials, RootSessions: o.RootSessions}
}

// outboundToJSON describes a. e.outbound.mu is held.
func outboundToJSON(a *outboundAccount) outboundJSON {
	return outboundJSON{Account: a.account, Issuer: a.issuer, Enabled: a.enabled, rsaKey: a.rsaKey, ecKey: a.ecKey}
}

// delegationToJSON describes the delegation of token.
func delegationToJSON(token string, d *delegation) delegationJSON {
	return delegationJSON{TradeInToken: token, Account: d.account, Principal: d.principal, Kind: delegatedKindNames[d.kind],
		Entity: d.entity, SessionName: d.sessionName, Policy: d.policy, PolicyARNs: d.policyARNs,
		SessionEnd: d.sessionEnd.UTC(), TokenExpires: d.tokenExpires.UTC()}
}

// MarshalJSON writes the provider, which JSON can hold only with a static
// key set.
func (j oidcProviderJSON) MarshalJSON() ([]byte, error) {
	if j.fetch != nil {
		return nil, fmt.Errorf("OIDC provider %s of account %s has a FetchJWKS function, which JSON cannot hold", j.URL, j.Account)
	}
	type plain oidcProviderJSON
	return json.Marshal(plain(j))
}

// MarshalJSON writes the account's keys as PKCS #8 documents.
func (j outboundJSON) MarshalJSON() ([]byte, error) {
	var err error
	if j.RSAKey == nil && j.rsaKey != nil {
		if j.RSAKey, err = x509.MarshalPKCS8PrivateKey(j.rsaKey); err != nil {
			return nil, err
		}
	}
	if j.ECKey == nil && j.ecKey != nil {
		if j.ECKey, err = x509.MarshalPKCS8PrivateKey(j.ecKey); err != nil {
			return nil, err
		}
	}
	type plain outboundJSON
	return json.Marshal(plain(j))
}
