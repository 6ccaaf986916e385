package fedverify_test

import (
	"errors"
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/federation"
	"github.com/fakests/fakests/internal/fedverify"
)

// oidcFuzzSeeds are hand-written hostile shapes shared by both fuzz targets.
var oidcFuzzSeeds = []string{
	"",
	".",
	"..",
	"...",
	"e30.e30.AA",
	"eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL3gifQ.",
	"eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3gifQ.AAAA",
	"eyJhbGciOiJSUzI1NiJ9.W3siaXNzIjoxfV0.AA",
	"eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.eyJpc3MiOiJhIiwiaXNzIjoiYiJ9.AA",
	"ya29.a0AfH6SMB",
}

// oidcFuzzCheck fails unless err is nil or a *apierror.Error with a known code.
func oidcFuzzCheck(t *testing.T, err error) {
	if err == nil {
		return
	}
	var ve *apierror.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *apierror.Error", err, err)
	}
	if ve.Code != "InvalidIdentityToken" && ve.Code != "ExpiredTokenException" {
		t.Fatalf("unexpected code %q", ve.Code)
	}
}

// FuzzVerifyWebIdentityToken feeds hostile tokens and key sets to the
// verifier: it must never panic, and must fail only with *apierror.Error. The
// committed corpus holds real tokens with their JWKS, so mutations start
// from inputs that reach the signature and claim checks.
func FuzzVerifyWebIdentityToken(f *testing.F) {
	iss := federation.NewOIDCIssuer(oidcTestURL, federation.WithAlgorithm("ES256"), federation.WithIssuerClock(oidcFixedClock(oidcT0)))
	jwks := iss.JWKS()
	f.Add(iss.Token(oidcBasicClaims()), jwks)
	f.Add(iss.Token(federation.Claims{Subject: "s", Audience: []string{"x", oidcTestAud}, AuthorizedParty: oidcTestAud,
		Extra: map[string]any{oidcClaimTags: map[string]any{"principal_tags": map[string]any{"A": []string{"1"}},
			"transitive_tag_keys": []string{"A"}}, oidcClaimSourceIdentity: "alice", "amr": []string{"mfa"}}}), jwks)
	f.Add(iss.Sign([]byte(`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":"1"}`)), jwks)
	// Dates at and beyond the edges of what time.Time holds, and payloads
	// that are not UTF-8 (issue 11).
	for _, claims := range []string{
		`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":253402300799,"iat":-62135596800,"nbf":-62135596800}`,
		`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":9223372036854775807}`,
		`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":2000000000,"iat":-9223372036854775808}`,
		`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":1e300,"iat":-1e300}`,
		`{"iss":"a","sub":"b","aud":"sts.amazonaws.com","exp":9223372036854775808}`,
		"{\"iss\":\"a\",\"sub\":\"b\xff\",\"aud\":\"sts.amazonaws.com\",\"exp\":2000000000}",
		"{\"iss\":\"a\",\"sub\":\"b\",\"aud\":\"sts.amazonaws.com\",\"exp\":2000000000,\"x\":\"\xed\xa0\x80\"}",
	} {
		f.Add(iss.Sign([]byte(claims)), jwks)
	}
	for _, s := range oidcFuzzSeeds {
		f.Add(s, jwks)
		f.Add(s, []byte(`{"keys":[{"kty":"oct","k":"AA"}]}`))
	}
	f.Fuzz(func(t *testing.T, token string, keys []byte) {
		id, err := fedverify.VerifyWebIdentityToken(token, oidcCheck(keys))
		oidcFuzzCheck(t, err)
		if err == nil && (id == nil || id.Subject == "" || id.Audience != oidcTestAud) {
			t.Fatalf("accepted token yields identity %+v", id)
		}
		if err != nil {
			return
		}
		// Accepted dates are years 1 to 9999 and say what the token says.
		for name, tm := range map[string]time.Time{"exp": id.Expiry, "iat": id.IssuedAt} {
			if tm.IsZero() && name == "iat" {
				continue
			}
			if y := tm.UTC().Year(); y < 1 || y > 9999 || fmt.Sprint(tm.Unix()) != fmt.Sprint(id.Claims[name]) {
				t.Fatalf("%s %v (year %d) from claim %v", name, tm, y, id.Claims[name])
			}
		}
		if !oidcAllUTF8(id.Claims) {
			t.Fatalf("accepted claims hold invalid UTF-8: %q", id.Claims)
		}
	})
}

// oidcAllUTF8 reports whether every string in a decoded JSON value, keys
// included, is valid UTF-8.
func oidcAllUTF8(v any) bool {
	switch v := v.(type) {
	case string:
		return utf8.ValidString(v)
	case []any:
		for _, e := range v {
			if !oidcAllUTF8(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range v {
			if !utf8.ValidString(k) || !oidcAllUTF8(e) {
				return false
			}
		}
	}
	return true
}

// FuzzPeekIssuer feeds hostile tokens to PeekIssuer: no panic, *apierror.Error
// only, and a non-empty issuer on success.
func FuzzPeekIssuer(f *testing.F) {
	iss := federation.NewOIDCIssuer(oidcTestURL, federation.WithAlgorithm("ES256"))
	f.Add(iss.Token(oidcBasicClaims()))
	for _, s := range oidcFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got, err := fedverify.PeekIssuer(token)
		oidcFuzzCheck(t, err)
		if err == nil && got == "" {
			t.Fatal("empty issuer without error")
		}
	})
}
