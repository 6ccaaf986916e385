package fakests

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// This file replays radkawar/stackd's iam/outbound_identity.json, recorded
// against AWS with outbound identity federation off: every request that
// passes validation and authorization ends in
// OutboundWebIdentityFederationDisabledException, so each row pins both a
// check and the order of the checks (behaviour §11.11). Its identities are
// the capture's: users under /org-access/ named stackd-outbound-fixture-*,
// with the same policies.

const srcOutboundIdentity = srcStackd + "iam/outbound_identity.json "

// outboundWorld holds the capture's identities.
type outboundWorld struct {
	e   *Engine
	clk *manualClock
	// original is the capture's own caller (allowed everything).
	original                                             aws.Credentials
	noGrants, plain, tagged, denied, scopedUser          *User
	scopedSelf, condition, tagCondition, boundary, owner *User
	role                                                 *Role
}

// The capture's policies.
const (
	polPlain        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetOutboundWebIdentityFederationInfo","sts:GetWebIdentityToken"],"Resource":"*"}]}`
	polTagged       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","sts:TagGetWebIdentityToken","sts:GetFederationToken"],"Resource":"*"}]}`
	polDenied       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"},{"Effect":"Deny","Action":"sts:GetWebIdentityToken","Resource":"*"}]}`
	polScopedSelf   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","sts:TagGetWebIdentityToken"],"Resource":"arn:aws:sts::123456789012:self"}]}`
	polCondition    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*","Condition":{"ForAllValues:StringEquals":{"sts:IdentityTokenAudience":["https://stackd-outbound.example.invalid"]},"StringEquals":{"sts:SigningAlgorithm":"RS256"},"NumericEquals":{"sts:DurationSeconds":"300"}}}]}`
	polTagCondition = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"},{"Effect":"Allow","Action":"sts:TagGetWebIdentityToken","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"test"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}`
	polOutbound     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","sts:TagGetWebIdentityToken"],"Resource":"*"}]}`
	polDenyToken    = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:GetWebIdentityToken","Resource":"*"}]}`
)

