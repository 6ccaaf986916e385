package fakests

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestAuthorizeRefusesPrincipalsItDidNotHandOut pins that Authorize decides
// only on principals the engine produced: a hand-made root principal is
// refused, and changing the fields of a real one changes nothing.
func TestAuthorizeRefusesPrincipalsItDidNotHandOut(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	bob := mustUser(t, e, UserSpec{Name: "bob", Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}})
	req := Request{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::b"}
	ctx := context.Background()

	for name, p := range map[string]*Principal{
		"hand-made root": {Type: Root, Account: "123456789012", ARN: "arn:aws:iam::123456789012:root", UserID: "123456789012"},
		"nil":            nil,
	} {
		d, err := e.Authorize(ctx, p, req)
		if err == nil || d != nil {
			t.Errorf("%s: Authorize = %+v, %v; want an error", name, d, err)
		}
	}

	p, err := e.Principal(bob.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	if p.ARN != "arn:aws:iam::123456789012:user/bob" || p.Type != IAMUser {
		t.Fatalf("Principal(bob) = %s %v", p.ARN, p.Type)
	}
	p.Type, p.ARN, p.Account = Root, "arn:aws:iam::123456789012:root", "123456789012"
	d, err := e.Authorize(ctx, p, req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Principal.ARN != "arn:aws:iam::123456789012:user/bob" {
		t.Errorf("a principal whose fields were changed to root: Allowed %v as %s; want denied as bob", d.Allowed, d.Principal.ARN)
	}
	d, err = e.Authorize(ctx, d.Principal, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	if err != nil || !d.Allowed {
		t.Errorf("the decision's principal is not accepted again: %v, %v", d, err)
	}

	other := New(Strict())
	if _, err := other.Authorize(ctx, p, req); err == nil {
		t.Error("another engine accepted this engine's principal")
	}
}

// TestPrincipalChecksCredentials pins that Engine.Principal fails as a
// signed request would.
func TestPrincipalChecksCredentials(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	bob := mustUser(t, e, UserSpec{Name: "bob"})
	wrong := bob.Credentials
	wrong.SecretAccessKey = "wrong" + wrong.SecretAccessKey[5:]
	rows := []struct {
		name  string
		creds aws.Credentials
		want  string
	}{
		{"wrong secret", wrong, "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{"unknown key", aws.Credentials{AccessKeyID: "AKIAQ2O3CZ7XJMAVT3KE", SecretAccessKey: "x"}, "InvalidClientTokenId: The security token included in the request is invalid."},
	}
	for _, r := range rows {
		if _, err := e.Principal(r.creds); err == nil || err.Error() != r.want {
			t.Errorf("%s: Principal error %v, want %q", r.name, err, r.want)
		}
	}
}
