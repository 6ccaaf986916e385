// Command outbound-token plays AWS IAM outbound identity federation against
// a fakests engine: an account turns the feature on, a workload (a role
// session, through a real *sts.Client) asks GetWebIdentityToken for a JWT
// meant for an external service, and the external service verifies the
// token knowing only the account's issuer URL: it fetches the issuer's
// OpenID discovery document and key set over HTTPS, served by the engine's
// Handler, and checks signature, issuer, audience and expiry with go-jose.
//
//	go run ./examples/outbound-token
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const audience = "https://api.example.com"

func main() {
	ctx := context.Background()
	e := fakests.New(fakests.Strict())

	// The account turns outbound identity federation on (IAM's
	// EnableOutboundWebIdentityFederation) and learns its issuer.
	issuer, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issuer:     ", issuer)

	// A workload runs as a role allowed to ask for tokens meant for one
	// audience only.
	admin, err := e.CreateUser(fakests.UserSpec{Name: "admin", Policies: []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`}})
	if err != nil {
		log.Fatal(err)
	}
	role, err := e.CreateRole(fakests.RoleSpec{Path: "/workloads/", Name: "billing-export",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + admin.ARN + `"},"Action":"sts:AssumeRole"}]}`,
		Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*",
			"Condition":{"ForAllValues:StringEquals":{"sts:IdentityTokenAudience":"` + audience + `"},"NumericLessThanEquals":{"sts:DurationSeconds":300}}}]}`},
		Tags: map[string]string{"team": "billing"}})
	if err != nil {
		log.Fatal(err)
	}
	session, err := sts.NewFromConfig(e.Config(admin.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("export-job")})
	if err != nil {
		log.Fatal(err)
	}
	c := session.Credentials
	workload := sts.NewFromConfig(e.Config(aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}))

	out, err := workload.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{
		Audience:         []string{audience},
		SigningAlgorithm: aws.String("ES384"),
	})
	if err != nil {
		log.Fatal(err)
	}
	token := aws.ToString(out.WebIdentityToken)
	fmt.Println("token:      ", token[:40]+"…", "("+fmt.Sprint(len(token)), "bytes)")
	fmt.Println("expires:    ", out.Expiration.UTC().Format(time.RFC3339Nano))

	// Another audience is refused by the role's policy, with AWS's reason.
	_, err = workload.GetWebIdentityToken(ctx, &sts.GetWebIdentityTokenInput{
		Audience: []string{"https://elsewhere.example.com"}, SigningAlgorithm: aws.String("ES384")})
	fmt.Println("elsewhere:  ", err)

	// The external service. It reaches the issuer's host over HTTPS; here
	// the engine's Handler answers for it, as AWS's issuer would.
	srv := httptest.NewTLSServer(e.Handler())
	defer srv.Close()
	claims, err := verify(relyingPartyClient(srv), issuer, token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:    sub", claims["sub"], "aud", claims["aud"])
	// The claims as signed, in the order AWS writes them.
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	fmt.Println("claims:     ", string(payload))
}

// relyingPartyClient is the external service's HTTP client: a plain
// net/http client whose connections, for any host, reach the test server
// (as DNS would reach AWS for the issuer's host), trusting its certificate.
func relyingPartyClient(srv *httptest.Server) *http.Client {
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
		},
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "example.com"},
	}}
}

// verify is all the external service does, knowing only the issuer URL:
// discovery document, key set, signature and claims.
func verify(client *http.Client, issuer, token string) (map[string]any, error) {
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(client, issuer+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if disc.Issuer != issuer {
		return nil, fmt.Errorf("discovery names issuer %q, want %q", disc.Issuer, issuer)
	}
	var keys jose.JSONWebKeySet
	if err := getJSON(client, disc.JWKSURI, &keys); err != nil {
		return nil, err
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256, jose.ES384})
	if err != nil {
		return nil, err
	}
	var std jwt.Claims
	var all map[string]any
	if err := tok.Claims(keys, &std, &all); err != nil {
		return nil, err
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: issuer, AnyAudience: jwt.Audience{audience}}, 0); err != nil {
		return nil, err
	}
	return all, nil
}

// getJSON fetches url and decodes its JSON body into v.
func getJSON(client *http.Client, url string, v any) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.Unmarshal(body, v)
}
