package fakests

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// These tests drive AssumeRoleWithWebIdentity the way real programs do:
// through the SDK's web identity credential provider, and through
// config.LoadDefaultConfig reading AWS_WEB_IDENTITY_TOKEN_FILE and
// AWS_ROLE_ARN (EKS IRSA, GitHub Actions), with the engine as the only STS.

// tokenFunc adapts a function to stscreds.IdentityTokenRetriever.
type tokenFunc func() ([]byte, error)

func (f tokenFunc) GetIdentityToken() ([]byte, error) { return f() }

func TestWebIdentityRoleProvider(t *testing.T) {
	w := newOIDCWorld(t)
	calls := 0
	provider := stscreds.NewWebIdentityRoleProvider(newClient(w.e, aws.Credentials{}), w.deploy.ARN,
		tokenFunc(func() ([]byte, error) { calls++; return []byte(w.token(nil)), nil }),
		func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = "provider-session" })
	creds, err := aws.NewCredentialsCache(provider).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || !strings.HasPrefix(creds.AccessKeyID, "ASIA") || !creds.CanExpire || !creds.Expires.Equal(testEpoch.Add(time.Hour)) {
		t.Errorf("token read %d times; credentials %s, CanExpire %v, Expires %v", calls, creds.AccessKeyID, creds.CanExpire, creds.Expires)
	}
	// The provider reports the account from the assumed-role ARN.
	if creds.AccountID != acctA {
		t.Errorf("AccountID %q, want %s", creds.AccountID, acctA)
	}
	id, err := newClient(w.e, creds).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), "arn:aws:sts::123456789012:assumed-role/GitHubDeploy/provider-session"; got != want {
		t.Errorf("GetCallerIdentity Arn %q, want %q", got, want)
	}
}

// isolateSDKEnv empties the environment the SDK's default chain reads, so
// that nothing of the machine's AWS setup takes part, and points the shared
// config and credentials files at an empty file.
func isolateSDKEnv(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "") // restores the old value after the test
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestWebIdentityLoadDefaultConfig(t *testing.T) {
	w := newOIDCWorld(t)
	isolateSDKEnv(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(w.token(nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ROLE_ARN", w.deploy.ARN)
	t.Setenv("AWS_ROLE_SESSION_NAME", "env-session")

	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(w.e.Region()),
		config.WithAPIOptions([]func(*middleware.Stack) error{w.e.APIOption()}))
	if err != nil {
		t.Fatal(err)
	}
	// The config's credentials resolve through the STS client that the
	// config package builds internally, which carries the engine's option.
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || !creds.Expires.Equal(testEpoch.Add(time.Hour)) {
		t.Errorf("credentials %s expiring %v: want an engine session of one hour", creds.AccessKeyID, creds.Expires)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), "arn:aws:sts::123456789012:assumed-role/GitHubDeploy/env-session"; got != want {
		t.Errorf("GetCallerIdentity Arn %q, want %q", got, want)
	}
}
