package fakests

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// This file checks the policy documents the administration methods
// (CreateUser, CreateRole, CreateManagedPolicy) are given, and says what is
// wrong with one as IAM would refuse it (behaviour §18): the error wraps
// IAM's MalformedPolicyDocument with IAM's text, and its own text adds where
// in the document the mistake is, which IAM does not say.

// parsePolicyDoc parses document as a policy of kind; what names it in an
// error ("trust policy of role R").
func parsePolicyDoc(document string, kind policy.Kind, what string) (*policy.Policy, error) {
	p, err := policy.Parse(document, kind)
	if err != nil {
		return nil, policyDocError(what, document, err)
	}
	return p, nil
}

// policyDocError describes err, policy.Parse's refusal of document. A JSON
// mistake is placed by line and column, with what was expected there (as
// encoding/json words it); other refusals carry the policy package's
// detail.
func policyDocError(what, document string, err error) error {
	var pe *policy.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("fakests: %s: %w", what, err)
	}
	detail := pe.Detail
	var v any
	var se *json.SyntaxError
	if jerr := json.Unmarshal([]byte(document), &v); errors.As(jerr, &se) {
		off := int(se.Offset) - 1 // the offending byte; at the end, just past it
		if strings.HasPrefix(se.Error(), "unexpected end") {
			off = len(document)
		}
		line, col := lineColumn(document, off)
		detail = fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
	}
	return &docError{what: what, err: apierror.New(apierror.CodeMalformedPolicyDocument, pe.Message), detail: detail}
}

// docError is a policy document IAM would refuse.
type docError struct {
	what   string
	err    *apierror.Error // IAM's code and text
	detail string          // where and what, for people
}

// Error says which document, IAM's answer, and what is wrong where.
func (d *docError) Error() string {
	if d.detail == "" {
		return "fakests: " + d.what + ": " + d.err.Error()
	}
	return "fakests: " + d.what + ": " + d.err.Error() + " (" + d.detail + ")"
}

// Unwrap returns IAM's error, an *apierror.Error.
func (d *docError) Unwrap() error { return d.err }

// lineColumn turns a byte offset of s into a 1-based line and column (in
// characters).
func lineColumn(s string, off int) (line, col int) {
	off = min(max(off, 0), len(s))
	before := s[:off]
	line = strings.Count(before, "\n") + 1
	col = len([]rune(before[strings.LastIndexByte(before, '\n')+1:])) + 1
	return line, col
}

// checkTrustPrincipals refuses a trust policy naming, under "AWS", a
// principal that is neither "*", a 12-digit account ID nor an ARN, with
// IAM's MalformedPolicyDocument text naming it (behaviour §18). The document
// has already been parsed, so it is valid JSON.
func checkTrustPrincipals(what, document string) error {
	var doc struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(document), &doc) != nil {
		return nil
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(doc.Statement, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(doc.Statement, &one) != nil {
			return nil
		}
		stmts = append(stmts, one)
	}
	for _, st := range stmts {
		for _, elem := range [...]string{"Principal", "NotPrincipal"} {
			var byType map[string]json.RawMessage
			if json.Unmarshal(st[elem], &byType) != nil {
				continue // "*", or absent
			}
			for _, v := range stringOrList(byType["AWS"]) {
				if v != "*" && !isAccountID(v) && !isARNShape(v) {
					return &docError{what: what, err: apierror.New(apierror.CodeMalformedPolicyDocument, fmt.Sprintf(msgInvalidPrincipal, "AWS", v))}
				}
			}
		}
	}
	return nil
}

// stringOrList decodes a policy value that is a string or a list of them.
func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var list []string
	json.Unmarshal(raw, &list)
	return list
}
