package fakests

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file is the policy side of the identity model: managed policies and
// their versions, inline policies by name, and attachments, with IAM's
// rules and limits (behaviour §18). The *Locked functions need Engine.mu
// held for writing and return IAM's errors (*apierror.Error); the wire
// operations (iam_ops_*.go) and the administration methods share them.

// IAM's limits on policies (IAM User Guide, reference_iam-quotas).
const (
	maxPolicyVersions    = 5     // versions of a managed policy
	maxManagedPolicySize = 6144  // characters of a managed policy, white space excluded
	maxUserInlineSize    = 2048  // characters of all of a user's inline policies, white space excluded
	maxRoleInlineSize    = 10240 // characters of all of a role's inline policies, white space excluded
	maxAttachedPolicies  = 10    // managed policies attached to a user or role
	maxTrustPolicySize   = 2048  // characters of a role's trust policy, white space excluded
)

// managedPolicy is a managed policy: a customer managed policy of an
// account, or an AWS managed policy (account "aws").
type managedPolicy struct {
	account, arn, name, path, id string
	description                  *string
	created, updated             time.Time
	versions                     []*policyVersion // in creation order
	def                          *policyVersion   // the default version
	next                         int              // the number of the next version
	tags                         []tags.Tag
}

// policyVersion is one version of a managed policy.
type policyVersion struct {
	id, doc string // "v1", the document as given
	parsed  *policy.Policy
	created time.Time
}

// newManagedPolicy returns a managed policy (not yet added to its account)
// whose version v1, the default, is doc.
func (e *Engine) newManagedPolicy(acct, path, name, doc string, parsed *policy.Policy, description *string, ts []tags.Tag) (*managedPolicy, error) {
	now := e.now()
	mp := &managedPolicy{account: acct, path: path, name: name, description: description,
		created: now, updated: now, next: 2, tags: ts}
	mp.arn = arn.IAM(acct, "policy"+path+name)
	id, err := session.NewUniqueID(session.PrefixPolicy, accountForID(acct), e.random())
	if err != nil {
		return nil, err
	}
	mp.id = id
	parsed.Name = mp.arn
	mp.def = &policyVersion{id: "v1", doc: doc, parsed: parsed, created: now}
	mp.versions = []*policyVersion{mp.def}
	return mp, nil
}

// accountForID is the account an ID encodes: AWS managed policies belong
// to no numbered account, so theirs encode the zero account.
func accountForID(acct string) string {
	if isAccountID(acct) {
		return acct
	}
	return "000000000000"
}

// version returns the version with the given ID, or nil.
func (mp *managedPolicy) version(id string) *policyVersion {
	for _, v := range mp.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

// awsManaged reports whether mp is an AWS managed policy, which accounts
// may attach and read but not change.
func (mp *managedPolicy) awsManaged() bool { return mp.account == awsManagedAccount }

// awsManagedAccount is the account field of AWS managed policies' ARNs.
const awsManagedAccount = "aws"

// addVersionLocked adds doc as a new version of mp, the default when
// setDefault, and returns it: LimitExceeded once mp has five versions.
func (e *Engine) addVersionLocked(mp *managedPolicy, doc string, parsed *policy.Policy, setDefault bool) (*policyVersion, error) {
	if len(mp.versions) >= maxPolicyVersions {
		return nil, newError(apierror.CodeLimitExceeded, msgPolicyVersionLimit)
	}
	parsed.Name = mp.arn
	v := &policyVersion{id: "v" + strconv.Itoa(mp.next), doc: doc, parsed: parsed, created: e.now()}
	mp.next++
	mp.versions = append(append([]*policyVersion(nil), mp.versions...), v)
	if setDefault {
		mp.def, mp.updated = v, v.created
	}
	return v, nil
}

// setDefaultVersionLocked makes version id mp's default.
func (e *Engine) setDefaultVersionLocked(mp *managedPolicy, id string) error {
	v := mp.version(id)
	if v == nil {
		return errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, mp.arn, id)
	}
	mp.def, mp.updated = v, e.now()
	return nil
}

// deleteVersionLocked deletes version id of mp, which must not be the
// default.
func deleteVersionLocked(mp *managedPolicy, id string) error {
	v := mp.version(id)
	switch {
	case v == nil:
		return errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, mp.arn, id)
	case v == mp.def:
		return newError(apierror.CodeDeleteConflict, msgDeleteDefaultVersion)
	}
	kept := make([]*policyVersion, 0, len(mp.versions)-1)
	for _, w := range mp.versions {
		if w != v {
			kept = append(kept, w)
		}
	}
	mp.versions = kept
	return nil
}

