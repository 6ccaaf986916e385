package policy

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// iamStmt wraps statement objects into a 2012-10-17 document.
func iamStmt(stmts string) string {
	return `{"Version":"2012-10-17","Statement":` + stmts + `}`
}

// TestCheckIAM pins IAM's stages and texts (behaviour §18.2). Rows marked
// "recorded" are documents of LocalStack's AWS-validated
// test_create_policy_invalid_document or test_create_policy_valid_document
// (the whole set is replayed in the root package's
// TestConformanceCreatePolicyDocuments); the others pin the order of the
// stages on documents of our own, or fakests' choices where AWS's answer is
// unrecorded.
func TestCheckIAM(t *testing.T) {
	const ok = `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`
	tests := []struct {
		name    string
		doc     string
		managed bool
		want    string // IAM's text; "" when CheckIAM accepts
	}{
		{"a plain document", iamStmt(ok), true, ""},
		{"an inline policy may have no Version", `{"Statement":` + ok + `}`, false, ""},
		{"an inline policy may be 2008-10-17", `{"Version":"2008-10-17","Statement":` + ok + `}`, false, ""},
		{"a managed policy without Version (recorded)", `{"Statement":` + ok + `}`, true, "Policy document must be version 2012-10-17 or greater."},
		{"a managed policy of 2008-10-17 (recorded)", `{"Version":"2008-10-17","Statement":` + ok + `}`, true, "Policy document must be version 2012-10-17 or greater."},
		{"syntax comes before the version", `{"Statement":` + ok + `,"Extra":1}`, true, "Syntax errors in policy."},
		{"an unknown Version is a syntax error (recorded)", `{"Version":"2013-10-17","Statement":` + ok + `}`, true, "Syntax errors in policy."},
		{"an Effect that is no effect (recorded)", iamStmt(`{"Effect":"invalid","Action":"s3:ListBucket","Resource":"*"}`), true, "Syntax errors in policy."},
		{"an empty Statement list (recorded)", iamStmt(`[]`), true, "Syntax errors in policy."},
		{"Resource with NotResource, even empty (recorded)", iamStmt(`{"Effect":"Allow","NotAction":"s3:ListBucket","Resource":"*","NotResource":[]}`), true, "Syntax errors in policy."},
		{"Action with NotAction, even empty (recorded)", iamStmt(`{"Effect":"Allow","NotAction":"s3s:ListBucket","Action":[],"Resource":"*"}`), true, "Syntax errors in policy."},
		{"an unknown condition operator (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"x":{"a":"1"}}}`), true, "Syntax errors in policy."},
		{"a set prefix with two colons (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"ForAnyValue::StringEqualsIfExists":{"a":"asf"}}}`), true, "Syntax errors in policy."},
		{"a condition value that is an object, before a missing Action (recorded)", iamStmt(`{"Effect":"Allow","Resource":"*","Condition":{"DateGreaterThan":{"a":{}}}}`), true, "Syntax errors in policy."},
		{"a Sid of the wrong type", iamStmt(`{"Sid":1,"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`), true, "Syntax errors in policy."},
		{"a duplicate key", iamStmt(`{"Effect":"Allow","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`), true, "Syntax errors in policy."},
		{"not JSON (recorded)", `This is not a json document`, true, "Syntax errors in policy."},
		{"an Effect not spelt exactly (recorded)", iamStmt(`{"Effect":"denY","Action":"s3:ListBucket","Resource":"*"}`), true, "The policy failed legacy parsing"},
		{"the version before legacy parsing (recorded)", `{"Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"*"}}`, true, "Policy document must be version 2012-10-17 or greater."},
		{"legacy parsing before a duplicate Sid (recorded)", iamStmt(`[{"Sid":"sdf","Effect":"aLLow","Action":"s3:ListBucket","Resource":"*"},{"Sid":"sdf","Effect":"Allow"}]`), true, "The policy failed legacy parsing"},
		{"legacy parsing before a missing Action (recorded)", iamStmt(`{"Effect":"Allow","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}`), true, "The policy failed legacy parsing"},
		{"a date in a list, behind IfExists", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"ForAnyValue:DateEqualsIfExists":{"a":["2020-01-01","2020-13-01"]}}}`), true, "The policy failed legacy parsing"},
		{"dates are read for Date operators only", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"a":"sdfdsf"}}}`), true, ""},
		{"a resource of too few parts before a missing Action (recorded)", iamStmt(`{"Effect":"Allow","Resource":"arn:aws:s3::example_bucket"}`), true, "The policy failed legacy parsing"},
		{"a NotResource of too few parts (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","NotResource":"arn:aws:s3::example_bucket"}`), true, "The policy failed legacy parsing"},
		{"a date before a resource's partition (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:error:s3:::example_bucket","Condition":{"DateGreaterThan":{"a":"sdfdsf"}}}`), true, "The policy failed legacy parsing"},
		{"a resource's format after a missing Action", iamStmt(`{"Effect":"Allow","Resource":"sdfsadf"}`), true, "Policy statement must contain actions."},
		{"a resource's format before an action's colons (recorded)", iamStmt(`{"Effect":"Allow","Action":"s:3:ListBucket","Resource":"sdfsadf"}`), true, `Resource sdfsadf must be in ARN format or "*".`},
		{"the first faulty resource of a list (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":["arn:error:s3:::example_bucket","arn:error:s3::example_bucket"]}`), true, `Partition "error" is not valid for resource "arn:error:s3:::example_bucket".`},
		{"the first faulty statement (recorded)", iamStmt(`[{"Effect":"Allow","Action":"account:EnableRegion","Resource":""},{"Effect":"Allow","Action":"account:ListRegions","Resource":""}]`), true, `Resource  must be in ARN format or "*".`},
		{"a fault kept stops the legacy parser on later statements", iamStmt(`[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"bad"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::b"}]`), true, `Resource bad must be in ARN format or "*".`},
		{"Resources before NotResources", iamStmt(`[{"Effect":"Allow","Action":"s3:ListBucket","NotResource":"bad"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"worse"}]`), true, `Resource worse must be in ARN format or "*".`},
		{"a vendor with a space (recorded)", iamStmt(`{"Effect":"Allow","Action":"a a:ListBucket","Resource":"arn:aws:s3:::example_bucket"}`), true, "Vendor a a is not valid"},
		{"two colons in a later statement (recorded)", iamStmt(`[{"Effect":"Allow","Action":"s3s:ListBucket","Resource":"*"},{"Effect":"Allow","Action":"s:3s:ListBucket","Resource":"*"}]`), true, "Actions/Condition can contain only one colon."},
		{"an empty NotAction has no vendor (recorded)", iamStmt(`{"Effect":"Allow","NotAction":"","Resource":"arn:aws:s3:::example_bucket"}`), true, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"Actions before NotActions", iamStmt(`[{"Effect":"Allow","NotAction":"invalid","Resource":"*"},{"Effect":"Allow","Action":"a a:b","Resource":"*"}]`), true, "Vendor a a is not valid"},
		{"a duplicate Sid before a missing Action (recorded)", iamStmt(`[{"Sid":"sdf","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"},{"Sid":"sdf","Effect":"Allow"}]`), true, "Statement IDs (SID) in a single policy must be unique."},
		{"empty Sids are not duplicates (recorded accepted)", iamStmt(`[{"Sid":"","Effect":"Allow","Action":"rds:*","Resource":["arn:aws:rds:region:*:*"]},{"Sid":"","Effect":"Allow","Action":["rds:Describe*"],"Resource":["*"]}]`), true, ""},
		{"an empty Action list (recorded)", iamStmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), true, "Policy statement must contain actions."},
		{"a later statement without Action (recorded)", iamStmt(`[{"Effect":"Deny"},` + ok + `]`), true, "Policy statement must contain actions."},
		{"a missing Action in any statement before a missing Resource", iamStmt(`[{"Effect":"Allow","Action":"s3:ListBucket"},{"Effect":"Allow","Resource":"*"}]`), true, "Policy statement must contain actions."},
		{"an empty Resource list (recorded)", iamStmt(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":[]}`), true, "Policy statement must contain resources."},
		{"a missing Resource before a vendorless action (recorded)", iamStmt(`{"Effect":"Allow","Action":"invalid"}`), true, "Policy statement must contain resources."},
		{"a Principal is left to Parse", iamStmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"*"}`), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want *Error
			if tt.want != "" {
				want = &Error{Message: tt.want}
			}
			if diff := cmp.Diff(want, errOf(t, CheckIAM(tt.doc, tt.managed))); diff != "" {
				t.Errorf("CheckIAM (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckIAMLeavesParseAlone pins that STS's answers do not move: Parse
// keeps its own texts for what CheckIAM words as IAM (behaviour §6).
func TestCheckIAMLeavesParseAlone(t *testing.T) {
	for doc, want := range map[string]string{
		iamStmt(`[]`): "Policy document must contain at least one statement.",
		iamStmt(`{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}`): "Statement cannot contain both Resource and NotResource.",
		iamStmt(`{"Effect":"Allow","Action":"invalid"}`):                               "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
	} {
		_, err := Parse(doc, Identity)
		var pe *Error
		if !errors.As(err, &pe) || pe.Message != want {
			t.Errorf("Parse(%s) = %v, want %q", doc, err, want)
		}
	}
}

// TestLegacyDate pins which Date condition values IAM's legacy parser
// reads (behaviour §18.2).
func TestLegacyDate(t *testing.T) {
	for v, want := range map[string]bool{
		// Recorded accepted (test_create_policy_valid_document).
		"2016-12-13T21:20:37.593194+00:00": true,
		"2016-12-13t2:00:00.593194+23":     true,
		"-292275054":                       true,
		// Recorded refused (test_create_policy_invalid_document).
		"sdfdsf":                              false,
		"234-13":                              false,
		"2016-12-13t2:00:00.593194+1":         false,
		"2016-12-13t2:00:00.1999999999+10:59": false,
		"9223372036854775808":                 false,
		// Our own rows: the forms AWS documents, the ranges' edges, and
		// fakests' choices (a negative offset, a policy variable).
		"2020-01-01T00:00:00Z":      true,
		"2020-01-01":                true,
		"1700000000":                true,
		"9223372036854775807":       true,
		"-1":                        true, // a negative year
		"2019-06-30T23:59:59-05:00": true,
		"${aws:TokenIssueTime}":     true,
		"2020-01-01T24:00:00Z":      false,
		"2020-01-01T00:60:00Z":      false,
		"2020-01-01T00:00:60Z":      false,
		"2020-01-32":                false,
		"2020-01-01-01":             false,
		"2020-01-01T00:00:00Zx":     false,
		"2020-01-01T00:00:00.Z":     false,
		"292278994-01-01":           false,
		"1.5":                       false,
		"":                          false,
	} {
		if got := legacyDate(v); got != want {
			t.Errorf("legacyDate(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestResourceFormat pins IAM's texts for resources (behaviour §18.2).
func TestResourceFormat(t *testing.T) {
	for r, want := range map[string]string{
		// Recorded refused (test_create_policy_invalid_document).
		"invalid resource":                      `Resource invalid resource must be in ARN format or "*".`,
		"":                                      `Resource  must be in ARN format or "*".`,
		"adf":                                   `Resource adf must be in ARN format or "*".`,
		"a:bsdfdsafsad":                         `Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".`,
		"a:b:cadfsdf":                           `Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".`,
		"a:b:c:d:e:f:g:h":                       `Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".`,
		"aws:s3:::example_bucket":               `Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".`,
		"arn:error:s3:::example_bucket":         `Partition "error" is not valid for resource "arn:error:s3:::example_bucket".`,
		"arn:aws":                               "Resource vendor must be fully qualified and cannot contain regexes.",
		"arn:aws:iam:us-east-1::example_bucket": "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
		"arn:aws:s3:us-east-1::example_bucket":  "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
		"arn:aws:iam:::example_bucket":          `IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`,
		// Recorded accepted (test_create_policy_valid_document).
		"*":                           "",
		"arn:aws:s3:::example_bucket": "",
		"arn:aws:ec2:*:*:volume/*":    "",
		"arn:aws:rds:region:*:*":      "",
		"arn:aws:s3:::bucket-name/${cognito-identity.amazonaws.com:sub}/*": "",
		"arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point":    "",
		// Our own rows: the IAM paths the text names, and fakests'
		// choices (other partitions, wildcards, a first part not "arn").
		"arn:aws:iam::123456789012:root":         "",
		"arn:aws:iam::123456789012:*":            "",
		"arn:aws:iam::*:role/*":                  "",
		"arn:aws:iam::aws:policy/ReadOnlyAccess": "",
		"arn:aws:iam::123456789012:user":         `IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`,
		"arn:aws-cn:s3:::b":                      "",
		"arn:*:s3:::b":                           "",
		"arn:aws:s3:*:*:accesspoint/*":           "",
		"arn::s3:::b":                            `Partition "" is not valid for resource "arn::s3:::b".`,
		"foo:aws:s3:::b":                         `Resource foo:aws:s3:::b must be in ARN format or "*".`,
	} {
		if got := resourceFormat(r); got != want {
			t.Errorf("resourceFormat(%q) = %q, want %q", r, got, want)
		}
	}
}

