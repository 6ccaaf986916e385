package policy

import (
	"slices"
	"strings"
)

// Request is what a caller asks to do, as policies see it.
type Request struct {
	// Principal is matched against Principal and NotPrincipal elements of
	// resource policies. When nil, statements with either element never
	// apply.
	Principal *Principal
	// Action is the action asked for, such as "sts:AssumeRole"; it is
	// matched case-insensitively.
	Action string
	// Resource is the ARN acted on, matched case-sensitively.
	Resource string
	// Context maps condition keys to their values. Key names are
	// case-insensitive; a key that is missing or has no values is absent.
	Context map[string][]string
}

// Match is one statement that applied to a request.
type Match struct {
	Policy string // the policy's Name
	Sid    string
	Index  int // the statement's position in its policy, from 0
	Effect Effect
	// NotAction reports that Actions are the statement's NotAction list,
	// and NotResource that Resources are its NotResource list.
	NotAction, NotResource bool
	// Actions and Resources are the statement's Action (or NotAction) and
	// Resource (or NotResource) values as written in the policy; Resources
	// is nil for a statement with neither (a trust policy's). Shared with
	// the policy: do not modify.
	Actions, Resources []string
}

// Decision is the outcome of Evaluate.
type Decision struct {
	// Allowed is true when some statement allowed the request and none
	// denied it.
	Allowed bool
	// ExplicitDeny is true when some Deny statement applied.
	ExplicitDeny bool
	// Matched lists every statement that applied, allows and denies, in
	// the order of the policies and of their statements.
	Matched []Match
}

// Evaluate evaluates the request against all the given policies together:
// an explicit deny beats an allow, and an allow beats the implicit deny.
// Nil policies are skipped.
func Evaluate(req *Request, policies ...*Policy) Decision {
	var d Decision
	if req == nil {
		return d
	}
	e := evalCtx{req: req, action: lowerASCII(req.Action)}
	allowed := false
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.stmts {
			st := &p.stmts[i]
			if !st.applies(&e) {
				continue
			}
			if d.Matched == nil {
				d.Matched = make([]Match, 0, countStatements(policies))
			}
			d.Matched = append(d.Matched, Match{Policy: p.Name, Sid: st.sid, Index: i, Effect: st.effect,
				NotAction: st.notAction, NotResource: st.notResource, Actions: st.actionList, Resources: st.resourceList})
			if st.effect == Deny {
				d.ExplicitDeny = true
			} else {
				allowed = true
			}
		}
	}
	d.Allowed = allowed && !d.ExplicitDeny
	return d
}

// countStatements bounds how many statements can match, so that
// Decision.Matched is allocated once.
func countStatements(policies []*Policy) int {
	n := 0
	for _, p := range policies {
		if p != nil {
			n += len(p.stmts)
		}
	}
	return n
}

// applies reports whether every element of the statement matches.
func (st *statement) applies(e *evalCtx) bool {
	hit := false
	for _, g := range st.actions {
		if g.match(e.action) {
			hit = true
			break
		}
	}
	if hit == st.notAction {
		return false
	}
	if st.hasResource {
		hit = false
		for k := range st.resources {
			if st.resources[k].matchIn(e.req.Resource, e) {
				hit = true
				break
			}
		}
		if hit == st.notResource {
			return false
		}
	}
	if !st.principalApplies(e.req.Principal) {
		return false
	}
	for k := range st.conds {
		if !st.conds[k].eval(e) {
			return false
		}
	}
	return true
}

// evalCtx is the per-call state of Evaluate.
type evalCtx struct {
	req    *Request
	action string // lower case
	lower  map[string][]string
}

// lookup returns the context values for a key, given in lower case and as
// the policy spelled it. Callers usually spell keys as the policy does, so
// the direct look-ups nearly always hit; otherwise a small context is
// scanned and a large one indexed once per call.
func (e *evalCtx) lookup(lower, raw string) []string {
	ctx := e.req.Context
	if len(ctx) == 0 {
		return nil
	}
	if v, ok := ctx[raw]; ok {
		return v
	}
	if v, ok := ctx[lower]; ok {
		return v
	}
	if len(ctx) <= 8 {
		var out []string
		n := 0
		for k, v := range ctx {
			if len(k) == len(lower) || !isASCII(k) {
				if strings.ToLower(k) == lower {
					out = append(out, v...)
					n++
				}
			}
		}
		if n > 1 {
			// Two spellings of one key: merge them in a stable order.
			return e.index()[lower]
		}
		return out
	}
	return e.index()[lower]
}

// index builds the lower-case view of the context.
func (e *evalCtx) index() map[string][]string {
	if e.lower == nil {
		e.lower = make(map[string][]string, len(e.req.Context))
		keys := make([]string, 0, len(e.req.Context))
		for k := range e.req.Context {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			lk := strings.ToLower(k)
			e.lower[lk] = append(e.lower[lk], e.req.Context[k]...)
		}
	}
	return e.lower
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lowerASCII lowers s without allocating when it is already lower case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}
