// Command github-actions-oidc plays the GitHub Actions OIDC flow against a
// fakests engine: a GitHub-style issuer mints a workflow's ID token, an IAM
// OIDC provider trusts the issuer, and a role trusts only the main branch of
// one repository. A real *sts.Client exchanges the token for credentials
// with AssumeRoleWithWebIdentity (sent unsigned, as the SDK sends it), then
// a workflow on another branch is refused.
//
//	go run ./examples/github-actions-oidc
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
	"github.com/fakests/fakests/federation"
)

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// GitHub's issuer, with a key of its own, and the IAM provider for it.
	github := federation.NewOIDCIssuer("https://token.actions.githubusercontent.com")
	providerARN, err := e.CreateOIDCProvider(fakests.OIDCProviderSpec{
		URL:       github.URL(),
		ClientIDs: []string{"sts.amazonaws.com"},
		JWKS:      github.JWKS(),
	})
	if err != nil {
		log.Fatal(err)
	}

	// The role GitHub's documentation describes: the audience is STS and
	// the subject is one repository's main branch.
	role, err := e.CreateRole(fakests.RoleSpec{
		Name: "github-deploy",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Federated":"` + providerARN + `"},
			"Action":"sts:AssumeRoleWithWebIdentity",
			"Condition":{"StringEquals":{
				"token.actions.githubusercontent.com:aud":"sts.amazonaws.com",
				"token.actions.githubusercontent.com:sub":"repo:org/repo:ref:refs/heads/main"}}}]}`,
	})
	if err != nil {
		log.Fatal(err)
	}

	// No credentials at all: AssumeRoleWithWebIdentity is unsigned.
	client := sts.NewFromConfig(e.Config(aws.Credentials{}))
	workflowToken := func(ref string) string {
		return github.Token(federation.Claims{
			Subject:  "repo:org/repo:ref:" + ref,
			Audience: []string{"sts.amazonaws.com"},
			Extra:    map[string]any{"repository": "org/repo", "ref": ref},
		})
	}

	out, err := client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(role.ARN),
		RoleSessionName:  aws.String("GitHubActions"),
		WebIdentityToken: aws.String(workflowToken("refs/heads/main")),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("provider:      ", aws.ToString(out.Provider))
	fmt.Println("subject:       ", aws.ToString(out.SubjectFromWebIdentityToken))
	fmt.Println("audience:      ", aws.ToString(out.Audience))
	fmt.Println("assumed role:  ", aws.ToString(out.AssumedRoleUser.Arn))
	fmt.Println("access key:    ", aws.ToString(out.Credentials.AccessKeyId))
	fmt.Println("expires:       ", out.Credentials.Expiration.UTC())

	// The session's credentials work against the same engine.
	c := out.Credentials
	session := sts.NewFromConfig(e.Config(aws.Credentials{
		AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken),
	}))
	who, err := session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("caller:        ", aws.ToString(who.Arn))

	// A workflow on a feature branch holds a valid token, but the trust
	// policy names main only.
	_, err = client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(role.ARN),
		RoleSessionName:  aws.String("GitHubActions"),
		WebIdentityToken: aws.String(workflowToken("refs/heads/feature")),
	})
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		log.Fatalf("feature branch: want an API error, got %v", err)
	}
	fmt.Printf("feature branch: %s: %s\n", ae.ErrorCode(), ae.ErrorMessage())
}
