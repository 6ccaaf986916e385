package fakests

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fakests/fakests/apierror"
)

// This file checks an IAM request's members against the constraints of
// IAM's model (iam_model_gen.go, generated from botocore's IAM model and
// checked against it by TestIAMModelTable) and reports them in IAM's
// ValidationError template (behaviour §18). IAM's template differs from
// STS's (§3) in three ways the LocalStack recordings show: it never quotes
// the value ("Value at 'path' failed to satisfy constraint: …"); several
// failing members are listed by member name in alphabetical order (the one
// recording with three fits both that and a hash order; choice); and a
// list whose elements fail names every constraint of the element shape in
// the order maximum length, minimum length, pattern (recorded for
// thumbprintList, clientIDList, tagKeys and policyInputList), tagKeys
// adding "Member must not be null". A member's own failed constraints come
// in STS's Java-set order (apierror.SetOrder). A path's pattern is IAM's
// own check, with its own text (checkPath, recorded for
// CreateVirtualMFADevice), not the template's.

// iamShape is the constraints of one shape of IAM's model.
type iamShape struct {
	kind     string // "string", "integer", "boolean", "list", "structure", "blob", "timestamp"
	min, max int    // -1 when the model sets none
	pattern  string // as the model spells it
	enum     []string
	member   string      // a list's element shape
	members  []iamMember // a structure's members, in model order
}

// iamMember is a member of an input or structure shape.
type iamMember struct {
	name, shape string
	required    bool
}

// iamPatterns are the model's patterns compiled for Go, by pattern text.
var iamPatterns = func() map[string]*regexp.Regexp {
	out := make(map[string]*regexp.Regexp)
	for _, s := range iamShapes {
		if s.pattern != "" && out[s.pattern] == nil {
			out[s.pattern] = regexp.MustCompile(javaPattern(s.pattern))
		}
	}
	return out
}()

// javaPattern turns a pattern of the model (Java syntax, matched against
// the whole value) into a Go regular expression: \uXXXX escapes become
// \x{XXXX}.
func javaPattern(p string) string {
	var b strings.Builder
	b.WriteString(`^(?:`)
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			if p[i+1] == 'u' && i+6 <= len(p) {
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			}
			b.WriteString(p[i : i+2])
			i++
			continue
		}
		b.WriteByte(p[i])
	}
	b.WriteString(`)$`)
	return b.String()
}

// iamViolation is one failed member: the field path and constraint text.
type iamViolation struct{ field, constraint string }

// validateIAMInput checks the members of in, the input of IAM operation
// op, against the model. It returns the ValidationError of every failure,
// or nil.
func validateIAMInput(op string, in any) error {
	members, ok := iamInputs[op]
	if !ok {
		return nil
	}
	v := reflect.ValueOf(in).Elem()
	var out []iamViolation
	for _, m := range members {
		out = checkIAMMember(out, v.FieldByName(m.name), m, lowerFirst(m.name))
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b iamViolation) int { return strings.Compare(a.field, b.field) })
	parts := make([]string, len(out))
	for i, x := range out {
		parts[i] = "Value at '" + x.field + "' failed to satisfy constraint: " + x.constraint
	}
	n := "1 validation error detected: "
	if len(parts) > 1 {
		n = strconv.Itoa(len(parts)) + " validation errors detected: "
	}
	return apierror.New(apierror.CodeValidationError, n+strings.Join(parts, "; "))
}

// notNull is the constraint of an absent required member.
const notNull = "Member must not be null"

