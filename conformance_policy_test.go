package fakests

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// These tests pin how policies decide STS calls (behaviour §6, §11.1, §12):
// which condition keys reach a role's trust policy, how trust and identity
// policies combine, how session policies limit the next call, and packing.
// Each row runs on a fresh engine through the typed method and through a
// real *sts.Client. Expected texts are AWS's, typed out here.

const (
	bobARN        = "arn:aws:iam::123456789012:user/Bob"
	srcRoleARN    = "arn:aws:iam::123456789012:role/Src"
	srcSessionARN = "arn:aws:sts::123456789012:assumed-role/Src/src-session"
)

// polFx is a small world: Bob (tags team=blue, may assume any role) and the
// role Src (trusts account A, may assume any role, tags dept=ops).
type polFx struct {
	e   *Engine
	clk *manualClock
	bob *User
	mfa *MFADevice
}

func newPolFx(t testing.TB, opts ...Option) *polFx {
	t.Helper()
	e, clk := newTestEngine(t, opts...)
	fx := &polFx{e: e, clk: clk}
	fx.bob = mustUser(t, e, UserSpec{Name: "Bob", Policies: []string{allowAssume}, Tags: map[string]string{"team": "blue"}})
	mustRole(t, e, RoleSpec{Name: "Src", TrustPolicy: trustAccount(acctA), Policies: []string{allowAssume},
		Tags: map[string]string{"dept": "ops"}})
	mfa, err := e.CreateVirtualMFADevice(fx.bob.ARN)
	if err != nil {
		t.Fatal(err)
	}
	fx.mfa = mfa
	return fx
}

// callerKind says who makes the call under test.
type callerKind int

const (
	asBob        callerKind = iota // Bob's long-term key
	asSrcSession                   // a session of Src, "src-session", made by Bob
	asMFASession                   // Bob's GetSessionToken session made with MFA
)

// creds returns the caller's credentials, made on the typed path.
func (fx *polFx) creds(t testing.TB, k callerKind) (aws.Credentials, string) {
	t.Helper()
	switch k {
	case asSrcSession:
		out, err := fx.e.AssumeRole(typed(fx.bob.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("src-session")})
		if err != nil {
			t.Fatal(err)
		}
		return credsOf(out.Credentials), srcSessionARN
	case asMFASession:
		out, err := fx.e.GetSessionToken(typed(fx.bob.Credentials), &sts.GetSessionTokenInput{
			SerialNumber: aws.String(fx.mfa.SerialNumber), TokenCode: aws.String(fx.mfa.Code(fx.e.Now()))})
		if err != nil {
			t.Fatal(err)
		}
		return credsOf(out.Credentials), bobARN
	}
	return fx.bob.Credentials, bobARN
}

// denied is AWS's AccessDenied for caller on action and resource (§10).
func deniedBy(caller, action, resource string) *wantErr {
	return &wantErr{Code: "AccessDenied", Status: 403,
		Message: "User: " + caller + " is not authorized to perform: " + action + " on resource: " + resource}
}

