package fedverify_test

import (
	"fmt"
	"time"

	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
)

// ExampleVerifyWebIdentityToken mints a GitHub-Actions-style token and verifies it as
// AssumeRoleWithWebIdentity would.
func ExampleVerifyWebIdentityToken() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	gh := federation.NewOIDCIssuer("https://token.actions.githubusercontent.com",
		federation.WithIssuerClock(func() time.Time { return now }))
	token := gh.Token(federation.Claims{
		Subject:  "repo:o/r:ref:refs/heads/main",
		Audience: []string{"sts.amazonaws.com"},
		Extra:    map[string]any{"repository": "o/r"},
	})

	iss, err := fedverify.PeekIssuer(token) // unverified: finds the provider
	if err != nil {
		panic(err)
	}
	id, err := fedverify.VerifyWebIdentityToken(token, fedverify.WebIdentityCheck{
		Keys:      gh.JWKS(),
		ClientIDs: []string{"sts.amazonaws.com"},
		Now:       now.Add(time.Minute),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(iss)
	fmt.Println(id.Subject, id.Audience, id.Claims["repository"])
	fmt.Println(id.Expiry.UTC().Format(time.RFC3339))

	_, err = fedverify.VerifyWebIdentityToken(token, fedverify.WebIdentityCheck{
		Keys: gh.JWKS(), ClientIDs: []string{"sts.amazonaws.com"}, Now: now.Add(2 * time.Hour),
	})
	fmt.Println(err)
	// Output:
	// https://token.actions.githubusercontent.com
	// repo:o/r:ref:refs/heads/main sts.amazonaws.com o/r
	// 2026-03-01T13:00:00Z
	// ExpiredTokenException: Token expired: current date/time 1772373600 must be before the expiration date/time 1772370000
}
