package federation

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

// oidcDecodePart decodes one base64url segment of a compact token as JSON.
func oidcDecodePart(t *testing.T, token string, i int) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOIDCIssuerHeaderAndJWKS pins the minted header (alg, kid, typ "JWT")
// and a JWKS whose single public key carries the same kid, alg and use.
func TestOIDCIssuerHeaderAndJWKS(t *testing.T) {
	for _, tt := range []struct{ alg, kty, crv string }{
		{"RS256", "RSA", ""}, {"RS512", "RSA", ""}, {"ES256", "EC", "P-256"}, {"ES384", "EC", "P-384"}, {"ES512", "EC", "P-521"},
	} {
		t.Run(tt.alg, func(t *testing.T) {
			iss := NewOIDCIssuer(oidcTestURL, WithAlgorithm(tt.alg), WithKeyID("k1"))
			if iss.URL() != oidcTestURL {
				t.Errorf("URL = %q", iss.URL())
			}
			hdr := oidcDecodePart(t, iss.Token(oidcBasicClaims()), 0)
			if d := cmp.Diff(map[string]any{"alg": tt.alg, "kid": "k1", "typ": "JWT"}, hdr); d != "" {
				t.Errorf("header (-want +got):\n%s", d)
			}
			var set struct{ Keys []map[string]any }
			if err := json.Unmarshal(iss.JWKS(), &set); err != nil || len(set.Keys) != 1 {
				t.Fatalf("JWKS %s: %v", iss.JWKS(), err)
			}
			k := set.Keys[0]
			got := map[string]any{"kid": k["kid"], "alg": k["alg"], "use": k["use"], "kty": k["kty"], "crv": k["crv"], "private": k["d"] != nil}
			want := map[string]any{"kid": "k1", "alg": tt.alg, "use": "sig", "kty": tt.kty, "crv": nil, "private": false}
			if tt.crv != "" {
				want["crv"] = tt.crv
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("JWK (-want +got):\n%s", d)
			}
		})
	}
}

// TestOIDCIssuersHaveOwnKeys pins clarification Issue 4: each instance signs
// with its own key and default kid, and its tokens never verify against
// another instance's JWKS.
func TestOIDCIssuersHaveOwnKeys(t *testing.T) {
	for _, alg := range []string{"RS256", "ES256"} {
		a := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg), WithIssuerClock(oidcFixedClock(oidcT0)))
		b := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg), WithIssuerClock(oidcFixedClock(oidcT0)))
		if string(a.JWKS()) == string(b.JWKS()) {
			t.Fatalf("%s: two issuers publish the same JWKS", alg)
		}
		if oidcDecodePart(t, a.Token(oidcBasicClaims()), 0)["kid"] == oidcDecodePart(t, b.Token(oidcBasicClaims()), 0)["kid"] {
			t.Errorf("%s: two issuers share a default kid", alg)
		}
		_, err := fedverify.VerifyWebIdentityToken(b.Token(oidcBasicClaims()), oidcCheck(a.JWKS()))
		oidcWantErr(t, err, oidcErrNoKey)
		// Same kid on purpose: the signature itself must fail.
		c := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg), WithKeyID("shared"), WithIssuerClock(oidcFixedClock(oidcT0)))
		d := NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg), WithKeyID("shared"), WithIssuerClock(oidcFixedClock(oidcT0)))
		_, err = fedverify.VerifyWebIdentityToken(d.Token(oidcBasicClaims()), oidcCheck(c.JWKS()))
		oidcWantErr(t, err, oidcErrSignature)
	}
}

// TestOIDCTokenClaims pins how Claims become a payload: aud as a string for
// one audience and an array for several, defaults from the issuer clock,
// exp = iat + 1h, azp when set, Extra merged last, nil deleting a claim.
func TestOIDCTokenClaims(t *testing.T) {
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iss := NewOIDCIssuer(oidcTestURL, WithAlgorithm("ES256"), WithIssuerClock(oidcFixedClock(clock)))
	c0 := clock.Unix()
	iat := time.Unix(1000, 0)
	tests := []struct {
		name   string
		claims Claims
		want   map[string]any
	}{
		{"defaults from the issuer clock", Claims{Subject: "s", Audience: []string{"a"}},
			map[string]any{"iss": oidcTestURL, "sub": "s", "aud": "a", "iat": float64(c0), "nbf": float64(c0), "exp": float64(c0 + 3600)}},
		{"several audiences are an array, azp set", Claims{Subject: "s", Audience: []string{"a", "b"}, AuthorizedParty: "a"},
			map[string]any{"iss": oidcTestURL, "sub": "s", "aud": []any{"a", "b"}, "azp": "a", "iat": float64(c0), "nbf": float64(c0), "exp": float64(c0 + 3600)}},
		{"explicit times; exp defaults from iat", Claims{IssuedAt: iat, NotBefore: iat.Add(time.Minute)},
			map[string]any{"iss": oidcTestURL, "iat": float64(1000), "nbf": float64(1060), "exp": float64(4600)}},
		{"Extra overrides and deletes", Claims{Subject: "s", Expiry: iat, Extra: map[string]any{"iss": "https://other", "nbf": nil, "custom": true}},
			map[string]any{"iss": "https://other", "sub": "s", "iat": float64(c0), "exp": float64(1000), "custom": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, oidcDecodePart(t, iss.Token(tt.claims), 1)); d != "" {
				t.Errorf("payload (-want +got):\n%s", d)
			}
		})
	}
}

// TestOIDCSignKeepsPayloadBytes pins that Sign signs the exact bytes given,
// duplicates included, so malformed-claim tests carry a valid signature.
func TestOIDCSignKeepsPayloadBytes(t *testing.T) {
	iss := NewOIDCIssuer(oidcTestURL, WithAlgorithm("ES256"))
	payload := `{"sub":"a","sub":"b"}`
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(iss.Sign([]byte(payload)), ".")[1])
	if err != nil || string(raw) != payload {
		t.Fatalf("payload %q, %v; want %q", raw, err, payload)
	}
}

// TestOIDCIssuerConcurrentUse mints and verifies from many goroutines (run
// with -race).
func TestOIDCIssuerConcurrentUse(t *testing.T) {
	iss := NewOIDCIssuer(oidcTestURL, WithIssuerClock(oidcFixedClock(oidcT0)))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := fedverify.VerifyWebIdentityToken(iss.Token(oidcBasicClaims()), oidcCheck(iss.JWKS())); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestOIDCUnknownAlgorithmPanics pins that a misspelt algorithm is a loud
// test-setup error rather than a silently different issuer.
func TestOIDCUnknownAlgorithmPanics(t *testing.T) {
	for _, alg := range []string{"HS256", "PS256", "none", "rs256"} {
		func() {
			defer func() {
				if got, want := recover(), "federation: unsupported OIDC signing algorithm "+alg; got != want {
					t.Errorf("WithAlgorithm(%q): panic %v, want %q", alg, got, want)
				}
			}()
			NewOIDCIssuer(oidcTestURL, WithAlgorithm(alg))
		}()
	}
}