// trustWithCondition trusts account A for the three STS actions under cond.
func trustWithCondition(cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` +
		`"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":` + cond + `}]}`
}

// condRow is one trust-policy condition a request meets or fails.
type condRow struct {
	name     string // the AWS rule pinned
	caller   callerKind
	cond     string // the trust statement's Condition; {bobid} and {epoch} are filled in
	roleTags map[string]string
	in       func(*sts.AssumeRoleInput)
	before   func(fx *polFx)
	deny     bool
}

func TestConformanceTrustConditionKeys(t *testing.T) {
	epoch := testEpoch.Format(time.RFC3339)
	withTags := func(kv ...string) func(*sts.AssumeRoleInput) {
		return func(in *sts.AssumeRoleInput) {
			for i := 0; i < len(kv); i += 2 {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
			}
		}
	}
	rows := []condRow{
		{name: "aws:PrincipalArn is the IAM user's ARN", cond: `{"ArnEquals":{"aws:PrincipalArn":"` + bobARN + `"}}`},
		{name: "aws:PrincipalArn mismatch denies", cond: `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/Eve"}}`, deny: true},
		{name: "aws:PrincipalArn of a role session is the role ARN", caller: asSrcSession, cond: `{"ArnEquals":{"aws:PrincipalArn":"` + srcRoleARN + `"}}`},
		{name: "aws:PrincipalArn of a role session is not the session ARN", caller: asSrcSession, cond: `{"StringEquals":{"aws:PrincipalArn":"` + srcSessionARN + `"}}`, deny: true},
		{name: "aws:PrincipalAccount is the caller's account", cond: `{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}`},
		{name: "aws:PrincipalAccount mismatch denies", cond: `{"StringEquals":{"aws:PrincipalAccount":"210987654321"}}`, deny: true},
		{name: "aws:PrincipalType is User for IAM users", cond: `{"StringEquals":{"aws:PrincipalType":"User"}}`},
		{name: "aws:PrincipalType is AssumedRole for role sessions", caller: asSrcSession, cond: `{"StringEquals":{"aws:PrincipalType":"AssumedRole"}}`},
		{name: "aws:PrincipalTag/<k> carries the user's tags", cond: `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`},
		{name: "aws:PrincipalTag/<k> key names are case-insensitive", cond: `{"StringEquals":{"aws:PrincipalTag/TEAM":"blue"}}`},
		{name: "aws:PrincipalTag/<k> values are case-sensitive", cond: `{"StringEquals":{"aws:PrincipalTag/team":"Blue"}}`, deny: true},
		{name: "aws:PrincipalTag/<k> of a role session carries the role's tags", caller: asSrcSession, cond: `{"StringEquals":{"aws:PrincipalTag/dept":"ops"}}`},
		{name: "aws:userid is the IAM user's unique ID", cond: `{"StringEquals":{"aws:userid":"{bobid}"}}`},
		{name: "aws:username is the IAM user's name", cond: `{"StringEquals":{"aws:username":"Bob"}}`},
		{name: "aws:username is absent for role sessions", caller: asSrcSession, cond: `{"Null":{"aws:username":"true"}}`},
		{name: "sts:ExternalId matches", cond: `{"StringEquals":{"sts:ExternalId":"xyz-123"}}`, in: func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("xyz-123") }},
		{name: "sts:ExternalId mismatch denies", cond: `{"StringEquals":{"sts:ExternalId":"xyz-123"}}`, in: func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("xyz-999") }, deny: true},
		{name: "sts:ExternalId missing denies", cond: `{"StringEquals":{"sts:ExternalId":"xyz-123"}}`, deny: true},
		{name: "sts:RoleSessionName is the requested name", cond: `{"StringLike":{"sts:RoleSessionName":"ci-*"}}`, in: func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("ci-42") }},
		{name: "sts:RoleSessionName mismatch denies", cond: `{"StringLike":{"sts:RoleSessionName":"ci-*"}}`, deny: true},
		{name: "sts:SourceIdentity is the value being set", cond: `{"StringEquals":{"sts:SourceIdentity":"alice"}}`, in: func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("alice") }},
		{name: "sts:SourceIdentity is absent when none is set", cond: `{"StringEquals":{"sts:SourceIdentity":"alice"}}`, deny: true},
		{name: "aws:MultiFactorAuthPresent is absent for long-term keys (Bool fails)", cond: `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, deny: true},
		{name: "aws:MultiFactorAuthPresent is absent for long-term keys (BoolIfExists passes)", cond: `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`},
		{name: "aws:MultiFactorAuthPresent is true for a GetSessionToken session made with MFA", caller: asMFASession, cond: `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`},
		{name: "aws:MultiFactorAuthPresent is false for a role session made without MFA", caller: asSrcSession, cond: `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, deny: true},
		{name: "aws:MultiFactorAuthAge counts seconds since MFA on the engine clock", caller: asMFASession,
			cond: `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, before: func(fx *polFx) { fx.clk.Advance(30 * time.Minute) }},
		{name: "aws:MultiFactorAuthAge over the limit denies", caller: asMFASession,
			cond: `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, before: func(fx *polFx) { fx.clk.Advance(2 * time.Hour) }, deny: true},
		{name: "aws:RequestTag/<k> is a requested session tag", cond: `{"StringEquals":{"aws:RequestTag/project":"apollo"}}`, in: withTags("project", "apollo")},
		{name: "aws:RequestTag/<k> mismatch denies", cond: `{"StringEquals":{"aws:RequestTag/project":"apollo"}}`, in: withTags("project", "gemini"), deny: true},
		{name: "aws:TagKeys with ForAllValues passes a subset of the allowed keys", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["project","cost"]}}`, in: withTags("project", "apollo")},
		{name: "aws:TagKeys with ForAllValues fails on another key", cond: `{"ForAllValues:StringEquals":{"aws:TagKeys":["project","cost"]}}`, in: withTags("project", "apollo", "owner", "eve"), deny: true},
		{name: "sts:TransitiveTagKeys lists the requested transitive keys", cond: `{"ForAllValues:StringEquals":{"sts:TransitiveTagKeys":["project"]}}`,
			in: func(in *sts.AssumeRoleInput) {
				withTags("project", "apollo")(in)
				in.TransitiveTagKeys = []string{"project"}
			}},
		{name: "sts:TransitiveTagKeys with another key denies", cond: `{"ForAnyValue:StringEquals":{"sts:TransitiveTagKeys":["cost"]}}`,
			in: func(in *sts.AssumeRoleInput) {
				withTags("project", "apollo")(in)
				in.TransitiveTagKeys = []string{"project"}
			}, deny: true},
		{name: "aws:ResourceTag/<k> is the target role's tag", roleTags: map[string]string{"env": "prod"}, cond: `{"StringEquals":{"aws:ResourceTag/env":"prod"}}`},
		{name: "aws:ResourceTag/<k> mismatch denies", roleTags: map[string]string{"env": "dev"}, cond: `{"StringEquals":{"aws:ResourceTag/env":"prod"}}`, deny: true},
		{name: "aws:CurrentTime follows the engine clock", cond: `{"DateLessThan":{"aws:CurrentTime":"` + testEpoch.Add(time.Hour).Format(time.RFC3339) + `"}}`},
		{name: "aws:CurrentTime after the engine clock moved denies", cond: `{"DateLessThan":{"aws:CurrentTime":"` + testEpoch.Add(time.Hour).Format(time.RFC3339) + `"}}`,
			before: func(fx *polFx) { fx.clk.Advance(2 * time.Hour) }, deny: true},
		{name: "aws:EpochTime follows the engine clock", cond: `{"NumericEquals":{"aws:EpochTime":"` + strconv.FormatInt(testEpoch.Unix(), 10) + `"}}`},
		{name: "aws:RequestedRegion is the engine's region", cond: `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`},
		{name: "aws:RequestedRegion mismatch denies", cond: `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`, deny: true},
		{name: "aws:SecureTransport is true (STS is HTTPS only)", cond: `{"Bool":{"aws:SecureTransport":"true"}}`},
		{name: "aws:TokenIssueTime is the caller session's issue time", caller: asSrcSession, cond: `{"DateEquals":{"aws:TokenIssueTime":"{epoch}"}}`},
		{name: "aws:TokenIssueTime is absent for long-term keys", cond: `{"Null":{"aws:TokenIssueTime":"true"}}`},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				fx := newPolFx(t)
				cond := strings.NewReplacer("{bobid}", fx.bob.UserID, "{epoch}", epoch).Replace(row.cond)
				target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: trustWithCondition(cond), Tags: row.roleTags})
				creds, callerARN := fx.creds(t, row.caller)
				if row.before != nil {
					row.before(fx)
				}
				in := &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("s1")}
				if row.in != nil {
					row.in(in)
				}
				api, ctx := paths(fx.e).byName(pth.name).api(creds)
				_, err := api.AssumeRole(ctx, in)
				var want *wantErr
				if row.deny {
					want = deniedBy(callerARN, "sts:AssumeRole", target.ARN)
				}
				checkErr(t, err, want)
			})
		}
	}
}

// TestConformanceTrustAndIdentity pins how the trust policy and the
// caller's identity policies combine (behaviour §11.1).
func TestConformanceTrustAndIdentity(t *testing.T) {
	const denyAssume = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/Target"}]}`
	rows := []struct {
		name     string
		account  string // the target role's account
		trust    func(userARN string) string
		policies []string // the caller's identity policies
		deny     bool
	}{
		{name: "same account, trust names the user: no identity policy needed", trust: func(u string) string { return trustPrincipal(u) }},
		{name: "same account, trust names the account: the identity policy must allow", trust: func(string) string { return trustAccount(acctA) }, deny: true},
		{name: "same account, trust names the account, identity policy allows", trust: func(string) string { return trustAccount(acctA) }, policies: []string{allowAssume}},
		{name: "cross account, trust names the account, identity policy allows", account: acctB, trust: func(string) string { return trustAccount(acctA) }, policies: []string{allowAssume}},
		{name: "cross account needs the identity policy too", account: acctB, trust: func(string) string { return trustAccount(acctA) }, deny: true},
		{name: "cross account, trust names the user, still needs the identity policy", account: acctB, trust: func(u string) string { return trustPrincipal(u) }, deny: true},
		{name: "cross account, trust does not name the caller's account", account: acctB, trust: func(string) string { return trustAccount(acctB) }, policies: []string{allowAssume}, deny: true},
		{name: "explicit deny in the identity policy wins over a trust policy naming the user", trust: func(u string) string { return trustPrincipal(u) }, policies: []string{denyAssume}, deny: true},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				e, _ := newTestEngine(t)
				u := mustUser(t, e, UserSpec{Name: "Carol", Policies: row.policies})
				r := mustRole(t, e, RoleSpec{Account: row.account, Name: "Target", TrustPolicy: row.trust(u.ARN)})
				api, ctx := paths(e).byName(pth.name).api(u.Credentials)
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("s1")})
				var want *wantErr
				if row.deny {
					want = deniedBy(u.ARN, "sts:AssumeRole", r.ARN)
				}
				checkErr(t, err, want)
			})
		}
	}
}

