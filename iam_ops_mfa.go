package fakests

import (
	"bytes"
	"context"
	"encoding/base32"
	"image"
	"image/png"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
)

// This file serves IAM's virtual MFA devices on the wire (behaviour §18,
// §9): CreateVirtualMFADevice hands out the device's Base32 seed (the
// secret an authenticator app takes), EnableMFADevice assigns it to a user
// given two consecutive codes, DeactivateMFADevice unassigns it,
// DeleteVirtualMFADevice deletes an unassigned one. An enabled device works
// with AssumeRole and GetSessionToken as one made by the Go method does.

// MFA enrolment's window (stackd iam/mfa_pair_window.json): the second
// code's time step may be up to 998 steps behind or 1,000 ahead of now.
const (
	mfaEnrolBehind = 998
	mfaEnrolAhead  = 1000
	// maxMFADevices is how many MFA devices a user may have (IAM User
	// Guide, id_credentials_mfa).
	maxMFADevices = 8
)

func (e *Engine) iamCreateVirtualMFADevice(ctx context.Context, c *apiCall, in *iam.CreateVirtualMFADeviceInput) (*iam.CreateVirtualMFADeviceOutput, error) {
	acct, name, path := c.principal.Account, *in.VirtualMFADeviceName, pathOr(in.Path)
	if err := checkPath(path); err != nil {
		return nil, err
	}
	reqTags, err := requestTagsIAM(in.Tags)
	if err != nil {
		return nil, err
	}
	serial := arn.IAM(acct, "mfa"+path+name)
	if err := e.authorizeIAM(ctx, c, arnResource(serial), tagContext(nil, reqTags, nil)); err != nil {
		return nil, err
	}
	secret := make([]byte, 20)
	if _, err := io.ReadFull(e.random(), secret); err != nil {
		return nil, err
	}
	d := &mfaDevice{serial: serial, name: name, path: path, secret: secret, created: e.now(), tags: reqTags,
		used: make(map[uint64]struct{})}
	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(acct)
		for _, other := range a.mfa {
			if strings.EqualFold(other.name, name) {
				return newError(apierror.CodeEntityAlreadyExists, msgMFADeviceExists)
			}
		}
		c.device(d)
		setIn(c, a.mfa, serial, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &types.VirtualMFADevice{SerialNumber: aws.String(serial),
		Base32StringSeed: []byte(base32.StdEncoding.EncodeToString(secret)), QRCodePNG: placeholderPNG(),
		Tags: sdkTags(reqTags)}}, nil
}

// placeholderPNG is the QRCodePNG fakests sends: a valid one-pixel PNG, not
// a QR code (not yet faithful; the seed is what tests use).
func placeholderPNG() []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	return b.Bytes()
}

// mfaDeviceLocked returns the device with serial of account acct, or nil.
// e.mu must be held.
func (e *Engine) mfaDeviceLocked(acct, serial string) *mfaDevice {
	if a := e.accounts[acct]; a != nil {
		return a.mfa[serial]
	}
	return nil
}

