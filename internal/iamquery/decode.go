package iamquery

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/fakests/fakests/apierror"
)

// Namespace is IAM's XML namespace (behaviour §18).
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// Version is IAM's API version (behaviour §18).
const Version = "2010-05-08"

// maxSkip is how far past the previous index a list index may jump
// (recorded: 11 after nothing or after 1 is accepted, 12 is not).
const maxSkip = 10

// Action returns the request's Action after checking its Version: a
// missing or empty Action is MissingAction or InvalidAction, a Version
// present and other than IAM's is InvalidAction (as on the STS wire,
// behaviour §1.1). Whether IAM serves the action is the caller's to check
// (ErrInvalidAction).
func Action(form url.Values) (string, error) {
	actions := form["Action"]
	if len(actions) == 0 {
		return "", ErrMissingAction()
	}
	action := actions[0]
	if vs := form["Version"]; len(vs) > 0 && vs[0] != Version {
		return action, ErrInvalidAction(action, vs[0])
	}
	if action == "" {
		return action, ErrInvalidAction(action, Version)
	}
	return action, nil
}

// Decode fills in, a pointer to an SDK input structure, from form: each
// exported field from the key of the same name (see the package
// documentation for the rules). Strings are copied out of form. A
// malformed value is an *apierror.Error; in of another kind is a
// programming mistake, reported as a plain error.
func Decode(form url.Values, in any) error {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("iamquery: Decode needs a pointer to a structure, not %T", in)
	}
	d := decoder{form: form}
	d.fields(v.Elem(), "")
	if d.err != nil {
		return d.err
	}
	return nil
}

// decoder reads one form into a structure, remembering the first error.
type decoder struct {
	form url.Values
	err  *apierror.Error
	// keys is the form's keys, sorted, so that the first error reported
	// does not depend on map order; built on first use.
	keys []string
}

// fail records err unless an error is already recorded.
func (d *decoder) fail(err *apierror.Error) {
	if d.err == nil {
		d.err = err
	}
}

// sortedKeys returns the form's keys in order.
func (d *decoder) sortedKeys() []string {
	if d.keys == nil {
		d.keys = make([]string, 0, len(d.form))
		for k := range d.form {
			d.keys = append(d.keys, k)
		}
		slices.Sort(d.keys)
	}
	return d.keys
}

// first returns the first value of key.
func (d *decoder) first(key string) (string, bool) {
	if v := d.form[key]; len(v) > 0 {
		return v[0], true
	}
	return "", false
}

// fields decodes every exported field of the structure sv from the keys
// prefix+FieldName.
func (d *decoder) fields(sv reflect.Value, prefix string) {
	t := sv.Type()
	for i := 0; i < t.NumField() && d.err == nil; i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		d.field(sv.Field(i), prefix+f.Name)
	}
}

// field decodes one member at key into fv.
func (d *decoder) field(fv reflect.Value, key string) {
	t := fv.Type()
	switch t.Kind() {
	case reflect.Pointer:
		et := t.Elem()
		switch et.Kind() {
		case reflect.String, reflect.Int32, reflect.Int64, reflect.Bool:
			s, ok := d.first(key)
			if !ok {
				return
			}
			p := reflect.New(et)
			if d.scalar(p.Elem(), s) {
				fv.Set(p)
			}
		case reflect.Struct:
			if !d.hasPrefix(key + ".") {
				return
			}
			p := reflect.New(et)
			d.fields(p.Elem(), key+".")
			fv.Set(p)
		}
	case reflect.String, reflect.Int32, reflect.Int64, reflect.Bool:
		if s, ok := d.first(key); ok {
			d.scalar(fv, s)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			s, ok := d.first(key)
			if !ok {
				return
			}
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				d.fail(errNotBase64())
				return
			}
			fv.SetBytes(b)
			return
		}
		d.list(fv, key)
	}
}

