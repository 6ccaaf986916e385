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
		want string // Message; "" for a valid document
	}{
		{"a minimal identity policy is valid", Identity, `{"Version":"2012-10-17","Statement":` + okStmt + `}`, ""},
		{"Statement may be an array", Identity, `{"Statement":[` + okStmt + `,` + okStmt + `]}`, ""},
		{"Version may be absent (2008 rules)", Identity, `{"Statement":` + okStmt + `}`, ""},
		{"Version 2008-10-17 is valid", Identity, `{"Version":"2008-10-17","Statement":` + okStmt + `}`, ""},
		{"Id is allowed", Identity, `{"Id":"x","Statement":` + okStmt + `}`, ""},
		{"invalid JSON is a syntax error", Identity, `{"Statement":`, MsgSyntax},
		{"trailing text is a syntax error", Identity, `{"Statement":` + okStmt + `} x`, MsgSyntax},
		{"JSON null document", Identity, `null`, MsgSyntax},
		{"document must be an object", Identity, `[` + okStmt + `]`, MsgSyntax},
		{"duplicate top-level key is rejected", Identity, `{"Statement":` + okStmt + `,"Statement":` + okStmt + `}`, MsgSyntax},
		{"duplicate statement key is rejected", Identity, `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"unknown top-level key is rejected", Identity, `{"Statement":` + okStmt + `,"Extra":1}`, MsgSyntax},
		{"top-level keys are case-sensitive", Identity, `{"statement":` + okStmt + `}`, MsgSyntax},
		{"unknown statement key is rejected", Identity, `{"Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"Statement is required", Identity, `{"Version":"2012-10-17"}`, MsgSyntax},
		{"empty Statement array", Identity, `{"Statement":[]}`, MsgEmptyStatement},
		{"Statement of wrong type", Identity, `{"Statement":"x"}`, MsgSyntax},
		{"statement of wrong type", Identity, `{"Statement":["x"]}`, MsgSyntax},
		{"unknown Version", Identity, `{"Version":"2012-10-18","Statement":` + okStmt + `}`, MsgBadVersion},
		{"Version as a number", Identity, `{"Version":2012,"Statement":` + okStmt + `}`, MsgSyntax},
		{"Effect is required", Identity, `{"Statement":{"Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"Effect is case-sensitive", Identity, `{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`, MsgBadEffect},
		{"Action or NotAction is required", Identity, `{"Statement":{"Effect":"Allow","Resource":"*"}}`, MsgNeedActions},
		{"Action and NotAction together", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}}`, MsgBothAction},
		{"an action needs a vendor prefix", Identity, `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, MsgVendor},
		{"an empty action has no vendor", Identity, `{"Statement":{"Effect":"Allow","Action":"","Resource":"*"}}`, MsgVendor},
		{"Action empty array", Identity, `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, MsgSyntax},
		{"Action holding a number", Identity, `{"Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}}`, MsgSyntax},
		{"Action as an object", Identity, `{"Statement":{"Effect":"Allow","Action":{},"Resource":"*"}}`, MsgSyntax},
		{"identity policy needs Resource", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, MsgNeedResources},
		{"Resource and NotResource together", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}}`, MsgBothResource},
		{"Resource must be an ARN or *", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}`, MsgBadResource},
		{"identity policy must not name a principal", Identity, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, MsgPrincipalForbidden},
		{"identity policy must not name NotPrincipal", Identity, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`, MsgPrincipalForbidden},
		{"trust policy without Resource is valid", Resource, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`, ""},
		{"resource policy needs a principal", Resource, `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, MsgPrincipalMissing},
		{"Principal and NotPrincipal together", Resource, `{"Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"}}`, MsgBothPrincipal},
		{"Principal string other than *", Resource, `{"Statement":{"Effect":"Allow","Principal":"111122223333","Action":"sts:AssumeRole"}}`, MsgBadPrincipal},
		{"unknown principal type", Resource, `{"Statement":{"Effect":"Allow","Principal":{"User":"x"},"Action":"sts:AssumeRole"}}`, MsgBadPrincipal},
		{"wildcard inside a principal", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"sts:AssumeRole"}}`, MsgBadPrincipal},
		{"empty principal map", Resource, `{"Statement":{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}}`, MsgSyntax},
		{"principal list empty", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"sts:AssumeRole"}}`, MsgSyntax},
		{"principal of wrong type", Resource, `{"Statement":{"Effect":"Allow","Principal":["*"],"Action":"sts:AssumeRole"}}`, MsgSyntax},
		{"principal lists of each type", Resource, `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/a"],"Service":"ec2.amazonaws.com","Federated":"accounts.google.com","CanonicalUser":"79a59df9"},"Action":"sts:AssumeRole"}}`, ""},
		{"duplicate Sid", Identity, `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`, MsgDuplicateSid},
		{"Sid must be a string", Identity, `{"Statement":{"Sid":1,"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"unknown condition operator", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"a"}}}}`, MsgBadCondition},
		{"condition operators are case-sensitive", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringequals":{"aws:username":"a"}}}}`, MsgBadCondition},
		{"NullIfExists is not an operator", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}}`, MsgBadCondition},
		{"set operators and IfExists combine", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*",1,true]}}}}`, ""},
		{"condition key needs a vendor prefix", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}}`, MsgVendor},
		{"condition value null", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}}}`, MsgSyntax},
		{"condition value object", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":{}}}}}`, MsgSyntax},
		{"condition value empty array", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[]}}}}`, MsgSyntax},
		{"condition block empty", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{}}}}`, MsgSyntax},
		{"Condition of wrong type", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}}`, MsgSyntax},
		{"nesting deeper than the grammar", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[[1]]}}}}`, MsgSyntax},
		{"very deep nesting fails fast", Identity, deep, MsgSyntax},
		{"invalid UTF-8 in a string", Identity, "{\"Statement\":{\"Sid\":\"\xff\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}", MsgSyntax},
		{"unpaired surrogate escape", Identity, `{"Statement":{"Sid":"\ud800","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"escaped keys are decoded before comparing", Identity, `{"Statement":{"\u0045ffect":"Allow","Action":"s3:*","Resource":"*"}}`, ""},
		{"duplicate keys after unescaping", Identity, `{"Statement":{"Effect":"Allow","\u0045ffect":"Allow","Action":"s3:*","Resource":"*"}}`, MsgSyntax},
		{"raw control character in a string", Identity, "{\"Statement\":{\"Sid\":\"a\x01\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}", MsgSyntax},
		{"oversized document", Identity, `{"Id":"` + strings.Repeat("a", MaxDocumentSize) + `","Statement":` + okStmt + `}`, MsgTooLarge},
		{"malformed number", Identity, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"s3:max-keys":01}}}}`, MsgSyntax},
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
	if want := `statement 1: unknown element "Actions"`; pe.Detail != want {
		t.Errorf("Detail = %q, want %q", pe.Detail, want)
	}
}