// newOutboundWorld makes the capture's identities on a strict engine.
func newOutboundWorld(t *testing.T) *outboundWorld {
	t.Helper()
	e, clk := newTestEngine(t, Strict())
	w := &outboundWorld{e: e, clk: clk}
	owner := mustUser(t, e, UserSpec{Path: "/org-access/", Name: "stackd-outbound-original", Policies: []string{adminPolicy}})
	w.owner, w.original = owner, owner.Credentials
	fixture := func(name string, policies ...string) *User {
		return mustUser(t, e, UserSpec{Path: "/org-access/", Name: "stackd-outbound-fixture-" + name, Policies: policies})
	}
	w.noGrants = fixture("no_grants")
	w.plain = fixture("plain", polPlain)
	w.tagged = fixture("tagged", polTagged)
	w.denied = fixture("denied", polDenied)
	w.scopedUser = fixture("scoped_user", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","iam:GetOutboundWebIdentityFederationInfo"],"Resource":"arn:aws:iam::123456789012:user/org-access/stackd-outbound-fixture-scoped_user"}]}`)
	w.scopedSelf = fixture("scoped_self", polScopedSelf)
	w.condition = fixture("condition", polCondition)
	w.tagCondition = fixture("tag_condition", polTagCondition)
	w.boundary = fixture("boundary", polOutbound)
	w.role = mustRole(t, e, RoleSpec{Path: "/outbound/", Name: "stackd-outbound-fixture-role",
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + owner.ARN + `"},"Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"]}]}`,
		Policies:    []string{polOutbound}})
	return w
}

// roleSession assumes the capture's role as its original caller.
func (w *outboundWorld) roleSession(t *testing.T, in *sts.AssumeRoleInput) aws.Credentials {
	t.Helper()
	in.RoleArn = aws.String(w.role.ARN)
	out, err := w.e.AssumeRole(typed(w.original), in)
	if err != nil {
		t.Fatal(err)
	}
	return credsOf(out.Credentials)
}

// callWIT calls GetWebIdentityToken.
func callWIT(in *sts.GetWebIdentityTokenInput) conformanceCall {
	return func(ctx context.Context, api stsAPI) error { _, err := api.GetWebIdentityToken(ctx, in); return err }
}

// callWITIn calls GetWebIdentityToken for region (the client's region; the
// typed call's sts.Options.Region).
func callWITIn(in *sts.GetWebIdentityTokenInput, region string) conformanceCall {
	return func(ctx context.Context, api stsAPI) error {
		_, err := api.GetWebIdentityToken(ctx, in, func(o *sts.Options) { o.Region = region })
		return err
	}
}

// witIn is the capture's usual request, changed by mod.
func witIn(mod func(*sts.GetWebIdentityTokenInput)) *sts.GetWebIdentityTokenInput {
	in := &sts.GetWebIdentityTokenInput{Audience: []string{"https://stackd-outbound.example.invalid"}, SigningAlgorithm: aws.String("RS256")}
	if mod != nil {
		mod(in)
	}
	return in
}

// witTags is a Tags list of key/value pairs.
func witTags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// AWS's answers recorded in the capture.
var (
	witDisabled    = &wantErr{"OutboundWebIdentityFederationDisabledException", "OutboundWebIdentityFederation is disabled.", 403}
	witUnsupported = &wantErr{"ValidationError", "Requested SigningAlgorithm is not supported. See the GetWebIdentityToken documentation for supported algorithms", 400}
	witDuplicate   = &wantErr{"InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400}
	witEscalation  = &wantErr{"SessionDurationEscalationException", "Requested token expiry time must be before the original session's expiry time.", 403}
	witFederated   = &wantErr{"AccessDenied", "GetWebIdentityToken does not support federated user sessions", 403}
	witTooLarge    = &wantErr{"JWTPayloadSizeExceededException", "JWT payload exceeds maximum allowed size", 400}
	audienceMember = "Member must satisfy constraint: [Member must have length less than or equal to 1000, Member must have length greater than or equal to 1]"
)

// witDenied is a recorded GetWebIdentityToken denial: caller, action and
// AWS's reason.
func witDenied(caller, action, reason string) *wantErr {
	return &wantErr{"AccessDenied", "User: " + caller + " is not authorized to perform: " + action +
		" on resource: arn:aws:sts::123456789012:self " + reason, 403}
}

// fixtureARN is the ARN of a capture user.
func fixtureARN(name string) string {
	return "arn:aws:iam::123456789012:user/org-access/stackd-outbound-fixture-" + name
}

// TestConformanceOutboundValidation replays the capture's requests made by
// its own caller: validation, the algorithm, tag rules, and what passes them
// (behaviour §3, §11.11).
func TestConformanceOutboundValidation(t *testing.T) {
	w := newOutboundWorld(t)
	a1001 := strings.Repeat("a", 1001)
	k129, v257 := strings.Repeat("k", 129), strings.Repeat("v", 257)
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = strconv.Itoa(i)
	}
	var fiftyOne []string
	var rendered []string
	for i := 0; i <= 50; i++ {
		fiftyOne = append(fiftyOne, strconv.Itoa(i), "test")
		rendered = append(rendered, "Tag(key="+strconv.Itoa(i)+", value=test)")
	}
	alg := func(a string) *sts.GetWebIdentityTokenInput {
		return witIn(func(in *sts.GetWebIdentityTokenInput) { in.SigningAlgorithm = aws.String(a) })
	}
	aud := func(a ...string) *sts.GetWebIdentityTokenInput {
		return witIn(func(in *sts.GetWebIdentityTokenInput) { in.Audience = a })
	}
	dur := func(d int32) *sts.GetWebIdentityTokenInput {
		return witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(d) })
	}
	tagged := func(kv ...string) *sts.GetWebIdentityTokenInput {
		return witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags(kv...) })
	}
	row := func(name string, in *sts.GetWebIdentityTokenInput, want *wantErr) conformanceRow {
		return conformanceRow{srcOutboundIdentity + name, name, callWIT(in), want, false, false}
	}
	rows := []conformanceRow{
		row("original_default", witIn(nil), witDisabled),
		row("original_es384", alg("ES384"), witDisabled),
		row("original_algorithm_RS384", alg("RS384"), witUnsupported),
		row("original_algorithm_ES256", alg("ES256"), witUnsupported),
		row("original_algorithm_HS256", alg("HS256"), witUnsupported),
		row("original_algorithm_rs256", alg("rs256"), witUnsupported),
		row("original_algorithm_", alg(""), vErr(ve("", "signingAlgorithm", minLen("5")))),
		row("original_algorithm_none", alg("none"), vErr(ve("none", "signingAlgorithm", minLen("5")))),
		row("original_algorithm_RS256x", alg("RS256x"), vErr(ve("RS256x", "signingAlgorithm", maxLen("5")))),
		{srcOutboundIdentity + "original_missing_algorithm", "original_missing_algorithm",
			callWIT(witIn(func(in *sts.GetWebIdentityTokenInput) { in.SigningAlgorithm = nil })), vErr(veNull("signingAlgorithm")), true, false},
		{srcOutboundIdentity + "original_missing_audience", "original_missing_audience",
			callWIT(witIn(func(in *sts.GetWebIdentityTokenInput) { in.Audience = nil })), vErr(veNull("audience")), true, false},
		// The Go SDK refuses an empty required list itself; botocore sends it
		// (handler_outbound_python_test.go).
		{srcOutboundIdentity + "original_audience_empty_list", "original_audience_empty_list", callWIT(aud()), vErr(veNull("audience")), true, false},
		row("original_audience_empty", aud(""), vErr(ve("[]", "audience", audienceMember))),
		row("original_audience_space", aud(" "), witDisabled),
		row("original_audience_plain", aud("not-a-url"), witDisabled),
		row("original_audience_duplicate", aud("https://stackd-outbound.example.invalid", "https://stackd-outbound.example.invalid"), witDisabled),
		row("original_audience_eleven", aud(eleven...), vErr(ve("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "audience", maxLen("10")))),
		row("original_audience_long", aud(a1001), vErr(ve("["+a1001+"]", "audience", audienceMember))),
		row("original_audience_unicode", aud("https://\u4f8b.example.invalid"), witDisabled),
		row("original_duration_0", dur(0), vErr(ve("0", "durationSeconds", minVal("60")))),
		row("original_duration_59", dur(59), vErr(ve("59", "durationSeconds", minVal("60")))),
		row("original_duration_60", dur(60), witDisabled),
		row("original_duration_3600", dur(3600), witDisabled),
		row("original_duration_3601", dur(3601), vErr(ve("3601", "durationSeconds", maxVal("3600")))),
		row("original_tags_plain", tagged("team", "test"), witDisabled),
		row("original_tags_empty", witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = []types.Tag{} }), witDisabled),
		row("original_tags_duplicate", tagged("team", "one", "team", "two"), witDuplicate),
		row("original_tags_case_duplicate", tagged("team", "one", "Team", "two"), witDuplicate),
		row("original_tags_reserved", tagged("aws:team", "test"), witDisabled),
		row("original_tags_empty_key", tagged("", "test"), vErr(ve("", "tags.1.member.key", minLen("1")), ve("", "tags.1.member.key", mKeyPattern))),
		row("original_tags_invalid_key", tagged("<team>", "test"), vErr(ve("<team>", "tags.1.member.key", mKeyPattern))),
		row("original_tags_long_key", tagged(k129, "test"), vErr(ve(k129, "tags.1.member.key", maxLen("128")))),
		row("original_tags_long_value", tagged("team", v257), vErr(ve(v257, "tags.1.member.value", maxLen("256")))),
		row("original_tags_fifty_one", tagged(fiftyOne...), vErr(ve("["+strings.Join(rendered, ", ")+"]", "tags", maxLen("50")))),
		{srcOutboundIdentity + "original_other_region", "original_other_region", callWITIn(witIn(nil), "eu-west-2"), witDisabled, false, false},
		{srcOutboundIdentity + "original_global_endpoint", "original_global_endpoint", callWITIn(witIn(nil), "aws-global"),
			&wantErr{"InvalidAction", "Operation not supported on STS global endpoint", 400}, false, false},
	}
	runConformance(t, w.e, w.original, rows)
}

