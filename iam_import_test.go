package fakests

import (
	"bytes"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestImportAccessKey pins that an imported key authenticates as its user
// on both paths, in strict mode, with the secret given; and that refused
// imports leave no key behind.
func TestImportAccessKey(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "ci", Path: "/automation/"})
	const id, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	if err := e.ImportAccessKey(u.ARN, id, secret); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(aws.Credentials{AccessKeyID: id, SecretAccessKey: secret})
			out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Arn); got != "arn:aws:iam::123456789012:user/automation/ci" {
				t.Errorf("Arn %s", got)
			}
			info, err := api.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(id)})
			if err != nil || aws.ToString(info.Account) != "123456789012" {
				t.Errorf("GetAccessKeyInfo: %v, %v", info, err)
			}
		})
	}

	refused := []struct{ name, arn, id, secret, want string }{
		{"short ID", u.ARN, "AKIASHORT", "s", `fakests: access key ID "AKIASHORT" must be 16 to 128 letters, digits or underscores`},
		{"ID with a slash", u.ARN, "AKIA/BCDEFGHIJKLMNOP", "s", `fakests: access key ID "AKIA/BCDEFGHIJKLMNOP" must be 16 to 128 letters, digits or underscores`},
		{"session prefix", u.ARN, "ASIAIOSFODNN7EXAMPLE", "s", `fakests: access key ID "ASIAIOSFODNN7EXAMPLE" starts with ASIA, the prefix of session keys`},
		{"no secret", u.ARN, "AKIAAAAAAAAAAAAAAAA1", "", "fakests: the secret access key of AKIAAAAAAAAAAAAAAAA1 must not be empty"},
		{"taken", u.ARN, id, "other", "fakests: access key ID AKIAIOSFODNN7EXAMPLE is already in use"},
		{"the user's own", u.ARN, u.Credentials.AccessKeyID, "other", "fakests: access key ID " + u.Credentials.AccessKeyID + " is already in use"},
		{"no user", "arn:aws:iam::123456789012:user/nobody", "AKIAAAAAAAAAAAAAAAA2", "s", "The user with name nobody cannot be found."},
		{"third key", u.ARN, "AKIAAAAAAAAAAAAAAAA3", "s", "Cannot exceed quota for AccessKeysPerUser: 2"},
	}
	for _, r := range refused {
		err := e.ImportAccessKey(r.arn, r.id, r.secret)
		if err == nil || err.Error() != r.want && errMessage(err) != r.want {
			t.Errorf("%s: %v, want %q", r.name, err, r.want)
		}
	}
	// A refused key authenticates nothing; the taken one keeps its secret.
	for _, p := range paths(e) {
		api, ctx := p.api(aws.Credentials{AccessKeyID: "AKIAAAAAAAAAAAAAAAA3", SecretAccessKey: "s"})
		_, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		checkErr(t, err, &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403})
		api, ctx = p.api(aws.Credentials{AccessKeyID: id, SecretAccessKey: secret})
		if _, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Errorf("%s: the imported key after refusals: %v", p.name, err)
		}
	}
}

// errMessage is an API error's message, or "".
func errMessage(err error) string {
	if ae, ok := err.(interface{ ErrorMessage() string }); ok {
		return ae.ErrorMessage()
	}
	return ""
}

// TestImportVirtualMFADevice pins the Base32 seed's decoding against RFC
// 6238's test vector (seed "12345678901234567890", T=59s: 94287082, whose
// last six digits a six-digit device shows) and that the device proves MFA
// to GetSessionToken on both paths.
func TestImportVirtualMFADevice(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "ci", Path: "/automation/"})
	dev, err := e.ImportVirtualMFADevice(u.ARN, "ci-phone", "gezdgnbvgy3tqojqgezdgnbvgy3tqojq")
	if err != nil {
		t.Fatal(err)
	}
	if dev.SerialNumber != "arn:aws:iam::123456789012:mfa/automation/ci-phone" {
		t.Errorf("SerialNumber %s", dev.SerialNumber)
	}
	if got := dev.Code(time.Unix(59, 0)); got != "287082" {
		t.Errorf("code at T=59s: %s, want 287082", got)
	}
	for i, p := range paths(e) {
		api, ctx := p.api(u.Credentials)
		// a step of its own per path (a code works once), within STS's window
		now := e.Now().Add(time.Duration(i) * 30 * time.Second)
		_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(now))})
		if err != nil {
			t.Errorf("%s: GetSessionToken with the device's code: %v", p.name, err)
		}
	}

	refused := []struct{ name, arn, dev, seed, want string }{
		{"same name", u.ARN, "ci-phone", "JBSWY3DPEHPK3PXP", "fakests: MFA device arn:aws:iam::123456789012:mfa/automation/ci-phone already exists"},
		{"bad name", u.ARN, "ci phone", "JBSWY3DPEHPK3PXP", `fakests: MFA device name "ci phone" must be 1 to 226 characters of [\w+=,.@-]`},
		{"not base32", u.ARN, "", "JBSWY3DPEHPK3PX1", "fakests: MFA seed of " + u.ARN + " is not Base32 (RFC 4648): illegal base32 data at input byte 15"},
		{"short seed", u.ARN, "", "JBSWY3DP", "fakests: MFA seed of " + u.ARN + " is 5 bytes; at least 10 are needed (RFC 4226)"},
		{"no user", "arn:aws:iam::123456789012:user/nobody", "", "JBSWY3DPEHPK3PXP", "fakests: no user arn:aws:iam::123456789012:user/nobody"},
	}
	for _, r := range refused {
		if _, err := e.ImportVirtualMFADevice(r.arn, r.dev, r.seed); err == nil || err.Error() != r.want {
			t.Errorf("%s: %v, want %q", r.name, err, r.want)
		}
	}
}

// TestImportIsLogged pins that imported keys and MFA devices are changes
// like any other: a change log written while they were imported recovers
// an engine where the key authenticates and the device's codes work.
func TestImportIsLogged(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "ci"})
	var log bytes.Buffer
	if err := e.LogChanges(&log); err != nil {
		t.Fatal(err)
	}
	const id, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	if err := e.ImportAccessKey(u.ARN, id, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ImportVirtualMFADevice(u.ARN, "", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"); err != nil {
		t.Fatal(err)
	}
	r, err := Recover(bytes.NewReader(log.Bytes()), Strict(), WithClock(e.Now))
	if err != nil {
		t.Fatal(err)
	}
	api, ctx := paths(r).byName("client").api(aws.Credentials{AccessKeyID: id, SecretAccessKey: secret})
	if _, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("the imported key after Recover: %v", err)
	}
	code := (&MFADevice{dev: &mfaDevice{secret: []byte("12345678901234567890")}}).Code(r.Now())
	if _, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/ci"), TokenCode: aws.String(code)}); err != nil {
		t.Errorf("the imported device after Recover: %v", err)
	}
}
