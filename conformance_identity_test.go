package fakests

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

// TestConformanceCallerIdentity pins GetCallerIdentity for every kind of
// principal (behaviour §2.5, §11.7) on both paths.
func TestConformanceCallerIdentity(t *testing.T) {
	w := newWorld(t)
	def := w.e.DefaultUser()
	crossSess := w.assume(t, w.bob.Credentials, &sts.AssumeRoleInput{RoleArn: aws.String(w.cross.ARN), RoleSessionName: aws.String("build-1")})
	fed := w.federation(t, w.bob.Credentials, "Carol")
	gst := w.sessionToken(t, w.bob.Credentials)
	chained := w.roleSession(t, w.roleSession(t, w.bob.Credentials, w.long, "first"), w.next, "second")

	rows := []struct {
		name  string // the AWS behaviour pinned
		creds aws.Credentials
		want  *sts.GetCallerIdentityOutput
	}{
		{"default IAM user is an ordinary user/<name> ARN with its AIDA ID", def.Credentials,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:iam::123456789012:user/fakests-default"), UserId: aws.String(def.UserID)}},
		{"IAM user ARN includes the user's path", w.bob.Credentials,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:iam::123456789012:user/division/Bob"), UserId: aws.String(w.bob.UserID)}},
		{"root reports the account ID as UserId and the :root ARN", w.root,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:iam::123456789012:root"), UserId: aws.String(acctA)}},
		{"cross-account role session: sts assumed-role ARN without the role path, AROA:session, the role's account", credsOf(crossSess.Credentials),
			&sts.GetCallerIdentityOutput{Account: aws.String(acctB), Arn: aws.String("arn:aws:sts::210987654321:assumed-role/Deployer/build-1"), UserId: aws.String(w.cross.RoleID + ":build-1")}},
		{"chained role session reports the last role", chained,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:sts::123456789012:assumed-role/Next/second"), UserId: aws.String(w.next.RoleID + ":second")}},
		{"federated user: federated-user/<name> and <acct>:<name>", fed,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:sts::123456789012:federated-user/Carol"), UserId: aws.String("123456789012:Carol")}},
		{"GetSessionToken session reports the same Arn and UserId as its user", gst,
			&sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:iam::123456789012:user/division/Bob"), UserId: aws.String(w.bob.UserID)}},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(row.creds)
				got, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(row.want, got, sdkOpts); diff != "" {
					t.Errorf("GetCallerIdentity (-want +got):\n%s", diff)
				}
			})
		}
	}

	t.Run("typed call without WithCaller acts as the default user", func(t *testing.T) {
		got, err := w.e.GetCallerIdentity(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := &sts.GetCallerIdentityOutput{Account: aws.String(acctA), Arn: aws.String("arn:aws:iam::123456789012:user/fakests-default"), UserId: aws.String(def.UserID)}
		if diff := cmp.Diff(want, got, sdkOpts); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestConformanceIdentifiers pins the shape of unique IDs and long-term keys
// (behaviour §2.2, §2.3, §2.4).
func TestConformanceIdentifiers(t *testing.T) {
	w := newWorld(t)
	other := mustUser(t, w.e, UserSpec{Account: acctB, Name: "Elsewhere"})
	checkID(t, "user ID", w.bob.UserID, "AIDA")
	checkID(t, "default user ID", w.e.DefaultUser().UserID, "AIDA")
	checkID(t, "role ID", w.cross.RoleID, "AROA")
	checkKeyID(t, w.bob.Credentials.AccessKeyID, "AKIA", acctA)
	checkKeyID(t, other.Credentials.AccessKeyID, "AKIA", acctB)
	checkKeyID(t, w.root.AccessKeyID, "AKIA", acctA)
	if s := w.bob.Credentials.SecretAccessKey; len(s) != 40 {
		t.Errorf("long-term secret %q has %d characters, want 40", s, len(s))
	}
	if w.bob.ARN != "arn:aws:iam::123456789012:user/division/Bob" || w.cross.ARN != "arn:aws:iam::210987654321:role/service-role/app/Deployer" {
		t.Errorf("ARNs %s, %s do not include the path (§2.1)", w.bob.ARN, w.cross.ARN)
	}
}

// TestConformanceCredentials pins the credentials every issuing operation
// returns (behaviour §2.3, §5, §11): shape, Expiration = engine clock +
// duration, token-size fields, and the user/role elements.
func TestConformanceCredentials(t *testing.T) {
	w := newWorld(t)
	for _, p := range paths(w.e) {
		t.Run("AssumeRole default: one hour, AssumedRoleUser, no PackedPolicySize/"+p.name, func(t *testing.T) {
			api, ctx := p.api(w.bob.Credentials)
			got, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.cross.ARN), RoleSessionName: aws.String("app1")})
			if err != nil {
				t.Fatal(err)
			}
			checkCredShape(t, got.Credentials, acctB)
			checkTokenFields(t, got.Credentials, got.SessionTokenSize, got.SessionTokenUtilization)
			want := &sts.AssumeRoleOutput{
				Credentials:             &types.Credentials{Expiration: aws.Time(w.e.Now().Add(time.Hour))},
				AssumedRoleUser:         &types.AssumedRoleUser{Arn: aws.String("arn:aws:sts::210987654321:assumed-role/Deployer/app1"), AssumedRoleId: aws.String(w.cross.RoleID + ":app1")},
				SessionTokenSize:        got.SessionTokenSize,
				SessionTokenUtilization: got.SessionTokenUtilization,
			}
			if diff := cmp.Diff(want, got, sdkOpts, ignoreSecrets); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
		t.Run("GetSessionToken default: 12 hours, credentials only/"+p.name, func(t *testing.T) {
			api, ctx := p.api(w.bob.Credentials)
			got, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			if err != nil {
				t.Fatal(err)
			}
			checkCredShape(t, got.Credentials, acctA)
			checkTokenFields(t, got.Credentials, got.SessionTokenSize, got.SessionTokenUtilization)
			want := &sts.GetSessionTokenOutput{
				Credentials:      &types.Credentials{Expiration: aws.Time(w.e.Now().Add(12 * time.Hour))},
				SessionTokenSize: got.SessionTokenSize, SessionTokenUtilization: got.SessionTokenUtilization,
			}
			if diff := cmp.Diff(want, got, sdkOpts, ignoreSecrets); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
		t.Run("GetFederationToken default: 12 hours, FederatedUser, PackedPolicySize 0/"+p.name, func(t *testing.T) {
			api, ctx := p.api(w.bob.Credentials)
			got, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("Dave")})
			if err != nil {
				t.Fatal(err)
			}
			checkCredShape(t, got.Credentials, acctA)
			checkTokenFields(t, got.Credentials, got.SessionTokenSize, got.SessionTokenUtilization)
			want := &sts.GetFederationTokenOutput{
				Credentials:      &types.Credentials{Expiration: aws.Time(w.e.Now().Add(12 * time.Hour))},
				FederatedUser:    &types.FederatedUser{Arn: aws.String("arn:aws:sts::123456789012:federated-user/Dave"), FederatedUserId: aws.String("123456789012:Dave")},
				PackedPolicySize: aws.Int32(0),
				SessionTokenSize: got.SessionTokenSize, SessionTokenUtilization: got.SessionTokenUtilization,
			}
			if diff := cmp.Diff(want, got, sdkOpts, ignoreSecrets); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestConformanceMinimumSessionTokenSize pins the 2026-09 padding request
// (behaviour §2.3): the token is at least the asked size, never above 4,096
// bytes, and a larger request is a ValidationError.
func TestConformanceMinimumSessionTokenSize(t *testing.T) {
	w := newWorld(t)
	rows := []struct {
		name    string
		min     int32
		wantMin int
		wantErr *wantErr
	}{
		{"2000 pads the token to at least 2000 bytes", 2000, 2000, nil},
		{"4096, the maximum, gives a token of exactly 4096 bytes at 100%", 4096, 4096, nil},
		{"0 asks for no padding", 0, 300, nil},
		{"4097 exceeds the 4096-byte maximum", 4097, 0, &wantErr{"ValidationError",
			"1 validation error detected: Value '4097' at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value less than or equal to 4096", 400}},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.bob.Credentials)
				ar, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("pad"), MinimumSessionTokenSize: aws.Int32(row.min)})
				gst, err2 := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{MinimumSessionTokenSize: aws.Int32(row.min)})
				gft, err3 := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("pad"), MinimumSessionTokenSize: aws.Int32(row.min)})
				checkErr(t, err, row.wantErr)
				checkErr(t, err2, row.wantErr)
				checkErr(t, err3, row.wantErr)
				if row.wantErr != nil {
					return
				}
				for _, o := range []struct {
					c          *types.Credentials
					size, util *int32
				}{{ar.Credentials, ar.SessionTokenSize, ar.SessionTokenUtilization}, {gst.Credentials, gst.SessionTokenSize, gst.SessionTokenUtilization}, {gft.Credentials, gft.SessionTokenSize, gft.SessionTokenUtilization}} {
					if n := len(aws.ToString(o.c.SessionToken)); n < row.wantMin || n > 4096 {
						t.Errorf("token of %d bytes, want %d–4096", n, row.wantMin)
					}
					checkTokenFields(t, o.c, o.size, o.util)
				}
				if row.min == 4096 && aws.ToInt32(ar.SessionTokenUtilization) != 100 {
					t.Errorf("SessionTokenUtilization = %d, want 100", aws.ToInt32(ar.SessionTokenUtilization))
				}
			})
		}
	}
}

// TestConformanceAccessKeyInfo pins GetAccessKeyInfo (behaviour §11.6, §2.4):
// the account of the engine's own keys and of any new-generation key.
func TestConformanceAccessKeyInfo(t *testing.T) {
	w := newWorld(t)
	other := mustUser(t, w.e, UserSpec{Account: acctB, Name: "Elsewhere"})
	crossKey := aws.ToString(w.assume(t, w.bob.Credentials, &sts.AssumeRoleInput{RoleArn: aws.String(w.cross.ARN), RoleSessionName: aws.String("kk")}).Credentials.AccessKeyId)
	rows := []struct{ name, key, want string }{
		{"the published vector (behaviour §2.4) decodes to 609629065308", "ASIAY34FZKBOKMUTVV7A", "609629065308"},
		{"a user's AKIA key gives its account", w.bob.Credentials.AccessKeyID, acctA},
		{"another account's user key gives that account", other.Credentials.AccessKeyID, acctB},
		{"a cross-account role session key gives the role's account", crossKey, acctB},
		{"root's key gives the account", w.root.AccessKeyID, acctA},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.bob.Credentials)
				got, err := api.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(row.key)})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(&sts.GetAccessKeyInfoOutput{Account: aws.String(row.want)}, got, sdkOpts); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestConformanceWithRand pins determinism: the same random bytes give the
// same keys, secrets, tokens and IDs (the engine issue's WithRand).
func TestConformanceWithRand(t *testing.T) {
	for _, pi := range []int{0, 1} {
		mint := func() (string, *sts.AssumeRoleOutput) {
			seed := [32]byte{7}
			e, _ := newTestEngine(t, WithRand(rand.NewChaCha8(seed)))
			u := mustUser(t, e, UserSpec{Name: "Det", Policies: []string{allowAssume}})
			api, ctx := paths(e)[pi].api(u.Credentials)
			out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/Det"), RoleSessionName: aws.String("ss")})
			if err != nil {
				t.Fatal(err)
			}
			return u.UserID + " " + u.Credentials.AccessKeyID + " " + u.Credentials.SecretAccessKey, out
		}
		u1, a1 := mint()
		u2, a2 := mint()
		t.Run("same bytes, same user, key and session/"+paths(nil)[pi].name, func(t *testing.T) {
			if u1 != u2 {
				t.Errorf("users differ: %s vs %s", u1, u2)
			}
			if diff := cmp.Diff(a1, a2, sdkOpts); diff != "" {
				t.Errorf("AssumeRole outputs differ (-first +second):\n%s", diff)
			}
		})
	}
}
