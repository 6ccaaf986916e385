package fakests

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AWS's MFA failure texts (behaviour §9; note the trailing space of the
// first, recorded in stackd's iam/mfa_verification.json, and the two spaces
// in the second).
var (
	errMFABadCode = &wantErr{"AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ", 403}
	errMFASerial  = &wantErr{"AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.", 403}
)

// trustMFA trusts account A only when MFA was proven.
const trustMFA = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`

// TestConformanceMFA pins MFA on GetSessionToken and AssumeRole (behaviour §9):
// a current code works once, a reused or wrong code and a serial that is
// not the caller's device are AccessDenied with AWS's texts, and a trust
// policy can require MFA, which a GetSessionToken(MFA) session carries.
func TestConformanceMFA(t *testing.T) {
	w := newWorld(t)
	mia := mustUser(t, w.e, UserSpec{Name: "Mia", Policies: []string{allowAssume}})
	dev, err := w.e.CreateVirtualMFADevice(mia.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dev.SerialNumber, "arn:aws:iam::123456789012:mfa/Mia"; got != want {
		t.Errorf("SerialNumber = %s, want %s (§2.1 mfa/<path><name>)", got, want)
	}
	bobDev, err := w.e.CreateVirtualMFADevice(w.bob.ARN)
	if err != nil {
		t.Fatal(err)
	}
	guarded := mustRole(t, w.e, RoleSpec{Name: "Guarded", TrustPolicy: trustMFA})
	serial := aws.String(dev.SerialNumber)

	gstMFA := func(s, code string) func(context.Context, stsAPI) error {
		return func(ctx context.Context, api stsAPI) error {
			_, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(s), TokenCode: aws.String(code)})
			return err
		}
	}
	assumeMFA := func(roleARN string, s, code *string) func(context.Context, stsAPI) error {
		return func(ctx context.Context, api stsAPI) error {
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("mfa"), SerialNumber: s, TokenCode: code})
			return err
		}
	}
	// wrongCode is a code the device shows at no step STS accepts: none
	// within two steps of now (behaviour §9).
	wrongCode := func(now time.Time) string {
	next:
		for _, c := range []string{"000000", "111111", "222222"} {
			for off := -2; off <= 2; off++ {
				if c == dev.Code(now.Add(time.Duration(off)*30*time.Second)) {
					continue next
				}
			}
			return c
		}
		t.Fatal("no wrong code")
		return ""
	}

	rows := []struct {
		name  string
		steps func(now time.Time) []func(context.Context, stsAPI) error // run in order; all but the last must succeed
		want  *wantErr                                                  // of the last step
	}{
		{"GetSessionToken with the current code succeeds", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA(dev.SerialNumber, dev.Code(now))}
		}, nil},
		{"AssumeRole with the current code succeeds", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{assumeMFA(w.long.ARN, serial, aws.String(dev.Code(now)))}
		}, nil},
		{"a code used once is refused the second time", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA(dev.SerialNumber, dev.Code(now)), gstMFA(dev.SerialNumber, dev.Code(now))}
		}, errMFABadCode},
		{"a code used by GetSessionToken is refused by AssumeRole", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA(dev.SerialNumber, dev.Code(now)), assumeMFA(w.long.ARN, serial, aws.String(dev.Code(now)))}
		}, errMFABadCode},
		{"a wrong code is refused on GetSessionToken", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA(dev.SerialNumber, wrongCode(now))}
		}, errMFABadCode},
		{"a wrong code is refused on AssumeRole", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{assumeMFA(w.long.ARN, serial, aws.String(wrongCode(now)))}
		}, errMFABadCode},
		{"an unknown serial cannot be validated", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA("arn:aws:iam::123456789012:mfa/Nobody", dev.Code(now))}
		}, errMFASerial},
		{"a serial with :user/ instead of :mfa/ cannot be validated", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{gstMFA(mia.ARN, dev.Code(now))}
		}, errMFASerial},
		{"another user's device cannot be validated", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{assumeMFA(w.long.ARN, aws.String(bobDev.SerialNumber), aws.String(bobDev.Code(now)))}
		}, errMFASerial},
		{"a trust policy requiring MFA denies a long-term key without it", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{assumeMFA(guarded.ARN, nil, nil)}
		}, &wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/Mia is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Guarded", 403}},
		{"a trust policy requiring MFA admits AssumeRole with a code", func(now time.Time) []func(context.Context, stsAPI) error {
			return []func(context.Context, stsAPI) error{assumeMFA(guarded.ARN, serial, aws.String(dev.Code(now)))}
		}, nil},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				w.clk.Advance(time.Minute) // a fresh time step: earlier rows' codes are spent
				api, ctx := p.api(mia.Credentials)
				steps := row.steps(w.e.Now())
				for i, step := range steps[:len(steps)-1] {
					if err := step(ctx, api); err != nil {
						t.Fatalf("step %d: %v", i+1, err)
					}
				}
				checkErr(t, steps[len(steps)-1](ctx, api), row.want)
			})
		}
	}

	for _, p := range paths(w.e) {
		t.Run("MFA proven on GetSessionToken carries into AssumeRole without a new code/"+p.name, func(t *testing.T) {
			w.clk.Advance(time.Minute)
			out, err := w.e.GetSessionToken(typed(mia.Credentials), &sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: aws.String(dev.Code(w.e.Now()))})
			if err != nil {
				t.Fatal(err)
			}
			api, ctx := p.api(credsOf(out.Credentials))
			for i := 0; i < 2; i++ {
				if err := assumeMFA(guarded.ARN, nil, nil)(ctx, api); err != nil {
					t.Fatalf("AssumeRole %d: %v", i+1, err)
				}
			}
		})
	}
}

// TestConformanceTOTP pins the code generator against RFC 6238 Appendix B
// (SHA-1, 8 digits, 30-second steps, secret "12345678901234567890").
func TestConformanceTOTP(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, row := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := totp(secret, uint64(row.unix/30), 8); got != row.want {
			t.Errorf("RFC 6238 T=%d: totp = %s, want %s", row.unix, got, row.want)
		}
	}
	// Six digits, as devices show them, are the last six of the same value.
	if got := totp(secret, 59/30, 6); got != "287082" {
		t.Errorf("six-digit code at T=59 = %s, want 287082", got)
	}
}
