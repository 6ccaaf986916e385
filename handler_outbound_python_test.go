package fakests

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHandlerBoto3Outbound runs GetWebIdentityToken, GetDelegatedAccessToken
// and the issuer's documents through botocore and urllib against the
// Handler (boto_outbound.py): what botocore parses of the tokens and of
// Expiration's milliseconds, the model's null for members botocore sends
// only without its own validation, the typed errors' wire form, and the
// issuer documents fetched by Host (behaviour §11.8, §11.11, §16).
func TestHandlerBoto3Outbound(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	clk.Advance(507 * time.Millisecond)
	iss, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, e, UserSpec{Path: "/org-access/", Name: "py-outbound", Policies: []string{adminPolicy}, Tags: map[string]string{"Team": "platform"}})
	other := mustUser(t, e, UserSpec{Account: "210987654321", Name: "py-other", Policies: []string{adminPolicy}})
	tradeIn, err := e.CreateDelegation(DelegationSpec{Principal: u.ARN, Policy: delegatedS3Read, SessionDuration: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	expiredTradeIn, err := e.CreateDelegation(DelegationSpec{Principal: u.ARN, TokenLifetime: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Nanosecond)

	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	host := strings.TrimPrefix(iss, "https://")
	var got map[string]pyOutcome
	handlerRunPython(t, "boto_outbound.py", map[string]string{
		"FAKESTS_ENDPOINT":         srv.URL,
		"FAKESTS_USER_AKID":        u.Credentials.AccessKeyID,
		"FAKESTS_USER_SECRET":      u.Credentials.SecretAccessKey,
		"FAKESTS_OTHER_AKID":       other.Credentials.AccessKeyID,
		"FAKESTS_OTHER_SECRET":     other.Credentials.SecretAccessKey,
		"FAKESTS_TRADE_IN":         tradeIn,
		"FAKESTS_EXPIRED_TRADE_IN": expiredTradeIn,
		"FAKESTS_ISSUER_HOST":      host,
	}, &got)

	iat := float64(testEpoch.Unix())
	userARN := "arn:aws:iam::123456789012:user/org-access/py-outbound"
	token := func(header string, sig float64) pyOutcome {
		return pyOutcome{OK: map[string]any{
			"Header": header,
			"Claims": map[string]any{
				"aud": "https://api.example.com", "sub": userARN, "iss": iss, "iat": iat, "exp": iat + 60, "jti": true,
				"https://sts.amazonaws.com/": map[string]any{"aws_account": "123456789012", "source_region": "us-east-1",
					"principal_id": userARN, "principal_tags": map[string]any{"Team": "platform"}},
			},
			"SignatureBytes": sig,
			// botocore keeps the milliseconds AWS sends (stackd
			// iam/outbound_issuance.json Expiration "...46.507Z").
			"Expiration":             "2030-06-01T12:01:00.507000+00:00",
			"HTTPStatusCode":         200.0,
			"RequestIdMatchesHeader": true,
		}}
	}
	fail := func(code, msg string, status float64) pyOutcome {
		return pyOutcome{Error: map[string]any{"Type": "Sender", "Code": code, "Message": msg, "HTTPStatusCode": status}}
	}
	want := map[string]pyOutcome{
		"Token.RS256":      token(`{"kid":"RSA_0","typ":"JWT","alg":"RS256"}`, 256),
		"Token.ES384":      token(`{"kid":"EC384_0","typ":"JWT","alg":"ES384"}`, 96),
		"MissingAlgorithm": fail("ValidationError", "1 validation error detected: Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null", 400),
		"EmptyAudience":    fail("ValidationError", "1 validation error detected: Value null at 'audience' failed to satisfy constraint: Member must not be null", 400),
		"Disabled":         fail("OutboundWebIdentityFederationDisabledException", "OutboundWebIdentityFederation is disabled.", 403),
		"Delegated": {OK: map[string]any{"AssumedPrincipal": userARN, "AccessKeyIdPrefix": "ASIA",
			"Expiration": testEpoch.Add(2 * time.Hour).Format("2006-01-02T15:04:05+00:00"), "HasPackedPolicySize": false,
			"HTTPStatusCode": 200.0, "RequestIdMatchesHeader": true}},
		"DelegatedAgain":   fail("InvalidParameterValue", "The trade-in token is not valid.", 400),
		"DelegatedExpired": fail("ExpiredTradeInTokenException", "The trade-in token has expired.", 400),
		"MissingTradeIn":   fail("ValidationError", "1 validation error detected: Value null at 'tradeInToken' failed to satisfy constraint: Member must not be null", 400),
		"Discovery": {OK: map[string]any{"Status": 200.0, "ContentType": "application/json", "Body": map[string]any{
			"claims_supported":                      []any{"sub", "iss", "aud", "exp", "iat", "jti", "https://sts.amazonaws.com/"},
			"id_token_signing_alg_values_supported": []any{"RS256", "ES384"},
			"issuer":                                iss, "jwks_uri": iss + "/.well-known/jwks.json",
			"response_types_supported": []any{"id_token"}, "subject_types_supported": []any{"public"},
		}}},
		"JWKS": {OK: map[string]any{"Status": 200.0, "ContentType": "application/json", "Body": []any{
			[]any{"RSA_0", "RSA", "RS256", "sig"}, []any{"EC384_0", "EC", "ES384", "sig"},
		}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boto3 results (-want +got):\n%s", diff)
	}
}
