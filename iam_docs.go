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

// iamDocument checks a policy document given to one of IAM's operations
// as IAM does (behaviour §18) and parses it: a document that starts like a
// JSON object but is not JSON is "This policy contains invalid Json"
// (recorded for CreateRole); an identity policy then goes through IAM's
// own stages and texts (policy.CheckIAM, behaviour §18.2), a managed one
// (managed) needing version 2012-10-17; any other refusal is the policy
// package's. what names the document in the Go error.
func iamDocument(document string, kind policy.Kind, what string, managed bool) (*policy.Policy, error) {
	if !json.Valid([]byte(document)) && strings.HasPrefix(strings.TrimLeft(document, " \t\r\n"), "{") {
		return nil, &docError{what: what, err: apierror.New(apierror.CodeMalformedPolicyDocument, msgPolicyInvalidJSON)}
	}
	if kind == policy.Identity {
		if err := policy.CheckIAM(document, managed); err != nil {
			return nil, policyDocError(what, document, err)
		}
	}
	return parsePolicyDoc(document, kind, what)
}

// trustActions are the actions a role's trust policy may name (IAM:
// "AssumeRole policy may only specify STS AssumeRole actions.", recorded).
var trustActions = []string{"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext"}

// checkTrustGrammar refuses what IAM refuses in a trust policy beyond the
// policy grammar (behaviour §18): a Resource ("Has prohibited field
// Resource") and an Action that is none of STS's assume-role actions (a
// wildcard must match one of them). The document has already been parsed.
func checkTrustGrammar(what, document string) error {
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
	fail := func(msg string) error {
		return &docError{what: what, err: apierror.New(apierror.CodeMalformedPolicyDocument, msg)}
	}
	for _, st := range stmts {
		for _, field := range [...]string{"Resource", "NotResource"} {
			if _, ok := st[field]; ok {
				return fail(msgTrustProhibited + field)
			}
		}
		for _, a := range stringOrList(st["Action"]) {
			if !trustAction(a) {
				return fail(msgTrustActions)
			}
		}
	}
	return nil
}

// trustAction reports whether a is, or as a wildcard matches, an action a
// trust policy may name.
func trustAction(a string) bool {
	a = strings.ToLower(a)
	for _, t := range trustActions {
		if wildMatch(a, t) {
			return true
		}
	}
	return false
}

// wildMatch matches s against pattern, whose '*' matches any run of
// characters and '?' any one (IAM's action wildcards). It backtracks over
// the last star only, so it is linear in practice for the short patterns of
// trust-policy actions.
func wildMatch(pattern, s string) bool {
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p, mark = star+1, mark+1
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
