package fakests

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestCredentialsCacheFollowsEngineClock is the natural test of refreshing
// credentials: stscreds.AssumeRoleProvider behind a cache, the engine clock
// moved past the session's expiry, and the next call made with fresh
// credentials. The provider reaches the engine through a routed client or
// through the typed methods; the call is made by a routed client or a typed
// method with the cache in optFns. The SDK's own cache judges expiry on the
// wall clock and keeps the expired session, which is why the engine offers
// its own.
func TestCredentialsCacheFollowsEngineClock(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, clk := newTestEngine(t)
			const roleARN = "arn:aws:iam::123456789012:role/refreshing"
			var stsAPI stscreds.AssumeRoleAPIClient = e
			if p.name == "client" {
				stsAPI = newClient(e, e.DefaultUser().Credentials)
			}
			provider := stscreds.NewAssumeRoleProvider(stsAPI, roleARN, func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = "cached"
				o.Duration = 15 * time.Minute
			})
			call := func(creds aws.CredentialsProvider) (string, error) {
				api, ctx := paths(e).byName(p.name).api(aws.Credentials{})
				out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Credentials = creds })
				if err != nil {
					return "", err
				}
				return aws.ToString(out.Arn), nil
			}
			const want = "arn:aws:sts::123456789012:assumed-role/refreshing/cached"

			cache := e.CredentialsCache(provider)
			wallCache := aws.NewCredentialsCache(provider)
			loaded := e.CredentialsCache(aws.NewCredentialsCache(provider)) // as around config.LoadDefaultConfig's cache
			firstKeys := map[string]string{}
			for name, c := range map[string]aws.CredentialsProvider{"engine cache": cache, "SDK cache": wallCache, "engine cache around the SDK's": loaded} {
				if got, err := call(c); err != nil || got != want {
					t.Fatalf("%s, before expiry: %s, %v", name, got, err)
				}
				creds, _ := c.Retrieve(context.Background())
				firstKeys[name] = creds.AccessKeyID
			}

			clk.Advance(16 * time.Minute)
			for name, c := range map[string]aws.CredentialsProvider{"engine cache": cache, "engine cache around the SDK's": loaded} {
				if got, err := call(c); err != nil || got != want {
					t.Errorf("%s, after expiry: %s, %v; want a refreshed session", name, got, err)
				}
				if creds, _ := c.Retrieve(context.Background()); creds.AccessKeyID == firstKeys[name] {
					t.Errorf("%s kept the expired key %s", name, creds.AccessKeyID)
				}
			}
			_, err := call(wallCache)
			checkErr(t, err, &wantErr{"ExpiredToken", "The security token included in the request is expired", 403})
		})
	}
}

// TestCredentialsCacheExpiryWindow pins the ExpiryWindow option: the cache
// refreshes that long before the engine clock reaches the expiry.
func TestCredentialsCacheExpiryWindow(t *testing.T) {
	e, clk := newTestEngine(t)
	fetches := 0
	provider := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		fetches++
		out, err := e.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
		if err != nil {
			return aws.Credentials{}, err
		}
		return credsOf(out.Credentials), nil
	})
	cache := e.CredentialsCache(provider, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = 5 * time.Minute })
	for _, step := range []struct {
		advance time.Duration
		fetches int
	}{{0, 1}, {9 * time.Minute, 1}, {time.Minute, 2}, {0, 2}} {
		clk.Advance(step.advance)
		creds, err := cache.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if fetches != step.fetches {
			t.Errorf("at %v: %d fetches, want %d", e.Now().Sub(testEpoch), fetches, step.fetches)
		}
		if want := e.Now().Truncate(time.Second).Add(10 * time.Minute); step.advance == time.Minute && !creds.Expires.Equal(want) {
			t.Errorf("Expires = %v, want the session's expiry less the window, %v", creds.Expires, want)
		}
	}
	cache.Invalidate()
	if _, err := cache.Retrieve(context.Background()); err != nil || fetches != 3 {
		t.Errorf("after Invalidate: %d fetches, %v; want 3", fetches, err)
	}
}
