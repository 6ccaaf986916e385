package federation

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/fedverify"
	"github.com/google/go-cmp/cmp"
)

// oidcT0 is the fixed instant of the OIDC tests: issuer clock and engine clock.
var oidcT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	oidcTestURL = "https://token.actions.githubusercontent.com"
	oidcTestAud = "sts.amazonaws.com"
)

// oidcFixedClock returns a clock stuck at t.
func oidcFixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// oidcCheck is the check of a verification at oidcT0 against keys.
func oidcCheck(keys []byte) fedverify.WebIdentityCheck {
	return fedverify.WebIdentityCheck{Keys: keys, ClientIDs: []string{oidcTestAud}, Now: oidcT0}
}

// oidcBasicClaims are the claims of a GitHub-Actions-style token.
func oidcBasicClaims() Claims {
	return Claims{Subject: "repo:o/r:ref:refs/heads/main", Audience: []string{oidcTestAud}}
}

// oidcWantErr fails unless err is exactly the *apierror.Error want.
func oidcWantErr(t *testing.T, err error, want *apierror.Error) {
	t.Helper()
	var got *apierror.Error
	if !errors.As(err, &got) {
		t.Fatalf("error %v (%T) is not a *apierror.Error", err, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("error mismatch (-want +got):\n%s", d)
	}
}

// Expected errors, written out literally (not the verifier's constants) so a
// typo in a constant cannot hide from the tests.
var (
	oidcErrNoKey     = verr("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	oidcErrSignature = verr("InvalidIdentityToken", "The signature of the ID Token could not be verified with the identity provider's keys")
)

// verr is the error STS answers with for code and msg: a sender fault with
// the status AWS gives that code (pinned here, not looked up).
func verr(code, msg string) *apierror.Error {
	status := map[string]int{"InvalidIdentityToken": 400, "ExpiredTokenException": 400, "AccessDenied": 403}[code]
	if status == 0 {
		panic("verr: no status pinned for " + code)
	}
	return &apierror.Error{Code: code, Status: status, Fault: smithy.FaultClient, Message: msg}
}