// checkIAMMember appends the violations of the member m, the value fv, at
// field.
func checkIAMMember(out []iamViolation, fv reflect.Value, m iamMember, field string) []iamViolation {
	shape := iamShapes[m.shape]
	if !fv.IsValid() || shape == nil {
		return out
	}
	if isAbsent(fv, shape) {
		if m.required {
			out = append(out, iamViolation{field, notNull})
		}
		return out
	}
	for fv.Kind() == reflect.Pointer {
		fv = fv.Elem()
	}
	switch shape.kind {
	case "string":
		failed := stringFailures(fv.String(), shape)
		if m.shape == "pathType" {
			// IAM checks a path's characters itself, with a text of its
			// own (checkPath); only its length is the template's.
			failed = slices.DeleteFunc(failed, func(c string) bool { return strings.HasPrefix(c, "Member must satisfy regular") })
		}
		for _, c := range apierror.SetOrder(failed) {
			out = append(out, iamViolation{field, c})
		}
	case "integer":
		n := fv.Int()
		if shape.min >= 0 && n < int64(shape.min) {
			out = append(out, iamViolation{field, apierror.MinValue(shape.min)})
		}
		if shape.max >= 0 && n > int64(shape.max) {
			out = append(out, iamViolation{field, apierror.MaxValue(shape.max)})
		}
	case "list":
		out = checkIAMList(out, fv, shape, field)
	case "structure":
		for _, sm := range shape.members {
			out = checkIAMMember(out, fv.FieldByName(sm.name), sm, field+"."+lowerFirst(sm.name))
		}
	}
	return out
}

// isAbsent reports whether fv is an absent member: a nil pointer or slice,
// or an empty enum (the SDK's enum members are plain strings).
func isAbsent(fv reflect.Value, shape *iamShape) bool {
	switch fv.Kind() {
	case reflect.Pointer, reflect.Slice:
		return fv.IsNil()
	case reflect.String:
		return fv.String() == "" && len(shape.enum) > 0
	}
	return false
}

// stringFailures returns the constraints of shape that s fails. Lengths
// count characters.
func stringFailures(s string, shape *iamShape) []string {
	var failed []string
	n := utf8.RuneCountInString(s)
	if shape.max >= 0 && n > shape.max {
		failed = append(failed, apierror.MaxLength(shape.max))
	}
	if shape.min >= 0 && n < shape.min {
		failed = append(failed, apierror.MinLength(shape.min))
	}
	if shape.pattern != "" && !iamPatterns[shape.pattern].MatchString(s) {
		failed = append(failed, apierror.Pattern(shape.pattern))
	}
	if len(shape.enum) > 0 && !slices.Contains(shape.enum, s) {
		failed = append(failed, "Member must satisfy enum value set")
	}
	return failed
}

// checkIAMList appends the violations of a list: its length, then its
// elements, structures member by member ("tags.1.member.key"), strings once
// at the list with every constraint of the element shape.
func checkIAMList(out []iamViolation, fv reflect.Value, shape *iamShape, field string) []iamViolation {
	if shape.max >= 0 && fv.Len() > shape.max {
		out = append(out, iamViolation{field, apierror.MaxLength(shape.max)})
	}
	if shape.min >= 0 && fv.Len() < shape.min {
		out = append(out, iamViolation{field, apierror.MinLength(shape.min)})
	}
	elem := iamShapes[shape.member]
	if elem == nil {
		return out
	}
	switch elem.kind {
	case "structure":
		for i := 0; i < fv.Len(); i++ {
			prefix := field + "." + strconv.Itoa(i+1) + ".member"
			for _, sm := range elem.members {
				out = checkIAMMember(out, fv.Index(i).FieldByName(sm.name), sm, prefix+"."+lowerFirst(sm.name))
			}
		}
	case "string":
		for i := 0; i < fv.Len(); i++ {
			if len(stringFailures(fv.Index(i).String(), elem)) > 0 {
				out = append(out, iamViolation{field, elementConstraints(shape.member, elem)})
				break
			}
		}
	}
	return out
}

// elementConstraints is "Member must satisfy constraint: [...]" naming
// every constraint of a list's element shape.
func elementConstraints(name string, elem *iamShape) string {
	var cs []string
	if elem.max >= 0 {
		cs = append(cs, apierror.MaxLength(elem.max))
	}
	if elem.min >= 0 {
		cs = append(cs, apierror.MinLength(elem.min))
	}
	if elem.pattern != "" {
		cs = append(cs, apierror.Pattern(elem.pattern))
	}
	if name == "tagKeyType" { // recorded for tagKeys only
		cs = append(cs, notNull)
	}
	return "Member must satisfy constraint: [" + strings.Join(cs, ", ") + "]"
}
