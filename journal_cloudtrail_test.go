package fakests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// These tests hold the journal's events to AWS's own CloudTrail records
// (behaviour §21): json.Marshal of an event, decoded, has the field names,
// JSON types and nesting of the IAM User Guide's example records
// (testdata/cloudtrail); IDs, times and accounts may differ, the values
// CloudTrail writes the same way are pinned literally.

// loadRecord decodes a record of testdata/cloudtrail.
func loadRecord(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cloudtrail", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// recordOf is json.Marshal of ev, decoded as a CloudTrail record would be.
func recordOf(t *testing.T, ev Event) map[string]any {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// shapeDiffs lists where got's shape differs from want's: a key one has and
// the other lacks, a JSON type that differs, a list of another length.
// Paths in extra may be in got only, paths in missing in want only.
func shapeDiffs(path string, want, got any, extra, missing []string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want an object", path, got)}
		}
		var out []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				if !slices.Contains(missing, path+"."+k) {
					out = append(out, fmt.Sprintf("%s.%s: missing", path, k))
				}
				continue
			}
			out = append(out, shapeDiffs(path+"."+k, wv, gv, extra, missing)...)
		}
		for k := range g {
			if _, ok := w[k]; !ok && !slices.Contains(extra, path+"."+k) {
				out = append(out, fmt.Sprintf("%s.%s: not in AWS's record", path, k))
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want a list", path, got)}
		}
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, len(g), len(w))}
		}
		var out []string
		for i := range w {
			out = append(out, shapeDiffs(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], extra, missing)...)
		}
		return out
	}
	if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
		return []string{fmt.Sprintf("%s: got %T %v, want %T", path, got, got, want)}
	}
	return nil
}

