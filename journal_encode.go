package fakests

import (
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// This file writes an operation's input or output as CloudTrail writes
// requestParameters and responseElements (behaviour §21): a JSON object
// whose keys are the SDK members' names with the first letter lowered
// (RoleArn → roleArn, SAMLAssertion → sAMLAssertion), nested structures as
// objects, lists as arrays, numbers as numbers, times in CloudTrail's
// "Feb 9, 2026, 9:57:03 PM" form (UTC), and unset members left out. Secret
// members never appear (journalOmitted).
//
// It works on any SDK input or output type by reflection, with one plan per
// type built once, so an operation added later is journaled with no code
// of its own. The JSON is written at the call, into one buffer: it copies
// what the event needs, so a caller changing its input afterwards changes
// nothing, and the costly part (maps for the Go fields) waits for Events.

// journalOmitted lists the members, by SDK member name, that the journal
// never writes: the secrets (behaviour §21: the secret access key, a web
// identity token, a SAML assertion, an MFA code, a trade-in token, a
// signed context assertion) and the size members CloudTrail's records do
// not show (AWS's example of an AssumeRole with session tags has no
// packedPolicySize). One table for every operation, inputs and outputs
// alike.
var journalOmitted = map[string]bool{
	"SecretAccessKey":         true, // Credentials
	"WebIdentityToken":        true, // AssumeRoleWithWebIdentity input, GetWebIdentityToken output
	"SAMLAssertion":           true, // AssumeRoleWithSAML input
	"TokenCode":               true, // MFA code of AssumeRole, GetSessionToken
	"TradeInToken":            true, // GetDelegatedAccessToken input
	"ContextAssertion":        true, // ProvidedContexts of AssumeRole
	"PackedPolicySize":        true, // not in CloudTrail's records (behaviour §21)
	"SessionTokenSize":        true,
	"SessionTokenUtilization": true,
	"ResultMetadata":          true, // the SDK's own, not a member
	"Base32StringSeed":        true, // IAM CreateVirtualMFADevice output: the MFA secret
	"QRCodePNG":               true, // the same secret as a picture
	"AuthenticationCode1":     true, // IAM EnableMFADevice input: MFA codes
	"AuthenticationCode2":     true,
}

// cloudTrailTimeLayout is how CloudTrail writes times inside
// responseElements (credentials.expiration): "Feb 9, 2026, 9:57:03 PM",
// in UTC (behaviour §21).
const cloudTrailTimeLayout = "Jan 2, 2006, 3:04:05 PM"

// memberEncoder appends one value; it reports false when the value is
// unset (a nil pointer, an empty list) and nothing was written.
type memberEncoder func(buf []byte, v reflect.Value) ([]byte, bool)

// structPlan is how one struct type is written: its members in order.
type structPlan struct {
	members []memberPlan
}

// memberPlan is one member of a struct: its field index, its JSON key
// (quoted, with the colon) and how to write its value.
type memberPlan struct {
	index int
	key   string
	enc   memberEncoder
}

// plans caches a *structPlan per struct type.
var plans sync.Map

var timeType = reflect.TypeOf(time.Time{})

// appendMembers appends v (a pointer to a struct, or a struct) as a JSON
// object, or returns buf unchanged and false when v is nil or has no member
// set.
func appendMembers(buf []byte, v any) ([]byte, bool) {
	if v == nil {
		return buf, false
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return buf, false
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return buf, false
	}
	return planOf(rv.Type()).append(buf, rv)
}

// encodeMembers returns v as a CloudTrail JSON object, or nil when v has no
// member set (CloudTrail's null).
func encodeMembers(v any) []byte {
	buf, ok := appendMembers(make([]byte, 0, 256), v)
	if !ok {
		return nil
	}
	return buf
}

// append writes the struct v as an object; false when no member is set.
func (p *structPlan) append(buf []byte, v reflect.Value) ([]byte, bool) {
	start := len(buf)
	buf = append(buf, '{')
	wrote := false
	for i := range p.members {
		m := &p.members[i]
		mark := len(buf)
		if wrote {
			buf = append(buf, ',')
		}
		buf = append(buf, m.key...)
		var ok bool
		if buf, ok = m.enc(buf, v.Field(m.index)); !ok {
			buf = buf[:mark]
			continue
		}
		wrote = true
	}
	if !wrote {
		return buf[:start], false
	}
	return append(buf, '}'), true
}

// planOf returns the plan of struct type t, building it on first use.
func planOf(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	// Nested structures find their plans when written (encoderOf), so
	// building one never recurses, even for a type that contains itself.
	p := &structPlan{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || journalOmitted[f.Name] {
			continue
		}
		enc := encoderOf(f.Type)
		if enc == nil {
			continue
		}
		p.members = append(p.members, memberPlan{index: i, key: string(appendJSONString(nil, lowerFirst(f.Name))) + ":", enc: enc})
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// lowerFirst lowers the first letter of an SDK member name, as CloudTrail
// names parameters (behaviour §21: SAMLAssertionID → sAMLAssertionID).
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// encoderOf returns the encoder of values of type t, or nil for a type the
// journal does not write (functions, channels, interfaces: documents).
func encoderOf(t reflect.Type) memberEncoder {
	switch {
	case t == timeType:
		return encodeTime
	case t.Kind() == reflect.Pointer:
		elem := encoderOf(t.Elem())
		if elem == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, bool) {
			if v.IsNil() {
				return buf, false
			}
			return elem(buf, v.Elem())
		}
	}
	switch t.Kind() {
	case reflect.String:
		return encodeString
	case reflect.Bool:
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return strconv.AppendBool(buf, v.Bool()), true }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return strconv.AppendInt(buf, v.Int(), 10), true }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return strconv.AppendUint(buf, v.Uint(), 10), true }
	case reflect.Float32, reflect.Float64:
		return func(buf []byte, v reflect.Value) ([]byte, bool) {
			return strconv.AppendFloat(buf, v.Float(), 'g', -1, 64), true
		}
	case reflect.Struct:
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return planOf(t).append(buf, v) }
	case reflect.Slice, reflect.Array:
		elem := encoderOf(t.Elem())
		if elem == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return encodeList(buf, v, elem) }
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil
		}
		elem := encoderOf(t.Elem())
		if elem == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, bool) { return encodeMap(buf, v, elem) }
	}
	return nil
}

