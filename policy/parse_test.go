package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errOf returns the *Error of err with Detail dropped, or nil.
func errOf(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v is not *Error", err, err)
	}
	if pe.Error() != pe.Message {
		t.Fatalf("Error() = %q, want Message %q", pe.Error(), pe.Message)
	}
	return &Error{Message: pe.Message}
}

const okStmt = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	tests := []struct {
		name string // the IAM rule pinned
		kind Kind
		doc  string
		want string // Message, IAM's text or fakests' (policy/errors.go says which); "" for a valid document
	}{
		{"a minimal identity policy is valid", Identity, `{"Version":"2012-10-17","Statement":` + okStmt + `}`, ""},
		{"Statement may be an array", Identity, `{"Statement":[` + okStmt + `,` + okStmt + `]}`, ""},
		{"Version may be absent (2008 rules)", Identity, `{"Statement":` + okStmt + `}`, ""},
		{"Version 2008-10-17 is valid", Identity, `{"Version":"2008-10-17","Statement":` + okStmt + `}`, ""},
		{"Id is allowed", Identity, `{"Id":"x","Statement":` + okStmt + `}`, ""},
		{"invalid JSON is a syntax error", Identity, `{"Statement":`, "Syntax errors in policy."},
		{"trailing text is a syntax error", Identity, `{"Statement":` + okStmt + `} x`, "Syntax errors in policy."},
		{"JSON null document", Identity, `null`, "Syntax errors in policy."},
		{"document must be an object", Identity, `[` + okStmt + `]`, "Syntax errors in policy."},
		{"duplicate top-level key is rejected", Identity, `{"Statement":` + okStmt + `,"Statement":` + okStmt + `}`, "Syntax errors in policy."},
		{"duplicate statement key is rejected", Identity, `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"unknown top-level key is rejected", Identity, `{"Statement":` + okStmt + `,"Extra":1}`, "Syntax errors in policy."},
		{"top-level keys are case-sensitive", Identity, `{"statement":` + okStmt + `}`, "Syntax errors in policy."},
		{"unknown statement key is rejected", Identity, `{"Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"Statement is required", Identity, `{"Version":"2012-10-17"}`, "Syntax errors in policy."},
		{"empty Statement array", Identity, `{"Statement":[]}`, "Policy document must contain at least one statement."},
		{"Statement of wrong type", Identity, `{"Statement":"x"}`, "Syntax errors in policy."},
		{"statement of wrong type", Identity, `{"Statement":["x"]}`, "Syntax errors in policy."},
		{"unknown Version", Identity, `{"Version":"2012-10-18","Statement":` + okStmt + `}`, "Policy Version must be 2012-10-17 or 2008-10-17."},
		{"Version as a number", Identity, `{"Version":2012,"Statement":` + okStmt + `}`, "Syntax errors in policy."},
		{"Effect is required", Identity, `{"Statement":{"Action":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"Effect is case-sensitive", Identity, `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, "Statement Effect must be Allow or Deny."},
		{"Action or NotAction is required", Identity, `{"Statement":{"Effect":"Allow","Resource":"*"}}`, "Policy statement must contain actions."},
		{"Action and NotAction together", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}}`, "Statement cannot contain both Action and NotAction."},
		{"an action needs a vendor prefix", Identity, `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"an empty action has no vendor", Identity, `{"Statement":{"Effect":"Allow","Action":"","Resource":"*"}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"Action empty array", Identity, `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, "Syntax errors in policy."},
		{"Action holding a number", Identity, `{"Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}}`, "Syntax errors in policy."},
		{"Action as an object", Identity, `{"Statement":{"Effect":"Allow","Action":{},"Resource":"*"}}`, "Syntax errors in policy."},
		{"identity policy needs Resource", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, "Policy statement must contain resources."},
		{"Resource and NotResource together", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}}`, "Statement cannot contain both Resource and NotResource."},
		{"Resource must be an ARN or *", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, `Resource must be in ARN format or "*".`},
		{"identity policy must not name a principal", Identity, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, "Policy document should not specify a principal."},
		{"identity policy must not name NotPrincipal", Identity, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, "Policy document should not specify a principal."},
		{"trust policy without Resource is valid", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`, ""},
		{"resource policy needs a principal", Resource, `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, "Missing required field Principal"},
		{"Principal and NotPrincipal together", Resource, `{"Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"}}`, "Statement cannot contain both Principal and NotPrincipal."},
		{"Principal string other than *", Resource, `{"Statement":{"Effect":"Allow","Principal":"111122223333","Action":"sts:AssumeRole"}}`, "Invalid principal in policy."},
		{"unknown principal type", Resource, `{"Statement":{"Effect":"Allow","Principal":{"User":"x"},"Action":"sts:AssumeRole"}}`, "Invalid principal in policy."},
		{"wildcard inside a principal", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"sts:AssumeRole"}}`, "Invalid principal in policy."},
		{"empty principal map", Resource, `{"Statement":{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}}`, "Syntax errors in policy."},
		{"principal list empty", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"sts:AssumeRole"}}`, "Syntax errors in policy."},
		{"principal of wrong type", Resource, `{"Statement":{"Effect":"Allow","Principal":["*"],"Action":"sts:AssumeRole"}}`, "Syntax errors in policy."},
		{"principal lists of each type", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/a"],"Service":"ec2.amazonaws.com","Federated":"accounts.google.com","CanonicalUser":"79a59df9"},"Action":"sts:AssumeRole"}}`, ""},
		{"duplicate Sid", Identity, `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, "Statement IDs (SID) in a single policy must be unique."},
		{"Sid must be a string", Identity, `{"Statement":{"Sid":1,"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"unknown condition operator", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}}`, "Invalid Condition type."},
		{"condition operators are case-sensitive", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringequals":{"aws:username":"a"}}}}`, "Invalid Condition type."},
		{"NullIfExists is not an operator", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}}`, "Invalid Condition type."},
		{"set operators and IfExists combine", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]}}}}`, ""},
		// IAM accepts a condition key without a vendor (LocalStack's
		// AWS-validated test_create_policy_valid_document, 35 to 37).
		{"a condition key needs no vendor prefix", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}}`, ""},
		{"condition value null", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}}}`, "Syntax errors in policy."},
		{"condition value object", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{}}}}}`, "Syntax errors in policy."},
		{"condition value empty array", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[]}}}}`, "Syntax errors in policy."},
		{"condition block empty", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}}`, "Syntax errors in policy."},
		{"Condition of wrong type", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}}`, "Syntax errors in policy."},
		{"nesting deeper than the grammar", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[[1]]}}}}`, "Syntax errors in policy."},
		{"very deep nesting fails fast", Identity, deep, "Syntax errors in policy."},
		{"invalid UTF-8 in a string", Identity, "{\"Statement\":{\"Sid\":\"\xff\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}", "Syntax errors in policy."},
		{"unpaired surrogate escape", Identity, `{"Statement":{"Sid":"\ud800","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"escaped keys are decoded before comparing", Identity, `{"Statement":{"\u0045ffect":"Allow","Action":"s3:*","Resource":"*"}}`, ""},
		{"duplicate keys after unescaping", Identity, `{"Statement":{"Effect":"Allow","\u0045ffect":"Allow","Action":"s3:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"raw control character in a string", Identity, "{\"Statement\":{\"Sid\":\"a\x01\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}", "Syntax errors in policy."},
		{"oversized document", Identity, `{"Id":"` + strings.Repeat("a", MaxDocumentSize) + `","Statement":` + okStmt + `}`, "Policy document is larger than 1048576 bytes."},
		{"malformed number", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":01}}}}`, "Syntax errors in policy."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.doc, tt.kind)
			var want *Error
			if tt.want != "" {
				want = &Error{Message: tt.want}
			}
			if diff := cmp.Diff(want, errOf(t, err)); diff != "" {
				t.Errorf("Parse error (-want +got):\n%s\ndetail: %v", diff, err)
			}
		})
	}
}

func TestParseKeepsDocumentAndMetadata(t *testing.T) {
	doc := `{"Version":"2012-10-17","Id":"P1","Statement":` + okStmt + `}`
	p, err := Parse(doc, Identity)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{p.Document(), p.Version(), p.ID(), p.Kind()}
	want := []any{doc, Version2012, "P1", Identity}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestErrorDetailNamesTheProblem(t *testing.T) {
	_, err := Parse(`{"Statement":[`+okStmt+`,{"Effect":"Allow","Actions":"s3:*","Resource":"*"}]}`, Identity)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v", err)
	}
	want := &Error{Message: "Syntax errors in policy.", Detail: `statement 1: unknown element "Actions"`}
	if diff := cmp.Diff(want, pe); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
