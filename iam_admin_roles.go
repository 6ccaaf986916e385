package fakests

import (
	"strings"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// This file changes IAM roles after CreateRole: deletion, updates of the
// description, maximum session duration and trust policy, inline and
// attached policies. The exported methods are administration, as in
// iam_admin_users.go: no caller, IAM's rules and errors.

// DeleteRole deletes the IAM role with ARN roleARN. As in IAM, the role must
// have no inline or attached policies left (DeleteConflict). Sessions of
// the role stay valid until they expire, with no permissions left, and in
// lenient mode the role's ARN is no longer assumed as an implicit role
// (behaviour §18).
func (e *Engine) DeleteRole(roleARN string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	return e.deleteRole(r.account, r.name)
}

// roleOfARN finds a created role by ARN for the administration methods:
// NoSuchEntity when there is none.
func (e *Engine) roleOfARN(roleARN string) (*role, error) {
	name := roleARN[strings.LastIndexByte(roleARN, '/')+1:]
	acct, ok := accountOfEntityARN(roleARN, "role/")
	if ok {
		e.mu.RLock()
		r := e.roleNamedLocked(acct, name)
		e.mu.RUnlock()
		if r != nil && r.arn == roleARN {
			return r, nil
		}
	}
	return nil, noSuchRole(name)
}

// deleteRole deletes the role name of acct after IAM's DeleteConflict
// checks.
func (e *Engine) deleteRole(acct, name string) error {
	return e.changeIAM(func(c *iamChange) error {
		r := e.roleNamedLocked(acct, name)
		switch {
		case r == nil:
			return noSuchRole(name)
		case len(r.inline) > 0:
			return newError(apierror.CodeDeleteConflict, msgDeletePoliciesFirst)
		case len(r.managed) > 0:
			return newError(apierror.CodeDeleteConflict, msgDetachPoliciesFirst)
		}
		a := e.accounts[acct]
		c.account(a)
		c.role(r)
		deleteIn(c, a.roles, strings.ToLower(r.name))
		a.deletedRoles[r.arn] = struct{}{}
		return nil
	})
}

// RoleUpdate is what UpdateRole changes; nil members stay as they are.
type RoleUpdate struct {
	// Description replaces the role's description ("" clears it).
	Description *string
	// MaxSessionDuration replaces the role's maximum session duration, 1–12
	// hours in whole seconds.
	MaxSessionDuration *time.Duration
}

// UpdateRole changes the description or maximum session duration of the IAM
// role with ARN roleARN, as IAM's UpdateRole does; sessions issued before
// keep their expiry.
func (e *Engine) UpdateRole(roleARN string, u RoleUpdate) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	if d := u.MaxSessionDuration; d != nil && (*d < time.Hour || *d > 12*time.Hour || *d%time.Second != 0) {
		return apierror.New(apierror.CodeValidationError,
			"fakests: MaxSessionDuration "+d.String()+" must be whole seconds between 1h and 12h")
	}
	return e.updateRole(r, u)
}

// updateRole applies u to r.
func (e *Engine) updateRole(r *role, u RoleUpdate) error {
	return e.changeIAM(func(c *iamChange) error {
		c.role(r)
		if u.Description != nil {
			d := *u.Description
			r.description = &d
		}
		if u.MaxSessionDuration != nil {
			r.maxSession = *u.MaxSessionDuration
		}
		return nil
	})
}

// UpdateAssumeRolePolicy replaces the trust policy of the IAM role with ARN
// roleARN; later AssumeRole calls are decided by the new one. The document
// is checked as IAM checks trust policies (MalformedPolicyDocument).
func (e *Engine) UpdateAssumeRolePolicy(roleARN, document string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	trust, err := parseTrustPolicy(r.name, document)
	if err != nil {
		return err
	}
	if err := checkTrustGrammar("trust policy of role "+r.name, document); err != nil {
		return err
	}
	return e.setTrust(r, document, trust)
}