// scalar sets v, a string, integer or boolean, from s; it reports false
// (with the error recorded) when s does not parse.
func (d *decoder) scalar(v reflect.Value, s string) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(strings.Clone(s))
	case reflect.Int32, reflect.Int64:
		if s == "" {
			d.fail(errEmptyInteger())
			return false
		}
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			d.fail(errNotInteger())
			return false
		}
		v.SetInt(n)
	case reflect.Bool:
		switch s {
		case "true", "1":
			v.SetBool(true)
		case "false", "0":
			v.SetBool(false)
		default:
			d.fail(errNotBoolean())
			return false
		}
	}
	return true
}

// hasPrefix reports whether some key starts with prefix.
func (d *decoder) hasPrefix(prefix string) bool {
	for k := range d.form {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// list decodes the list at key (key.member.N[.Field]) into the slice fv.
func (d *decoder) list(fv reflect.Value, key string) {
	prefix := key + ".member."
	type member struct {
		index uint64
		token string // the index as sent, "01" or "1"
	}
	var members []member
	for _, k := range d.sortedKeys() {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		token, _, _ := strings.Cut(rest, ".")
		index, err := parseIndex(token)
		if err != nil {
			d.fail(err)
			return
		}
		if !slices.ContainsFunc(members, func(m member) bool { return m.index == index }) {
			members = append(members, member{index, token})
		}
	}
	if len(members) == 0 {
		if _, bare := d.form[key]; bare { // "Tags=": an empty list
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		}
		return
	}
	slices.SortFunc(members, func(a, b member) int {
		switch {
		case a.index < b.index:
			return -1
		case a.index > b.index:
			return 1
		}
		return 0
	})
	prev := uint64(1)
	for _, m := range members {
		if m.index-prev > maxSkip {
			d.fail(errSparse(m.index - prev))
			return
		}
		prev = m.index
	}
	out := reflect.MakeSlice(fv.Type(), len(members), len(members))
	et := fv.Type().Elem()
	for i, m := range members {
		elem := out.Index(i)
		// Every spelling of the index ("1", "01") addresses the member;
		// where several set a field, the canonical spelling wins, then the
		// first key in order (choice).
		for pass := 0; pass < 2; pass++ {
			for _, k := range d.sortedKeys() {
				rest, ok := strings.CutPrefix(k, prefix)
				if !ok {
					continue
				}
				token, field, hasField := strings.Cut(rest, ".")
				index, _ := parseIndex(token)
				canonical := token == strconv.FormatUint(index, 10)
				if index != m.index || canonical != (pass == 0) {
					continue
				}
				switch {
				case et.Kind() == reflect.Struct && hasField:
					d.structMember(elem, field, d.form[k][0])
				case et.Kind() == reflect.String && !hasField:
					if elem.String() == "" {
						elem.SetString(strings.Clone(d.form[k][0]))
					}
				}
				if d.err != nil {
					return
				}
			}
		}
	}
	fv.Set(out)
}

// structMember sets the field name of the structure sv (a list member) to
// s; unknown fields are ignored, and the first value wins.
func (d *decoder) structMember(sv reflect.Value, name, s string) {
	f := sv.FieldByName(name)
	if !f.IsValid() || !f.CanSet() {
		return
	}
	switch {
	case f.Kind() == reflect.Pointer && !f.IsNil():
		return
	case f.Kind() == reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		switch p.Elem().Kind() {
		case reflect.String, reflect.Int32, reflect.Int64, reflect.Bool:
			if d.scalar(p.Elem(), s) {
				f.Set(p)
			}
		}
	case f.Kind() == reflect.String && f.String() == "":
		d.scalar(f, s)
	}
}

// parseIndex reads a list index as IAM does (package documentation).
func parseIndex(token string) (uint64, *apierror.Error) {
	if strings.HasPrefix(token, "-") {
		return 0, errNegativeIndex(token)
	}
	if token == "" {
		return 0, errBadIndex()
	}
	var n uint64
	for i := 0; i < len(token); i++ {
		c := token[i]
		if c < '0' || c > '9' {
			return 0, errBadIndex()
		}
		if n > (1<<63)/10 { // far past any sparse limit: saturate
			n = 1 << 63
			continue
		}
		n = n*10 + uint64(c-'0')
	}
	if n == 0 {
		return 0, errZeroIndex()
	}
	return n, nil
}
