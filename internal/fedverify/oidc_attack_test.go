package fedverify_test

import (
	"crypto/x509"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
	jose "github.com/go-jose/go-jose/v4"
)

// oidcPayload returns the JSON of a valid GitHub-Actions-style payload at
// oidcT0 with edits applied (a nil value deletes the claim).
func oidcPayload(edits map[string]any) []byte {
	t := oidcT0.Unix()
	p := map[string]any{
		"iss": oidcTestURL, "sub": "repo:o/r:ref:refs/heads/main", "aud": oidcTestAud,
		"iat": t, "nbf": t, "exp": t + 3600,
	}
	for k, v := range edits {
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// TestOIDCAttacks pins the rejection of hostile or broken tokens and key
// sets: each row names the attack or the AWS rule, and wants an exact code
// and message.
func TestOIDCAttacks(t *testing.T) {
	a := newOIDCTestIssuer(t, testKey(0), "")    // the provider under attack
	b := newOIDCTestIssuer(t, testKey(1), "")    // another issuer, its own kid
	c := newOIDCTestIssuer(t, testKey(2), a.kid) // another key published under a's kid
	ec := federation.NewOIDCIssuer(oidcTestURL, federation.WithAlgorithm("ES256"), federation.WithKeyID(a.kid), federation.WithIssuerClock(oidcFixedClock(oidcT0)))
	ec384 := federation.NewOIDCIssuer(oidcTestURL, federation.WithAlgorithm("ES384"), federation.WithKeyID(a.kid))
	good := string(oidcPayload(nil))
	hdr := `{"alg":"RS256","kid":"` + a.kid + `","typ":"JWT"}`
	sign := func(edits map[string]any) string { return a.Sign(oidcPayload(edits)) }
	der, err := x509.MarshalPKIXPublicKey(&a.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	valid := a.Sign([]byte(good))
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + oidcB64(strings.Replace(good, "refs/heads/main", "refs/heads/evil", 1)) + "." + parts[2]
	deep := strings.Repeat(`{"x":`, 40) + `1` + strings.Repeat(`}`, 40)
	octJWKS := `{"keys":[{"kty":"oct","kid":"` + a.kid + `","k":"` + oidcB64(string(der)) + `"}]}`
	privJWK, err := json.Marshal(jose.JSONWebKey{Key: a.key, KeyID: a.kid})
	if err != nil {
		t.Fatal(err)
	}
	pubJWK := func(use, alg string) string {
		j, err := json.Marshal(jose.JSONWebKey{Key: &a.key.PublicKey, KeyID: a.kid, Use: use, Algorithm: alg})
		if err != nil {
			t.Fatal(err)
		}
		return `{"keys":[` + string(j) + `]}`
	}
	now := "1772366400"
	var bSet struct{ Keys []json.RawMessage }
	if err := json.Unmarshal(b.JWKS(), &bSet); err != nil {
		t.Fatal(err)
	}
	embedded := `{"alg":"RS256","kid":"` + a.kid + `","jwk":` + string(bSet.Keys[0]) + `}`

	tests := []struct {
		name  string
		token string
		keys  string // default: a's JWKS
		want  *apierror.Error
	}{
		// Algorithm attacks: only RS256/384/512 and ES256/384/512 (behaviour §11.3).
		{"alg none, empty signature", oidcB64(`{"alg":"none"}`) + "." + oidcB64(good) + ".", "", oidcErrNotJWT},
		{"alg none with a signature segment", oidcB64(`{"alg":"none"}`) + "." + oidcB64(good) + ".AA", "", oidcErrNotJWT},
		{"alg None (case variant)", oidcB64(`{"alg":"None","kid":"`+a.kid+`"}`) + "." + oidcB64(good) + ".AA", "", oidcErrNotJWT},
		{"HS256 keyed with the JWKS document (key confusion)", oidcRawHS256(a.JWKS(), `{"alg":"HS256","kid":"`+a.kid+`"}`, good), "", oidcErrNotJWT},
		{"HS256 keyed with the DER public key (key confusion)", oidcRawHS256(der, `{"alg":"HS256","kid":"`+a.kid+`"}`, good), "", oidcErrNotJWT},
		{"HS256 against a JWKS that publishes an oct key", oidcRawHS256(der, `{"alg":"HS256","kid":"`+a.kid+`"}`, good), octJWKS, oidcErrNotJWT},
		{"PS256 with the provider's own RSA key", oidcJoseSign(t, jose.PS256, a.key, a.kid, []byte(good)), "", oidcErrNotJWT},
		{"alg missing", oidcRawRS256(a.key, `{"kid":"`+a.kid+`"}`, good), "", oidcErrNotJWT},
		{"alg not a string", oidcRawRS256(a.key, `{"alg":["RS256"],"kid":"`+a.kid+`"}`, good), "", oidcErrNotJWT},

		// Key selection.
		{"unknown kid", oidcRawRS256(a.key, `{"alg":"RS256","kid":"nope"}`, good), "", oidcErrNoKey},
		{"kid not a string", oidcRawRS256(a.key, `{"alg":"RS256","kid":7}`, good), "", oidcErrNotJWT},
		{"kid of the provider's key, signed by another key", c.Sign([]byte(good)), "", oidcErrSignature},
		{"token of another issuer (its own kid)", b.Sign([]byte(good)), "", oidcErrNoKey},
		{"embedded jwk header naming the attacker's key is ignored", oidcRawRS256(b.key, embedded, good), "", oidcErrSignature},
		{"jku header pointing at the attacker's keys is ignored", oidcRawRS256(b.key, `{"alg":"RS256","kid":"`+a.kid+`","jku":"https://evil.example/jwks"}`, good), "", oidcErrSignature},
		{"no kid, signed by another key", oidcRawRS256(b.key, `{"alg":"RS256"}`, good), "", oidcErrSignature},
		{"ES256 token, kid names an RSA key", ec.Sign([]byte(good)), "", oidcErrNoKey},
		{"ES256 token, kid names a P-384 key", ec.Sign([]byte(good)), string(ec384.JWKS()), oidcErrNoKey},
		{"JWK alg RS512 does not allow an RS256 token", valid, pubJWK("sig", "RS512"), oidcErrNoKey},

		// Unusable key sets (behaviour §11.3).
		{"JWKS not JSON", valid, "<html>", oidcErrNoKey},
		{"JWKS empty document", valid, " ", oidcErrNoKey},
		{"JWKS without keys member", valid, `{}`, oidcErrNoKey},
		{"JWKS with an empty key list", valid, `{"keys":[]}`, oidcErrNoKey},
		{"JWKS as a bare array", valid, `[` + pubJWK("", "") + `]`, oidcErrNoKey},
		{"JWKS with only a symmetric key", valid, octJWKS, oidcErrNoKey},
		{"JWKS publishing private key material", valid, `{"keys":[` + string(privJWK) + `]}`, oidcErrNoKey},
		{"JWKS key for encryption only", valid, pubJWK("enc", ""), oidcErrNoKey},
		{"JWKS key with a garbage modulus", valid, `{"keys":[{"kty":"RSA","kid":"` + a.kid + `","n":"AQ","e":"AQAB"}]}`, oidcErrNoKey},

		// Structure caps before parsing.
		{"empty token", "", "", oidcErrNotJWT},
		{"two segments", parts[0] + "." + parts[1], "", oidcErrNotJWT},
		{"four segments", valid + ".x", "", oidcErrNotJWT},
		{"many dots", strings.Repeat(".", 5000), "", oidcErrNotJWT},
		{"over 20000 characters", valid + strings.Repeat("A", 20001-len(valid)), "", oidcErrNotJWT},
		{"huge payload segment", parts[0] + "." + strings.Repeat("e", 30000) + "." + parts[2], "", oidcErrNotJWT},
		{"empty signature segment", parts[0] + "." + parts[1] + ".", "", oidcErrNotJWT},
		{"standard base64 alphabet", parts[0] + "." + parts[1] + "+/." + parts[2], "", oidcErrNotJWT},
		{"base64 padding", parts[0] + "=." + parts[1] + "." + parts[2], "", oidcErrNotJWT},
		{"header not JSON", oidcB64("RS256") + "." + parts[1] + "." + parts[2], "", oidcErrNotJWT},
		{"header duplicate alg", oidcRawRS256(a.key, `{"alg":"RS256","alg":"none","kid":"`+a.kid+`"}`, good), "", oidcErrNotJWT},
		{"header crit extension", oidcRawRS256(a.key, `{"alg":"RS256","kid":"`+a.kid+`","crit":["x"],"x":1}`, good), "", oidcErrNotJWT},
		{"header b64 false", oidcRawRS256(a.key, `{"alg":"RS256","kid":"`+a.kid+`","b64":false,"crit":["b64"]}`, good), "", oidcErrNotJWT},
		{"payload duplicate sub", oidcRawRS256(a.key, hdr, strings.Replace(good, `"sub":`, `"sub":"repo:evil/x","sub":`, 1)), "", oidcErrNotJWT},
		{"payload nested duplicate tag", a.Sign([]byte(strings.Replace(good, `{`, `{"https://aws.amazon.com/tags":{"principal_tags":{"A":["1"],"A":["2"]}},`, 1))), "", oidcErrNotJWT},
		{"payload not JSON", a.Sign([]byte("hello")), "", oidcErrNotJWT},
		{"payload a JSON array", a.Sign([]byte(`[` + good + `]`)), "", oidcErrNotJWT},
		{"payload with trailing data", a.Sign([]byte(good + `{}`)), "", oidcErrNotJWT},
		{"payload nested 40 deep", a.Sign([]byte(strings.Replace(good, `{`, `{"deep":`+deep+`,`, 1))), "", oidcErrNotJWT},
		// Strict JSON is UTF-8 (RFC 8259 §8.1); encoding/json alone would turn
		// the bad bytes into U+FFFD and accept the token.
		{"payload with invalid UTF-8 in sub", a.Sign([]byte(strings.Replace(good, `"sub":"`, "\"sub\":\"\xff", 1))), "", oidcErrNotJWT},
		{"payload with invalid UTF-8 in an unread claim", a.Sign([]byte(strings.Replace(good, `{`, "{\"x\":\"\xc3\x28\",", 1))), "", oidcErrNotJWT},
		{"payload with a truncated UTF-8 sequence", a.Sign([]byte(strings.Replace(good, `{`, "{\"x\":\"\xe2\x82\",", 1))), "", oidcErrNotJWT},
		{"payload with an encoded surrogate", a.Sign([]byte(strings.Replace(good, `{`, "{\"x\":\"\xed\xa0\x80\",", 1))), "", oidcErrNotJWT},
		{"header with invalid UTF-8", oidcRawRS256(a.key, "{\"alg\":\"RS256\",\"kid\":\""+a.kid+"\",\"x\":\"\xff\"}", good), "", oidcErrNotJWT},

		// Signature.
		{"payload changed after signing", tampered, "", oidcErrSignature},
		{"signature truncated", parts[0] + "." + parts[1] + "." + parts[2][:40], "", oidcErrSignature},

		// Time (behaviour §11.3).
		{"expired one second ago", sign(map[string]any{"exp": oidcT0.Unix() - 1}), "",
			verr("ExpiredTokenException", "Token expired: current date/time "+now+" must be before the expiration date/time 1772366399")},
		{"exp equal to now is expired", sign(map[string]any{"exp": oidcT0.Unix()}), "",
			verr("ExpiredTokenException", "Token expired: current date/time "+now+" must be before the expiration date/time "+now)},
		{"nbf one second ahead", sign(map[string]any{"nbf": oidcT0.Unix() + 1}), "",
			oidcErrInvalid("Token not yet valid: current date/time " + now + " is before the not-before date/time 1772366401")},
		{"iat beyond the five-minute skew", sign(map[string]any{"iat": oidcT0.Unix() + 301}), "",
			oidcErrInvalid("Token issued in the future: issue date/time 1772366701 is after current date/time " + now)},

		// Audience (behaviour §11.3).
		{"wrong aud", sign(map[string]any{"aud": "other"}), "", oidcErrAudience},
		{"aud array without a client ID", sign(map[string]any{"aud": []string{"x", "y"}}), "", oidcErrAudience},
		{"azp wins over a matching aud", sign(map[string]any{"azp": "other"}), "", oidcErrAudience},

		// Required claims and types.
		{"missing sub", sign(map[string]any{"sub": nil}), "", oidcErrInvalid("Missing required claim: sub")},
		{"missing iss", sign(map[string]any{"iss": nil}), "", oidcErrInvalid("Missing required claim: iss")},
		{"missing aud", sign(map[string]any{"aud": nil}), "", oidcErrInvalid("Missing required claim: aud")},
		{"missing exp", sign(map[string]any{"exp": nil}), "", oidcErrInvalid("Missing required claim: exp")},
		{"exp as a string", sign(map[string]any{"exp": "1772370000"}), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp with a fraction", sign(map[string]any{"exp": 1772370000.5}), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp in exponent form", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":1.77237e9`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp beyond int64", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":99999999999999999999999`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp 1e300", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":1e300`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp -1e300", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":-1e300`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		{"exp 2^63", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":9223372036854775808`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer")},
		// Dates beyond year 9999 (or before year 1) fit int64 but not
		// time.Time: 2^63-1 seconds wrapped to a date in the past.
		{"exp 2^63-1", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":9223372036854775807`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer from -62135596800 to 253402300799")},
		{"exp one second after year 9999", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":253402300800`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer from -62135596800 to 253402300799")},
		{"exp 1e15 written out", a.Sign([]byte(strings.Replace(good, `"exp":1772370000`, `"exp":1000000000000000`, 1))), "", oidcErrInvalid("Invalid claim exp: must be an integer from -62135596800 to 253402300799")},
		{"iat -2^63", sign(map[string]any{"iat": int64(math.MinInt64)}), "", oidcErrInvalid("Invalid claim iat: must be an integer from -62135596800 to 253402300799")},
		{"iat one second before year 1", sign(map[string]any{"iat": int64(-62135596801)}), "", oidcErrInvalid("Invalid claim iat: must be an integer from -62135596800 to 253402300799")},
		{"iat -1e300", a.Sign([]byte(strings.Replace(good, `"iat":1772366400`, `"iat":-1e300`, 1))), "", oidcErrInvalid("Invalid claim iat: must be an integer")},
		{"nbf -2^63", sign(map[string]any{"nbf": int64(math.MinInt64)}), "", oidcErrInvalid("Invalid claim nbf: must be an integer from -62135596800 to 253402300799")},
		{"iat as a string", sign(map[string]any{"iat": "now"}), "", oidcErrInvalid("Invalid claim iat: must be an integer")},
		{"nbf as a bool", sign(map[string]any{"nbf": true}), "", oidcErrInvalid("Invalid claim nbf: must be an integer")},
		{"aud as a number", sign(map[string]any{"aud": 42}), "", oidcErrInvalid("Invalid claim aud: must be a string or an array of strings")},
		{"aud empty array", sign(map[string]any{"aud": []string{}}), "", oidcErrInvalid("Invalid claim aud: must be a string or an array of strings")},
		{"aud array with a number", sign(map[string]any{"aud": []any{oidcTestAud, 1}}), "", oidcErrInvalid("Invalid claim aud: must be a string or an array of strings")},
		{"aud empty string", sign(map[string]any{"aud": ""}), "", oidcErrInvalid("Invalid claim aud: must be a string or an array of strings")},
		{"sub as a number", sign(map[string]any{"sub": 12345}), "", oidcErrInvalid("Invalid claim sub: must be a non-empty string")},
		{"sub empty", sign(map[string]any{"sub": ""}), "", oidcErrInvalid("Invalid claim sub: must be a non-empty string")},
		{"iss null", a.Sign([]byte(strings.Replace(good, `"iss":"`+oidcTestURL+`"`, `"iss":null`, 1))), "", oidcErrInvalid("Invalid claim iss: must be a non-empty string")},
		{"azp as a number", sign(map[string]any{"azp": 1}), "", oidcErrInvalid("Invalid claim azp: must be a non-empty string")},
		{"amr as a string", sign(map[string]any{"amr": "mfa"}), "", oidcErrInvalid("Invalid claim amr: must be an array of strings")},

		// Session tags (behaviour §7) and source identity (behaviour §8).
		{"tags claim a string", sign(map[string]any{oidcClaimTags: "A=1"}), "", oidcErrTags},
		{"tag value a plain string", sign(map[string]any{oidcClaimTags: map[string]any{"principal_tags": map[string]any{"A": "1"}}}), "", oidcErrTags},
		{"tag with two values", sign(map[string]any{oidcClaimTags: map[string]any{"principal_tags": map[string]any{"A": []string{"1", "2"}}}}), "", oidcErrTags},
		{"tag value a number", sign(map[string]any{oidcClaimTags: map[string]any{"principal_tags": map[string]any{"A": []any{1}}}}), "", oidcErrTags},
		{"principal_tags an array", sign(map[string]any{oidcClaimTags: map[string]any{"principal_tags": []string{"A"}}}), "", oidcErrTags},
		{"transitive keys a string", sign(map[string]any{oidcClaimTags: map[string]any{"transitive_tag_keys": "A"}}), "", oidcErrTags},
		{"transitive key a number", sign(map[string]any{oidcClaimTags: map[string]any{"transitive_tag_keys": []any{1}}}), "", oidcErrTags},
		{"unknown member in the tags claim", sign(map[string]any{oidcClaimTags: map[string]any{"request_tags": map[string]any{}}}), "", oidcErrTags},
		{"source identity of one character", sign(map[string]any{oidcClaimSourceIdentity: "a"}), "", oidcErrSourceID},
		{"source identity of 65 characters", sign(map[string]any{oidcClaimSourceIdentity: strings.Repeat("a", 65)}), "", oidcErrSourceID},
		{"source identity starting with aws:", sign(map[string]any{oidcClaimSourceIdentity: "aws:alice"}), "", oidcErrSourceID},
		{"source identity with a space", sign(map[string]any{oidcClaimSourceIdentity: "alice smith"}), "", oidcErrSourceID},
		{"source identity a number", sign(map[string]any{oidcClaimSourceIdentity: 12}), "", oidcErrSourceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := a.JWKS()
			if tt.keys != "" {
				keys = []byte(tt.keys)
			}
			id, err := fedverify.VerifyWebIdentityToken(tt.token, oidcCheck(keys))
			if err == nil {
				t.Fatalf("token accepted: %+v", id)
			}
			oidcWantErr(t, err, tt.want)
		})
	}
}
