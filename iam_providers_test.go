package fakests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestIAMOIDCProviders(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	thumb := strings.Repeat("a", 40)
	created := must(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.actions.githubusercontent.com"), ClientIDList: []string{"sts.amazonaws.com"},
		ThumbprintList: []string{thumb}}))(t)
	arn := "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	if aws.ToString(created.OpenIDConnectProviderArn) != arn {
		t.Errorf("ARN %s", aws.ToString(created.OpenIDConnectProviderArn))
	}
	// LocalStack's AWS-validated test_oidc recordings.
	_, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.actions.githubusercontent.com")})
	checkErr(t, err, &wantErr{"EntityAlreadyExists", "Provider with url https://token.actions.githubusercontent.com already exists.", 409})
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("example.org"), ThumbprintList: []string{thumb}})
	checkErr(t, err, &wantErr{"ValidationError", "Invalid Open ID Connect Provider URL", 400})
	six := []string{thumb, thumb, thumb, thumb, thumb, thumb}
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://thumbs.example.com"), ThumbprintList: six})
	checkErr(t, err, &wantErr{"InvalidInput", "Thumbprint list must contain fewer than 5 entries.", 400})
	var many []string
	for i := 0; i <= 100; i++ {
		many = append(many, fmt.Sprint(i))
	}
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://clients.example.com"),
		ThumbprintList: []string{thumb}, ClientIDList: many})
	checkErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100", 409})
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(strings.Repeat("b", 256)),
		ThumbprintList: []string{strings.Repeat("b", 41)}, ClientIDList: []string{strings.Repeat("b", 256)}})
	checkErr(t, err, &wantErr{"ValidationError", "3 validation errors detected: " +
		"Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; " +
		"Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]; " +
		"Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255", 400})

	must(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("second")}))(t)
	must(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("sts.amazonaws.com")}))(t)
	must(c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(arn), ThumbprintList: []string{strings.Repeat("b", 40)}}))(t)
	got := must(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)}))(t)
	want := &iam.GetOpenIDConnectProviderOutput{Url: aws.String("token.actions.githubusercontent.com"), ClientIDList: []string{"second"},
		ThumbprintList: []string{strings.Repeat("b", 40)}, CreateDate: aws.Time(testEpoch), Tags: []iamtypes.Tag{}}
	if diff := cmp.Diff(want, got, iamOpts, cmpopts.IgnoreUnexported(iam.GetOpenIDConnectProviderOutput{}), cmpopts.IgnoreFields(iam.GetOpenIDConnectProviderOutput{}, "ResultMetadata")); diff != "" {
		t.Errorf("GetOpenIDConnectProvider (-want +got):\n%s", diff)
	}
	list := must(c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}))(t)
	if len(list.OpenIDConnectProviderList) != 1 || aws.ToString(list.OpenIDConnectProviderList[0].Arn) != arn {
		t.Errorf("ListOpenIDConnectProviders: %v", list.OpenIDConnectProviderList)
	}
	must(c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)}))(t)
	_, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"NoSuchEntity", "OpenIDConnect Provider not found for arn " + arn, 404})
	_, err = c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"NoSuchEntity", "OpenId connect Provider " + arn + " cannot be found.", 404})
}

// TestIAMProvidersReachFederation: providers changed or deleted over IAM's
// wire are what AssumeRoleWithWebIdentity and AssumeRoleWithSAML see.
func TestIAMProvidersReachFederation(t *testing.T) {
	e, clk := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	iss := federation.NewOIDCIssuer("https://issuer.example.com")
	arn, err := e.CreateOIDCProvider(OIDCProviderSpec{URL: iss.URL(), ClientIDs: []string{"aud-1"}, JWKS: iss.JWKS()})
	if err != nil {
		t.Fatal(err)
	}
	role := mustRole(t, e, RoleSpec{Name: "web", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn + `"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`})
	token := iss.Token(federation.Claims{Subject: "s", Audience: []string{"aud-2"}, IssuedAt: clk.Now(), Expiry: clk.Now().Add(time.Hour)})
	assume := func() error {
		api, uctx := paths(e).byName("client").unsigned()
		_, err := api.AssumeRoleWithWebIdentity(uctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role.ARN),
			RoleSessionName: aws.String("web"), WebIdentityToken: aws.String(token)})
		return err
	}
	if assume() == nil {
		t.Fatal("a token for an audience the provider does not list was accepted")
	}
	must(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("aud-2")}))(t)
	if err := assume(); err != nil {
		t.Fatalf("after AddClientIDToOpenIDConnectProvider: %v", err)
	}
	if err := e.DeleteOIDCProvider(arn); err != nil {
		t.Fatal(err)
	}
	checkErr(t, assume(), &wantErr{"InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://issuer.example.com", 400})
}

func TestIAMSAMLProviders(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	idp := federation.NewSAMLIdP("https://idp.example.com/saml")
	md := string(idp.Metadata())
	created := must(c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Okta"), SAMLMetadataDocument: aws.String(md)}))(t)
	arn := "arn:aws:iam::123456789012:saml-provider/Okta"
	if aws.ToString(created.SAMLProviderArn) != arn {
		t.Errorf("ARN %s", aws.ToString(created.SAMLProviderArn))
	}
	got := must(c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arn)}))(t)
	// The shape of LocalStack's AWS-validated test_get_saml_provider.
	if aws.ToString(got.SAMLMetadataDocument) != md || got.AssertionEncryptionMode != "Allowed" || got.PrivateKeyList == nil ||
		got.Tags == nil || aws.ToTime(got.CreateDate) != testEpoch || got.ValidUntil == nil || len(aws.ToString(got.SAMLProviderUUID)) != 36 {
		t.Errorf("GetSAMLProvider: %+v", got)
	}
	// LocalStack's AWS-validated test_get_saml_provider_not_found.
	_, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::123456789012:saml-provider/NonExistentProvider")})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Manifest not found for arn arn:aws:iam::123456789012:saml-provider/NonExistentProvider", 404})
	_, err = c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Bad"), SAMLMetadataDocument: aws.String(strings.Repeat("<x/>", 300))})
	checkErr(t, err, &wantErr{"InvalidInput", "Could not parse metadata", 400})

	other := federation.NewSAMLIdP("https://idp2.example.com/saml")
	up := must(c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), SAMLMetadataDocument: aws.String(string(other.Metadata()))}))(t)
	if aws.ToString(up.SAMLProviderArn) != arn {
		t.Errorf("UpdateSAMLProvider: %s", aws.ToString(up.SAMLProviderArn))
	}
	list := must(c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{}))(t)
	if len(list.SAMLProviderList) != 1 || aws.ToString(list.SAMLProviderList[0].Arn) != arn {
		t.Errorf("ListSAMLProviders: %v", list.SAMLProviderList)
	}
	must(c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)}))(t)
	_, err = c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	checkErr(t, err, &wantErr{"NoSuchEntity", "Manifest not found for arn " + arn, 404})
}