// TestConformanceSessionPolicyLimitsNextCall pins that session policies
// intersect the role's permissions for every later call (behaviour §6): a role
// session whose session policy does not allow sts:AssumeRole cannot chain.
func TestConformanceSessionPolicyLimitsNextCall(t *testing.T) {
	const onlyS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	const assumeToo = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sts:AssumeRole"],"Resource":"*"}]}`
	rows := []struct {
		name    string
		policy  string // inline session policy of the Src session
		managed string // managed session policy document
		trust   string // the target's trust policy
		deny    bool
	}{
		{name: "session policy without sts:AssumeRole blocks chaining", policy: onlyS3, trust: trustAccount(acctA), deny: true},
		{name: "session policy allowing sts:AssumeRole lets the session chain", policy: assumeToo, trust: trustAccount(acctA)},
		{name: "managed session policy (PolicyArns) limits the same way", managed: onlyS3, trust: trustAccount(acctA), deny: true},
		{name: "trust naming the role ARN is still limited by the session policy", policy: onlyS3, trust: trustPrincipal(srcRoleARN), deny: true},
		{name: "trust naming the session ARN is not limited by the session policy", policy: onlyS3, trust: trustPrincipal("arn:aws:sts::123456789012:assumed-role/Src/limited")},
		{name: "no session policy: the role's own policies decide", trust: trustAccount(acctA)},
	}
	for _, row := range rows {
		for _, pth := range paths(nil) {
			t.Run(row.name+"/"+pth.name, func(t *testing.T) {
				fx := newPolFx(t)
				target := mustRole(t, fx.e, RoleSpec{Name: "Target", TrustPolicy: row.trust})
				in := &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("limited")}
				if row.policy != "" {
					in.Policy = aws.String(row.policy)
				}
				if row.managed != "" {
					arn, err := fx.e.CreateManagedPolicy("", "OnlyS3", row.managed)
					if err != nil {
						t.Fatal(err)
					}
					in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String(arn)}}
				}
				out, err := fx.e.AssumeRole(typed(fx.bob.Credentials), in)
				if err != nil {
					t.Fatal(err)
				}
				api, ctx := paths(fx.e).byName(pth.name).api(credsOf(out.Credentials))
				_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(target.ARN), RoleSessionName: aws.String("next")})
				var want *wantErr
				if row.deny {
					want = deniedBy("arn:aws:sts::123456789012:assumed-role/Src/limited", "sts:AssumeRole", target.ARN)
				}
				checkErr(t, err, want)
			})
		}
	}
}