// TestConformanceOutboundAuthorization replays the capture's callers:
// authorization on arn:aws:sts::<acct>:self with the reason AWS gives, the
// condition keys, the tag action, caller types and the session-length check
// (behaviour §10, §11.11).
func TestConformanceOutboundAuthorization(t *testing.T) {
	w := newOutboundWorld(t)
	gst, err := w.e.GetSessionToken(typed(w.tagged.Credentials), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	gft, err := w.e.GetFederationToken(typed(w.tagged.Credentials), &sts.GetFederationTokenInput{Name: aws.String("outbound-probe"),
		DurationSeconds: aws.Int32(900), Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	role := w.roleSession(t, &sts.AssumeRoleInput{RoleSessionName: aws.String("role"), SourceIdentity: aws.String("outbound-observer"), DurationSeconds: aws.Int32(900)})
	roleDenied := w.roleSession(t, &sts.AssumeRoleInput{RoleSessionName: aws.String("role_session_denied"), SourceIdentity: aws.String("outbound-observer"),
		DurationSeconds: aws.Int32(900), Policy: aws.String(polDenyToken)})

	const tok, tagTok = "sts:GetWebIdentityToken", "sts:TagGetWebIdentityToken"
	noIdentity := func(action string) string { return "because no identity-based policy allows the " + action + " action" }
	type callerRow struct {
		name  string
		creds aws.Credentials
		in    *sts.GetWebIdentityTokenInput
		want  *wantErr
	}
	teamTest := func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags("team", "test") }
	rows := []callerRow{
		{"no_grants_token", w.noGrants.Credentials, witIn(nil), witDenied(fixtureARN("no_grants"), tok, noIdentity(tok))},
		{"plain_token", w.plain.Credentials, witIn(nil), witDisabled},
		{"tagged_token", w.tagged.Credentials, witIn(nil), witDisabled},
		{"denied_token", w.denied.Credentials, witIn(nil), witDenied(fixtureARN("denied"), tok, "with an explicit deny in an identity-based policy")},
		{"scoped_user_token", w.scopedUser.Credentials, witIn(nil), witDenied(fixtureARN("scoped_user"), tok, noIdentity(tok))},
		{"scoped_self_token", w.scopedSelf.Credentials, witIn(nil), witDisabled},
		{"condition_token", w.condition.Credentials, witIn(nil), witDisabled},
		{"tag_condition_token", w.tagCondition.Credentials, witIn(nil), witDisabled},
		{"plain_with_tags", w.plain.Credentials, witIn(teamTest), witDenied(fixtureARN("plain"), tagTok, noIdentity(tagTok))},
		{"tagged_with_tags", w.tagged.Credentials, witIn(teamTest), witDisabled},
		{"scoped_self_with_tags", w.scopedSelf.Credentials, witIn(teamTest), witDisabled},
		{"tag_condition_with_tags", w.tagCondition.Credentials, witIn(teamTest), witDisabled},
		{"condition_matching_explicit", w.condition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(300) }), witDisabled},
		{"condition_audience_denied", w.condition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.Audience = []string{"other"} }),
			witDenied(fixtureARN("condition"), tok, noIdentity(tok))},
		{"condition_algorithm_denied", w.condition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.SigningAlgorithm = aws.String("ES384") }),
			witDenied(fixtureARN("condition"), tok, noIdentity(tok))},
		{"condition_duration_denied", w.condition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(301) }),
			witDenied(fixtureARN("condition"), tok, noIdentity(tok))},
		{"tag_condition_wrong_value", w.tagCondition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags("team", "other") }),
			witDenied(fixtureARN("tag_condition"), tagTok, noIdentity(tagTok))},
		{"tag_condition_wrong_key", w.tagCondition.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags("extra", "test") }),
			witDenied(fixtureARN("tag_condition"), tagTok, noIdentity(tagTok))},
		{"get_session_token_caller", credsOf(gst.Credentials), witIn(nil), witDisabled},
		{"federation_token_caller", credsOf(gft.Credentials), witIn(nil), witFederated},
		{"role_default", role, witIn(nil), witDisabled},
		{"role_exceeds_remaining_duration", role, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(3600) }), witEscalation},
		{"role_session_denied_default", roleDenied, witIn(nil),
			witDenied("arn:aws:sts::123456789012:assumed-role/stackd-outbound-fixture-role/role_session_denied", tok, "with an explicit deny in a session policy")},
		// boundary_token ("because no permissions boundary allows the
		// sts:GetWebIdentityToken action") is not replayed: permissions
		// boundaries are not modelled.
	}
	for _, r := range rows {
		for _, p := range paths(w.e) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(r.creds)
				_, err := api.GetWebIdentityToken(ctx, r.in)
				checkErr(t, err, r.want)
				if t.Failed() {
					t.Logf("source: %s%s", srcOutboundIdentity, r.name)
				}
			})
		}
	}
}

