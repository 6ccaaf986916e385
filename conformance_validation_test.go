package fakests

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// validation returns the ValidationError of behaviour §3 for one violation.
func validation(msg string) *wantErr {
	return &wantErr{"ValidationError", "1 validation error detected: " + msg, 400}
}

// TestConformanceValidationAssumeRole pins AssumeRole's server-side
// validation (the Go SDK checks only required members, behaviour §1.1): the §3
// message template with the §4 constraints, and the RoleArn shape check
// (§10).
func TestConformanceValidationAssumeRole(t *testing.T) {
	w := newWorld(t)
	role := aws.String(w.long.ARN)
	sess := aws.String("ok-session")
	s65 := strings.Repeat("s", 65)
	rows := []struct {
		name string
		in   *sts.AssumeRoleInput
		want *wantErr
	}{
		{"RoleSessionName of one character is below the minimum of 2",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("x")},
			validation("Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2")},
		{"RoleSessionName of 65 characters is above the maximum of 64",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String(s65)},
			validation("Value '" + s65 + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64")},
		{"RoleSessionName with a colon fails the pattern",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("Session1:2")},
			validation(`Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`)},
		{"DurationSeconds 600 is below 900",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, DurationSeconds: aws.Int32(600)},
			validation("Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")},
		{"DurationSeconds 43201 is above the AssumeRole maximum 43200",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, DurationSeconds: aws.Int32(43201)},
			validation("Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")},
		{"malformed RoleArn is '<arn> is invalid'",
			&sts.AssumeRoleInput{RoleArn: aws.String("arn:a:::something/test-role"), RoleSessionName: sess},
			&wantErr{"ValidationError", "arn:a:::something/test-role is invalid", 400}},
		{"a RoleArn of ARN shape passes the check and the session-name error is reported",
			&sts.AssumeRoleInput{RoleArn: aws.String("arn:a:b:::something/test-role"), RoleSessionName: aws.String("Session1:2")},
			validation(`Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`)},
		{"ExternalId of one character is below the minimum of 2",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, ExternalId: aws.String("e")},
			validation("Value 'e' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2")},
		{"ExternalId with a space fails its pattern",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, ExternalId: aws.String("ext id")},
			validation(`Value 'ext id' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`)},
		{"ExternalId of 1225 characters is above 1224",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, ExternalId: aws.String(strings.Repeat("e", 1225))},
			validation("Value '" + strings.Repeat("e", 1225) + "' at 'externalId' failed to satisfy constraint: Member must have length less than or equal to 1224")},
		{"SerialNumber of 8 characters is below 9",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SerialNumber: aws.String("GAHT1234"), TokenCode: aws.String("123456")},
			validation("Value 'GAHT1234' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9")},
		{"SerialNumber with a space fails its pattern",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SerialNumber: aws.String("GAHT 12345678"), TokenCode: aws.String("123456")},
			validation(`Value 'GAHT 12345678' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=/:,.@-]*`)},
		{"TokenCode of 5 digits is below 6",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("12345")},
			validation("Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6")},
		{"TokenCode of 7 digits is above 6",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("1234567")},
			validation("Value '1234567' at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6")},
		{"TokenCode with a letter fails [\\d]*",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("12345a")},
			validation(`Value '12345a' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`)},
		{"SourceIdentity of one character is below 2",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SourceIdentity: aws.String("a")},
			validation("Value 'a' at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2")},
		{"SourceIdentity starting with aws: fails the pattern",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, SourceIdentity: aws.String("aws:admin")},
			validation(`Value 'aws:admin' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`)},
		{"two violations are counted and joined with '; '",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("x"), DurationSeconds: aws.Int32(600)},
			&wantErr{"ValidationError", "2 validation errors detected: " +
				"Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", 400}},
		{"a bad session name and a bad tag key are one ValidationError, in member order",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("x"),
				Tags: []types.Tag{{Key: aws.String("a,b"), Value: aws.String("v")}}},
			&wantErr{"ValidationError", "2 validation errors detected: " +
				"Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				`Value 'a,b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`, 400}},
		{"a bad tag value comes before a bad transitive key and after DurationSeconds",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, DurationSeconds: aws.Int32(600),
				Tags:              []types.Tag{{Key: aws.String("k"), Value: aws.String("v!")}},
				TransitiveTagKeys: []string{"k!"}},
			&wantErr{"ValidationError", "3 validation errors detected: " +
				"Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
				`Value 'v!' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*; ` +
				`Value '[k!]' at 'transitiveTagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, ` +
				`Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+]`, 400}},
		{"51 tags render as AWS's recording shows them",
			&sts.AssumeRoleInput{RoleArn: role, RoleSessionName: sess, Tags: numberedTags(51)},
			validation("Value '[" + numberedTagList(51) + "]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.bob.Credentials)
				_, err := api.AssumeRole(ctx, row.in)
				checkErr(t, err, row.want)
			})
		}
	}
}

