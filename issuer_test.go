package fakests

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// relyingParty is an external service that trusts an AWS account's issuer:
// it knows the issuer URL and nothing of fakests, fetches the discovery
// document and the key set over HTTPS with net/http, and verifies tokens
// with go-jose. Its transport dials the test server for every host, as DNS
// would send the issuer's host to AWS.
type relyingParty struct {
	client *http.Client
}

// newRelyingParty returns a relying party whose HTTP requests reach srv.
func newRelyingParty(t *testing.T, srv *httptest.Server) *relyingParty {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
		},
		// The test server's certificate names example.com; the request's
		// Host header still names the issuer.
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "example.com"},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &relyingParty{client: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// get fetches a URL and returns the response and its body.
func (rp *relyingParty) get(t *testing.T, method, u string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rp.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// keys discovers the issuer's key set from the issuer URL alone.
func (rp *relyingParty) keys(t *testing.T, issuer string) *jose.JSONWebKeySet {
	t.Helper()
	resp, body := rp.get(t, http.MethodGet, issuer+"/.well-known/openid-configuration")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery: %s\n%s", resp.Status, body)
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &disc); err != nil || disc.Issuer != issuer {
		t.Fatalf("discovery document %s: %v (issuer %q, want %q)", body, err, disc.Issuer, issuer)
	}
	resp, body = rp.get(t, http.MethodGet, disc.JWKSURI)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("key set: %s\n%s", resp.Status, body)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("key set %s: %v", body, err)
	}
	return &set
}

// verify checks token's signature against the issuer's keys and its iss,
// aud and times at now; it returns the claims.
func (rp *relyingParty) verify(t *testing.T, issuer, token, audience string, now time.Time) (map[string]any, error) {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256, jose.ES384})
	if err != nil {
		return nil, err
	}
	var std jwt.Claims
	var all map[string]any
	if err := tok.Claims(rp.keys(t, issuer), &std, &all); err != nil {
		return nil, err
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: issuer, AnyAudience: jwt.Audience{audience}, Time: now}, 0); err != nil {
		return nil, err
	}
	return all, nil
}

// TestIssuerDocuments pins what the issuer serves through the Handler
// (behaviour §16): AWS's discovery document and a key set of two keys with
// kid, alg and use, both still served after a disable; nothing of it for a
// host that is no issuer's.
func TestIssuerDocuments(t *testing.T) {
	e, _ := newTestEngine(t)
	iss, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(e.Handler())
	defer srv.Close()
	rp := newRelyingParty(t, srv)

	resp, disc := rp.get(t, http.MethodGet, iss+"/.well-known/openid-configuration")
	wantDisc := `{"claims_supported":["sub","iss","aud","exp","iat","jti","https://sts.amazonaws.com/"],"id_token_signing_alg_values_supported":["RS256","ES384"],` +
		`"issuer":"` + iss + `","jwks_uri":"` + iss + `/.well-known/jwks.json","response_types_supported":["id_token"],"subject_types_supported":["public"]}`
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || string(disc) != wantDisc {
		t.Errorf("discovery: %s %s\n got %s\nwant %s", resp.Status, resp.Header.Get("Content-Type"), disc, wantDisc)
	}

	resp, jwks := rp.get(t, http.MethodGet, iss+"/.well-known/jwks.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("key set: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil || len(set.Keys) != 2 {
		t.Fatalf("key set %s: %v; want two keys", jwks, err)
	}
	rsaKey, ecKey := set.Keys[0], set.Keys[1]
	for _, c := range []struct {
		key                   map[string]string
		members               string
		kty, kid, alg, crv, e string
	}{
		{rsaKey, "alg e kid kty n use", "RSA", "RSA_0", "RS256", "", "AQAB"},
		{ecKey, "alg crv kid kty use x y", "EC", "EC384_0", "ES384", "P-384", ""},
	} {
		var names []string
		for k := range c.key {
			names = append(names, k)
		}
		if got := strings.Join(sortedStrings(names), " "); got != c.members {
			t.Errorf("key %s has members %s, want %s", c.key["kid"], got, c.members)
		}
		if c.key["kty"] != c.kty || c.key["kid"] != c.kid || c.key["alg"] != c.alg || c.key["use"] != "sig" || c.key["crv"] != c.crv || c.key["e"] != c.e {
			t.Errorf("key %v, want kty %s kid %s alg %s use sig crv %q e %q", c.key, c.kty, c.kid, c.alg, c.crv, c.e)
		}
	}
	for name, want := range map[string]int{"n": 256, "x": 48, "y": 48} {
		k := rsaKey
		if name != "n" {
			k = ecKey
		}
		if b, err := base64.RawURLEncoding.DecodeString(k[name]); err != nil || len(b) != want {
			t.Errorf("%s: %d bytes (%v), want %d", name, len(b), err, want)
		}
	}
	// Members in alphabetical order, as AWS serves them.
	for _, prefix := range []string{`{"keys":[{"alg":"RS256","e":"AQAB","kid":"RSA_0","kty":"RSA","n":"`, `"use":"sig"},{"alg":"ES384","crv":"P-384","kid":"EC384_0","kty":"EC","use":"sig","x":"`} {
		if !strings.Contains(string(jwks), prefix) {
			t.Errorf("key set %s lacks %s", jwks, prefix)
		}
	}

	// HEAD is served without a body; other methods are refused.
	if resp, body := rp.get(t, http.MethodHead, iss+"/.well-known/jwks.json"); resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD: %s, %d bytes", resp.Status, len(body))
	}
	if resp, _ := rp.get(t, http.MethodPost, iss+"/.well-known/jwks.json"); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %s, Allow %q", resp.Status, resp.Header.Get("Allow"))
	}

	// Still served after a disable, unchanged (stackd's jwks_after_disable).
	if err := e.DisableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	if resp, again := rp.get(t, http.MethodGet, iss+"/.well-known/jwks.json"); resp.StatusCode != 200 || string(again) != string(jwks) {
		t.Errorf("key set after disable: %s\n%s\nwant the same as before", resp.Status, again)
	}

	// The documents are served whatever the Handler's mount point, to the
	// issuer's host only; another host's request is an STS request.
	mux := http.NewServeMux()
	mux.Handle("/sts/", e.Handler())
	host := strings.TrimPrefix(iss, "https://")
	for _, c := range []struct {
		host, path string
		want       int
		ctype      string
	}{
		{host, "/sts/.well-known/jwks.json", 200, "application/json"},
		{strings.ToUpper(host) + ":443", "/sts/.well-known/openid-configuration", 200, "application/json"},
		{"sts.us-east-1.amazonaws.com", "/sts/.well-known/jwks.json", 400, "text/xml"},
		{"00000000-0000-4000-8000-000000000000.tokens.sts.global.api.aws", "/sts/.well-known/jwks.json", 400, "text/xml"},
	} {
		r := httptest.NewRequest(http.MethodGet, "https://"+c.host+c.path, nil)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		if rec.Code != c.want || rec.Header().Get("Content-Type") != c.ctype {
			t.Errorf("GET %s%s: %d %s, want %d %s\n%s", c.host, c.path, rec.Code, rec.Header().Get("Content-Type"), c.want, c.ctype, rec.Body)
		}
	}
}

