package fakests

import (
	"errors"
	"regexp"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// iamErr is an IAM error as the administration methods return it: code,
// message and HTTP status.
type iamErr struct {
	Code, Message string
	Status        int
}

// iamErrOf describes err, which must satisfy smithy.APIError and carry an
// HTTP status.
func iamErrOf(t *testing.T, err error) *iamErr {
	t.Helper()
	if err == nil {
		return nil
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%v (%T) is not a smithy.APIError", err, err)
	}
	var hs interface{ HTTPStatus() int }
	if !errors.As(err, &hs) {
		t.Fatalf("%v (%T) has no HTTP status", err, err)
	}
	return &iamErr{ae.ErrorCode(), ae.ErrorMessage(), hs.HTTPStatus()}
}

// issuerRE is the shape of an outbound issuer (behaviour §16).
var issuerRE = regexp.MustCompile(`^https://[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.tokens\.sts\.global\.api\.aws$`)

// TestOutboundFederationSwitch replays the IAM side of stackd's
// iam/outbound_issuance.json (info_initial, enable, enable_again,
// info_enabled, disable, info_disabled, disable_again, reenable,
// info_reenabled) and iam/outbound_identity.json (info_initial): off by
// default, AWS's codes, statuses and messages, and the same issuer after a
// re-enable (behaviour §16).
func TestOutboundFederationSwitch(t *testing.T) {
	e, _ := newTestEngine(t)
	const src = "radkawar/stackd testdata/aws/iam/outbound_issuance.json "
	disabled := &iamErr{"FeatureDisabled", "Outbound identity federation is disabled for account 123456789012", 404}

	_, err := e.OutboundWebIdentityFederationInfo("")
	if d := cmp.Diff(disabled, iamErrOf(t, err)); d != "" {
		t.Errorf("%sinfo_initial (-want +got):\n%s", src, d)
	}
	iss, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil || !issuerRE.MatchString(iss) {
		t.Fatalf("%senable: %q, %v; want an issuer matching %s", src, iss, err, issuerRE)
	}
	_, err = e.EnableOutboundWebIdentityFederation("123456789012")
	if d := cmp.Diff(&iamErr{"FeatureEnabled", "Outbound identity federation is already enabled for account 123456789012", 409}, iamErrOf(t, err)); d != "" {
		t.Errorf("%senable_again (-want +got):\n%s", src, d)
	}
	info, err := e.OutboundWebIdentityFederationInfo("123456789012")
	if d := cmp.Diff(OutboundFederationInfo{IssuerIdentifier: iss, JWTVendingEnabled: true}, info); err != nil || d != "" {
		t.Errorf("%sinfo_enabled: %v (-want +got):\n%s", src, err, d)
	}
	if err := e.DisableOutboundWebIdentityFederation(""); err != nil {
		t.Fatalf("%sdisable: %v", src, err)
	}
	_, err = e.OutboundWebIdentityFederationInfo("")
	if d := cmp.Diff(disabled, iamErrOf(t, err)); d != "" {
		t.Errorf("%sinfo_disabled (-want +got):\n%s", src, d)
	}
	err = e.DisableOutboundWebIdentityFederation("")
	if d := cmp.Diff(&iamErr{"FeatureDisabled", "Outbound identity federation is already disabled for account 123456789012", 404}, iamErrOf(t, err)); d != "" {
		t.Errorf("%sdisable_again (-want +got):\n%s", src, d)
	}
	again, err := e.EnableOutboundWebIdentityFederation("")
	if err != nil || again != iss {
		t.Errorf("%sreenable: %q, %v; want the same issuer %q", src, again, err, iss)
	}
	if info, err := e.OutboundWebIdentityFederationInfo(""); err != nil || info.IssuerIdentifier != iss || !info.JWTVendingEnabled {
		t.Errorf("%sinfo_reenabled: %+v, %v", src, info, err)
	}

	// Another account has an issuer of its own, and its switch is its own.
	_, err = e.OutboundWebIdentityFederationInfo("210987654321")
	if d := cmp.Diff(&iamErr{"FeatureDisabled", "Outbound identity federation is disabled for account 210987654321", 404}, iamErrOf(t, err)); d != "" {
		t.Errorf("another account is off (-want +got):\n%s", d)
	}
	other, err := e.EnableOutboundWebIdentityFederation("210987654321")
	if err != nil || !issuerRE.MatchString(other) || other == iss {
		t.Errorf("another account's issuer %q, %v; want a new issuer unlike %q", other, err, iss)
	}

	// An account that is not 12 digits is a plain error of the Go method.
	if _, err := e.EnableOutboundWebIdentityFederation("12345"); err == nil || errors.As(err, new(smithy.APIError)) {
		t.Errorf("account 12345: %v; want a plain error", err)
	}
}

// TestOutboundIssuerFollowsWithRand: the issuer is drawn from the engine's
// randomness, so WithRand makes it reproducible.
func TestOutboundIssuerFollowsWithRand(t *testing.T) {
	issuer := func() string {
		e := New(WithRand(zeroReader{}))
		iss, err := e.EnableOutboundWebIdentityFederation("")
		if err != nil {
			t.Fatal(err)
		}
		return iss
	}
	a, b := issuer(), issuer()
	if a != b || !issuerRE.MatchString(a) {
		t.Errorf("issuers %q and %q from the same bytes; want equal and of the issuer shape", a, b)
	}
}
