package policy

import (
	"strconv"
	"strings"
)

// Kind says which policy grammar a document follows.
type Kind int

const (
	// Identity is the grammar of identity and session policies: Principal
	// and NotPrincipal are forbidden, and Resource or NotResource is required.
	Identity Kind = iota
	// Resource is the grammar of resource policies, including role trust
	// policies: Principal or NotPrincipal is required, and Resource may be
	// absent (a trust policy names no resource).
	Resource
)

// Policy versions. A document without Version is read as VersionLegacy.
const (
	Version2012   = "2012-10-17"
	VersionLegacy = "2008-10-17"
)

// Effect is a statement's effect: Allow or Deny.
type Effect string

// The two effects a statement can have.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed, validated policy document. It is immutable after Parse
// (set Name before sharing it) and safe for concurrent use by Evaluate.
type Policy struct {
	// Name labels the policy in Decision.Matched; the caller sets it.
	Name string

	document string
	version  string
	id       string
	kind     Kind
	stmts    []statement
}

// Document returns the source text the policy was parsed from.
func (p *Policy) Document() string { return p.document }

// Version returns the document's Version, or "" when it has none (then
// 2008-10-17 rules apply: no policy variables).
func (p *Policy) Version() string { return p.version }

// ID returns the document's Id element, or "".
func (p *Policy) ID() string { return p.id }

// Kind returns the grammar the policy was parsed with.
func (p *Policy) Kind() Kind { return p.kind }

// statement is one compiled Statement element.
type statement struct {
	sid    string
	effect Effect

	notAction bool
	actions   []*glob // lower case

	hasResource bool // Resource or NotResource present
	notResource bool
	resources   []*glob // may hold policy variables

	hasPrincipal bool // Principal or NotPrincipal present
	notPrincipal bool
	principals   []principalValue

	conds []condition

	// actionList and resourceList are the Action (or NotAction) and
	// Resource (or NotResource) values as written, for Match.
	actionList, resourceList []string
}

// newPattern compiles a Resource or NotResource value.
func newPattern(s string, variables bool) *glob {
	if toks := parseTemplate(s, variables); toks != nil {
		return globTokens(toks)
	}
	return compileGlob(s)
}

// Parse parses and validates a policy document of the given kind. Errors are
// *Error; callers report them as MalformedPolicyDocument.
func Parse(document string, kind Kind) (*Policy, error) {
	if len(document) > MaxDocumentSize {
		return nil, newError(MsgTooLarge, "document has "+strconv.Itoa(len(document))+" bytes")
	}
	if kind != Identity && kind != Resource {
		return nil, newError(MsgSyntax, "unknown policy kind "+strconv.Itoa(int(kind)))
	}
	root, err := parseJSON(document)
	if err != nil {
		return nil, err
	}
	if root.kind != jsonObject {
		return nil, syntaxError("the document is " + root.kind.String() + ", not an object")
	}
	p := &Policy{document: document, kind: kind}
	var stmtVal *jsonValue
	for i := range root.members {
		m := &root.members[i]
		switch m.key {
		case "Version":
			if m.val.kind != jsonString {
				return nil, syntaxError("Version is " + m.val.kind.String() + ", not a string")
			}
			if m.val.text != Version2012 && m.val.text != VersionLegacy {
				return nil, newError(MsgBadVersion, "Version "+strconv.Quote(m.val.text))
			}
			p.version = m.val.text
		case "Id":
			if m.val.kind != jsonString {
				return nil, syntaxError("Id is " + m.val.kind.String() + ", not a string")
			}
			p.id = m.val.text
		case "Statement":
			stmtVal = &m.val
		default:
			return nil, syntaxError("unknown policy element " + strconv.Quote(m.key))
		}
	}
	if stmtVal == nil {
		return nil, syntaxError("missing required element Statement")
	}
	var raw []jsonValue
	switch stmtVal.kind {
	case jsonObject:
		raw = []jsonValue{*stmtVal}
	case jsonArray:
		raw = stmtVal.elems
	default:
		return nil, syntaxError("Statement is " + stmtVal.kind.String() + ", not an object or array")
	}
	if len(raw) == 0 {
		return nil, newError(MsgEmptyStatement, "Statement is an empty array")
	}
	variables := p.version == Version2012
	p.stmts = make([]statement, len(raw))
	sids := map[string]int{}
	for i := range raw {
		if err := parseStatement(&p.stmts[i], &raw[i], i, kind, variables); err != nil {
			return nil, err
		}
		if sid := p.stmts[i].sid; sid != "" {
			if j, dup := sids[sid]; dup {
				return nil, newError(MsgDuplicateSid, "statements "+strconv.Itoa(j)+" and "+strconv.Itoa(i)+" share Sid "+strconv.Quote(sid))
			}
			sids[sid] = i
		}
	}
	return p, nil
}

// where prefixes a detail with the statement it concerns.
func where(i int, detail string) string {
	return "statement " + strconv.Itoa(i) + ": " + detail
}