// at returns the value at a dotted path of a decoded record.
func at(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

// Fields of eventVersion 1.08 that the 1.05 examples predate; every STS
// record of 2026 carries them (behaviour §21).
var fields108 = []string{"$.readOnly", "$.managementEvent", "$.eventCategory"}

var (
	// eventTimeShape is eventTime's and creationDate's form.
	eventTimeShape = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	// expirationShape is credentials.expiration's form, as in AWS's
	// example ("Jul 18, 2023, 4:07:39 PM").
	expirationShape = regexp.MustCompile(`^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M$`)
	uuidShape       = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// TestJournalCloudTrailCrossAccountAssumeRole makes the call of AWS's
// example (an IAM user of 777788889999 assumes EC2-dev of 111122223333
// with a source identity and an MFA device) and compares the two events
// with the example's two records (behaviour §21).
func TestJournalCloudTrailCrossAccountAssumeRole(t *testing.T) {
	callerRecord := loadRecord(t, "assume-role-cross-account-caller.json")
	roleRecord := loadRecord(t, "assume-role-cross-account-role-account.json")
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			u := mustUser(t, e, UserSpec{Account: "777788889999", Name: "JohnDoe", Policies: []string{allowAssume}})
			dev, err := e.CreateVirtualMFADevice(u.ARN)
			if err != nil {
				t.Fatal(err)
			}
			role := mustRole(t, e, RoleSpec{Account: "111122223333", Name: "EC2-dev", TrustPolicy: trustPrincipal(u.ARN)})
			api, ctx := paths(e).byName(p.name).api(u.Credentials)
			out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN),
				RoleSessionName: aws.String("JohnDoe-EC2-dev"), SourceIdentity: aws.String("JohnDoe"),
				SerialNumber: aws.String(dev.SerialNumber), TokenCode: aws.String(dev.Code(e.Now()))})
			if err != nil {
				t.Fatal(err)
			}
			evs := e.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2 (the caller account's and the role account's)", len(evs))
			}
			caller, owner := recordOf(t, evs[0]), recordOf(t, evs[1])

			for _, d := range shapeDiffs("$", callerRecord, caller, fields108, nil) {
				t.Errorf("caller account's record: %s", d)
			}
			// AWS's example of the role account's copy leaves out eventType,
			// recipientAccountId and resources, which 2026 records of such
			// copies carry (behaviour §21).
			for _, d := range shapeDiffs("$", roleRecord, owner, append(fields108, "$.eventType", "$.recipientAccountId", "$.resources"), nil) {
				t.Errorf("role account's record: %s", d)
			}

			// Values CloudTrail writes as they are (literals of AWS's record
			// or of the request made here).
			for _, rec := range []map[string]any{caller, owner} {
				for path, want := range map[string]any{
					"eventVersion":                         "1.08",
					"eventSource":                          "sts.amazonaws.com",
					"eventName":                            "AssumeRole",
					"eventType":                            "AwsApiCall",
					"eventCategory":                        "Management",
					"awsRegion":                            "us-east-1",
					"eventTime":                            "2030-06-01T12:00:00Z",
					"readOnly":                             true,
					"requestParameters.roleArn":            "arn:aws:iam::111122223333:role/EC2-dev",
					"requestParameters.roleSessionName":    "JohnDoe-EC2-dev",
					"requestParameters.sourceIdentity":     "JohnDoe",
					"requestParameters.serialNumber":       "arn:aws:iam::777788889999:mfa/JohnDoe",
					"responseElements.sourceIdentity":      "JohnDoe",
					"responseElements.assumedRoleUser.arn": "arn:aws:sts::111122223333:assumed-role/EC2-dev/JohnDoe-EC2-dev",
					"responseElements.assumedRoleUser.assumedRoleId": aws.ToString(out.AssumedRoleUser.AssumedRoleId),
					"responseElements.credentials.accessKeyId":       aws.ToString(out.Credentials.AccessKeyId),
					"responseElements.credentials.sessionToken":      aws.ToString(out.Credentials.SessionToken),
					"responseElements.credentials.expiration":        "Jun 1, 2030, 1:00:00 PM",
				} {
					if got := at(rec, path); got != want {
						t.Errorf("%s = %#v, want %#v", path, got, want)
					}
				}
				if got := at(rec, "responseElements.credentials.expiration"); !expirationShape.MatchString(fmt.Sprint(got)) {
					t.Errorf("expiration %v is not in CloudTrail's form", got)
				}
				if got := at(rec, "eventTime"); !eventTimeShape.MatchString(fmt.Sprint(got)) {
					t.Errorf("eventTime %v is not in CloudTrail's form", got)
				}
				rs, _ := rec["resources"].([]any)
				if len(rs) != 1 || at(rs[0].(map[string]any), "type") != "AWS::IAM::Role" ||
					at(rs[0].(map[string]any), "ARN") != role.ARN || at(rs[0].(map[string]any), "accountId") != "111122223333" {
					t.Errorf("resources = %v, want the role", rec["resources"])
				}
				b, _ := json.Marshal(rec)
				for _, secret := range []string{aws.ToString(out.Credentials.SecretAccessKey), "secretAccessKey", "tokenCode"} {
					if strings.Contains(string(b), secret) {
						t.Errorf("record holds %q", secret)
					}
				}
			}
			for path, want := range map[string]any{
				"userIdentity.type":        "IAMUser",
				"userIdentity.userName":    "JohnDoe",
				"userIdentity.arn":         "arn:aws:iam::777788889999:user/JohnDoe",
				"userIdentity.accountId":   "777788889999",
				"userIdentity.principalId": u.UserID,
				"userIdentity.accessKeyId": u.Credentials.AccessKeyID,
				"recipientAccountId":       "777788889999",
			} {
				if got := at(caller, path); got != want {
					t.Errorf("caller's copy: %s = %#v, want %#v", path, got, want)
				}
			}
			for path, want := range map[string]any{
				"userIdentity.type":        "AWSAccount",
				"userIdentity.accountId":   "777788889999",
				"userIdentity.principalId": u.UserID,
				"recipientAccountId":       "111122223333",
			} {
				if got := at(owner, path); got != want {
					t.Errorf("role account's copy: %s = %#v, want %#v", path, got, want)
				}
			}
			// One request, two deliveries: the same requestID and
			// sharedEventID, two eventIDs.
			if caller["requestID"] != owner["requestID"] || caller["sharedEventID"] != owner["sharedEventID"] || caller["eventID"] == owner["eventID"] {
				t.Errorf("requestID %v/%v, sharedEventID %v/%v, eventID %v/%v: want the first two equal, the eventIDs different",
					caller["requestID"], owner["requestID"], caller["sharedEventID"], owner["sharedEventID"], caller["eventID"], owner["eventID"])
			}
			for _, k := range []string{"requestID", "sharedEventID", "eventID"} {
				if !uuidShape.MatchString(fmt.Sprint(caller[k])) {
					t.Errorf("%s %v is not a UUID", k, caller[k])
				}
			}
			if p.name == "client" {
				id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
				if id != caller["requestID"] {
					t.Errorf("requestID %v, want the client's x-amzn-RequestId %s", caller["requestID"], id)
				}
			}
		})
	}
}

