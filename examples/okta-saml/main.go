// Command okta-saml signs in through a SAML identity provider the way an
// Okta user reaches AWS: a test IdP mints a signed SAML response, the engine
// holds the matching IAM SAML provider and a role that trusts it, and a real
// *sts.Client (with no credentials: AssumeRoleWithSAML is unsigned) trades
// the response for role credentials. A tampered response is then refused.
//
//	go run ./examples/okta-saml
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
	"github.com/fakests/fakests/federation"
)

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// The IdP: Okta names itself http://www.okta.com/<app id> and puts the
	// audience urn:amazon:webservices in its assertions.
	idp := federation.NewSAMLIdP("http://www.okta.com/exk1example")
	providerARN, err := e.CreateSAMLProvider(fakests.SAMLProviderSpec{Name: "Okta", Metadata: idp.Metadata()})
	if err != nil {
		log.Fatal(err)
	}

	// The role trusts the provider, only for responses addressed to the AWS
	// sign-in endpoint (saml:aud is the Recipient of the response).
	role, err := e.CreateRole(fakests.RoleSpec{
		Name: "OktaDevelopers",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"Federated":"` + providerARN + `"},"Action":"sts:AssumeRoleWithSAML",` +
			`"Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml"}}}]}`,
	})
	if err != nil {
		log.Fatal(err)
	}

	// Jane signs in at the IdP, which maps her to the role.
	assertion := idp.Assertion(federation.SAMLAssertion{
		NameID:      "jane@example.com",
		SessionName: "jane@example.com",
		Roles:       []string{role.ARN + "," + providerARN},
		Audience:    "urn:amazon:webservices",
	})

	client := sts.NewFromConfig(e.Config(aws.Credentials{}))
	out, err := client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(role.ARN), PrincipalArn: aws.String(providerARN), SAMLAssertion: aws.String(assertion),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Subject:      ", aws.ToString(out.Subject))
	fmt.Println("SubjectType:  ", aws.ToString(out.SubjectType))
	fmt.Println("Issuer:       ", aws.ToString(out.Issuer))
	fmt.Println("Audience:     ", aws.ToString(out.Audience))
	fmt.Println("NameQualifier:", aws.ToString(out.NameQualifier))
	fmt.Println("Session:      ", aws.ToString(out.AssumedRoleUser.Arn))
	fmt.Println("Expires:      ", aws.ToTime(out.Credentials.Expiration).Format("2006-01-02T15:04:05Z"))

	// The session's credentials work like any others.
	who, err := sts.NewFromConfig(e.Config(aws.Credentials{
		AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
		SessionToken: aws.ToString(out.Credentials.SessionToken),
	})).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Caller:       ", aws.ToString(who.Arn))

	// Someone edits the signed response to become another user: the
	// signature no longer matches and STS refuses it.
	raw, err := base64.StdEncoding.DecodeString(assertion)
	if err != nil {
		log.Fatal(err)
	}
	tampered := strings.Replace(string(raw), ">jane@example.com</", ">admin@example.com</", 1)
	_, err = client.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(role.ARN), PrincipalArn: aws.String(providerARN),
		SAMLAssertion: aws.String(base64.StdEncoding.EncodeToString([]byte(tampered))),
	})
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		log.Fatalf("tampered response: got %v, want an STS error", err)
	}
	fmt.Printf("Tampered:      %s: %s\n", ae.ErrorCode(), ae.ErrorMessage())
}
