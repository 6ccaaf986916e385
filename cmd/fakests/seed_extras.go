package main

import (
	"strings"

	"github.com/fakests/fakests"
)

// applyUserExtras gives a seeded user what UserSpec cannot say: named
// inline policies, fixed access keys (which replace the key CreateUser
// drew, so that the user has exactly the keys the file lists) and MFA
// devices with fixed seeds.
func applyUserExtras(e *fakests.Engine, u *fakests.User, su seedUser) error {
	for _, np := range su.named {
		if err := e.PutUserPolicy(u.ARN, np.name, np.document); err != nil {
			return &pathError{np.path, err}
		}
	}
	if len(su.accessKeys) > 0 {
		if err := e.DeleteAccessKey(u.Credentials.AccessKeyID); err != nil {
			return &pathError{su.path, err}
		}
	}
	for _, k := range su.accessKeys {
		if err := e.ImportAccessKey(u.ARN, k.accessKeyID, k.secretAccessKey); err != nil {
			path := k.path
			if strings.Contains(err.Error(), "access key ID") {
				path = k.accessKeyIDPath
			}
			return &pathError{path, err}
		}
		if k.inactive {
			if err := e.SetAccessKeyActive(k.accessKeyID, false); err != nil {
				return &pathError{k.path, err}
			}
		}
	}
	for _, d := range su.mfa {
		if _, err := e.ImportVirtualMFADevice(u.ARN, d.name, d.base32Seed); err != nil {
			return &pathError{d.path, err}
		}
	}
	return nil
}

// applyRoleExtras gives a seeded role its named inline policies.
func applyRoleExtras(e *fakests.Engine, r *fakests.Role, sr seedRole) error {
	for _, np := range sr.named {
		if err := e.PutRolePolicy(r.ARN, np.name, np.document); err != nil {
			return &pathError{np.path, err}
		}
	}
	return nil
}