// TestJournalCloudTrailRoleChaining compares the userIdentity of a role
// session's AssumeRole (role chaining, with a source identity, tags and a
// duration) with AWS's role-chaining example record (behaviour §21).
func TestJournalCloudTrailRoleChaining(t *testing.T) {
	want := loadRecord(t, "assume-role-chaining.json")
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t, Strict())
			u := mustUser(t, e, UserSpec{Account: "111111111111", Name: "JohnDoe", Policies: []string{allowAssume}})
			r1 := mustRole(t, e, RoleSpec{Account: "111111111111", Name: "JohnRole1", Path: "/team/", Policies: []string{allowAssume},
				TrustPolicy: trustPrincipal(u.ARN)})
			r2 := mustRole(t, e, RoleSpec{Account: "111111111111", Name: "JohnRole2", TrustPolicy: trustAccount("111111111111")})
			first, err := e.AssumeRole(typed(u.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(r1.ARN),
				RoleSessionName: aws.String("JohnRole1"), SourceIdentity: aws.String("JohnDoe")})
			if err != nil {
				t.Fatal(err)
			}
			e.ResetEvents()
			api, ctx := paths(e).byName(p.name).api(credsOf(first.Credentials))
			if _, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r2.ARN), RoleSessionName: aws.String("Role2WithTags"),
				SourceIdentity: aws.String("JohnDoe"), DurationSeconds: aws.Int32(3600),
				Tags:              []types.Tag{{Key: aws.String("Email"), Value: aws.String("johndoe@example.com")}, {Key: aws.String("CostCenter"), Value: aws.String("12345")}},
				TransitiveTagKeys: []string{"Email", "CostCenter"}}); err != nil {
				t.Fatal(err)
			}
			evs := e.Events()
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1 (a same-account call)", len(evs))
			}
			got := recordOf(t, evs[0])
			// incomingTransitiveTags (the transitive tags of the caller's
			// session, which this caller has none of) is not written
			// (behaviour §21).
			for _, d := range shapeDiffs("$", want, got, fields108, []string{"$.requestParameters.incomingTransitiveTags"}) {
				t.Errorf("%s", d)
			}
			for path, want := range map[string]any{
				"userIdentity.type":        "AssumedRole",
				"userIdentity.arn":         "arn:aws:sts::111111111111:assumed-role/JohnRole1/JohnRole1",
				"userIdentity.accessKeyId": aws.ToString(first.Credentials.AccessKeyId),
				"userIdentity.principalId": aws.ToString(first.AssumedRoleUser.AssumedRoleId),
				"userIdentity.sessionContext.attributes.mfaAuthenticated": "false",
				"userIdentity.sessionContext.attributes.creationDate":     "2030-06-01T12:00:00Z",
				"userIdentity.sessionContext.sessionIssuer.type":          "Role",
				"userIdentity.sessionContext.sessionIssuer.arn":           "arn:aws:iam::111111111111:role/team/JohnRole1", // with its path
				"userIdentity.sessionContext.sessionIssuer.userName":      "JohnRole1",
				"userIdentity.sessionContext.sessionIssuer.principalId":   r1.RoleID,
				"userIdentity.sessionContext.sourceIdentity":              "JohnDoe",
				"requestParameters.durationSeconds":                       float64(3600),
				"recipientAccountId":                                      "111111111111",
			} {
				if got := at(got, path); got != want {
					t.Errorf("%s = %#v, want %#v", path, got, want)
				}
			}
			if _, shared := got["sharedEventID"]; shared {
				t.Errorf("a same-account call has a sharedEventID")
			}
		})
	}
}