func (e *Engine) iamEnableMFADevice(ctx context.Context, c *apiCall, in *iam.EnableMFADeviceInput) (*iam.EnableMFADeviceOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	now := e.now()
	err = e.changeIAM(func(c *iamChange) error {
		d := e.mfaDeviceLocked(u.account, *in.SerialNumber)
		switch {
		case d == nil:
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchMFADevice, *in.SerialNumber)
		case d.user != nil:
			return newError(apierror.CodeEntityAlreadyExists, msgMFADeviceInUse)
		case len(u.mfa) >= maxMFADevices:
			return errorf(apierror.CodeLimitExceeded, msgQuota, msgMFADevicesPerUser, maxMFADevices)
		case !codePairValid(d.secret, *in.AuthenticationCode1, *in.AuthenticationCode2, now):
			return newError(apierror.CodeInvalidAuthenticationCode, msgInvalidAuthCode)
		}
		c.device(d)
		c.user(u)
		d.user, d.enabled = u, now
		u.mfa = append(slices.Clone(u.mfa), d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.EnableMFADeviceOutput{}, nil
}

// codePairValid reports whether code1 and code2 are the codes of two
// consecutive time steps, the second within enrolment's window of now.
func codePairValid(secret []byte, code1, code2 string, now time.Time) bool {
	t := now.Unix()
	if t < 0 {
		t = 0
	}
	cur := int64(uint64(t) / uint64(mfaStep/time.Second))
	for s := cur - mfaEnrolBehind; s <= cur+mfaEnrolAhead; s++ {
		if s < 1 {
			continue
		}
		if totp(secret, uint64(s), 6) == code2 && totp(secret, uint64(s-1), 6) == code1 {
			return true
		}
	}
	return false
}

func (e *Engine) iamDeactivateMFADevice(ctx context.Context, c *apiCall, in *iam.DeactivateMFADeviceInput) (*iam.DeactivateMFADeviceOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	if err := e.deactivateMFA(u, *in.SerialNumber); err != nil {
		return nil, err
	}
	return &iam.DeactivateMFADeviceOutput{}, nil
}

// deactivateMFA unassigns the device serial from u; the device remains,
// unassigned.
func (e *Engine) deactivateMFA(u *user, serial string) error {
	return e.changeIAM(func(c *iamChange) error {
		i := slices.IndexFunc(u.mfa, func(d *mfaDevice) bool { return d.serial == serial })
		if i < 0 {
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchMFADevice, serial)
		}
		d := u.mfa[i]
		c.device(d)
		c.user(u)
		d.user, d.enabled = nil, time.Time{}
		u.mfa = slices.Delete(slices.Clone(u.mfa), i, i+1)
		if len(u.mfa) == 0 {
			u.mfa = nil
		}
		return nil
	})
}

func (e *Engine) iamDeleteVirtualMFADevice(ctx context.Context, c *apiCall, in *iam.DeleteVirtualMFADeviceInput) (*iam.DeleteVirtualMFADeviceOutput, error) {
	if err := e.authorizeIAM(ctx, c, arnResource(*in.SerialNumber), nil); err != nil {
		return nil, err
	}
	if err := e.deleteMFADevice(c.principal.Account, *in.SerialNumber); err != nil {
		return nil, err
	}
	return &iam.DeleteVirtualMFADeviceOutput{}, nil
}

// deleteMFADevice deletes the unassigned device serial of acct.
func (e *Engine) deleteMFADevice(acct, serial string) error {
	return e.changeIAM(func(c *iamChange) error {
		d := e.mfaDeviceLocked(acct, serial)
		switch {
		case d == nil:
			return errorf(apierror.CodeNoSuchEntity, msgNoSuchMFADevice, serial)
		case d.user != nil:
			return newError(apierror.CodeDeleteConflict, msgMFADeviceAssigned)
		}
		c.device(d)
		deleteIn(c, e.accounts[acct].mfa, serial)
		return nil
	})
}

func (e *Engine) iamListMFADevices(ctx context.Context, c *apiCall, in *iam.ListMFADevicesInput) (*iam.ListMFADevicesOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	devs := slices.Clone(u.mfa)
	key := func(d *mfaDevice) string { return d.serial }
	sortBy(devs, key)
	page, next, err := paginate(devs, key, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListMFADevicesOutput{MFADevices: make([]types.MFADevice, 0, len(page)), Marker: next, IsTruncated: next != nil}
	for _, d := range page {
		out.MFADevices = append(out.MFADevices, types.MFADevice{EnableDate: sdkTime(d.enabled),
			SerialNumber: aws.String(d.serial), UserName: aws.String(u.name)})
	}
	return out, nil
}

func (e *Engine) iamListVirtualMFADevices(ctx context.Context, c *apiCall, in *iam.ListVirtualMFADevicesInput) (*iam.ListVirtualMFADevicesOutput, error) {
	if err := e.authorizeIAM(ctx, c, anyResource, nil); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var devs []*mfaDevice
	if a := e.accounts[c.principal.Account]; a != nil {
		for _, d := range a.mfa {
			switch {
			case in.AssignmentStatus == types.AssignmentStatusTypeAssigned && d.user == nil,
				in.AssignmentStatus == types.AssignmentStatusTypeUnassigned && d.user != nil:
				continue
			}
			devs = append(devs, d)
		}
	}
	key := func(d *mfaDevice) string { return d.serial }
	sortBy(devs, key)
	page, next, err := paginate(devs, key, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListVirtualMFADevicesOutput{VirtualMFADevices: make([]types.VirtualMFADevice, 0, len(page)),
		Marker: next, IsTruncated: next != nil}
	for _, d := range page {
		v := types.VirtualMFADevice{SerialNumber: aws.String(d.serial), Tags: sdkTags(d.tags)}
		if d.user != nil {
			u := sdkUser(d.user, false)
			v.User, v.EnableDate = &u, sdkTime(d.enabled)
		}
		out.VirtualMFADevices = append(out.VirtualMFADevices, v)
	}
	return out, nil
}