// TestLegacyResource pins which resources IAM's legacy parser reads
// (behaviour §18.2).
func TestLegacyResource(t *testing.T) {
	for r, want := range map[string]bool{
		"arn:aws:s3::example_bucket":                false, // recorded
		"arn:aws::::example_bucket":                 false, // recorded
		"arn:aws::fdsasf":                           false, // recorded
		"arn:aws:s3:::example_bucket":               true,
		"arn:aws:sns:us-east-1:1:t":                 true,
		"arn:aws:apigateway:us-east-1::/restapis/*": true,
		"*":       true,
		"arn:aws": false,
	} {
		if got := legacyResource(r); got != want {
			t.Errorf("legacyResource(%q) = %v, want %v", r, got, want)
		}
	}
}

// TestActionVendor pins IAM's texts for actions' vendors (behaviour §18.2).
func TestActionVendor(t *testing.T) {
	for a, want := range map[string]string{
		"invalid":               "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", // recorded
		"":                      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", // recorded
		"a a:ListBucket":        "Vendor a a is not valid",                                                    // recorded
		"s3:List:Bucket":        "Actions/Condition can contain only one colon.",                              // recorded
		"s:3s:ListBucket":       "Actions/Condition can contain only one colon.",                              // recorded
		":GetObject":            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", // choice
		"s3_x:GetObject":        "Vendor s3_x is not valid",
		"*":                     "",
		"s3:*":                  "",
		"rds:Describe*":         "",
		"aws-portal:View":       "",
		"s3s:ListBucket":        "",
		"elasticfilesystem.x:y": "",
		"*:*":                   "",
		"s3*:Get?bject":         "", // a wildcard in a vendor: choice
	} {
		if got := actionVendor(a); got != want {
			t.Errorf("actionVendor(%q) = %q, want %q", a, got, want)
		}
	}
}
