package fakests

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	jose "github.com/go-jose/go-jose/v4"
)

// BenchmarkAssumeRoleWithWebIdentity measures a GitHub-style RS256 token
// exchanged for a role session: the token is parsed, its RSA signature
// verified against the provider's static JWKS, its claims checked, the
// trust policy (Federated principal, StringEquals and StringLike on the
// provider's keys) evaluated, and a session issued and stored. adapter goes
// through a real *sts.Client (unsigned, as the SDK sends it); typed calls
// the engine's method. Compare with BenchmarkAssumeRole/floor:
//
//	go test -run '^$' -bench 'AssumeRoleWithWebIdentity|AssumeRole/floor' -benchmem .
func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	e := New()
	jwks, token := benchRS256Token(b)
	if _, err := e.CreateOIDCProvider(OIDCProviderSpec{URL: ghIssuerURL, ClientIDs: []string{"sts.amazonaws.com"}, JWKS: jwks}); err != nil {
		b.Fatal(err)
	}
	r := mustRole(b, e, RoleSpec{Name: "GitHubDeploy",
		TrustPolicy: trustWebIdentity(`"sts:AssumeRoleWithWebIdentity"`, ghCondition)})
	in := webIn(r.ARN, token)
	run := func(b *testing.B, api stsAPI) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			out, err := api.AssumeRoleWithWebIdentity(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			if out.Credentials == nil {
				b.Fatal("AssumeRoleWithWebIdentity returned no credentials")
			}
		}
	}
	b.Run("adapter", func(b *testing.B) {
		run(b, sts.NewFromConfig(e.Config(aws.Credentials{}), benchRetryer))
	})
	b.Run("typed", func(b *testing.B) {
		run(b, e)
	})
}

// benchRS256Token returns a JWKS and a GitHub-style RS256 token signed with
// its key. The key is made here rather than by federation.NewOIDCIssuer,
// whose background key pool would keep generating RSA keys, and so take
// CPU from the measurement, for seconds after the first issuer.
func benchRS256Token(b *testing.B) (jwks []byte, token string) {
	b.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	jwks, err = json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: priv.Public(), KeyID: "bench", Algorithm: "RS256", Use: "sig"}}})
	if err != nil {
		b.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: "bench"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	payload, err := json.Marshal(map[string]any{"iss": ghIssuerURL, "sub": "repo:o/r:ref:refs/heads/main",
		"aud": "sts.amazonaws.com", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"repository": "o/r", "ref": "refs/heads/main"})
	if err != nil {
		b.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		b.Fatal(err)
	}
	if token, err = jws.CompactSerialize(); err != nil {
		b.Fatal(err)
	}
	return jwks, token
}
