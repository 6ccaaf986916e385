package main

import (
	"errors"

	"github.com/fakests/fakests"
)

// applyUserExtras gives a seeded user what UserSpec cannot say: named
// inline policies, fixed access keys, MFA devices.
func applyUserExtras(e *fakests.Engine, u *fakests.User, su seedUser) error {
	switch {
	case len(su.named) > 0:
		return &pathError{su.named[0].path, errors.New("named inline policies are not supported yet")}
	case len(su.accessKeys) > 0:
		return &pathError{su.accessKeys[0].path, errors.New("fixed access keys are not supported yet")}
	case len(su.mfa) > 0:
		return &pathError{su.mfa[0].path, errors.New("MFA devices are not supported yet")}
	}
	return nil
}

// applyRoleExtras gives a seeded role its named inline policies.
func applyRoleExtras(e *fakests.Engine, r *fakests.Role, sr seedRole) error {
	if len(sr.named) > 0 {
		return &pathError{sr.named[0].path, errors.New("named inline policies are not supported yet")}
	}
	return nil
}
