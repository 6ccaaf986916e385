package fakests

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/tags"
	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

// This file replays the tokens of radkawar/stackd's
// iam/outbound_issuance.json, recorded with outbound identity federation on:
// the header, the claims byte for byte (the order of every object
// included), the signature sizes, Expiration, and the payload limit
// (behaviour §11.11, §16). The capture's account is in an organization,
// directly under its root; so is the account here (CreateOrganization), and
// the expected claims are the recorded ones with this organization's IDs.

const srcOutboundIssuance = srcStackd + "iam/outbound_issuance.json "

// jtiRE is the shape of a token's jti: a random UUID.
var jtiRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// jwtParts splits a compact JWS into its decoded header, payload and
// signature.
func jwtParts(t *testing.T, token string) (header, payload, sig []byte) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %q", len(parts), token)
	}
	var out [3][]byte
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			t.Fatalf("token part %d is not base64url without padding: %v", i, err)
		}
		out[i] = b
	}
	return out[0], out[1], out[2]
}

// jtiOf returns the jti of a claims JSON, checking its shape.
func jtiOf(t *testing.T, claims []byte) string {
	t.Helper()
	m := regexp.MustCompile(`"jti":"([^"]*)"}$`).FindSubmatch(claims)
	if m == nil || !jtiRE.Match(m[1]) {
		t.Fatalf("claims end without a UUID jti: %s", claims)
	}
	return string(m[1])
}

// issuerWorld is outboundWorld with the feature on and the capture's
// issuing user and tagged role.
type issuerWorld struct {
	*outboundWorld
	issuer string
	org    *Organization
	user   *User
	role   *Role
}

// newIssuerWorld turns the feature on and makes the capture's issuer user
// (tag Team=platform) and role (tags Team=role, untouched=retained).
func newIssuerWorld(t *testing.T) *issuerWorld {
	t.Helper()
	ow := newOutboundWorld(t)
	iss, err := ow.e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		t.Fatal(err)
	}
	org, err := ow.e.CreateOrganization(OrganizationSpec{ManagementAccount: "123456789012"})
	if err != nil {
		t.Fatal(err)
	}
	w := &issuerWorld{outboundWorld: ow, issuer: iss, org: org}
	w.user = mustUser(t, ow.e, UserSpec{Path: "/org-access/", Name: "stackd-outbound-fixture-issuer",
		Policies: []string{polOutbound}, Tags: map[string]string{"Team": "platform"}})
	w.role = mustRole(t, ow.e, RoleSpec{Path: "/outbound/", Name: "stackd-outbound-fixture-tagged-role",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + ow.owner.ARN + `"},"Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"]}]}`,
		Policies:    []string{polOutbound}, Tags: map[string]string{"Team": "role", "untouched": "retained"}})
	return w
}

