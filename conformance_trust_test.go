package fakests

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// trustExternalID trusts one principal directly when it passes ExternalId ext-123.
func trustExternalID(principal string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}`
}

// trustAssumeOnly trusts account A for sts:AssumeRole but not sts:SetSourceIdentity.
const trustAssumeOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`

// assumeResult is the part of an AssumeRole answer the trust rows pin.
type assumeResult struct {
	Arn, SourceIdentity string
}

// denied is AWS's AccessDenied for caller on action and role (behaviour §10).
func denied(caller, action, role string) *wantErr {
	return &wantErr{"AccessDenied", "User: " + caller + " is not authorized to perform: " + action + " on resource: " + role, 403}
}

// TestConformanceTrust pins who a trust policy admits (behaviour §11.1): a
// same-account principal named directly needs no identity policy; trusting
// the account delegates to identity policies; cross-account needs both; a
// role re-assuming itself needs its own trust entry. It also pins
// sts:ExternalId conditions (§9) and SourceIdentity (§8).
func TestConformanceTrust(t *testing.T) {
	w := newWorld(t)
	bob, plain := w.bob.Credentials, w.plain.Credentials
	e := w.e
	direct := mustRole(t, e, RoleSpec{Name: "Direct", TrustPolicy: trustPrincipal(w.plain.ARN)})
	crossDirect := mustRole(t, e, RoleSpec{Account: acctB, Name: "CrossDirect", TrustPolicy: trustPrincipal(w.plain.ARN, w.bob.ARN)})
	ext := mustRole(t, e, RoleSpec{Name: "Vendor", TrustPolicy: trustExternalID(w.plain.ARN)})
	selfless := mustRole(t, e, RoleSpec{Name: "Selfless", TrustPolicy: trustPrincipal(w.bob.ARN), Policies: []string{allowAssume}})
	selfish := mustRole(t, e, RoleSpec{Name: "Selfish", TrustPolicy: trustPrincipal(w.bob.ARN, "arn:aws:iam::123456789012:role/Selfish"), Policies: []string{allowAssume}})
	noSI := mustRole(t, e, RoleSpec{Name: "NoSI", TrustPolicy: trustAssumeOnly})
	selflessSess := w.roleSession(t, bob, selfless, "me")
	selfishSess := w.roleSession(t, bob, selfish, "me")
	siSess := credsOf(w.assume(t, bob, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("si"), SourceIdentity: aws.String("alice")}).Credentials)
	longSess := w.roleSession(t, bob, w.long, "plain-chain")

	in := func(role *Role, name string) *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String(name)}
	}
	withExt := func(r *sts.AssumeRoleInput, id string) *sts.AssumeRoleInput { r.ExternalId = aws.String(id); return r }
	withSI := func(r *sts.AssumeRoleInput, id string) *sts.AssumeRoleInput {
		r.SourceIdentity = aws.String(id)
		return r
	}
	rows := []struct {
		name  string
		creds aws.Credentials
		in    *sts.AssumeRoleInput
		want  *assumeResult
		err   *wantErr
	}{
		{"a same-account user named in the trust policy needs no identity policy", plain, in(direct, "d1"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Direct/d1"}, nil},
		{"trusting the account needs an identity policy: a user without one is denied", plain, in(w.long, "a1"), nil,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Long")},
		{"trusting the account and an identity policy that allows suffice", bob, in(w.long, "a2"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Long/a2"}, nil},
		{"cross-account: a trusted account's user with an identity policy gets the role's account", bob, in(w.cross, "x1"),
			&assumeResult{Arn: "arn:aws:sts::210987654321:assumed-role/Deployer/x1"}, nil},
		{"cross-account: a trusted account's user without an identity policy is denied", plain, in(w.cross, "x2"), nil,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::210987654321:role/service-role/app/Deployer")},
		{"cross-account: being named directly is not enough without an identity policy", plain, in(crossDirect, "x3"), nil,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::210987654321:role/CrossDirect")},
		{"cross-account: named directly and allowed by an identity policy", bob, in(crossDirect, "x4"),
			&assumeResult{Arn: "arn:aws:sts::210987654321:assumed-role/CrossDirect/x4"}, nil},
		{"a role may not re-assume itself without a trust entry for itself", selflessSess, in(selfless, "again"), nil,
			denied("arn:aws:sts::123456789012:assumed-role/Selfless/me", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Selfless")},
		{"a role whose trust policy names it may re-assume itself", selfishSess, in(selfish, "again"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Selfish/again"}, nil},
		{"sts:ExternalId condition: the right ExternalId is admitted", plain, withExt(in(ext, "e1"), "ext-123"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Vendor/e1"}, nil},
		{"sts:ExternalId condition: a wrong ExternalId is denied", plain, withExt(in(ext, "e2"), "ext-999"), nil,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Vendor")},
		{"sts:ExternalId condition: a missing ExternalId is denied", plain, in(ext, "e3"), nil,
			denied("arn:aws:iam::123456789012:user/Plain", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Vendor")},
		{"SourceIdentity is echoed in the output", bob, withSI(in(w.long, "s1"), "alice"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Long/s1", SourceIdentity: "alice"}, nil},
		{"SourceIdentity persists into a chained session that does not pass it", siSess, in(w.next, "s2"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Next/s2", SourceIdentity: "alice"}, nil},
		{"a chained session may repeat the same SourceIdentity", siSess, withSI(in(w.next, "s3"), "alice"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Next/s3", SourceIdentity: "alice"}, nil},
		{"a chained session may not change the SourceIdentity", siSess, withSI(in(w.next, "s4"), "mallory"), nil,
			denied("arn:aws:sts::123456789012:assumed-role/Long/si", "sts:SetSourceIdentity", "arn:aws:iam::123456789012:role/Next")},
		{"a chain without a SourceIdentity does not gain one", longSess, in(w.next, "s5"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/Next/s5"}, nil},
		{"setting a SourceIdentity needs sts:SetSourceIdentity in the trust policy", bob, withSI(in(noSI, "s6"), "alice"), nil,
			denied("arn:aws:iam::123456789012:user/division/Bob", "sts:SetSourceIdentity", "arn:aws:iam::123456789012:role/NoSI")},
		{"carrying an inherited SourceIdentity needs sts:SetSourceIdentity too", siSess, in(noSI, "s7"), nil,
			denied("arn:aws:sts::123456789012:assumed-role/Long/si", "sts:SetSourceIdentity", "arn:aws:iam::123456789012:role/NoSI")},
		{"without a SourceIdentity, sts:AssumeRole alone suffices", bob, in(noSI, "s8"),
			&assumeResult{Arn: "arn:aws:sts::123456789012:assumed-role/NoSI/s8"}, nil},
	}
	for _, row := range rows {
		for _, p := range paths(e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(row.creds)
				out, err := api.AssumeRole(ctx, row.in)
				checkErr(t, err, row.err)
				if err != nil {
					return
				}
				got := &assumeResult{Arn: aws.ToString(out.AssumedRoleUser.Arn), SourceIdentity: aws.ToString(out.SourceIdentity)}
				if diff := cmp.Diff(row.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				if row.want.SourceIdentity == "" && out.SourceIdentity != nil {
					t.Errorf("SourceIdentity element present (%q), want absent", *out.SourceIdentity)
				}
			})
		}
	}

	// GetCallerIdentity cannot show a source identity: the Arn is the
	// session's, unchanged (behaviour §2.5, §11.7).
	for _, p := range paths(e) {
		t.Run("GetCallerIdentity of a session with a SourceIdentity is the plain session ARN/"+p.name, func(t *testing.T) {
			api, ctx := p.api(siSess)
			arn, err := callerOf(ctx, api)
			if err != nil || arn != "arn:aws:sts::123456789012:assumed-role/Long/si" {
				t.Errorf("GetCallerIdentity = %s, %v", arn, err)
			}
		})
	}
}
