package fakests

import (
	"context"
	"encoding/base32"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// codeAt is the code a device with seed shows in the time step offset
// steps from t.
func codeAt(t *testing.T, seed []byte, at time.Time, offset int64) string {
	t.Helper()
	secret, err := base32.StdEncoding.DecodeString(string(seed))
	if err != nil {
		t.Fatalf("Base32StringSeed %q is not base32: %v", seed, err)
	}
	step := at.Unix()/int64(mfaStep/time.Second) + offset
	return totp(secret, uint64(step), 6)
}

func TestIAMVirtualMFA(t *testing.T) {
	e, clk := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	u := mustUser(t, e, UserSpec{Name: "mfa-user", Policies: []string{allowAssume}})

	dev := must(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")}))(t).VirtualMFADevice
	serial := "arn:aws:iam::123456789012:mfa/phone"
	if aws.ToString(dev.SerialNumber) != serial || len(dev.Base32StringSeed) != 32 || len(dev.QRCodePNG) == 0 {
		t.Fatalf("CreateVirtualMFADevice: %s, seed %q, %d bytes of PNG", aws.ToString(dev.SerialNumber), dev.Base32StringSeed, len(dev.QRCodePNG))
	}
	// LocalStack's AWS-validated test_virtual_mfa_device_errors.
	_, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("phone")})
	checkErr(t, err, &wantErr{"EntityAlreadyExists", "MFA device already exists.", 409})
	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("x"), Path: aws.String("test/")})
	checkErr(t, err, &wantErr{"ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.", 400})
	unassigned := must(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: "Unassigned"}))(t)
	if len(unassigned.VirtualMFADevices) != 1 || unassigned.VirtualMFADevices[0].User != nil {
		t.Errorf("ListVirtualMFADevices Unassigned: %+v", unassigned.VirtualMFADevices)
	}

	now := clk.Now()
	enable := func(code1, code2 string) error {
		_, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)})
		return err
	}
	// The second code's step may be 998 steps behind to 1,000 ahead (stackd
	// iam/mfa_pair_window.json); the codes must be consecutive, in order.
	badCode := &wantErr{"InvalidAuthenticationCode", "Authentication code for device is not valid.", 403}
	seed := dev.Base32StringSeed
	checkErr(t, enable(codeAt(t, seed, now, 1000), codeAt(t, seed, now, 1001)), badCode)
	checkErr(t, enable(codeAt(t, seed, now, -1000), codeAt(t, seed, now, -999)), badCode)
	checkErr(t, enable(codeAt(t, seed, now, 1), codeAt(t, seed, now, 0)), badCode)
	if err := enable(codeAt(t, seed, now, 999), codeAt(t, seed, now, 1000)); err != nil {
		t.Fatalf("EnableMFADevice with a pair 1,000 steps ahead: %v", err)
	}
	// A device already enabled (fakests' choice of text: unrecorded).
	checkErr(t, enable(codeAt(t, seed, now, -1), codeAt(t, seed, now, 0)), &wantErr{"EntityAlreadyExists", "MFA Device is already in use.", 409})

	listed := must(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("mfa-user")}))(t)
	if len(listed.MFADevices) != 1 || aws.ToString(listed.MFADevices[0].SerialNumber) != serial || aws.ToTime(listed.MFADevices[0].EnableDate) != now {
		t.Errorf("ListMFADevices: %+v", listed.MFADevices)
	}
	assigned := must(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: "Assigned"}))(t)
	if len(assigned.VirtualMFADevices) != 1 || aws.ToString(assigned.VirtualMFADevices[0].User.UserName) != "mfa-user" {
		t.Errorf("ListVirtualMFADevices Assigned: %+v", assigned.VirtualMFADevices)
	}

	// The enabled device proves MFA to STS.
	st := must(newClient(e, u.Credentials).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial),
		TokenCode: aws.String(codeAt(t, seed, now, 0))}))(t)
	p, err := e.Principal(credsOf(st.Credentials))
	if err != nil || p.sess.mfaAt.IsZero() {
		t.Errorf("a GetSessionToken session with the device's code has no MFA: %v", err)
	}
	// IAM takes such a session (behaviour §18.3): the user's policies decide.
	_, err = newIAMClient(e, credsOf(st.Credentials)).GetUser(ctx, &iam.GetUserInput{})
	checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/mfa-user is not authorized to perform: iam:GetUser on resource: user mfa-user because no identity-based policy allows the iam:GetUser action", 403})

	// LocalStack's AWS-validated test_enable_mfa_device_errors.
	_, err = c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/nonexistent-mfa")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "MFA Device with serial number arn:aws:iam::123456789012:mfa/nonexistent-mfa does not exist.", 404})
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("nonexistent-user"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "The user with name nonexistent-user cannot be found.", 404})

	checkAdminErr(t, e.DeleteAccessKey(u.Credentials.AccessKeyID), nil)
	checkAdminErr(t, e.DeleteUserPolicy(u.ARN, "inline-1"), nil)
	// rebuy-de/aws-nuke #281.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("mfa-user")})
	checkErr(t, err, &wantErr{"DeleteConflict", "Cannot delete entity, must delete MFA device first.", 409})
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	checkErr(t, err, &wantErr{"DeleteConflict", "MFA device is assigned to a user; deactivate it first.", 409})
	must(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: aws.String(serial)}))(t)
	must(c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))(t)
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	checkErr(t, err, &wantErr{"NoSuchEntity", "MFA Device with serial number " + serial + " does not exist.", 404})
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("mfa-user")}))(t)
	// LocalStack's AWS-validated test_list_virtual_mfa_devices.
	_, err = c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{Marker: aws.String("bogus")})
	checkErr(t, err, &wantErr{"ValidationError", "Invalid Marker.", 400})
}