// TestConformanceValidationTokens pins the validation of GetSessionToken
// and GetFederationToken (behaviour §3, §4, §11.9, §11.10).
func TestConformanceValidationTokens(t *testing.T) {
	w := newWorld(t)
	n33 := strings.Repeat("n", 33)
	type call func(context.Context, stsAPI) error
	gft := func(in *sts.GetFederationTokenInput) call {
		return func(ctx context.Context, api stsAPI) error { _, err := api.GetFederationToken(ctx, in); return err }
	}
	gst := func(in *sts.GetSessionTokenInput) call {
		return func(ctx context.Context, api stsAPI) error { _, err := api.GetSessionToken(ctx, in); return err }
	}
	rows := []struct {
		name string
		call call
		want *wantErr
	}{
		{"GetFederationToken Name of 33 characters is above 32",
			gft(&sts.GetFederationTokenInput{Name: aws.String(n33)}),
			validation("Value '" + n33 + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32")},
		{"GetFederationToken Name of one character is below 2",
			gft(&sts.GetFederationTokenInput{Name: aws.String("n")}),
			validation("Value 'n' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2")},
		{"GetFederationToken Name with a slash fails the pattern",
			gft(&sts.GetFederationTokenInput{Name: aws.String("a/b")}),
			validation(`Value 'a/b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`)},
		{"GetFederationToken DurationSeconds 129601 is above 129600",
			gft(&sts.GetFederationTokenInput{Name: aws.String("Dave"), DurationSeconds: aws.Int32(129601)}),
			validation("Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600")},
		{"GetSessionToken DurationSeconds 600 is below 900",
			gst(&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(600)}),
			validation("Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")},
		{"GetSessionToken DurationSeconds 129601 is above 129600",
			gst(&sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)}),
			validation("Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600")},
		{"GetSessionToken TokenCode of 5 digits is below 6",
			gst(&sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("12345")}),
			validation("Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6")},
		{"GetSessionToken SerialNumber of 8 characters is below 9",
			gst(&sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT1234"), TokenCode: aws.String("123456")}),
			validation("Value 'GAHT1234' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9")},
	}
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.bob.Credentials)
				checkErr(t, row.call(ctx, api), row.want)
			})
		}
	}
}

// TestConformanceValidationBeforeAuthorization pins that model validation of
// every member, session tags included, comes before the who-may-call rules:
// root credentials with a bad tag get the ValidationError, not the
// AccessDenied that root would get for a valid request.
func TestConformanceValidationBeforeAuthorization(t *testing.T) {
	w := newWorld(t)
	root := w.e.RootCredentials("")
	in := &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("s1"),
		Tags: []types.Tag{{Key: aws.String(""), Value: aws.String("v")}}}
	for _, p := range paths(w.e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(root)
			_, err := api.AssumeRole(ctx, in)
			checkErr(t, err, &wantErr{"ValidationError", "2 validation errors detected: " +
				"Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				`Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`, 400})
			in2 := *in
			in2.Tags = nil
			_, err = api.AssumeRole(ctx, &in2)
			checkErr(t, err, &wantErr{"AccessDenied", "Roles may not be assumed by root accounts.", 403})
		})
	}
}

// numberedTags returns n tags 0=test, 1=test, ...
func numberedTags(n int) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(strconv.Itoa(i)), Value: aws.String("test")}
	}
	return out
}

// numberedTagList is how AWS's recorded answer renders numberedTags(n)
// inside a ValidationError: Tag(key=0, value=test), Tag(key=1, value=test), ...
func numberedTagList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "Tag(key=" + strconv.Itoa(i) + ", value=test)"
	}
	return strings.Join(parts, ", ")
}