func parseStatement(st *statement, v *jsonValue, i int, kind Kind, variables bool) error {
	if v.kind != jsonObject {
		return syntaxError(where(i, "is "+v.kind.String()+", not an object"))
	}
	var action, notAction, resource, notResource, principal, notPrincipal, cond *jsonValue
	hasEffect := false
	for k := range v.members {
		m := &v.members[k]
		switch m.key {
		case "Sid":
			if m.val.kind != jsonString {
				return syntaxError(where(i, "Sid is "+m.val.kind.String()+", not a string"))
			}
			st.sid = m.val.text
		case "Effect":
			if m.val.kind != jsonString {
				return syntaxError(where(i, "Effect is "+m.val.kind.String()+", not a string"))
			}
			switch Effect(m.val.text) {
			case Allow, Deny:
				st.effect = Effect(m.val.text)
			default:
				return newError(MsgBadEffect, where(i, "Effect "+strconv.Quote(m.val.text)))
			}
			hasEffect = true
		case "Action":
			action = &m.val
		case "NotAction":
			notAction = &m.val
		case "Resource":
			resource = &m.val
		case "NotResource":
			notResource = &m.val
		case "Principal":
			principal = &m.val
		case "NotPrincipal":
			notPrincipal = &m.val
		case "Condition":
			cond = &m.val
		default:
			return syntaxError(where(i, "unknown element "+strconv.Quote(m.key)))
		}
	}
	if !hasEffect {
		return syntaxError(where(i, "missing required element Effect"))
	}

	// Action / NotAction.
	switch {
	case action != nil && notAction != nil:
		return newError(MsgBothAction, where(i, "has both Action and NotAction"))
	case action == nil && notAction == nil:
		return newError(MsgNeedActions, where(i, "has neither Action nor NotAction"))
	}
	name, av := "Action", action
	if notAction != nil {
		name, av, st.notAction = "NotAction", notAction, true
	}
	list, err := stringList(av, i, name)
	if err != nil {
		return err
	}
	st.actionList = list
	for _, a := range list {
		if a != "*" {
			c := strings.IndexByte(a, ':')
			if c <= 0 {
				return newError(MsgVendor, where(i, name+" "+strconv.Quote(a)+" has no vendor prefix"))
			}
		}
		st.actions = append(st.actions, compileGlob(strings.ToLower(a)))
	}

	// Resource / NotResource.
	switch {
	case resource != nil && notResource != nil:
		return newError(MsgBothResource, where(i, "has both Resource and NotResource"))
	case resource == nil && notResource == nil:
		if kind == Identity {
			return newError(MsgNeedResources, where(i, "has neither Resource nor NotResource"))
		}
	default:
		name, rv := "Resource", resource
		if notResource != nil {
			name, rv, st.notResource = "NotResource", notResource, true
		}
		list, err := stringList(rv, i, name)
		if err != nil {
			return err
		}
		st.resourceList = list
		for _, r := range list {
			if r != "*" && !strings.HasPrefix(r, "arn:") {
				return newError(MsgBadResource, where(i, name+" "+strconv.Quote(r)))
			}
			st.resources = append(st.resources, newPattern(r, variables))
		}
		st.hasResource = true
	}

	// Principal / NotPrincipal.
	switch {
	case kind == Identity && (principal != nil || notPrincipal != nil):
		return newError(MsgPrincipalForbidden, where(i, "identity policies name no principal"))
	case principal != nil && notPrincipal != nil:
		return newError(MsgBothPrincipal, where(i, "has both Principal and NotPrincipal"))
	case kind == Resource && principal == nil && notPrincipal == nil:
		return newError(MsgPrincipalMissing, where(i, "has neither Principal nor NotPrincipal"))
	case kind == Resource:
		name, pv := "Principal", principal
		if notPrincipal != nil {
			name, pv, st.notPrincipal = "NotPrincipal", notPrincipal, true
		}
		if st.principals, err = parsePrincipals(pv, i, name); err != nil {
			return err
		}
		st.hasPrincipal = true
	}

	if cond != nil {
		if st.conds, err = parseConditions(cond, i, variables); err != nil {
			return err
		}
	}
	return nil
}

// stringList reads a string or a non-empty array of strings.
func stringList(v *jsonValue, i int, name string) ([]string, error) {
	switch v.kind {
	case jsonString:
		return []string{v.text}, nil
	case jsonArray:
		if len(v.elems) == 0 {
			return nil, syntaxError(where(i, name+" is an empty array"))
		}
		out := make([]string, len(v.elems))
		for k, e := range v.elems {
			if e.kind != jsonString {
				return nil, syntaxError(where(i, name+" holds "+e.kind.String()+", not a string"))
			}
			out[k] = e.text
		}
		return out, nil
	default:
		return nil, syntaxError(where(i, name+" is "+v.kind.String()+", not a string or array"))
	}
}