// setTrust replaces r's trust policy.
func (e *Engine) setTrust(r *role, doc string, trust *policy.Policy) error {
	return e.changeIAM(func(c *iamChange) error {
		c.role(r)
		r.trust, r.trustDoc = trust, doc
		return nil
	})
}

// PutRolePolicy adds or replaces the inline policy name (ignoring case) of
// the IAM role with ARN roleARN. A role's inline policies may total 10,240
// characters, white space excluded (LimitExceeded).
func (e *Engine) PutRolePolicy(roleARN, name, document string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	p, err := iamDocument(document, policy.Identity, "inline policy "+name+" of role "+r.name, false)
	if err != nil {
		return err
	}
	return e.putRolePolicy(r, name, document, p)
}

// putRolePolicy sets r's inline policy name.
func (e *Engine) putRolePolicy(r *role, name, doc string, parsed *policy.Policy) error {
	return e.changeIAM(func(c *iamChange) error {
		if e.roleNamedLocked(r.account, r.name) != r {
			return noSuchRole(r.name)
		}
		next := putInline(r.inline, "role/"+r.name, name, doc, parsed)
		if inlineSize(next) > maxRoleInlineSize {
			return errorf(apierror.CodeLimitExceeded, msgInlinePolicySize, maxRoleInlineSize, "role", r.name)
		}
		c.role(r)
		r.inline = next
		return nil
	})
}

// DeleteRolePolicy deletes the inline policy name of the IAM role with ARN
// roleARN (NoSuchEntity when it has none of that name).
func (e *Engine) DeleteRolePolicy(roleARN, name string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	return e.deleteRolePolicy(r, name)
}

// deleteRolePolicy deletes r's inline policy name.
func (e *Engine) deleteRolePolicy(r *role, name string) error {
	return e.changeIAM(func(c *iamChange) error {
		next, ok := deleteInline(r.inline, name)
		if !ok {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchRolePolicy, name)
		}
		c.role(r)
		r.inline = next
		if len(next) == 0 {
			r.inline = nil
		}
		return nil
	})
}

// AttachRolePolicy attaches the managed policy policyARN (one of the
// account's, or an AWS managed policy the engine has) to the IAM role with
// ARN roleARN. Attaching it again changes nothing; an eleventh policy is
// LimitExceeded.
func (e *Engine) AttachRolePolicy(roleARN, policyARN string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	return e.attachRolePolicy(r, policyARN)
}

// attachRolePolicy attaches policyARN to r.
func (e *Engine) attachRolePolicy(r *role, policyARN string) error {
	return e.changeIAM(func(c *iamChange) error {
		if !e.attachableLocked(r.account, policyARN) {
			return errorf(apierror.CodeNoSuchEntity, msgPolicyNotAttachable, policyARN)
		}
		next, err := attachLocked(r.managed, policyARN, msgPoliciesPerRole)
		if err != nil {
			return err
		}
		c.role(r)
		r.managed = next
		return nil
	})
}

// DetachRolePolicy detaches the managed policy policyARN from the IAM role
// with ARN roleARN (NoSuchEntity when it is not attached).
func (e *Engine) DetachRolePolicy(roleARN, policyARN string) error {
	r, err := e.roleOfARN(roleARN)
	if err != nil {
		return err
	}
	return e.detachRolePolicy(r, policyARN)
}

// detachRolePolicy detaches policyARN from r.
func (e *Engine) detachRolePolicy(r *role, policyARN string) error {
	return e.changeIAM(func(c *iamChange) error {
		next, err := detachLocked(r.managed, policyARN)
		if err != nil {
			return err
		}
		c.role(r)
		r.managed = next
		return nil
	})
}

// accountOfEntityARN returns the account of arn:aws:iam::ACCT:<kind>….
func accountOfEntityARN(s, kind string) (string, bool) {
	acct, res, ok := splitIAMARN(s)
	if !ok || !strings.HasPrefix(res, kind) {
		return "", false
	}
	return acct, true
}