// encodeString writes a string value.
func encodeString(buf []byte, v reflect.Value) ([]byte, bool) {
	return appendJSONString(buf, v.String()), true
}

// encodeTime writes a time as CloudTrail does inside responseElements.
func encodeTime(buf []byte, v reflect.Value) ([]byte, bool) {
	var t time.Time
	if v.CanAddr() {
		t = *v.Addr().Interface().(*time.Time) // a pointer in an interface: no allocation
	} else {
		t = v.Interface().(time.Time)
	}
	buf = append(buf, '"')
	buf = t.UTC().AppendFormat(buf, cloudTrailTimeLayout)
	return append(buf, '"'), true
}

// encodeList writes a list; an empty list is unset. Unset elements are
// written as null, so positions are kept.
func encodeList(buf []byte, v reflect.Value, elem memberEncoder) ([]byte, bool) {
	if v.Len() == 0 {
		return buf, false
	}
	buf = append(buf, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		var ok bool
		if buf, ok = elem(buf, v.Index(i)); !ok {
			buf = append(buf, "null"...)
		}
	}
	return append(buf, ']'), true
}

// encodeMap writes a map with string keys as an object, in key order.
func encodeMap(buf []byte, v reflect.Value, elem memberEncoder) ([]byte, bool) {
	if v.Len() == 0 {
		return buf, false
	}
	keys := v.MapKeys()
	ks := make([]string, len(keys))
	for i, k := range keys {
		ks[i] = k.String()
	}
	slices.Sort(ks)
	buf = append(buf, '{')
	for i, k := range ks {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, k)
		buf = append(buf, ':')
		var ok bool
		if buf, ok = elem(buf, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key()))); !ok {
			buf = append(buf, "null"...)
		}
	}
	return append(buf, '}'), true
}

// plainJSON marks the bytes a JSON string holds as they are: printable
// ASCII but '"' and '\\'.
var plainJSON = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string: '"' and '\' escaped,
// control characters as \u00XX (\n, \r, \t by name), invalid UTF-8 as
// U+FFFD, as encoding/json decodes it.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most strings (ARNs, IDs, base64 tokens) are plain ASCII: skip
		// it fast.
		for i < len(s) && plainJSON[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			buf = append(buf, s[start:i]...)
			switch b {
			case '"', '\\':
				buf = append(buf, '\\', b)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