// TestOutboundCheckOrder pins the order of GetWebIdentityToken's checks
// where the capture shows two of them at once or the record infers it
// (behaviour §11.11: model validation, algorithm, duplicate tags,
// authorization, federated sessions, session length, feature, payload).
func TestOutboundCheckOrder(t *testing.T) {
	w := newOutboundWorld(t)
	gft, err := w.e.GetFederationToken(typed(w.tagged.Credentials), &sts.GetFederationTokenInput{Name: aws.String("outbound-probe"),
		DurationSeconds: aws.Int32(900), Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	narrow := w.roleSession(t, &sts.AssumeRoleInput{RoleSessionName: aws.String("narrow"), DurationSeconds: aws.Int32(900),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	short := w.roleSession(t, &sts.AssumeRoleInput{RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(900)})
	huge := witIn(func(in *sts.GetWebIdentityTokenInput) {
		in.Audience = make([]string, 10)
		for i := range in.Audience {
			in.Audience[i] = strings.Repeat("a", 1000)
		}
		for i := 0; i < 50; i++ {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(strconv.Itoa(i) + strings.Repeat("k", 120)), Value: aws.String(strings.Repeat("v", 256))})
		}
	})
	rows := []struct {
		name  string
		creds aws.Credentials
		in    *sts.GetWebIdentityTokenInput
		want  *wantErr
	}{
		{"model constraints before the algorithm's value", w.original,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.SigningAlgorithm = aws.String("RS384")
				in.DurationSeconds = aws.Int32(59)
			}),
			vErr(ve("59", "durationSeconds", minVal("60")))},
		{"the algorithm before duplicate tags", w.original,
			witIn(func(in *sts.GetWebIdentityTokenInput) {
				in.SigningAlgorithm = aws.String("HS256")
				in.Tags = witTags("team", "a", "TEAM", "b")
			}),
			witUnsupported},
		{"duplicate tags before authorization", w.noGrants.Credentials,
			witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags("team", "a", "TEAM", "b") }), witDuplicate},
		{"the base action before the tag action", w.noGrants.Credentials, witIn(func(in *sts.GetWebIdentityTokenInput) { in.Tags = witTags("team", "a") }),
			witDenied(fixtureARN("no_grants"), "sts:GetWebIdentityToken", "because no identity-based policy allows the sts:GetWebIdentityToken action")},
		{"authorization before the federated-session refusal", credsOf(gft.Credentials), witIn(nil),
			&wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:federated-user/outbound-probe is not authorized to perform: sts:GetWebIdentityToken on resource: arn:aws:sts::123456789012:self because no session policy allows the sts:GetWebIdentityToken action", 403}},
		{"a session policy that allows nothing of it (the IAM User Guide's implicit-deny form)", narrow, witIn(nil),
			&wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/stackd-outbound-fixture-role/narrow is not authorized to perform: sts:GetWebIdentityToken on resource: arn:aws:sts::123456789012:self because no session policy allows the sts:GetWebIdentityToken action", 403}},
		{"the session length before the feature switch", short, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(901) }), witEscalation},
		{"a token as long as the session is refused", short, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(900) }), witEscalation},
		{"one second shorter than the session passes", short, witIn(func(in *sts.GetWebIdentityTokenInput) { in.DurationSeconds = aws.Int32(899) }), witDisabled},
		{"the feature switch before the payload size", w.original, huge, witDisabled},
	}
	for _, r := range rows {
		for _, p := range paths(w.e) {
			t.Run(r.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(r.creds)
				_, err := api.GetWebIdentityToken(ctx, r.in)
				checkErr(t, err, r.want)
			})
		}
	}
	// A request that fails changes nothing: the engine still answers the
	// same, and holds no issuer.
	if _, err := w.e.OutboundWebIdentityFederationInfo(""); err == nil {
		t.Error("a failed GetWebIdentityToken turned the feature on")
	}
}
