package fedverify_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

// TestOIDCEachAlgorithm pins that tokens signed with every algorithm STS
// accepts (behaviour §11.3: RS256/384/512, ES256/384/512) verify, and that the
// identity carries the claims STS reports.
func TestOIDCEachAlgorithm(t *testing.T) {
	t0 := oidcT0.Unix()
	for _, alg := range []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"} {
		t.Run(alg, func(t *testing.T) {
			iss := federation.NewOIDCIssuer(oidcTestURL, federation.WithAlgorithm(alg), federation.WithIssuerClock(oidcFixedClock(oidcT0)))
			c := oidcBasicClaims()
			c.Extra = map[string]any{"amr": []string{"pwd", "mfa"}, "repository": "o/r"}
			id, err := fedverify.VerifyWebIdentityToken(iss.Token(c), oidcCheck(iss.JWKS()))
			if err != nil {
				t.Fatal(err)
			}
			num := func(n int64) json.Number { return json.Number(strings.TrimSpace(string(mustJSON(n)))) }
			want := &fedverify.WebIdentity{
				Issuer: oidcTestURL, Subject: "repo:o/r:ref:refs/heads/main", Audience: oidcTestAud,
				AMR: []string{"pwd", "mfa"}, IssuedAt: time.Unix(t0, 0), Expiry: time.Unix(t0+3600, 0),
				Claims: map[string]any{
					"iss": oidcTestURL, "sub": "repo:o/r:ref:refs/heads/main", "aud": oidcTestAud,
					"iat": num(t0), "nbf": num(t0), "exp": num(t0 + 3600),
					"amr": []any{"pwd", "mfa"}, "repository": "o/r",
				},
			}
			if d := cmp.Diff(want, id); d != "" {
				t.Errorf("identity (-want +got):\n%s", d)
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestOIDCAudienceRule pins how the matched client ID is chosen: "azp" when
// present (behaviour §12, Google's documented rule, applied to every provider),
// otherwise the first "aud" element, in token order, that the provider lists.
func TestOIDCAudienceRule(t *testing.T) {
	iss := newOIDCTestIssuer(t, testKey(0), "")
	tests := []struct {
		name      string
		aud       []string
		azp       string
		clientIDs []string
		want      string
	}{
		{"aud string listed", []string{"a"}, "", []string{"a"}, "a"},
		{"aud array, second element listed", []string{"x", "b"}, "", []string{"a", "b"}, "b"},
		{"aud array, first listed element in token order", []string{"b", "a"}, "", []string{"a", "b"}, "b"},
		{"azp listed, aud not listed", []string{"server"}, "app", []string{"app"}, "app"},
		{"azp listed among several client IDs", []string{"server", "app"}, "app", []string{"other", "app"}, "app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := iss.Token(federation.Claims{Subject: "s", Audience: tt.aud, AuthorizedParty: tt.azp})
			id, err := fedverify.VerifyWebIdentityToken(tok, fedverify.WebIdentityCheck{Keys: iss.JWKS(), ClientIDs: tt.clientIDs, Now: oidcT0})
			if err != nil {
				t.Fatal(err)
			}
			if id.Audience != tt.want {
				t.Errorf("Audience = %q, want %q", id.Audience, tt.want)
			}
		})
	}
}

// TestOIDCAcceptedEdges pins the edges that must still verify: the skew
// allowed on iat, nbf equal to now, one second before expiry, tokens without
// iat/nbf or without kid, a key set holding unusable keys beside the good one,
// and a token of exactly the model's 20000-character maximum.
func TestOIDCAcceptedEdges(t *testing.T) {
	a := newOIDCTestIssuer(t, testKey(0), "")
	t0 := oidcT0.Unix()
	good := string(oidcPayload(nil))
	var set struct{ Keys []json.RawMessage }
	if err := json.Unmarshal(a.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	mixed := `{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"OKP","crv":"X25519","x":"AA"},` +
		`{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"},` + string(set.Keys[0]) + `]}`
	padded := func(total int) string {
		base := a.Sign(oidcPayload(map[string]any{"pad": ""}))
		// Each 3 payload bytes add 4 base64 characters.
		n := (total - len(base)) / 4 * 3
		tok := a.Sign(oidcPayload(map[string]any{"pad": strings.Repeat("p", n)}))
		for len(tok) < total {
			n++
			tok = a.Sign(oidcPayload(map[string]any{"pad": strings.Repeat("p", n)}))
		}
		return tok
	}
	tok20000 := padded(20000)
	if len(tok20000) != 20000 {
		// Lengths step by 1 or 2; accept the nearest below when 20000 is skipped.
		tok20000 = padded(19999)
	}
	tests := []struct {
		name, token, keys string
	}{
		{"iat exactly five minutes ahead", a.Sign(oidcPayload(map[string]any{"iat": t0 + 300})), ""},
		{"nbf equal to now", a.Sign(oidcPayload(map[string]any{"nbf": t0})), ""},
		{"exp one second ahead", a.Sign(oidcPayload(map[string]any{"exp": t0 + 1})), ""},
		{"no iat and no nbf", a.Sign(oidcPayload(map[string]any{"iat": nil, "nbf": nil})), ""},
		{"no kid in the header", oidcRawRS256(a.key, `{"alg":"RS256"}`, good), ""},
		{"no typ in the header", oidcRawRS256(a.key, `{"alg":"RS256","kid":"`+a.kid+`"}`, good), ""},
		{"unusable keys beside the good one are skipped", a.Sign([]byte(good)), mixed},
		{"token at the 20000-character maximum", tok20000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := a.JWKS()
			if tt.keys != "" {
				keys = []byte(tt.keys)
			}
			if _, err := fedverify.VerifyWebIdentityToken(tt.token, oidcCheck(keys)); err != nil {
				t.Fatal(err)
			}
		})
	}
	if len(tok20000) < 19999 || len(tok20000) > 20000 {
		t.Errorf("padded token has %d characters, want 19999 or 20000", len(tok20000))
	}
}

// TestOIDCSessionTagsAndSourceIdentity pins the extraction of session tags
// (behaviour §7: principal_tags values are one-element arrays) and of the source
// identity (behaviour §8) from their AWS claims.
func TestOIDCSessionTagsAndSourceIdentity(t *testing.T) {
	iss := newOIDCTestIssuer(t, testKey(0), "")
	tests := []struct {
		name       string
		extra      map[string]any
		tags       map[string]string
		transitive []string
		source     string
	}{
		{"no AWS claims", nil, nil, nil, ""},
		{"tags and transitive keys", map[string]any{oidcClaimTags: map[string]any{
			"principal_tags":      map[string]any{"Project": []string{"blue"}, "CostCenter": []string{"42"}},
			"transitive_tag_keys": []string{"Project"}}},
			map[string]string{"Project": "blue", "CostCenter": "42"}, []string{"Project"}, ""},
		{"empty tag value", map[string]any{oidcClaimTags: map[string]any{
			"principal_tags": map[string]any{"Empty": []string{""}}}},
			map[string]string{"Empty": ""}, nil, ""},
		{"empty tags object", map[string]any{oidcClaimTags: map[string]any{}}, nil, nil, ""},
		{"source identity", map[string]any{oidcClaimSourceIdentity: "alice@example.com"}, nil, nil, "alice@example.com"},
		{"source identity of two characters with symbols", map[string]any{oidcClaimSourceIdentity: "+="}, nil, nil, "+="},
		{"source identity of 64 characters", map[string]any{oidcClaimSourceIdentity: strings.Repeat("x", 64)}, nil, nil, strings.Repeat("x", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oidcBasicClaims()
			c.Extra = tt.extra
			id, err := fedverify.VerifyWebIdentityToken(iss.Token(c), oidcCheck(iss.JWKS()))
			if err != nil {
				t.Fatal(err)
			}
			got := struct {
				Tags       map[string]string
				Transitive []string
				Source     string
			}{id.PrincipalTags, id.TransitiveTagKeys, id.SourceIdentity}
			want := got
			want.Tags, want.Transitive, want.Source = tt.tags, tt.transitive, tt.source
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestPeekIssuer pins that the unverified issuer is read from well-formed
// tokens only, and that anything else is InvalidIdentityToken.
func TestPeekIssuer(t *testing.T) {
	iss := newOIDCTestIssuer(t, testKey(0), "")
	valid := iss.Token(oidcBasicClaims())
	h := oidcB64(`{"alg":"RS256"}`) + "."
	tests := []struct {
		name  string
		token string
		want  string
		err   *apierror.Error
	}{
		{"signed token", valid, oidcTestURL, nil},
		{"unsigned content is still peeked (verification comes later)", oidcB64(`{"alg":"none"}`) + "." + oidcB64(`{"iss":"https://x"}`) + ".AA", "https://x", nil},
		{"empty", "", "", oidcErrNotJWT},
		{"opaque access token", "ya29.a0AfH6SMB", "", oidcErrNotJWT},
		{"four segments", valid + ".x", "", oidcErrNotJWT},
		{"over 20000 characters", valid + strings.Repeat("A", 20001-len(valid)), "", oidcErrNotJWT},
		{"payload not JSON", h + oidcB64("nope") + ".AA", "", oidcErrNotJWT},
		{"payload with duplicate iss", h + oidcB64(`{"iss":"https://a","iss":"https://b"}`) + ".AA", "", oidcErrNotJWT},
		{"no iss", h + oidcB64(`{"sub":"x"}`) + ".AA", "", oidcErrInvalid("Missing required claim: iss")},
		{"iss a number", h + oidcB64(`{"iss":1}`) + ".AA", "", oidcErrInvalid("Invalid claim iss: must be a non-empty string")},
		{"iss empty", h + oidcB64(`{"iss":""}`) + ".AA", "", oidcErrInvalid("Invalid claim iss: must be a non-empty string")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fedverify.PeekIssuer(tt.token)
			if tt.err != nil {
				oidcWantErr(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PeekIssuer = %q, want %q", got, tt.want)
			}
		})
	}
}