// TestConformancePackedPolicySize pins PackedPolicySize (behaviour §6): absent
// for AssumeRole without policies or tags, present and growing with the
// policy, 0 for GetFederationToken without a policy.
func TestConformancePackedPolicySize(t *testing.T) {
	policyOf := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"Sid":"S` + strconv.Itoa(i) + `","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-` + strconv.Itoa(i*7919) + `/*"}`)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			fx := newPolFx(t)
			api, ctx := paths(fx.e).byName(p.name).api(fx.bob.Credentials)
			assume := func(pol string, tags ...types.Tag) *int32 {
				t.Helper()
				in := &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("s1"), Tags: tags}
				if pol != "" {
					in.Policy = aws.String(pol)
				}
				out, err := api.AssumeRole(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				return out.PackedPolicySize
			}
			if got := assume(""); got != nil {
				t.Errorf("AssumeRole without policy or tags: PackedPolicySize = %d, want absent", *got)
			}
			small, big := assume(policyOf(1)), assume(policyOf(12))
			switch {
			case small == nil || big == nil:
				t.Fatalf("PackedPolicySize absent with a policy: %v, %v", small, big)
			case *small < 1 || *small > 30:
				t.Errorf("one-statement policy: PackedPolicySize = %d, want a small percentage (AWS: 16)", *small)
			case *big <= *small || *big > 100:
				t.Errorf("12-statement policy: PackedPolicySize = %d, want more than %d and at most 100", *big, *small)
			}
			if got := assume("", types.Tag{Key: aws.String("k"), Value: aws.String("v")}); got == nil || *got < 1 {
				t.Errorf("AssumeRole with a tag: PackedPolicySize = %v, want present and positive", got)
			}
			gft, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed")})
			if err != nil {
				t.Fatal(err)
			}
			if gft.PackedPolicySize == nil || *gft.PackedPolicySize != 0 {
				t.Errorf("GetFederationToken without policy: PackedPolicySize = %v, want 0", gft.PackedPolicySize)
			}
		})
	}
}

// incompressibleTags returns 50 tags of maximal size and random text.
func incompressibleTags() []types.Tag {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := rand.New(rand.NewPCG(1, 2))
	s := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	out := make([]types.Tag, 50)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(s(128)), Value: aws.String(s(256))}
	}
	return out
}

// TestConformancePackedPolicyTooLarge pins the packed-size limit (behaviour §6)
// and WithoutPackedPolicyLimit. The text is AWS's (observed); the percentage
// is fakests' packing of these 50 seeded random tags, and the same number
// is the PackedPolicySize once the limit is lifted.
func TestConformancePackedPolicyTooLarge(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			fx := newPolFx(t)
			api, ctx := paths(fx.e).byName(p.name).api(fx.bob.Credentials)
			in := &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("s1"), Tags: incompressibleTags()}
			_, err := api.AssumeRole(ctx, in)
			checkErr(t, err, &wantErr{"PackedPolicyTooLarge", "Packed size of session tags consumes 1616% of allotted space.", 400})
			var typedErr *types.PackedPolicyTooLargeException
			if !errors.As(err, &typedErr) {
				t.Errorf("huge tags: error %v (%T), want *types.PackedPolicyTooLargeException", err, err)
			}

			fx = newPolFx(t, WithoutPackedPolicyLimit())
			api, ctx = paths(fx.e).byName(p.name).api(fx.bob.Credentials)
			out, err := api.AssumeRole(ctx, in)
			if err != nil {
				t.Fatalf("WithoutPackedPolicyLimit: %v", err)
			}
			if out.PackedPolicySize == nil || *out.PackedPolicySize != 1616 {
				t.Errorf("WithoutPackedPolicyLimit: PackedPolicySize = %d, want the real percentage, 1616", aws.ToInt32(out.PackedPolicySize))
			}
		})
	}
}

// TestConformanceMalformedSessionPolicy pins MalformedPolicyDocument for bad
// session policies, typed on both operations that model it (behaviour §6).
func TestConformanceMalformedSessionPolicy(t *testing.T) {
	rows := []struct {
		name, policy, msg string
	}{
		{"invalid JSON", `{"Version":"2012-10-17","Statement":[`, "Syntax errors in policy."},
		{"a session policy may not name a principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`,
			"Policy document should not specify a principal."},
	}
	for _, row := range rows {
		for _, p := range paths(nil) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				fx := newPolFx(t)
				api, ctx := paths(fx.e).byName(p.name).api(fx.bob.Credentials)
				want := &wantErr{Code: "MalformedPolicyDocument", Message: row.msg, Status: 400}
				var mp *types.MalformedPolicyDocumentException
				_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(srcRoleARN), RoleSessionName: aws.String("s1"), Policy: aws.String(row.policy)})
				checkErr(t, err, want)
				if !errors.As(err, &mp) {
					t.Errorf("AssumeRole: %T is not *types.MalformedPolicyDocumentException", err)
				}
				_, err = api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(row.policy)})
				checkErr(t, err, want)
				if !errors.As(err, &mp) {
					t.Errorf("GetFederationToken: %T is not *types.MalformedPolicyDocumentException", err)
				}
			})
		}
	}
}
