package fakests

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// This file changes IAM users after CreateUser: deletion, access keys,
// inline and attached policies. The exported methods are administration,
// like CreateUser: they need no caller and check no permissions; they
// apply IAM's rules and return IAM's errors (*apierror.Error with IAM's
// code, status and text) where IAM would refuse, plain errors for a
// malformed argument. The wire operations share the unexported functions.

// DeleteUser deletes the IAM user with ARN userARN. As in IAM, the user
// must have no access keys, MFA devices, inline or attached policies left
// (DeleteConflict). Sessions the user obtained stay valid until they
// expire, with no permissions left (behaviour §18).
func (e *Engine) DeleteUser(userARN string) error {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	return e.deleteUser(u.account, u.name)
}

// userOfARN finds a user by ARN for the administration methods:
// NoSuchEntity when there is none.
func (e *Engine) userOfARN(userARN string) (*user, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if u := e.userByARNLocked(userARN); u != nil {
		return u, nil
	}
	name := userARN[strings.LastIndexByte(userARN, '/')+1:]
	return nil, noSuchUser(name)
}

// deleteUser deletes the user name of acct after IAM's DeleteConflict
// checks (behaviour §18).
func (e *Engine) deleteUser(acct, name string) error {
	return e.changeIAM(func(c *iamChange) error {
		u := e.userNamedLocked(acct, name)
		switch {
		case u == nil:
			return noSuchUser(name)
		case len(u.keys) > 0:
			return newError(apierror.CodeDeleteConflict, msgDeleteKeysFirst)
		case len(u.mfa) > 0:
			return newError(apierror.CodeDeleteConflict, msgDeleteMFAFirst)
		case len(u.inline) > 0:
			return newError(apierror.CodeDeleteConflict, msgDeletePoliciesFirst)
		case len(u.managed) > 0:
			return newError(apierror.CodeDeleteConflict, msgDetachPoliciesFirst)
		}
		c.user(u)
		deleteIn(c, e.accounts[acct].users, strings.ToLower(u.name))
		return nil
	})
}

// maxAccessKeys is how many access keys an IAM user may have (recorded).
const maxAccessKeys = 2

// CreateAccessKey creates an access key for the IAM user with ARN userARN
// and returns it. A user has at most two (LimitExceeded, as IAM). The key
// is Active.
func (e *Engine) CreateAccessKey(userARN string) (aws.Credentials, error) {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return aws.Credentials{}, err
	}
	key, err := e.createAccessKey(u)
	if err != nil {
		return aws.Credentials{}, err
	}
	return aws.Credentials{AccessKeyID: key.id, SecretAccessKey: key.secret, Source: "fakests"}, nil
}

