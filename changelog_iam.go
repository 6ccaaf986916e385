package fakests

import (
	"strings"
)

// This file gives IAM's identity model (accounts, users and their keys,
// roles, managed policies, MFA devices; iam.go) its change records
// (behaviour §23). Every change of the model runs in changeIAM, which
// holds e.stateMu for reading and e.mu for writing; the change marks what
// it is about to change (c.user(u), c.role(r), ...) before changing it in
// place, and changes the accounts' maps through c's helpers. When it
// returns, changeIAM writes one change record that puts every marked
// entity whole, as it is after the change, or names it deleted when its
// account no longer holds it. When the record cannot be written, or the
// change fails, every marked entity and map entry is put back as it was:
// a failed call leaves no trace.
//
// Whole entities rather than the change itself: a record cannot disagree
// with the entity it describes, records of changes to one entity are
// written in the order of the changes (under e.mu), and a new kind of
// change needs no new record type, only its marks.

// iamChange is one change of the identity model under way.
type iamChange struct {
	e       *Engine
	marked  map[any]bool
	order   []any    // marked entities, in marking order
	undo    []func() // run last first to take the change back
	dropped []string // accounts the change removed
}

// changeIAM runs change as one change of the identity model, with its
// change record. change returns IAM's error (or a plain one) and leaves
// nothing changed behind it: changeIAM takes back what it marked.
func (e *Engine) changeIAM(change func(c *iamChange) error) error {
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &iamChange{e: e}
	if err := change(c); err != nil {
		c.rollback()
		return err
	}
	if len(c.order) == 0 && len(c.dropped) == 0 {
		return nil
	}
	if err := e.logChange(c.record); err != nil {
		c.rollback()
		return err
	}
	return nil
}

// rollback takes the change back.
func (c *iamChange) rollback() {
	for i := len(c.undo) - 1; i >= 0; i-- {
		c.undo[i]()
	}
	c.undo = nil
}

// mark records x for the change record, reporting whether it was marked
// before.
func (c *iamChange) mark(x any) bool {
	if c.marked[x] {
		return true
	}
	if c.marked == nil {
		c.marked = make(map[any]bool)
	}
	c.marked[x] = true
	c.order = append(c.order, x)
	return false
}

// user marks u (and its keys) as about to change.
func (c *iamChange) user(u *user) {
	if c.mark(u) {
		return
	}
	saved := *u
	keys := append([]*longTermKey(nil), u.keys...)
	if u.key != nil {
		keys = append(keys, u.key)
	}
	savedKeys := make([]longTermKey, len(keys))
	for i, k := range keys {
		savedKeys[i] = *k
	}
	c.undo = append(c.undo, func() {
		*u = saved
		for i, k := range keys {
			*k = savedKeys[i]
		}
	})
}

// role marks r as about to change.
func (c *iamChange) role(r *role) {
	if c.mark(r) {
		return
	}
	saved := *r
	c.undo = append(c.undo, func() { *r = saved })
}

// policy marks mp as about to change.
func (c *iamChange) policy(mp *managedPolicy) {
	if c.mark(mp) {
		return
	}
	saved := *mp
	c.undo = append(c.undo, func() { *mp = saved })
}

// device marks d as about to change (not its used codes, which only
// storeSession changes).
func (c *iamChange) device(d *mfaDevice) {
	if c.mark(d) {
		return
	}
	saved := *d
	c.undo = append(c.undo, func() {
		used := d.used
		*d = saved
		d.used = used
	})
}

// account marks a (its creation, deleted roles and root key) as about to
// change.
func (c *iamChange) account(a *account) {
	if c.mark(a) {
		return
	}
	saved := *a
	deleted := make(map[string]struct{}, len(a.deletedRoles))
	for k := range a.deletedRoles {
		deleted[k] = struct{}{}
	}
	c.undo = append(c.undo, func() {
		users, roles, implicit, policies, mfa := a.users, a.roles, a.implicit, a.policies, a.mfa
		*a = saved
		a.users, a.roles, a.implicit, a.policies, a.mfa = users, roles, implicit, policies, mfa
		a.deletedRoles = deleted
	})
}

// accountOf returns account id, creating it (and marking it) when the
// engine holds nothing of it yet.
func (c *iamChange) accountOf(id string) *account {
	if a := c.e.accounts[id]; a != nil {
		return a
	}
	a := c.e.accountLocked(id)
	c.mark(a)
	c.undo = append(c.undo, func() {
		if c.e.accounts[id] == a {
			delete(c.e.accounts, id)
		}
	})
	return a
}

// dropAccount removes account a, which holds nothing.
func (c *iamChange) dropAccount(a *account) {
	if c.e.accounts[a.id] != a {
		return
	}
	delete(c.e.accounts, a.id)
	c.dropped = append(c.dropped, a.id)
	c.undo = append(c.undo, func() { c.e.accounts[a.id] = a })
}

