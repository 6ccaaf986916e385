package fakests

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"
)

// mfaStep is the TOTP time step (RFC 6238's default).
const mfaStep = 30 * time.Second

// MFADevice is a virtual MFA device bound to an IAM user. It computes the
// same RFC 6238 codes an authenticator app would.
type MFADevice struct {
	// SerialNumber is the device ARN, arn:aws:iam::ACCOUNT:mfa/NAME, to pass
	// as SerialNumber in AssumeRole or GetSessionToken.
	SerialNumber string
	dev          *mfaDevice
}

// Code returns the six-digit code the device shows at t. Pass the engine's
// time (Engine.Now) when the engine has its own clock.
func (m *MFADevice) Code(t time.Time) string {
	return totp(m.dev.secret, uint64(t.Unix())/uint64(mfaStep/time.Second), 6)
}

// mfaDevice is the engine's record of a virtual MFA device.
type mfaDevice struct {
	serial   string
	secret   []byte
	user     *user
	lastStep uint64 // the time step of the last accepted code; guarded by Engine.mfaMu
}

// CreateVirtualMFADevice creates a virtual MFA device named after the user
// and binds it to the user with ARN userARN.
func (e *Engine) CreateVirtualMFADevice(userARN string) (*MFADevice, error) {
	secret := make([]byte, 20)
	if _, err := io.ReadFull(e.random(), secret); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.userByARNLocked(userARN)
	if u == nil {
		return nil, fmt.Errorf("fakests: no user %s", userARN)
	}
	serial := "arn:aws:iam::" + u.account + ":mfa" + u.path + u.name
	a := e.accounts[u.account]
	if a.mfa[serial] != nil {
		return nil, fmt.Errorf("fakests: MFA device %s already exists", serial)
	}
	d := &mfaDevice{serial: serial, secret: secret, user: u}
	a.mfa[serial] = d
	u.mfa = append(u.mfa, d)
	return &MFADevice{SerialNumber: serial, dev: d}, nil
}

// userByARNLocked finds a user by ARN. e.mu must be held.
func (e *Engine) userByARNLocked(arn string) *user {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return nil
	}
	a := e.accounts[parts[4]]
	if a == nil {
		return nil
	}
	i := strings.LastIndexByte(parts[5], '/')
	if i < 0 {
		return nil
	}
	u := a.users[strings.ToLower(parts[5][i+1:])]
	if u == nil || u.arn != arn {
		return nil
	}
	return u
}

// checkMFA verifies an MFA code for the user behind a call (facts §9). It
// returns the AccessDenied error AWS gives, or nil. A code is good for its
// own 30-second step and the one before (clock drift), and only once.
func (e *Engine) checkMFA(op string, u *user, serial, code string, now time.Time) error {
	var dev *mfaDevice
	if u != nil {
		for _, d := range u.mfa {
			if d.serial == serial {
				dev = d
			}
		}
	}
	if dev == nil {
		return newError(op, codeAccessDenied, msgMFAUnknownSerial)
	}
	step := uint64(now.Unix()) / uint64(mfaStep/time.Second)
	e.mfaMu.Lock()
	defer e.mfaMu.Unlock()
	for _, s := range []uint64{step, step - 1} {
		if hmac.Equal([]byte(totp(dev.secret, s, 6)), []byte(code)) {
			if s <= dev.lastStep {
				break // reused code
			}
			dev.lastStep = s
			return nil
		}
	}
	return newError(op, codeAccessDenied, msgMFAInvalidCode)
}

// totp computes an RFC 6238 (HOTP, RFC 4226) code with HMAC-SHA1 for a time
// step counter.
func totp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for i := 0; i < digits; i++ {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}
