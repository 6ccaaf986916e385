package fakests

import (
	"encoding/base32"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
)

// This file gives users credentials chosen by the program rather than
// drawn at random: access keys and virtual MFA seeds that scripts,
// configuration files and authenticator apps already hold (the server's
// -seed). IAM itself never takes them; these are set-up methods of the
// fake, like CreateUser.

// accessKeyIDPattern is IAM's AccessKeyId constraint (botocore's iam
// model: pattern [\w]+, 16 to 128 characters).
var accessKeyIDPattern = regexp.MustCompile(`^\w{16,128}$`)

// mfaNamePattern is IAM's VirtualMFADeviceName constraint (botocore's iam
// model: [\w+=,.@-]+, at least one character; 226 at most).
var mfaNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,226}$`)

// Messages of ImportAccessKey and ImportVirtualMFADevice (fakests' own).
const (
	msgImportKeyID     = "fakests: access key ID %q must be 16 to 128 letters, digits or underscores"
	msgImportKeyASIA   = "fakests: access key ID %q starts with ASIA, the prefix of session keys"
	msgImportKeyTaken  = "fakests: access key ID %s is already in use"
	msgImportSecret    = "fakests: the secret access key of %s must not be empty"
	msgImportMFAName   = "fakests: MFA device name %q must be 1 to 226 characters of [\\w+=,.@-]"
	msgImportMFASeed   = "fakests: MFA seed of %s is not Base32 (RFC 4648): %v"
	msgImportMFAShort  = "fakests: MFA seed of %s is %d bytes; at least 10 are needed (RFC 4226)"
	msgImportMFAExists = "fakests: MFA device %s already exists"
	msgImportNoUser    = "fakests: no user %s"
)

// ImportAccessKey gives the IAM user with ARN userARN an Active access key
// with the ID and secret given, as if CreateAccessKey had drawn them: for
// fixed keys that scripts and configuration files already name. The ID is
// 16 to 128 letters, digits or underscores (IAM's AccessKeyId) and must
// not start with ASIA (session keys) nor be an ID the engine knows,
// including deleted keys. The key counts toward the user's two.
func (e *Engine) ImportAccessKey(userARN, accessKeyID, secretAccessKey string) error {
	switch {
	case !accessKeyIDPattern.MatchString(accessKeyID):
		return fmt.Errorf(msgImportKeyID, accessKeyID)
	case strings.HasPrefix(accessKeyID, "ASIA"):
		return fmt.Errorf(msgImportKeyASIA, accessKeyID)
	case secretAccessKey == "":
		return fmt.Errorf(msgImportSecret, accessKeyID)
	}
	u, err := e.userOfARN(userARN)
	if err != nil {
		return err
	}
	now := e.now()
	return e.changeIAM(func(c *iamChange) error {
		if e.userNamedLocked(u.account, u.name) != u {
			return noSuchUser(u.name)
		}
		if _, taken := e.keys[accessKeyID]; taken {
			return fmt.Errorf(msgImportKeyTaken, accessKeyID)
		}
		if len(u.keys) >= maxAccessKeys {
			return errorf(apierror.CodeLimitExceeded, msgQuota, msgAccessKeysPerUser, maxAccessKeys)
		}
		key := &longTermKey{id: accessKeyID, secret: secretAccessKey, account: u.account, user: u, created: now}
		if err := c.registerKey(key); err != nil { // not taken: registered as it is
			return err
		}
		c.user(u)
		u.keys = append(slices.Clone(u.keys), key)
		return nil
	})
}

// ImportVirtualMFADevice creates a virtual MFA device with the seed given
// (Base32, as IAM's CreateVirtualMFADevice returns it and authenticator
// apps take it) and binds it to the user with ARN userARN, enabled at
// once. name is the device's name (arn:aws:iam::ACCOUNT:mfa/PATH/NAME, with
// the user's path); "" names it after the user, as CreateVirtualMFADevice
// does.
func (e *Engine) ImportVirtualMFADevice(userARN, name, base32Seed string) (*MFADevice, error) {
	if name != "" && !mfaNamePattern.MatchString(name) {
		return nil, fmt.Errorf(msgImportMFAName, name)
	}
	enc := base32.StdEncoding
	if !strings.HasSuffix(base32Seed, "=") {
		enc = enc.WithPadding(base32.NoPadding)
	}
	secret, err := enc.DecodeString(strings.ToUpper(base32Seed))
	if err != nil {
		return nil, fmt.Errorf(msgImportMFASeed, userARN, err)
	}
	if len(secret) < 10 {
		return nil, fmt.Errorf(msgImportMFAShort, userARN, len(secret))
	}
	now := e.now()
	var d *mfaDevice
	err = e.changeIAM(func(c *iamChange) error {
		u := e.userByARNLocked(userARN)
		if u == nil {
			return fmt.Errorf(msgImportNoUser, userARN)
		}
		if name == "" {
			name = u.name
		}
		serial := arn.IAM(u.account, "mfa"+u.path+name)
		a := e.accounts[u.account]
		if a.mfa[serial] != nil {
			return fmt.Errorf(msgImportMFAExists, serial)
		}
		d = &mfaDevice{serial: serial, name: name, path: u.path, secret: secret, created: now,
			user: u, enabled: now, used: make(map[uint64]struct{})}
		c.device(d)
		c.user(u)
		setIn(c, a.mfa, serial, d)
		u.mfa = append(slices.Clone(u.mfa), d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &MFADevice{SerialNumber: d.serial, dev: d}, nil
}