// setIn sets m[k] to v, to be taken back with the change.
func setIn[K comparable, V any](c *iamChange, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	c.undo = append(c.undo, func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

// deleteIn deletes m[k], to be taken back with the change.
func deleteIn[K comparable, V any](c *iamChange, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	c.undo = append(c.undo, func() { m[k] = old })
}

// registerKey adds key to the engine's keys (registerKeyLocked), to be
// taken back with the change.
func (c *iamChange) registerKey(key *longTermKey) error {
	if err := c.e.registerKeyLocked(key); err != nil {
		return err
	}
	c.undo = append(c.undo, func() {
		if c.e.keys[key.id] == key {
			delete(c.e.keys, key.id)
		}
	})
	return nil
}

// record fills the change record: every marked entity as it is now.
func (c *iamChange) record(rec *changeRecord) {
	e := c.e
	put, del := &entities{}, &deletions{}
	e.mfaMu.Lock()
	defer e.mfaMu.Unlock()
	for _, x := range c.order {
		switch x := x.(type) {
		case *account:
			if e.accounts[x.id] == x {
				put.Accounts = append(put.Accounts, accountToJSON(x))
				if x.rootKey != nil {
					put.RootKeys = append(put.RootKeys, rootKeyToJSON(x.id, x.rootKey))
				}
			}
		case *user:
			a := e.accounts[x.account]
			held := a != nil && a.users[strings.ToLower(x.name)] == x
			put.Users = append(put.Users, userToJSON(x, e.userDeletedKeysLocked(x), !held))
		case *role:
			a := e.accounts[x.account]
			switch {
			case a != nil && (a.roles[strings.ToLower(x.name)] == x || a.implicit[x.arn] == x):
				put.Roles = append(put.Roles, roleToJSON(x, false))
			case x.trust == nil: // an implicit role taken back
				del.Roles = append(del.Roles, x.id)
			default:
				put.Roles = append(put.Roles, roleToJSON(x, true))
			}
		case *managedPolicy:
			if e.managedPolicyLocked(x.arn) == x {
				put.ManagedPolicies = append(put.ManagedPolicies, managedPolicyToJSON(x))
			} else {
				del.ManagedPolicies = append(del.ManagedPolicies, x.arn)
			}
		case *mfaDevice:
			if e.mfaDeviceLocked(accountOfSerial(x.serial), x.serial) == x {
				put.MFADevices = append(put.MFADevices, mfaDeviceToJSON(x))
			} else {
				del.MFADevices = append(del.MFADevices, x.serial)
			}
		}
	}
	del.Accounts = c.dropped
	rec.Put, rec.Delete = put, del
}

// userDeletedKeysLocked returns u's deleted keys. e.mu is held.
func (e *Engine) userDeletedKeysLocked(u *user) []*longTermKey {
	var out []*longTermKey
	for _, k := range e.keys {
		if k.deleted && k.user == u {
			out = append(out, k)
		}
	}
	return out
}

// accountOfSerial returns the account of an MFA device's serial number.
func accountOfSerial(serial string) string {
	acct, _, _ := splitIAMARN(serial)
	return acct
}

// providerChange is one change of the identity providers (idp.go), which
// are never changed in place: a change stores new providers and deletes
// old ones, so the record is written first and the change applied after.
type providerChange struct {
	oidc    []*oidcProvider
	saml    []*samlProvider
	oidcDel []*oidcProvider
	samlDel []*samlProvider
}

// changeProviders runs change, which looks at the providers and says what
// to store and delete, then writes its change record and applies it.
// change must not change s itself.
func (e *Engine) changeProviders(change func(s *federationState, c *providerChange) error) error {
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := e.federationState()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &providerChange{}
	if err := change(s, c); err != nil {
		return err
	}
	err := e.logChange(func(rec *changeRecord) {
		put, del := &entities{}, &deletions{}
		for _, p := range c.oidc {
			put.OIDCProviders = append(put.OIDCProviders, oidcProviderToJSON(p))
		}
		for _, p := range c.saml {
			put.SAMLProviders = append(put.SAMLProviders, samlProviderToJSON(p))
		}
		for _, p := range c.oidcDel {
			del.OIDCProviders = append(del.OIDCProviders, p.arn)
		}
		for _, p := range c.samlDel {
			del.SAMLProviders = append(del.SAMLProviders, p.arn)
		}
		rec.Put, rec.Delete = put, del
	})
	if err != nil {
		return err
	}
	for _, p := range c.oidcDel {
		delete(s.oidc, p.account+"/"+p.key)
	}
	for _, p := range c.samlDel {
		delete(s.saml, p.arn)
	}
	if len(c.oidc) > 0 && s.oidc == nil {
		s.oidc = make(map[string]*oidcProvider)
	}
	for _, p := range c.oidc {
		s.oidc[p.account+"/"+p.key] = p
	}
	if len(c.saml) > 0 && s.saml == nil {
		s.saml = make(map[string]*samlProvider)
	}
	for _, p := range c.saml {
		s.saml[p.arn] = p
	}
	return nil
}
