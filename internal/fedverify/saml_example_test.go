package fedverify_test

import (
	"fmt"
	"time"

	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
)

// An Okta-style login: the IdP mints a signed response for a user mapped to
// one role, the SAML provider is created from the IdP's metadata, and the
// response is verified as AssumeRoleWithSAML would.
func ExampleVerifySAMLResponse() {
	now := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	idp := federation.NewSAMLIdP("http://www.okta.com/exk1a2b3c4d5e6f7g8h9",
		federation.WithSAMLClock(func() time.Time { return now }))

	// CreateSAMLProvider(Name="Okta", SAMLMetadataDocument=idp.Metadata()).
	md, err := fedverify.ParseSAMLMetadata(idp.Metadata())
	if err != nil {
		panic(err)
	}

	assertion := idp.Assertion(federation.SAMLAssertion{
		NameID:       "jane.doe@example.com",
		NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
		Roles: []string{"arn:aws:iam::123456789012:role/OktaDevelopers," +
			"arn:aws:iam::123456789012:saml-provider/Okta"},
		SessionName:   "jane.doe@example.com",
		PrincipalTags: map[string]string{"Department": "Engineering"},
		Audience:      "urn:amazon:webservices", // what Okta sends
	})

	login, err := fedverify.VerifySAMLResponse(assertion,
		fedverify.SAMLCheck{Metadata: md, Now: now.Add(30 * time.Second)})
	if err != nil {
		panic(err)
	}
	fmt.Println("Subject:", login.NameID)
	fmt.Println("SubjectType:", fedverify.SubjectType(login.NameIDFormat))
	fmt.Println("Issuer:", login.Issuer)
	fmt.Println("Audience:", login.Recipient)
	fmt.Println("Role:", login.Roles[0][0])
	fmt.Println("RoleSessionName:", login.RoleSessionName)
	fmt.Println("Tag Department:", login.PrincipalTags["Department"])
	fmt.Println("NameQualifier:", fedverify.NameQualifier(login.Issuer, "123456789012", "Okta"))
	// Output:
	// Subject: jane.doe@example.com
	// SubjectType: urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress
	// Issuer: http://www.okta.com/exk1a2b3c4d5e6f7g8h9
	// Audience: https://signin.aws.amazon.com/saml
	// Role: arn:aws:iam::123456789012:role/OktaDevelopers
	// RoleSessionName: jane.doe@example.com
	// Tag Department: Engineering
	// NameQualifier: fupPtPmFXiSBxb+u58UVognCbG4=
}
