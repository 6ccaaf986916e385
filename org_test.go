package fakests

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// TestCreateOrganization pins the organization's shape: IDs as
// Organizations forms them ("o-" and 10, "r-" and 4 lower-case letters or
// digits), its ARN, and what CreateOrganization refuses (leaving nothing
// behind).
func TestCreateOrganization(t *testing.T) {
	e, _ := newTestEngine(t)
	org, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: "111111111111",
		Members: []string{"222222222222", "333333333333"}, DelegatedAdministrator: "222222222222",
		RootCredentialsManagement: true})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(org.ID) || !regexp.MustCompile(`^r-[a-z0-9]{4}$`).MatchString(org.RootID) {
		t.Errorf("IDs %q, %q", org.ID, org.RootID)
	}
	want := &Organization{ID: org.ID, RootID: org.RootID, ARN: "arn:aws:organizations::111111111111:organization/" + org.ID,
		ManagementAccount: "111111111111", Members: []string{"222222222222", "333333333333"},
		DelegatedAdministrator: "222222222222", RootCredentialsManagement: true}
	if diff := cmp.Diff(want, org); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The lookup GetWebIdentityToken's org_id and ou_path claims use.
	for _, acct := range []string{"111111111111", "333333333333"} {
		id, paths, ok := e.orgOf(acct)
		if !ok || id != org.ID || !cmp.Equal(paths, []string{org.ID + "/" + org.RootID + "/"}) {
			t.Errorf("orgOf(%s) = %q, %v, %v", acct, id, paths, ok)
		}
	}
	if _, _, ok := e.orgOf("444444444444"); ok {
		t.Errorf("orgOf of an account in no organization: ok")
	}

	for name, spec := range map[string]OrganizationSpec{
		"no management account":                         {},
		"a management account that is not 12 digits":    {ManagementAccount: "12345"},
		"a member that is not 12 digits":                {ManagementAccount: "444444444444", Members: []string{"x"}},
		"the management account as a member":            {ManagementAccount: "444444444444", Members: []string{"444444444444"}},
		"a member listed twice":                         {ManagementAccount: "444444444444", Members: []string{"555555555555", "555555555555"}},
		"a delegated administrator that is no member":   {ManagementAccount: "444444444444", DelegatedAdministrator: "555555555555"},
		"the management account as administrator":       {ManagementAccount: "444444444444", DelegatedAdministrator: "444444444444"},
		"a member of another organization":              {ManagementAccount: "444444444444", Members: []string{"333333333333"}},
		"the management account of another one as such": {ManagementAccount: "111111111111"},
	} {
		if _, err := e.CreateOrganization(spec); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, _, ok := e.orgOf("444444444444"); ok {
		t.Errorf("a refused CreateOrganization left 444444444444 in an organization")
	}
}

// TestPrincipalOrgTrust pins aws:PrincipalOrgID and aws:PrincipalOrgPaths in
// a trust policy (behaviour §12): a role that trusts every principal of its
// organization is assumed from another member account, on both paths, and
// refused to an account outside it; the keys are the caller's, for users
// and role sessions alike.
func TestPrincipalOrgTrust(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	org, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: acctA, Members: []string{acctB}})
	if err != nil {
		t.Fatal(err)
	}
	inOrg := mustUser(t, e, UserSpec{Account: acctB, Name: "member-user", Policies: []string{allowAssume}})
	outside := mustUser(t, e, UserSpec{Account: "999999999999", Name: "stranger", Policies: []string{allowAssume}})
	byID := mustRole(t, e, RoleSpec{Name: "org-readers", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"` + org.ID + `"}}}]}`})
	byPath := mustRole(t, e, RoleSpec{Name: "org-path", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"` + org.ID + `/r-*/"}}}]}`})
	chained := mustRole(t, e, RoleSpec{Account: acctB, Name: "hop", TrustPolicy: trustAccount(acctB), Policies: []string{allowAssume}})
	for _, p := range paths(e) {
		t.Run(p.name, func(t *testing.T) {
			for _, r := range []*Role{byID, byPath} {
				in := &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("org")}
				api, ctx := p.api(inOrg.Credentials)
				_, err := api.AssumeRole(ctx, in)
				checkErr(t, err, nil)
				// A role session of the member account: its keys too.
				hop, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(chained.ARN), RoleSessionName: aws.String("hop")})
				if err != nil {
					t.Fatal(err)
				}
				hopAPI, hopCtx := p.api(credsOf(hop.Credentials))
				_, err = hopAPI.AssumeRole(hopCtx, in)
				checkErr(t, err, nil)
				api, ctx = p.api(outside.Credentials)
				_, err = api.AssumeRole(ctx, in)
				checkErr(t, err, &wantErr{"AccessDenied", "User: " + outside.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + r.ARN, 403})
			}
		})
	}
}

// TestAuthorizePrincipalOrg pins the organization keys for emulators:
// Authorize fills aws:PrincipalOrgID and aws:PrincipalOrgPaths for a
// principal of an organization's account, and a resource policy keyed on
// them grants across accounts of the organization only.
func TestAuthorizePrincipalOrg(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	org, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: acctB, Members: []string{acctA}})
	if err != nil {
		t.Fatal(err)
	}
	member := mustUser(t, e, UserSpec{Name: "reader", Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}})
	stranger := mustUser(t, e, UserSpec{Account: "999999999999", Name: "reader", Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}})
	bucketPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*",` +
		`"Condition":{"StringEquals":{"aws:PrincipalOrgID":"` + org.ID + `"}}}]}`
	req := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/k", ResourcePolicy: bucketPolicy,
		Context: map[string][]string{"aws:ResourceAccount": {acctB}}}

	p, err := e.Principal(member.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Authorize(context.Background(), p, req)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Allowed {
		t.Errorf("the organization's member was denied: %s", strings.Join(d.Reasons, "; "))
	}
	got := map[string][]string{"aws:PrincipalOrgID": d.Context["aws:PrincipalOrgID"], "aws:PrincipalOrgPaths": d.Context["aws:PrincipalOrgPaths"]}
	want := map[string][]string{"aws:PrincipalOrgID": {org.ID}, "aws:PrincipalOrgPaths": {org.ID + "/" + org.RootID + "/"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("organization keys (-want +got):\n%s", diff)
	}

	p, err = e.Principal(stranger.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	d, err = e.Authorize(context.Background(), p, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Context["aws:PrincipalOrgID"] != nil {
		t.Errorf("a principal outside the organization: allowed %v, aws:PrincipalOrgID %v", d.Allowed, d.Context["aws:PrincipalOrgID"])
	}
}