// sortedStrings returns ss sorted.
func sortedStrings(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

// TestIssuerVerifiesTokens: tokens from both paths and both algorithms
// verify with go-jose against the key set the relying party discovers from
// the issuer URL alone, keep verifying after the feature is turned off,
// and are refused when altered or checked against another account's
// issuer (behaviour §16).
func TestIssuerVerifiesTokens(t *testing.T) {
	e, clk := newTestEngine(t)
	iss, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		t.Fatal(err)
	}
	otherIss, err := e.EnableOutboundWebIdentityFederation("210987654321")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(e.Handler())
	defer srv.Close()
	rp := newRelyingParty(t, srv)
	const aud = "https://api.example.com"

	var tokens []string
	for _, p := range paths(e) {
		for _, alg := range []string{"RS256", "ES384"} {
			api, ctx := p.api(e.DefaultUser().Credentials)
			out, err := api.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{Audience: []string{aud}, SigningAlgorithm: aws.String(alg)})
			if err != nil {
				t.Fatalf("%s %s: %v", p.name, alg, err)
			}
			tokens = append(tokens, aws.ToString(out.WebIdentityToken))
			claims, err := rp.verify(t, iss, aws.ToString(out.WebIdentityToken), aud, clk.Now())
			if err != nil {
				t.Errorf("%s %s: %v", p.name, alg, err)
				continue
			}
			if claims["sub"] != "arn:aws:iam::123456789012:user/fakests-default" {
				t.Errorf("%s %s: sub %v", p.name, alg, claims["sub"])
			}
		}
	}

	if err := e.DisableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	for i, tok := range tokens {
		if _, err := rp.verify(t, iss, tok, aud, clk.Now()); err != nil {
			t.Errorf("token %d after disable: %v", i, err)
		}
		// Altered: another audience in the payload, the signature kept.
		parts := strings.Split(tok, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), aud, "https://api.example.org", 1))) + "." + parts[2]
		if _, err := rp.verify(t, iss, forged, "https://api.example.org", clk.Now()); err == nil {
			t.Errorf("token %d verifies with an altered payload", i)
		}
		// Another account's issuer has keys of its own.
		if _, err := rp.verify(t, otherIss, tok, aud, clk.Now()); err == nil {
			t.Errorf("token %d verifies against another account's issuer", i)
		}
	}
	// Expired on the engine clock, the relying party refuses it.
	clk.Advance(301 * time.Second)
	if _, err := rp.verify(t, iss, tokens[0], aud, clk.Now()); err == nil {
		t.Error("an expired token verifies")
	}
}
