package policy

import (
	"strconv"
	"strings"
)

// family is the kind of comparison a condition operator makes.
type family uint8

const (
	famString family = iota
	famStringIgnoreCase
	famStringLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

// order is the comparison of numeric and date operators.
type order uint8

const (
	ordEq order = iota
	ordLt
	ordLe
	ordGt
	ordGe
)

// setKind is the set-operator prefix of a condition operator.
type setKind uint8

const (
	setNone setKind = iota
	setForAll
	setForAny
)

// operator is a parsed condition operator name.
type operator struct {
	fam      family
	ord      order
	negate   bool
	ifExists bool
	set      setKind
}

// baseOperators are the operators without set prefix or IfExists suffix.
var baseOperators = map[string]operator{
	"StringEquals":              {fam: famString},
	"StringNotEquals":           {fam: famString, negate: true},
	"StringEqualsIgnoreCase":    {fam: famStringIgnoreCase},
	"StringNotEqualsIgnoreCase": {fam: famStringIgnoreCase, negate: true},
	"StringLike":                {fam: famStringLike},
	"StringNotLike":             {fam: famStringLike, negate: true},
	"NumericEquals":             {fam: famNumeric, ord: ordEq},
	"NumericNotEquals":          {fam: famNumeric, ord: ordEq, negate: true},
	"NumericLessThan":           {fam: famNumeric, ord: ordLt},
	"NumericLessThanEquals":     {fam: famNumeric, ord: ordLe},
	"NumericGreaterThan":        {fam: famNumeric, ord: ordGt},
	"NumericGreaterThanEquals":  {fam: famNumeric, ord: ordGe},
	"DateEquals":                {fam: famDate, ord: ordEq},
	"DateNotEquals":             {fam: famDate, ord: ordEq, negate: true},
	"DateLessThan":              {fam: famDate, ord: ordLt},
	"DateLessThanEquals":        {fam: famDate, ord: ordLe},
	"DateGreaterThan":           {fam: famDate, ord: ordGt},
	"DateGreaterThanEquals":     {fam: famDate, ord: ordGe},
	"Bool":                      {fam: famBool},
	"BinaryEquals":              {fam: famBinary},
	"IpAddress":                 {fam: famIP},
	"NotIpAddress":              {fam: famIP, negate: true},
	"ArnEquals":                 {fam: famArn},
	"ArnLike":                   {fam: famArn},
	"ArnNotEquals":              {fam: famArn, negate: true},
	"ArnNotLike":                {fam: famArn, negate: true},
	"Null":                      {fam: famNull},
}

// parseOperator reads an operator name such as
// "ForAnyValue:StringLikeIfExists". Names are case-sensitive.
func parseOperator(name string) (operator, bool) {
	base, set := name, setNone
	if rest, ok := strings.CutPrefix(base, "ForAllValues:"); ok {
		base, set = rest, setForAll
	} else if rest, ok := strings.CutPrefix(base, "ForAnyValue:"); ok {
		base, set = rest, setForAny
	}
	rest, ifExists := strings.CutSuffix(base, "IfExists")
	op, ok := baseOperators[rest]
	if !ok {
		return operator{}, false
	}
	if op.fam == famNull && (ifExists || set != setNone) {
		// Null asks whether the key exists; neither form makes sense.
		return operator{}, false
	}
	op.ifExists, op.set = ifExists, set
	return op, true
}

// condition is one (operator, key) pair of a Condition element.
type condition struct {
	op     operator
	key    string // lower case
	rawKey string // as written
	values []condValue
}

// parseConditions reads a statement's Condition element: an object of
// operators, each an object of keys, each a value or an array of values.
func parseConditions(v *jsonValue, i int, variables bool) ([]condition, error) {
	if v.kind != jsonObject {
		return nil, syntaxError(where(i, "Condition is "+v.kind.String()+", not an object"))
	}
	var out []condition
	for _, om := range v.members {
		op, ok := parseOperator(om.key)
		if !ok {
			return nil, newError(MsgBadCondition, where(i, "unknown condition operator "+strconv.Quote(om.key)))
		}
		if om.val.kind != jsonObject {
			return nil, syntaxError(where(i, "Condition."+om.key+" is "+om.val.kind.String()+", not an object"))
		}
		if len(om.val.members) == 0 {
			return nil, syntaxError(where(i, "Condition."+om.key+" is an empty object"))
		}
		for _, km := range om.val.members {
			// A key needs no vendor prefix: IAM accepts "a" (LocalStack's
			// AWS-validated test_create_policy_valid_document, behaviour §18.2).
			raw, err := conditionValues(&km.val, i, om.key+"."+km.key)
			if err != nil {
				return nil, err
			}
			c := condition{op: op, key: strings.ToLower(km.key), rawKey: km.key}
			c.values = make([]condValue, len(raw))
			for k, s := range raw {
				c.values[k] = newCondValue(op.fam, s, variables)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// conditionValues reads a string, number or boolean, or a non-empty array of
// them, as text.
func conditionValues(v *jsonValue, i int, name string) ([]string, error) {
	scalar := func(e *jsonValue) (string, error) {
		switch e.kind {
		case jsonString, jsonNumber, jsonBool:
			return e.text, nil
		default:
			return "", syntaxError(where(i, "Condition."+name+" holds "+e.kind.String()))
		}
	}
	if v.kind != jsonArray {
		s, err := scalar(v)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	if len(v.elems) == 0 {
		return nil, syntaxError(where(i, "Condition."+name+" is an empty array"))
	}
	out := make([]string, len(v.elems))
	for k := range v.elems {
		s, err := scalar(&v.elems[k])
		if err != nil {
			return nil, err
		}
		out[k] = s
	}
	return out, nil
}

// eval decides the condition for one request.
func (c *condition) eval(e *evalCtx) bool {
	vals := e.lookup(c.key, c.rawKey)
	if c.op.fam == famNull {
		for k := range c.values {
			if v := &c.values[k]; v.ok && v.b == (len(vals) == 0) {
				return true
			}
		}
		return false
	}
	if len(vals) == 0 {
		switch {
		case c.op.ifExists:
			return true
		case c.op.set == setForAll:
			return true // vacuously: every one of no values matches
		case c.op.set == setForAny:
			return false
		default:
			// A missing key matches no value: positive operators fail,
			// negated ones (StringNotEquals, NotIpAddress, ...) succeed.
			return c.op.negate
		}
	}
	switch c.op.set {
	case setForAll:
		for _, r := range vals {
			if c.matchAny(r, e) == c.op.negate {
				return false
			}
		}
		return true
	case setForAny:
		for _, r := range vals {
			if c.matchAny(r, e) != c.op.negate {
				return true
			}
		}
		return false
	default:
		for _, r := range vals {
			if c.matchAny(r, e) {
				return !c.op.negate
			}
		}
		return c.op.negate
	}
}

// matchAny reports whether request value r matches any of the policy's
// values under the operator's positive form.
func (c *condition) matchAny(r string, e *evalCtx) bool {
	var rv reqValue
	for k := range c.values {
		v := &c.values[k]
		if v.toks != nil {
			text, ok := joinTokens(v.toks, e)
			if !ok {
				continue
			}
			w := compileText(c.op.fam, text)
			v = &w
		}
		if v.ok && v.match(c.op, r, &rv, e) {
			return true
		}
	}
	return false
}
