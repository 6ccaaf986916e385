package policy

import "strings"

// Policy variables (Version 2012-10-17 only): "${key}" is replaced by the
// request's value for the context key, "${key, 'default'}" falls back to
// the quoted default when the key is absent, and "${*}", "${?}" and "${$}"
// stand for the literal characters (so "${*}" in a Resource is a star that
// is not a wildcard). Substituted values are literal too. A variable whose
// key is absent (and has no default) or has more than one value cannot be
// resolved, and the resource or condition value holding it matches nothing.

type tokKind uint8

const (
	tokText tokKind = iota // policy text: '*' and '?' are wildcards where the operator allows
	tokLit                 // literal text, never a wildcard
	tokVar                 // a policy variable
)

type token struct {
	kind   tokKind
	text   string // tokText, tokLit
	key    string // tokVar: the context key, lower case
	def    string // tokVar: the default
	hasDef bool
}

// parseTemplate splits s into text and variables. Without variables (a 2008
// policy) the whole of s is text. The result is nil when s has no variables
// and no literal escapes, so callers can tell static text cheaply.
func parseTemplate(s string, variables bool) []token {
	if !variables || !strings.Contains(s, "${") {
		return nil
	}
	var toks []token
	text := func(t string) {
		if t == "" {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].kind == tokText {
			toks[n-1].text += t
			return
		}
		toks = append(toks, token{kind: tokText, text: t})
	}
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			text(s)
			return toks
		}
		text(s[:i])
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			text(s[i:])
			return toks
		}
		body := s[i+2 : i+2+j]
		if t, ok := parseVariable(body); ok {
			toks = append(toks, t)
		} else {
			text(s[i : i+3+j]) // not a variable: keep it as written
		}
		s = s[i+3+j:]
	}
}

// parseVariable reads what sits between "${" and "}".
func parseVariable(body string) (token, bool) {
	switch body {
	case "*", "?", "$":
		return token{kind: tokLit, text: body}, true
	}
	key, def, hasDef := body, "", false
	if c := strings.IndexByte(body, ','); c >= 0 {
		key = body[:c]
		d := strings.TrimSpace(body[c+1:])
		if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
			return token{}, false
		}
		def, hasDef = d[1:len(d)-1], true
	}
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " \t\r\n'${") {
		return token{}, false
	}
	return token{kind: tokVar, key: strings.ToLower(key), def: def, hasDef: hasDef}, true
}

// hasVariables reports whether toks needs the request to be resolved.
func hasVariables(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokVar {
			return true
		}
	}
	return false
}

// variable returns the value of a policy variable for this request.
func (e *evalCtx) variable(t token) (string, bool) {
	vals := e.lookup(t.key, t.key)
	switch {
	case len(vals) == 1:
		return vals[0], true
	case len(vals) == 0 && t.hasDef:
		return t.def, true
	}
	return "", false
}

// joinTokens concatenates tokens into plain text, resolving variables from
// e (which may be nil when there are none).
func joinTokens(toks []token, e *evalCtx) (string, bool) {
	if len(toks) == 1 && toks[0].kind != tokVar {
		return toks[0].text, true
	}
	var b strings.Builder
	for _, t := range toks {
		if t.kind != tokVar {
			b.WriteString(t.text)
			continue
		}
		if e == nil {
			return "", false
		}
		v, ok := e.variable(t)
		if !ok {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}

// globTokens compiles tokens as a wildcard pattern; variables are resolved
// when it is matched.
func globTokens(toks []token) *glob {
	var b globBuilder
	for _, t := range toks {
		b.token(t)
	}
	return b.finish()
}

// token appends a template token: text with wildcards active, literal text,
// or a variable.
func (b *globBuilder) token(t token) {
	switch t.kind {
	case tokText:
		b.text(t.text)
	case tokLit:
		b.literal(t.text)
	default:
		b.variable(t)
	}
}
