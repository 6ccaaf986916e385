package fakests

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/federation"
)

// TestRoleAdministration drives the Go methods that change roles: their
// changes decide the next AssumeRole as IAM's do.
func TestRoleAdministration(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	dev := mustUser(t, e, UserSpec{Name: "dev", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "r", TrustPolicy: trustServiceLambda})
	ctx := context.Background()
	assume := func(d int32) error {
		_, err := newClient(e, dev.Credentials).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN),
			RoleSessionName: aws.String("dev"), DurationSeconds: aws.Int32(d)})
		return err
	}
	if assume(900) == nil {
		t.Fatal("a role trusting lambda only was assumed by a user")
	}
	checkAdminErr(t, e.UpdateAssumeRolePolicy(r.ARN, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}`),
		&wantErr{"MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions.", 400})
	if err := e.UpdateAssumeRolePolicy(r.ARN, trustPrincipal(dev.ARN)); err != nil {
		t.Fatal(err)
	}
	if err := assume(900); err != nil {
		t.Fatalf("after UpdateAssumeRolePolicy: %v", err)
	}
	two := 2 * time.Hour
	desc := "d"
	if err := e.UpdateRole(r.ARN, RoleUpdate{MaxSessionDuration: &two, Description: &desc}); err != nil {
		t.Fatal(err)
	}
	if err := assume(7200); err != nil {
		t.Fatalf("after UpdateRole: %v", err)
	}
	bad := 30 * time.Minute
	checkAdminErr(t, e.UpdateRole(r.ARN, RoleUpdate{MaxSessionDuration: &bad}),
		&wantErr{"ValidationError", "fakests: MaxSessionDuration 30m0s must be whole seconds between 1h and 12h", 400})
	if err := e.PutRolePolicy(r.ARN, "Inline", s3ReadPolicy); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteRole(r.ARN), &wantErr{"DeleteConflict", "Cannot delete entity, must delete policies first.", 409})
	checkAdminErr(t, e.DeleteRolePolicy(r.ARN, "other"), &wantErr{"NoSuchEntity", "The role policy with name other cannot be found.", 404})
	if err := e.DeleteRolePolicy(r.ARN, "INLINE"); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteRole(r.ARN); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.UpdateRole(r.ARN, RoleUpdate{}), &wantErr{"NoSuchEntity", "The role with name r cannot be found.", 404})
	checkAdminErr(t, e.PutRolePolicy("arn:aws:iam::123456789012:role/other/r", "p", s3ReadPolicy),
		&wantErr{"NoSuchEntity", "The role with name r cannot be found.", 404})
}

// TestProviderAdministration drives the Go methods that change identity
// providers.
func TestProviderAdministration(t *testing.T) {
	e, _ := newTestEngine(t)
	iss := federation.NewOIDCIssuer("https://admin.example.com")
	arn, err := e.CreateOIDCProvider(OIDCProviderSpec{URL: iss.URL(), ClientIDs: []string{"a"}, JWKS: iss.JWKS()})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"b", "b"} {
		if err := e.AddOIDCClientID(arn, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.RemoveOIDCClientID(arn, "a"); err != nil {
		t.Fatal(err)
	}
	if got := e.oidcProviderByARN(arn).clientIDs; len(got) != 1 || got[0] != "b" {
		t.Errorf("client IDs %v, want [b]", got)
	}
	if err := e.DeleteOIDCProvider(arn); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.AddOIDCClientID(arn, "c"), &wantErr{"NoSuchEntity", "OpenIDConnect Provider not found for arn " + arn, 404})

	idp := federation.NewSAMLIdP("https://idp.example.com")
	sarn, err := e.CreateSAMLProvider(SAMLProviderSpec{Name: "idp", Metadata: idp.Metadata()})
	if err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.UpdateSAMLProvider(sarn, []byte("<nope/>")), &wantErr{"InvalidInput", "Could not parse metadata", 400})
	if err := e.UpdateSAMLProvider(sarn, federation.NewSAMLIdP("https://idp2.example.com").Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteSAMLProvider(sarn); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteSAMLProvider(sarn), &wantErr{"NoSuchEntity", "Manifest not found for arn " + sarn, 404})
	if _, err := e.CreateAWSManagedPolicy("no-slash", "x", adminPolicy); err == nil {
		t.Error("CreateAWSManagedPolicy accepted a path without slashes")
	}
}
