package policy

import "strings"

// arnPattern is an ArnEquals/ArnLike value. AWS compares ARNs part by part:
// arn:partition:service:region:account:resource, each of the six parts
// matched on its own with '*' and '?', so a star in the region never spills
// into the account. The resource part is the rest of the ARN, colons
// included. A value with fewer than six parts (such as a bare "*") is
// matched against the whole request value instead.
type arnPattern struct {
	split bool
	parts [6]*glob
	whole *glob
}

func compileArn(toks []token) *arnPattern {
	p := &arnPattern{whole: globTokens(toks)}
	var b globBuilder
	n := 0
	for _, t := range toks {
		rest := t.text
		for n < 5 && t.kind != tokVar {
			c := strings.IndexByte(rest, ':')
			if c < 0 {
				break
			}
			b.add(token{kind: t.kind, text: rest[:c]})
			p.parts[n] = b.finish()
			b = globBuilder{}
			n++
			rest = rest[c+1:]
		}
		if t.kind == tokVar {
			b.variable(t) // a variable's value stays within one part
		} else {
			b.add(token{kind: t.kind, text: rest})
		}
	}
	if n == 5 {
		p.parts[5] = b.finish()
		p.split = true
	}
	return p
}

// add appends text to the pattern, with wildcards active for tokText.
func (b *globBuilder) add(t token) {
	if t.kind == tokText {
		b.text(t.text)
	} else {
		b.literal(t.text)
	}
}

func (p *arnPattern) match(s string, e *evalCtx) bool {
	if !p.split {
		return p.whole.matchIn(s, e)
	}
	for k := 0; k < 5; k++ {
		c := strings.IndexByte(s, ':')
		if c < 0 {
			return false
		}
		if !p.parts[k].matchIn(s[:c], e) {
			return false
		}
		s = s[c+1:]
	}
	return p.parts[5].matchIn(s, e)
}
