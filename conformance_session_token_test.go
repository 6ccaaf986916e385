package fakests

import (
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// denyAll is an identity policy that explicitly denies everything.
const denyAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`

// TestConformancePermissionFreeOperations pins the operations policies
// cannot control and the ones they do (behaviour §11.7, §11.9, §11.10):
// GetCallerIdentity ignores an explicit deny, GetSessionToken needs no
// permission, GetFederationToken needs sts:GetFederationToken, and a
// GetSessionToken session has exactly its user's permissions.
func TestConformancePermissionFreeOperations(t *testing.T) {
	w := newWorld(t)
	denier := mustUser(t, w.e, UserSpec{Name: "Denied", Policies: []string{denyAll}})
	deniedGST := w.sessionToken(t, denier.Credentials)
	plainGST := w.sessionToken(t, w.plain.Credentials)
	bobGST := w.sessionToken(t, w.bob.Credentials)
	rows := []struct {
		name  string
		creds aws.Credentials
		call  issueCall
		d     time.Duration
		want  *wantErr
	}{
		{"GetSessionToken needs no permission: an explicit deny-all does not stop it", denier.Credentials, callGST(nil), 12 * time.Hour, nil},
		{"GetSessionToken needs no permission: a user without policies gets it", w.plain.Credentials, callGST(aws.Int32(900)), 900 * time.Second, nil},
		{"GetFederationToken needs sts:GetFederationToken", w.plain.Credentials, callGFT("Fed", nil), 0,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:GetFederationToken", "arn:aws:sts::123456789012:federated-user/Fed")},
		{"GetFederationToken is stopped by an explicit deny", denier.Credentials, callGFT("Fed", nil), 0,
			denied("arn:aws:iam::123456789012:user/Denied", "sts:GetFederationToken", "arn:aws:sts::123456789012:federated-user/Fed")},
		{"a GetSessionToken session of a user without policies cannot assume an account-trusting role", plainGST, callAssume(w.long.ARN, "p1", nil), 0,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Long")},
		{"a GetSessionToken session of a denied user is denied AssumeRole", deniedGST, callAssume(w.long.ARN, "p2", nil), 0,
			denied("arn:aws:iam::123456789012:user/Denied", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Long")},
		{"a GetSessionToken session has its user's permissions", bobGST, callAssume(w.long.ARN, "p3", nil), time.Hour, nil},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(row.creds)
				exp, err := row.call(ctx, api)
				checkErr(t, err, row.want)
				if err == nil && !exp.Equal(w.e.Now().Add(row.d)) {
					t.Errorf("Expiration = %v, want %v", exp, w.e.Now().Add(row.d))
				}
			})
		}
	}
	for _, c := range []struct {
		name  string
		creds aws.Credentials
		arn   string
	}{
		{"GetCallerIdentity ignores an explicit deny", denier.Credentials, "arn:aws:iam::123456789012:user/Denied"},
		{"GetCallerIdentity ignores an explicit deny in a GetSessionToken session", deniedGST, "arn:aws:iam::123456789012:user/Denied"},
	} {
		for _, p := range paths(w.e) {
			t.Run(c.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(c.creds)
				if arn, err := callerOf(ctx, api); err != nil || arn != c.arn {
					t.Errorf("GetCallerIdentity = %s, %v; want %s", arn, err, c.arn)
				}
			})
		}
	}
}

// TestConformanceMFAConcurrentReuse pins single use under contention: of
// several simultaneous GetSessionToken calls with the same code, exactly one
// succeeds and the others get AWS's invalid-code AccessDenied (behaviour §9).
func TestConformanceMFAConcurrentReuse(t *testing.T) {
	w := newWorld(t)
	dev, err := w.e.CreateVirtualMFADevice(w.bob.ARN)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(w.e) {
		t.Run("one of eight simultaneous uses of a code succeeds/"+p.name, func(t *testing.T) {
			w.clk.Advance(time.Minute)
			in := &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(w.e.Now()))}
			errs := make([]error, 8)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					api, ctx := p.api(w.bob.Credentials)
					_, errs[i] = api.GetSessionToken(ctx, in)
				}(i)
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
					continue
				}
				checkErr(t, err, errMFABadCode)
			}
			if ok != 1 {
				t.Errorf("%d calls succeeded, want exactly 1", ok)
			}
		})
	}
}

// TestConformanceSessionTokenTransitiveMFA pins that GetSessionToken with
// MFA marks its session so an MFA-gated role admits it repeatedly, while a
// GetSessionToken session without MFA is refused (behaviour §9).
func TestConformanceSessionTokenTransitiveMFA(t *testing.T) {
	w := newWorld(t)
	dev, err := w.e.CreateVirtualMFADevice(w.bob.ARN)
	if err != nil {
		t.Fatal(err)
	}
	guarded := mustRole(t, w.e, RoleSpec{Name: "Guarded", TrustPolicy: trustMFA, Policies: []string{allowAssume}})
	again := mustRole(t, w.e, RoleSpec{Name: "GuardedAgain", TrustPolicy: trustMFA})
	w.clk.Advance(time.Minute)
	out, err := w.e.GetSessionToken(typed(w.bob.Credentials), &sts.GetSessionTokenInput{SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(w.e.Now()))})
	if err != nil {
		t.Fatal(err)
	}
	withMFA, withoutMFA := credsOf(out.Credentials), w.sessionToken(t, w.bob.Credentials)
	w.clk.Advance(20 * time.Minute) // MFA age grows; the session still carries it
	for _, p := range paths(w.e) {
		t.Run("a GetSessionToken session without MFA is refused an MFA-gated role/"+p.name, func(t *testing.T) {
			api, ctx := p.api(withoutMFA)
			_, err := callAssume(guarded.ARN, "nomfa", nil)(ctx, api)
			checkErr(t, err, denied("arn:aws:iam::123456789012:user/division/Bob", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Guarded"))
		})
		t.Run("a GetSessionToken(MFA) session is admitted, and its role session can chain on/"+p.name, func(t *testing.T) {
			api, ctx := p.api(withMFA)
			o, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(guarded.ARN), RoleSessionName: aws.String("mfa1")})
			if err != nil {
				t.Fatal(err)
			}
			// The role session carries MFA into a second MFA-gated hop.
			api2, ctx2 := p.api(credsOf(o.Credentials))
			if _, err := api2.AssumeRole(ctx2, &sts.AssumeRoleInput{RoleArn: aws.String(again.ARN), RoleSessionName: aws.String("mfa2")}); err != nil {
				t.Errorf("chained MFA-gated AssumeRole: %v", err)
			}
		})
	}
}
