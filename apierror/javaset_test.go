package apierror

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSetOrderFitsRecordedAnswers checks SetOrder against every public answer
// of AWS that reports two constraints of one member (behaviour §3): each pair
// is given in the order the validator checks them (length, then pattern) and
// must come out in the order AWS printed it.
func TestSetOrderFitsRecordedAnswers(t *testing.T) {
	const arn = `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	rows := []struct {
		source string
		in     []string
		want   []string
	}{
		{"newscorpaus/consigliere#18, mmmorris1975/aws-runas#80: empty RoleArn",
			[]string{"Member must have length greater than or equal to 20", arn},
			[]string{arn, "Member must have length greater than or equal to 20"}},
		{"justincormack/argmin sts_oracle.rs: 2049 supplementary characters in RoleArn",
			[]string{"Member must have length less than or equal to 2048", arn},
			[]string{arn, "Member must have length less than or equal to 2048"}},
		{"radkawar/stackd iam/outbound_issuance.json: empty tag key",
			[]string{"Member must have length greater than or equal to 1", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
			[]string{"Member must have length greater than or equal to 1", `Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`}},
		{"radkawar/stackd iam/outbound_issuance.json: Audience element constraints",
			[]string{"Member must have length greater than or equal to 1", "Member must have length less than or equal to 1000"},
			[]string{"Member must have length less than or equal to 1000", "Member must have length greater than or equal to 1"}},
	}
	for _, row := range rows {
		if diff := cmp.Diff(row.want, SetOrder(row.in)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", row.source, diff)
		}
	}
}

// TestSetOrderOfTheModelsMembers pins the order for the constraint sets of
// STS's string shapes that can fail twice (behaviour §3), so that a change to
// SetOrder shows here first.
func TestSetOrderOfTheModelsMembers(t *testing.T) {
	got := SetOrder([]string{
		"Member must have length less than or equal to 128",
		"Member must have length greater than or equal to 1",
		`Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`,
	})
	want := []string{
		"Member must have length less than or equal to 128",
		"Member must have length greater than or equal to 1",
		`Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tagKeyType constraints (-want +got):\n%s", diff)
	}
	if got := SetOrder([]string{"a", "a"}); len(got) != 1 {
		t.Errorf("SetOrder keeps duplicates: %q", got)
	}
}
