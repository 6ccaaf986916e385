package policy

import (
	"strconv"
	"strings"
)

// Principal describes who makes a request, for Principal and NotPrincipal
// elements of resource policies.
type Principal struct {
	// Type is "AWS", "Federated", "Service" or "CanonicalUser"; "" means an
	// anonymous caller.
	Type string
	// IDs are the identifiers the caller answers to. For a role session:
	// the session ARN (arn:aws:sts::111122223333:assumed-role/R/s) and the
	// role ARN (arn:aws:iam::111122223333:role/path/R); for an IAM user its
	// user ARN; for a web identity or SAML caller the provider ARN or host.
	IDs []string
	// Account is the caller's 12-digit account ID, or "" if it has none.
	Account string
}

// Principal types a policy's Principal map may name.
const (
	PrincipalAWS           = "AWS"
	PrincipalFederated     = "Federated"
	PrincipalService       = "Service"
	PrincipalCanonicalUser = "CanonicalUser"
)

// principalValue is one entry of a Principal element.
type principalValue struct {
	typ     string // "" for the bare "*"
	value   string
	any     bool   // "*"
	account string // for AWS entries naming a whole account
}

func parsePrincipals(v *jsonValue, i int, name string) ([]principalValue, error) {
	switch v.kind {
	case jsonString:
		if v.text != "*" {
			return nil, newError(MsgBadPrincipal, where(i, name+" "+strconv.Quote(v.text)+" is neither \"*\" nor a map"))
		}
		return []principalValue{{any: true}}, nil
	case jsonObject:
	default:
		return nil, syntaxError(where(i, name+" is "+v.kind.String()+", not \"*\" or an object"))
	}
	if len(v.members) == 0 {
		return nil, syntaxError(where(i, name+" is an empty object"))
	}
	var out []principalValue
	for _, m := range v.members {
		switch m.key {
		case PrincipalAWS, PrincipalFederated, PrincipalService, PrincipalCanonicalUser:
		default:
			return nil, newError(MsgBadPrincipal, where(i, name+" has unknown principal type "+strconv.Quote(m.key)))
		}
		list, err := stringList(&m.val, i, name+"."+m.key)
		if err != nil {
			return nil, err
		}
		for _, s := range list {
			pv := principalValue{typ: m.key, value: s}
			switch {
			case s == "*":
				pv.any = true
			case s == "" || strings.ContainsAny(s, "*?"):
				return nil, newError(MsgBadPrincipal, where(i, name+"."+m.key+" "+strconv.Quote(s)))
			case m.key == PrincipalAWS:
				pv.account = accountOf(s)
			}
			out = append(out, pv)
		}
	}
	return out, nil
}

// accountOf returns the account an AWS principal value names as a whole:
// a bare 12-digit ID or arn:<partition>:iam::<id>:root.
func accountOf(s string) string {
	if isAccountID(s) {
		return s
	}
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ""
	}
	part, rest, ok := strings.Cut(rest, ":")
	if !ok || part == "" {
		return ""
	}
	acct, ok := strings.CutPrefix(rest, "iam::")
	if !ok {
		return ""
	}
	acct, ok = strings.CutSuffix(acct, ":root")
	if !ok || !isAccountID(acct) {
		return ""
	}
	return acct
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// matches reports whether the caller is the one this entry names.
func (v *principalValue) matches(p *Principal) bool {
	if v.any {
		// "*" and {"AWS": "*"} name everyone, anonymous callers included
		// (AWS documents the two as equivalent); {"Service": "*"} and the
		// like name every caller of that type.
		return v.typ == "" || v.typ == PrincipalAWS || v.typ == p.Type
	}
	if v.typ != p.Type {
		return false
	}
	if v.account != "" && v.account == p.Account {
		return true
	}
	for _, id := range p.IDs {
		if id == v.value {
			return true
		}
	}
	return false
}

// principalApplies reports whether a statement's Principal or NotPrincipal
// lets it apply to the request.
func (st *statement) principalApplies(p *Principal) bool {
	if !st.hasPrincipal {
		return true
	}
	if p == nil {
		// Without a caller description no Principal element matches, and
		// we do not let NotPrincipal apply either (documented in doc.go).
		return false
	}
	for k := range st.principals {
		if st.principals[k].matches(p) {
			return !st.notPrincipal
		}
	}
	return st.notPrincipal
}