// createAccessKey adds a new key to u.
func (e *Engine) createAccessKey(u *user) (*longTermKey, error) {
	key, err := e.newLongTermKey(u.account)
	if err != nil {
		return nil, err
	}
	err = e.changeIAM(func(c *iamChange) error {
		if e.userNamedLocked(u.account, u.name) != u {
			return noSuchUser(u.name)
		}
		if len(u.keys) >= maxAccessKeys {
			return errorf(apierror.CodeLimitExceeded, msgQuota, msgAccessKeysPerUser, maxAccessKeys)
		}
		key.user = u
		if err := c.registerKey(key); err != nil {
			return err
		}
		c.user(u)
		u.keys = append(slices.Clone(u.keys), key)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// SetAccessKeyActive makes an IAM user's access key Active or Inactive, as
// IAM's UpdateAccessKey does. An Inactive key authenticates nothing:
// requests signed with it get InvalidClientTokenId (behaviour §18).
func (e *Engine) SetAccessKeyActive(accessKeyID string, active bool) error {
	u, err := e.keyOwner(accessKeyID)
	if err != nil {
		return err
	}
	return e.setKeyActive(u, accessKeyID, active)
}

// DeleteAccessKey deletes an IAM user's access key. Requests signed with
// it get InvalidClientTokenId, in lenient mode too (behaviour §18).
func (e *Engine) DeleteAccessKey(accessKeyID string) error {
	u, err := e.keyOwner(accessKeyID)
	if err != nil {
		return err
	}
	return e.deleteAccessKey(u, accessKeyID)
}

// keyOwner returns the user whose current key accessKeyID is:
// NoSuchEntity when none is (recorded text).
func (e *Engine) keyOwner(accessKeyID string) (*user, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if k := e.keys[accessKeyID]; k != nil && !k.deleted && k.user != nil {
		return k.user, nil
	}
	return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchAccessKey, accessKeyID)
}

// userKeyLocked returns u's current key id, or NoSuchEntity.
func userKeyLocked(u *user, id string) (*longTermKey, error) {
	for _, k := range u.keys {
		if k.id == id {
			return k, nil
		}
	}
	return nil, errorf(apierror.CodeNoSuchEntity, msgNoSuchAccessKey, id)
}

// setKeyActive sets the status of u's key id.
func (e *Engine) setKeyActive(u *user, id string, active bool) error {
	return e.changeIAM(func(c *iamChange) error {
		k, err := userKeyLocked(u, id)
		if err != nil {
			return err
		}
		c.user(u)
		k.inactive = !active
		return nil
	})
}

// deleteAccessKey deletes u's key id; the engine keeps it, marked
// deleted, so that it is refused rather than unknown.
func (e *Engine) deleteAccessKey(u *user, id string) error {
	return e.changeIAM(func(c *iamChange) error {
		k, err := userKeyLocked(u, id)
		if err != nil {
			return err
		}
		c.user(u)
		k.deleted = true
		u.keys = slices.DeleteFunc(slices.Clone(u.keys), func(x *longTermKey) bool { return x == k })
		if len(u.keys) == 0 {
			u.keys = nil
		}
		return nil
	})
}

// PutUserPolicy adds or replaces the inline policy name (ignoring case, as
// IAM names it) of the IAM user with ARN userARN. The document is checked
// as IAM checks identity policies (MalformedPolicyDocument); a user's
// inline policies may total 2,048 characters, white space excluded
// (LimitExceeded).
func (e *Engine) PutUserPolicy(userARN, name, document string) error {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	p, err := iamDocument(document, policy.Identity, "inline policy "+name+" of user "+u.name, false)
	if err != nil {
		return err
	}
	return e.putUserPolicy(u, name, document, p)
}

// putUserPolicy sets u's inline policy name.
func (e *Engine) putUserPolicy(u *user, name, doc string, parsed *policy.Policy) error {
	return e.changeIAM(func(c *iamChange) error {
		if e.userNamedLocked(u.account, u.name) != u {
			return noSuchUser(u.name)
		}
		next := putInline(u.inline, "user/"+u.name, name, doc, parsed)
		if inlineSize(next) > maxUserInlineSize {
			return errorf(apierror.CodeLimitExceeded, msgInlinePolicySize, maxUserInlineSize, "user", u.name)
		}
		c.user(u)
		u.inline = next
		return nil
	})
}

// DeleteUserPolicy deletes the inline policy name of the IAM user with ARN
// userARN (NoSuchEntity when it has none of that name).
func (e *Engine) DeleteUserPolicy(userARN, name string) error {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	return e.deleteUserPolicy(u, name)
}

// deleteUserPolicy deletes u's inline policy name.
func (e *Engine) deleteUserPolicy(u *user, name string) error {
	return e.changeIAM(func(c *iamChange) error {
		next, ok := deleteInline(u.inline, name)
		if !ok {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchUserPolicy, name)
		}
		c.user(u)
		u.inline = next
		if len(next) == 0 {
			u.inline = nil
		}
		return nil
	})
}

// AttachUserPolicy attaches the managed policy policyARN (one of the
// account's, or an AWS managed policy the engine has) to the IAM user
// with ARN userARN. Attaching it again changes nothing; an eleventh
// policy is LimitExceeded.
func (e *Engine) AttachUserPolicy(userARN, policyARN string) error {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	return e.attachUserPolicy(u, policyARN)
}

// attachUserPolicy attaches policyARN to u.
func (e *Engine) attachUserPolicy(u *user, policyARN string) error {
	return e.changeIAM(func(c *iamChange) error {
		if !e.attachableLocked(u.account, policyARN) {
			return errorf(apierror.CodeNoSuchEntity, msgPolicyNotAttachable, policyARN)
		}
		next, err := attachLocked(u.managed, policyARN, msgPoliciesPerUser)
		if err != nil {
			return err
		}
		c.user(u)
		u.managed = next
		return nil
	})
}

// attachableLocked reports whether an entity of acct may attach
// policyARN: a managed policy of the same account, or an AWS managed one.
// e.mu must be held.
func (e *Engine) attachableLocked(acct, policyARN string) bool {
	mp := e.managedPolicyLocked(policyARN)
	return mp != nil && (mp.account == acct || mp.awsManaged())
}

// DetachUserPolicy detaches the managed policy policyARN from the IAM user
// with ARN userARN (NoSuchEntity when it is not attached).
func (e *Engine) DetachUserPolicy(userARN, policyARN string) error {
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	return e.detachUserPolicy(u, policyARN)
}

// detachUserPolicy detaches policyARN from u.
func (e *Engine) detachUserPolicy(u *user, policyARN string) error {
	return e.changeIAM(func(c *iamChange) error {
		next, err := detachLocked(u.managed, policyARN)
		if err != nil {
			return err
		}
		c.user(u)
		u.managed = next
		return nil
	})
}
