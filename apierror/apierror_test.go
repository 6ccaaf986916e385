package apierror

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func TestViolationsTemplate(t *testing.T) {
	var v Violations
	if err := v.Err(); err != nil {
		t.Fatalf("empty Violations: %v, want nil", err)
	}
	v.Add("Session1:2", "roleSessionName", Pattern(`[\w+=,.@-]*`))
	want := &Error{Code: "ValidationError", Status: 400, Fault: smithy.FaultClient,
		Message: `1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`}
	if d := cmp.Diff(want, v.Err()); d != "" {
		t.Errorf("one violation (-want +got):\n%s", d)
	}
	v.Null("taskPolicyArn")
	v.Add("901", "durationSeconds", MaxValue(900))
	v.Add("59", "durationSeconds", MinValue(60))
	v.Add("x", "name", MinLength(2))
	v.Add("xxx", "name", MaxLength(2))
	want.Message = "6 validation errors detected: " +
		`Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*; ` +
		"Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null; " +
		"Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900; " +
		"Value '59' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60; " +
		"Value 'x' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
		"Value 'xxx' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2"
	if d := cmp.Diff(want, v.Err()); d != "" {
		t.Errorf("six violations (-want +got):\n%s", d)
	}
}

func TestStatusAndFault(t *testing.T) {
	rows := []struct {
		code   string
		status int
		fault  smithy.ErrorFault
		wire   string
	}{
		{"AccessDenied", 403, smithy.FaultClient, "Sender"},
		{"ExpiredToken", 403, smithy.FaultClient, "Sender"},
		{"IDPRejectedClaim", 403, smithy.FaultClient, "Sender"},
		{"RegionDisabledException", 403, smithy.FaultClient, "Sender"},
		{"SessionDurationEscalationException", 403, smithy.FaultClient, "Sender"},
		{"JWTPayloadSizeExceededException", 400, smithy.FaultClient, "Sender"},
		{"OutboundWebIdentityFederationDisabledException", 403, smithy.FaultClient, "Sender"},
		{"ExpiredTradeInTokenException", 400, smithy.FaultClient, "Sender"},
		// IAM's outbound federation switch: botocore IAM model
		// FeatureEnabledException, FeatureDisabledException.
		{"FeatureEnabled", 409, smithy.FaultClient, "Sender"},
		{"FeatureDisabled", 404, smithy.FaultClient, "Sender"},
		{"ValidationError", 400, smithy.FaultClient, "Sender"},
		{"Throttling", 400, smithy.FaultClient, "Sender"},
		{"InternalFailure", 500, smithy.FaultServer, "Receiver"},
		{"ServiceUnavailable", 503, smithy.FaultServer, "Receiver"},
		{"SomethingNew", 400, smithy.FaultClient, "Sender"},
	}
	for _, r := range rows {
		e := New(r.code, "m")
		if e.Status != r.status || e.Fault != r.fault || e.WireFault() != r.wire {
			t.Errorf("New(%q) = status %d fault %v wire %s, want %d %v %s", r.code, e.Status, e.Fault, e.WireFault(), r.status, r.fault, r.wire)
		}
	}
}

func TestFrom(t *testing.T) {
	own := New("AccessDenied", "no")
	if got := From(fmt.Errorf("wrapped: %w", own)); got != own {
		t.Errorf("From(wrapped *Error) = %v, want the same *Error", got)
	}
	generic := &smithy.GenericAPIError{Code: "ExpiredToken", Message: "The security token included in the request is expired"}
	want := &Error{Code: "ExpiredToken", Status: 403, Fault: smithy.FaultClient, Message: "The security token included in the request is expired"}
	if d := cmp.Diff(want, From(generic)); d != "" {
		t.Errorf("From(GenericAPIError) (-want +got):\n%s", d)
	}
	want = &Error{Code: "InternalFailure", Status: 500, Fault: smithy.FaultServer, Message: "boom"}
	if d := cmp.Diff(want, From(errors.New("boom"))); d != "" {
		t.Errorf("From(plain error) (-want +got):\n%s", d)
	}
	if From(nil) != nil {
		t.Error("From(nil) is not nil")
	}
}