// TestOutboundTokenLayout pins the recorded tokens of an IAM user, on both
// paths and with both algorithms: the header, every claim in its order, the
// signature's size, and Expiration with its milliseconds.
func TestOutboundTokenLayout(t *testing.T) {
	w := newIssuerWorld(t)
	w.clk.Advance(507 * time.Millisecond) // Expiration keeps milliseconds, iat and exp do not
	iat := testEpoch.Unix()
	userARN := "arn:aws:iam::123456789012:user/org-access/stackd-outbound-fixture-issuer"
	org := `"org_id":"` + w.org.ID + `"`
	ou := `"ou_path":["` + w.org.ID + `/` + w.org.RootID + `/"]`
	ns := `"https://sts.amazonaws.com/":{` + org + `,"aws_account":"123456789012",` + ou + `,"source_region":"us-east-1","principal_id":"` + userARN + `","principal_tags":{"Team":"platform"}}`
	claims := func(aud string, d int64, namespace string) string {
		return `{"aud":` + aud + `,"sub":"` + userARN + `",` + namespace + `,"iss":"` + w.issuer + `","exp":` +
			strconv.FormatInt(iat+d, 10) + `,"iat":` + strconv.FormatInt(iat, 10) + `,"jti":"%s"}`
	}
	rows := []struct {
		name, alg, header string
		in                *sts.GetWebIdentityTokenInput
		claims            string
		sigLen            int
		d                 time.Duration
	}{
		{"user_rs256", "RS256", `{"kid":"RSA_0","typ":"JWT","alg":"RS256"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(60) }),
			claims(`"https://stackd-outbound.example.invalid"`, 60, ns), 256, time.Minute},
		{"user_es384", "ES384", `{"kid":"EC384_0","typ":"JWT","alg":"ES384"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.DurationSeconds = aws.Int32(60)
				in.SigningAlgorithm = aws.String("ES384")
			}),
			claims(`"https://stackd-outbound.example.invalid"`, 60, ns), 96, time.Minute},
		{"multiple_audience", "RS256", `{"kid":"RSA_0","typ":"JWT","alg":"RS256"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.DurationSeconds = aws.Int32(60)
				in.Audience = []string{"one", "two"}
			}),
			claims(`["one","two"]`, 60, ns), 256, time.Minute},
		{"duplicate_audience", "RS256", `{"kid":"RSA_0","typ":"JWT","alg":"RS256"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.DurationSeconds = aws.Int32(60)
				in.Audience = []string{"one", "one"}
			}),
			claims(`["one","one"]`, 60, ns), 256, time.Minute},
		{"request_tags", "RS256", `{"kid":"RSA_0","typ":"JWT","alg":"RS256"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.DurationSeconds = aws.Int32(60)
				in.Tags = witTags("Team", "request", "aws:test", "reserved")
			}),
			claims(`"https://stackd-outbound.example.invalid"`, 60, `"https://sts.amazonaws.com/":{`+org+`,"aws_account":"123456789012",`+ou+`,"request_tags":{"aws:test":"reserved","Team":"request"},"source_region":"us-east-1","principal_id":"`+userARN+`","principal_tags":{"Team":"platform"}}`),
			256, time.Minute},
		{"default duration of 300 seconds (API reference)", "ES384", `{"kid":"EC384_0","typ":"JWT","alg":"ES384"}`,
			witIn(func(in *sts.GetWebIdentityTokenInput) { in.SigningAlgorithm = aws.String("ES384") }),
			claims(`"https://stackd-outbound.example.invalid"`, 300, ns), 96, 300 * time.Second},
	}
	for _, r := range rows {
		for _, p := range paths(w.e) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.user.Credentials)
				out, err := api.GetWebIdentityToken(ctx, r.in)
				if err != nil {
					t.Fatalf("%s%s: %v", srcOutboundIssuance, r.name, err)
				}
				if want := testEpoch.Add(507*time.Millisecond + r.d); !aws.ToTime(out.Expiration).Equal(want) {
					t.Errorf("Expiration %v, want %v", aws.ToTime(out.Expiration), want)
				}
				header, payload, sig := jwtParts(t, aws.ToString(out.WebIdentityToken))
				if string(header) != r.header {
					t.Errorf("header %s, want %s", header, r.header)
				}
				if want := fmt.Sprintf(r.claims, jtiOf(t, payload)); string(payload) != want {
					t.Errorf("claims\n got %s\nwant %s", payload, want)
				}
				if len(sig) != r.sigLen {
					t.Errorf("signature of %d bytes, want %d", len(sig), r.sigLen)
				}
			})
		}
	}
}

// TestOutboundTokenSessions pins the claims of session callers: a role
// session's sub is the role's ARN with its path, its principal tags are the
// role's overlaid by the session's (the session's spelling wins), and
// sessions add original_session_exp and source_identity; the recorded order
// of the namespace and of fifty request tags (role_payload cases of the
// capture).
func TestOutboundTokenSessions(t *testing.T) {
	w := newIssuerWorld(t)
	role, err := w.e.AssumeRole(typed(w.original), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN), RoleSessionName: aws.String("payload"),
		SourceIdentity: aws.String("probe-source"), DurationSeconds: aws.Int32(900), Tags: witTags("team", "session")})
	if err != nil {
		t.Fatal(err)
	}
	gst, err := w.e.GetSessionToken(typed(w.user.Credentials), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	var fifty []string
	for i := 0; i < 50; i++ {
		fifty = append(fifty, strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	var order []string // the recorded order of the fifty keys
	for _, k := range strings.Fields("44 45 46 47 48 49 10 11 12 13 14 15 16 17 18 19 0 1 2 3 4 5 6 7 8 9 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43") {
		order = append(order, `"`+k+`":"v`+k+`"`)
	}
	iat := testEpoch.Unix()
	roleARN := "arn:aws:iam::123456789012:role/outbound/stackd-outbound-fixture-tagged-role"
	userARN := "arn:aws:iam::123456789012:user/org-access/stackd-outbound-fixture-issuer"
	sessExp := testEpoch.Add(900 * time.Second).Format(time.RFC3339)
	org := `"org_id":"` + w.org.ID + `"`
	ou := `"ou_path":["` + w.org.ID + `/` + w.org.RootID + `/"]`
	rows := []struct {
		name   string
		creds  aws.Credentials
		in     *sts.GetWebIdentityTokenInput
		claims string
	}{
		{"role session with fifty request tags", credsOf(role.Credentials),
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.DurationSeconds = aws.Int32(60)
				in.Tags = witTags(fifty...)
			}),
			`{"aud":"https://stackd-outbound.example.invalid","sub":"` + roleARN + `","https://sts.amazonaws.com/":{"source_identity":"probe-source",` +
				org + `,"aws_account":"123456789012",` + ou + `,"request_tags":{` + strings.Join(order, ",") + `},"original_session_exp":"` + sessExp + `",` +
				`"source_region":"us-east-1","principal_id":"` + roleARN + `","principal_tags":{"untouched":"retained","team":"session"}},` +
				`"iss":"` + w.issuer + `","exp":` + strconv.FormatInt(iat+60, 10) + `,"iat":` + strconv.FormatInt(iat, 10) + `,"jti":"%s"}`},
		{"GetSessionToken session", credsOf(gst.Credentials), witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(60) }),
			`{"aud":"https://stackd-outbound.example.invalid","sub":"` + userARN + `","https://sts.amazonaws.com/":{` + org + `,"aws_account":"123456789012",` +
				ou + `,"original_session_exp":"` + sessExp + `","source_region":"us-east-1","principal_id":"` + userARN + `","principal_tags":{"Team":"platform"}},` +
				`"iss":"` + w.issuer + `","exp":` + strconv.FormatInt(iat+60, 10) + `,"iat":` + strconv.FormatInt(iat, 10) + `,"jti":"%s"}`},
	}
	for _, r := range rows {
		for _, p := range paths(w.e) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(r.creds)
				out, err := api.GetWebIdentityToken(ctx, r.in)
				if err != nil {
					t.Fatal(err)
				}
				_, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken))
				if want := fmt.Sprintf(r.claims, jtiOf(t, payload)); string(payload) != want {
					t.Errorf("claims\n got %s\nwant %s", payload, want)
				}
			})
		}
	}
}

// TestOutboundTokenWithoutOrganization: an account in no organization
// gets no org_id and no ou_path; the other members keep their order.
func TestOutboundTokenWithoutOrganization(t *testing.T) {
	e, _ := newTestEngine(t)
	iss, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, e, UserSpec{Name: "solo", Policies: []string{polOutbound}})
	arn := "arn:aws:iam::123456789012:user/solo"
	iat := strconv.FormatInt(testEpoch.Unix(), 10)
	for _, p := range paths(e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(u.Credentials)
			out, err := api.GetWebIdentityToken(ctx, witIn(nil))
			if err != nil {
				t.Fatal(err)
			}
			_, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken))
			want := `{"aud":"https://stackd-outbound.example.invalid","sub":"` + arn + `","https://sts.amazonaws.com/":{"aws_account":"123456789012",` +
				`"source_region":"us-east-1","principal_id":"` + arn + `"},"iss":"` + iss + `","exp":` + strconv.FormatInt(testEpoch.Unix()+300, 10) +
				`,"iat":` + iat + `,"jti":"` + jtiOf(t, payload) + `"}`
			if string(payload) != want {
				t.Errorf("claims\n got %s\nwant %s", payload, want)
			}
		})
	}
}

// TestOutboundTokenSourceRegion: source_region is the region the request was
// made for (the typed call's sts.Options.Region, the client's signing
// region).
func TestOutboundTokenSourceRegion(t *testing.T) {
	w := newIssuerWorld(t)
	for _, p := range paths(w.e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(w.user.Credentials)
			for _, region := range []string{"us-east-1", "eu-west-2"} {
				out, err := api.GetWebIdentityToken(ctx, witIn(nil), func(o *sts.Options) { o.Region = region })
				if err != nil {
					t.Fatal(err)
				}
				if _, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken)); !strings.Contains(string(payload), `"source_region":"`+region+`"`) {
					t.Errorf("claims %s lack source_region %s", payload, region)
				}
			}
		})
	}
	e, _ := newTestEngine(t, WithRegion("eu-west-2"))
	if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(e) {
		t.Run("eu-west-2/"+p.name, func(t *testing.T) {
			api, ctx := p.api(e.DefaultUser().Credentials)
			out, err := api.GetWebIdentityToken(ctx, witIn(nil))
			if err != nil {
				t.Fatal(err)
			}
			if _, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken)); !strings.Contains(string(payload), `"source_region":"eu-west-2"`) {
				t.Errorf("claims %s lack source_region eu-west-2", payload)
			}
		})
	}
}

// TestOutboundPayloadLimit pins the limit on the claims: 14,984 bytes of
// JSON are signed, one more is JWTPayloadSizeExceededException (the
// capture's role_payload cases); bytes are counted after JSON escaping and
// in UTF-8 (the capture's limit held with Unicode and escaped quotes).
func TestOutboundPayloadLimit(t *testing.T) {
	w := newIssuerWorld(t)
	// Ten audiences with quotes and two-byte characters, and tags; the last
	// tag's value is sized so that the claims come to exactly n bytes.
	request := func(pad int) *sts.GetWebIdentityTokenInput {
		in := witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(60) })
		in.Audience = nil
		for i := 0; i < 10; i++ {
			in.Audience = append(in.Audience, strconv.Itoa(i)+`"quoted" é `+strings.Repeat("a", 900))
		}
		for i := 0; i < 24; i++ {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String("tag" + strconv.Itoa(i)), Value: aws.String(strings.Repeat("v", 200))})
		}
		in.Tags = append(in.Tags, types.Tag{Key: aws.String("pad"), Value: aws.String(strings.Repeat("p", pad))})
		return in
	}
	out, err := w.e.GetWebIdentityToken(typed(w.user.Credentials), request(0))
	if err != nil {
		t.Fatal(err)
	}
	_, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken))
	pad := 14984 - len(payload)
	if pad < 0 || pad > 256 {
		t.Fatalf("base payload of %d bytes leaves %d to pad", len(payload), pad)
	}
	for _, p := range paths(w.e) {
		t.Run("14984 bytes/"+p.name, func(t *testing.T) {
			api, ctx := p.api(w.user.Credentials)
			out, err := api.GetWebIdentityToken(ctx, request(pad))
			if err != nil {
				t.Fatalf("%srole_payload_exact: %v", srcOutboundIssuance, err)
			}
			if _, payload, _ := jwtParts(t, aws.ToString(out.WebIdentityToken)); len(payload) != 14984 {
				t.Errorf("payload of %d bytes, want 14984", len(payload))
			}
		})
		t.Run("14985 bytes/"+p.name, func(t *testing.T) {
			api, ctx := p.api(w.user.Credentials)
			_, err := api.GetWebIdentityToken(ctx, request(pad+1))
			checkErr(t, err, witTooLarge)
		})
	}
}

// TestOutboundTokenAfterDisable: a disabled account's callers get
// OutboundWebIdentityFederationDisabledException (capture's token_disabled
// shows STS catching up a few seconds later; fakests applies a change at
// once), and a re-enabled account signs with the same keys.
func TestOutboundTokenAfterDisable(t *testing.T) {
	w := newIssuerWorld(t)
	before, err := w.e.GetWebIdentityToken(typed(w.user.Credentials), witIn(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.e.DisableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(w.e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(w.user.Credentials)
			_, err := api.GetWebIdentityToken(ctx, witIn(nil))
			checkErr(t, err, witDisabled)
		})
	}
	if _, err := w.e.EnableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	after, err := w.e.GetWebIdentityToken(typed(w.user.Credentials), witIn(nil))
	if err != nil {
		t.Fatal(err)
	}
	// RS256 (PKCS #1 v1.5) signatures are deterministic: the same key signs
	// the same bytes the same way. Re-sign the earlier token's payload with
	// the key the account has now.
	a := w.e.outboundAccountFor(w.e.AccountID())
	_, payload, sig := jwtParts(t, aws.ToString(before.WebIdentityToken))
	again, err := w.e.signOutbound(a, "RS256", payload)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, sig2 := jwtParts(t, again); string(sig2) != string(sig) {
		t.Error("the account signs with another key after a disable and re-enable")
	}
	if aws.ToString(after.WebIdentityToken) == aws.ToString(before.WebIdentityToken) {
		t.Error("two tokens are identical (jti must differ)")
	}
}

// FuzzWebIdentityClaims writes claims from arbitrary audiences and tags:
// whatever they hold (quotes, control characters, invalid UTF-8), the claims
// must be one valid JSON object whose strings read back as the inputs, with
// each byte that is not UTF-8 read as U+FFFD (behaviour §16).
func FuzzWebIdentityClaims(f *testing.F) {
	f.Add("https://api.example.com", "", "Team", "platform", "")
	f.Add(`"quoted" \ é`, "\x00\x1f\x7f", "aws:test", "reserved", "src")
	f.Add("\xff\xfe", "\u2028\U0001F600", "k\xc3", "\ud7ff", "")
	f.Fuzz(func(t *testing.T, aud1, aud2, key, value, sourceIdentity string) {
		c := &webIdentityClaims{
			audience: []string{aud1}, subject: "arn:aws:iam::123456789012:user/u", issuer: "https://x.tokens.sts.global.api.aws",
			id: "00000000-0000-4000-8000-000000000000", issuedAt: 1, expires: 61, account: "123456789012", region: "us-east-1",
			requestTags: []tags.Tag{{Key: key, Value: value}}, principalTags: []tags.Tag{{Key: value, Value: key}},
			sourceIdentity: sourceIdentity, sessionExpiry: time.Unix(3600, 0),
		}
		if aud2 != "" {
			c.audience = append(c.audience, aud2)
		}
		b := c.appendJSON(nil)
		var got struct {
			Aud any `json:"aud"`
			NS  struct {
				RequestTags    map[string]string `json:"request_tags"`
				PrincipalTags  map[string]string `json:"principal_tags"`
				SourceIdentity string            `json:"source_identity"`
			} `json:"https://sts.amazonaws.com/"`
		}
		if !json.Valid(b) {
			t.Fatalf("claims are not valid JSON: %q", b)
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		valid := func(s string) string {
			var sb strings.Builder
			for _, r := range s {
				sb.WriteRune(r)
			}
			return sb.String()
		}
		wantAud := any(valid(aud1))
		if aud2 != "" {
			wantAud = []any{valid(aud1), valid(aud2)}
		}
		if d := cmp.Diff(wantAud, got.Aud); d != "" {
			t.Errorf("aud (-want +got):\n%s", d)
		}
		if got.NS.RequestTags[valid(key)] != valid(value) || got.NS.PrincipalTags[valid(value)] != valid(key) || got.NS.SourceIdentity != valid(sourceIdentity) {
			t.Errorf("tags or source identity do not read back: %q", b)
		}
	})
}

// TestOutboundKeysBoundOnce: simultaneous first tokens of an account sign
// with one key, the one its key set publishes (keys stay the same for the
// engine's life, behaviour §16).
func TestOutboundKeysBoundOnce(t *testing.T) {
	e, _ := newTestEngine(t)
	if _, err := e.EnableOutboundWebIdentityFederation(""); err != nil {
		t.Fatal(err)
	}
	const n = 6
	type result struct {
		token string
		err   error
	}
	results := make(chan result, n)
	for i := 0; i < n; i++ {
		alg := "RS256"
		if i%2 == 1 {
			alg = "ES384"
		}
		go func() {
			out, err := e.GetWebIdentityToken(context.Background(), witIn(func(in *sts.GetWebIdentityTokenInput) { in.SigningAlgorithm = aws.String(alg) }))
			if err != nil {
				results <- result{err: err}
				return
			}
			results <- result{token: aws.ToString(out.WebIdentityToken)}
		}()
	}
	var tokens []string
	for i := 0; i < n; i++ {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		tokens = append(tokens, r.token)
	}
	var set jose.JSONWebKeySet
	doc, err := e.keySet(e.outboundAccountFor(e.AccountID()))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256, jose.ES384})
		if err != nil {
			t.Fatal(err)
		}
		keys := set.Key(jws.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			t.Fatalf("kid %q: %d keys in the set", jws.Signatures[0].Header.KeyID, len(keys))
		}
		if _, err := jws.Verify(keys[0].Key); err != nil {
			t.Errorf("a first token does not verify with the published key: %v", err)
		}
	}
}