// attachmentsLocked counts the users and roles mp is attached to.
func (e *Engine) attachmentsLocked(mp *managedPolicy) int {
	n := 0
	count := func(a *account) {
		for _, u := range a.users {
			if hasString(u.managed, mp.arn) {
				n++
			}
		}
		for _, r := range a.roles {
			if hasString(r.managed, mp.arn) {
				n++
			}
		}
	}
	if mp.awsManaged() {
		for _, a := range e.accounts {
			count(a)
		}
	} else if a := e.accounts[mp.account]; a != nil {
		count(a)
	}
	return n
}

// deletePolicyLocked checks that mp may be deleted from its account: it
// must be attached to nothing and have no version besides the default
// (behaviour §18). The caller deletes it.
func (e *Engine) deletePolicyLocked(mp *managedPolicy) error {
	if e.attachmentsLocked(mp) > 0 {
		return newError(apierror.CodeDeleteConflict, msgPolicyAttached)
	}
	if len(mp.versions) > 1 {
		return newError(apierror.CodeDeleteConflict, msgPolicyHasVersions)
	}
	return nil
}

// hasString reports whether list holds s.
func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attachLocked attaches policyARN to an entity's list and returns the new
// list: attaching twice changes nothing; an eleventh policy is
// LimitExceeded with quota (PoliciesPerUser or PoliciesPerRole).
func attachLocked(list []string, policyARN, quota string) ([]string, error) {
	if hasString(list, policyARN) {
		return list, nil
	}
	if len(list) >= maxAttachedPolicies {
		return nil, errorf(apierror.CodeLimitExceeded, msgQuota, quota, maxAttachedPolicies)
	}
	return append(append([]string(nil), list...), policyARN), nil
}

// detachLocked removes policyARN from an entity's list: NoSuchEntity when
// it is not attached (recorded for roles).
func detachLocked(list []string, policyARN string) ([]string, error) {
	if !hasString(list, policyARN) {
		return nil, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, policyARN)
	}
	out := make([]string, 0, len(list)-1)
	for _, x := range list {
		if x != policyARN {
			out = append(out, x)
		}
	}
	return out, nil
}

// findInline returns the inline policy named name, ignoring case as IAM
// does (a stackd capture shows a policy put as MixedName read and deleted
// as MIXEDNAME, behaviour §18).
func findInline(list []*inlinePolicy, name string) *inlinePolicy {
	for _, ip := range list {
		if strings.EqualFold(ip.name, name) {
			return ip
		}
	}
	return nil
}

// putInline returns list with the inline policy name set to doc: a policy
// of the same name (ignoring case) keeps its name and takes the new
// document. The list is a new slice; the old one is left as it was.
func putInline(list []*inlinePolicy, owner, name, doc string, parsed *policy.Policy) []*inlinePolicy {
	out := make([]*inlinePolicy, 0, len(list)+1)
	replaced := false
	for _, ip := range list {
		if !replaced && strings.EqualFold(ip.name, name) {
			parsed.Name = inlineLabel(owner, ip.name)
			out = append(out, &inlinePolicy{name: ip.name, doc: doc, parsed: parsed})
			replaced = true
			continue
		}
		out = append(out, ip)
	}
	if !replaced {
		parsed.Name = inlineLabel(owner, name)
		out = append(out, &inlinePolicy{name: name, doc: doc, parsed: parsed})
	}
	return out
}

// deleteInline returns list without the inline policy name (ignoring
// case), or false when there is none.
func deleteInline(list []*inlinePolicy, name string) ([]*inlinePolicy, bool) {
	for i, ip := range list {
		if strings.EqualFold(ip.name, name) {
			out := append(append([]*inlinePolicy(nil), list[:i]...), list[i+1:]...)
			return out, true
		}
	}
	return list, false
}

// inlineSize is the size IAM counts for an entity's inline policies: every
// document's characters, white space excluded (IAM User Guide,
// reference_iam-quotas).
func inlineSize(list []*inlinePolicy) int {
	n := 0
	for _, ip := range list {
		n += policySize(ip.doc)
	}
	return n
}

// policySize counts the characters of doc that are not white space.
func policySize(doc string) int {
	n := 0
	for _, c := range doc {
		if !unicode.IsSpace(c) {
			n++
		}
	}
	return n
}
