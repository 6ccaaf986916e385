// Command web-identity-env resolves credentials the way a pod on EKS (IRSA)
// or a CI job does: config.LoadDefaultConfig finds AWS_WEB_IDENTITY_TOKEN_FILE
// and AWS_ROLE_ARN in the environment and calls AssumeRoleWithWebIdentity
// itself. With the engine's APIOption in the config, that call — and every
// later STS call made from the config — reaches the fakests engine instead
// of AWS, so application code runs unchanged.
//
//	go run ./examples/web-identity-env
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/fakests/fakests"
	"github.com/fakests/fakests/federation"
)

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// An EKS-style cluster issuer and its IAM provider; the role trusts the
	// service account "default/app".
	issuer := federation.NewOIDCIssuer("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7")
	providerARN, err := e.CreateOIDCProvider(fakests.OIDCProviderSpec{
		URL: issuer.URL(), ClientIDs: []string{"sts.amazonaws.com"}, JWKS: issuer.JWKS(),
	})
	if err != nil {
		log.Fatal(err)
	}
	host := issuer.URL()[len("https://"):]
	role, err := e.CreateRole(fakests.RoleSpec{
		Name: "app",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Federated":"` + providerARN + `"},
			"Action":"sts:AssumeRoleWithWebIdentity",
			"Condition":{"StringEquals":{"` + host + `:sub":"system:serviceaccount:default:app",
				"` + host + `:aud":"sts.amazonaws.com"}}}]}`,
	})
	if err != nil {
		log.Fatal(err)
	}

	// What the pod identity webhook provides: a projected token file and
	// two environment variables. Empty shared config files keep this
	// machine's own AWS profile out of the way.
	dir, err := os.MkdirTemp("", "web-identity-env")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tokenFile := filepath.Join(dir, "token")
	token := issuer.Token(federation.Claims{Subject: "system:serviceaccount:default:app", Audience: []string{"sts.amazonaws.com"}})
	empty := filepath.Join(dir, "empty")
	for name, data := range map[string]string{tokenFile: token, empty: ""} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	for k, v := range map[string]string{
		"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
		"AWS_ROLE_ARN":                role.ARN,
		"AWS_ROLE_SESSION_NAME":       "app-pod",
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
		os.Unsetenv(k)
	}

	// The application's own setup, plus one option that routes STS into
	// the engine.
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(e.Region()),
		config.WithAPIOptions([]func(*middleware.Stack) error{e.APIOption()}))
	if err != nil {
		log.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("credentials from:", creds.Source)
	fmt.Println("access key:      ", creds.AccessKeyID)
	fmt.Println("expires:         ", creds.Expires.UTC())

	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("caller:          ", aws.ToString(who.Arn))
}
