package iamquery

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendResult appends the success document IAM sends for action:
//
//	<XResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//	  <XResult>
//	    ...members...
//	  </XResult>
//	  <ResponseMetadata>
//	    <RequestId>id</RequestId>
//	  </ResponseMetadata>
//	</XResponse>
//
// out must be a non-nil pointer to an SDK output structure; its
// ResultMetadata is skipped. A type the encoder cannot write (a map, an
// interface) is a programming mistake, reported as a plain error with buf
// unchanged.
func AppendResult(buf []byte, action string, out any, requestID string) ([]byte, error) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return buf, fmt.Errorf("iamquery: AppendResult needs a pointer to a structure, not %T", out)
	}
	start := len(buf)
	buf = openResponse(buf, action)
	buf = openElem(buf, 1, action+"Result")
	inner := len(buf)
	var err error
	if buf, err = appendFields(buf, 2, v.Elem()); err != nil {
		return buf[:start], err
	}
	if len(buf) == inner { // no members: <XResult/>
		buf = append(buf[:inner-1], "/>"...)
	} else {
		buf = closeElem(buf, 1, action+"Result")
	}
	return closeResponse(buf, action, requestID), nil
}

// AppendEmpty appends the document of an operation that has no output
// (DeleteUser, TagRole, ...): the response element with its metadata only.
func AppendEmpty(buf []byte, action, requestID string) []byte {
	return closeResponse(openResponse(buf, action), action, requestID)
}

// AppendError appends the error document IAM sends, STS's envelope in
// IAM's namespace (behaviour §1.3, §18). fault is "Sender" or "Receiver";
// an empty message leaves <Message> out (MalformedInput).
func AppendError(buf []byte, fault, code, message, requestID string) []byte {
	buf = append(buf, `<ErrorResponse xmlns="`+Namespace+`">`...)
	buf = openElem(buf, 1, "Error")
	buf = textElem(buf, 2, "Type", fault)
	buf = textElem(buf, 2, "Code", code)
	if message != "" {
		buf = textElem(buf, 2, "Message", message)
	}
	buf = closeElem(buf, 1, "Error")
	buf = textElem(buf, 1, "RequestId", requestID)
	return append(buf, "\n</ErrorResponse>\n"...)
}

func openResponse(buf []byte, action string) []byte {
	buf = append(buf, '<')
	buf = append(buf, action...)
	return append(buf, `Response xmlns="`+Namespace+`">`...)
}

func closeResponse(buf []byte, action, requestID string) []byte {
	buf = openElem(buf, 1, "ResponseMetadata")
	buf = textElem(buf, 2, "RequestId", requestID)
	buf = closeElem(buf, 1, "ResponseMetadata")
	buf = append(buf, "\n</"...)
	buf = append(buf, action...)
	return append(buf, "Response>\n"...)
}

var timeType = reflect.TypeOf(time.Time{})

// timeLayout is how IAM writes timestamps: UTC, whole seconds.
const timeLayout = "2006-01-02T15:04:05Z"

// appendFields appends the exported members of the structure sv at depth.
func appendFields(buf []byte, depth int, sv reflect.Value) ([]byte, error) {
	t := sv.Type()
	var err error
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" {
			continue
		}
		if buf, err = appendValue(buf, depth, f.Name, sv.Field(i)); err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// appendValue appends the member name with value v; nil pointers and
// slices, and empty enum strings, are left out.
func appendValue(buf []byte, depth int, name string, v reflect.Value) ([]byte, error) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return buf, nil
		}
		return appendValue(buf, depth, name, v.Elem())
	case reflect.String:
		if v.String() == "" && v.Type().Name() != "string" { // an unset enum
			return buf, nil
		}
		return textElem(buf, depth, name, v.String()), nil
	case reflect.Int32, reflect.Int64, reflect.Int:
		buf = openElem(buf, depth, name)
		buf = strconv.AppendInt(buf, v.Int(), 10)
		return end(buf, name), nil
	case reflect.Bool:
		buf = openElem(buf, depth, name)
		buf = strconv.AppendBool(buf, v.Bool())
		return end(buf, name), nil
	case reflect.Slice:
		if v.IsNil() {
			return buf, nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return textElem(buf, depth, name, base64.StdEncoding.EncodeToString(v.Bytes())), nil
		}
		if v.Len() == 0 {
			return emptyElem(buf, depth, name), nil
		}
		buf = openElem(buf, depth, name)
		var err error
		for i := 0; i < v.Len(); i++ {
			if buf, err = appendValue(buf, depth+1, "member", v.Index(i)); err != nil {
				return buf, err
			}
		}
		return closeElem(buf, depth, name), nil
	case reflect.Struct:
		if v.Type() == timeType {
			buf = openElem(buf, depth, name)
			buf = v.Interface().(time.Time).UTC().AppendFormat(buf, timeLayout)
			return end(buf, name), nil
		}
		start := len(buf)
		buf = openElem(buf, depth, name)
		inner := len(buf)
		var err error
		if buf, err = appendFields(buf, depth+1, v); err != nil {
			return buf, err
		}
		if len(buf) == inner {
			return emptyElem(buf[:start], depth, name), nil
		}
		return closeElem(buf, depth, name), nil
	}
	return buf, fmt.Errorf("iamquery: cannot encode member %s of kind %s", name, v.Kind())
}

// indent holds the newline and leading spaces of the nesting levels the
// documents use (two spaces per level).
const indent = "\n                "

// pad appends the newline and indentation of depth.
func pad(buf []byte, depth int) []byte {
	n := 1 + 2*depth
	if n > len(indent) {
		buf = append(buf, '\n')
		for i := 0; i < 2*depth; i++ {
			buf = append(buf, ' ')
		}
		return buf
	}
	return append(buf, indent[:n]...)
}

// openElem appends "\n<spaces><name>" at depth.
func openElem(buf []byte, depth int, name string) []byte {
	buf = pad(buf, depth)
	buf = append(buf, '<')
	buf = append(buf, name...)
	return append(buf, '>')
}

// closeElem appends "\n<spaces></name>" at depth.
func closeElem(buf []byte, depth int, name string) []byte {
	buf = pad(buf, depth)
	return end(buf, name)
}

// emptyElem appends "\n<spaces><name/>" at depth.
func emptyElem(buf []byte, depth int, name string) []byte {
	buf = pad(buf, depth)
	buf = append(buf, '<')
	buf = append(buf, name...)
	return append(buf, "/>"...)
}

// end appends "</name>".
func end(buf []byte, name string) []byte {
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// textElem appends <name>escaped s</name> on its own line.
func textElem(buf []byte, depth int, name, s string) []byte {
	buf = openElem(buf, depth, name)
	buf = appendText(buf, s)
	return end(buf, name)
}

// appendText appends s as XML character data: & < > " ' as entities, CR as
// &#xD; (so end-of-line normalisation keeps it), and what XML 1.0 cannot
// carry (other C0 controls, U+FFFE, U+FFFF, bytes that are not UTF-8) as
// U+FFFD, the STS codec's rules (behaviour §1.2).
func appendText(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				buf = append(buf, "&amp;"...)
			case c == '<':
				buf = append(buf, "&lt;"...)
			case c == '>':
				buf = append(buf, "&gt;"...)
			case c == '"':
				buf = append(buf, "&quot;"...)
			case c == '\'':
				buf = append(buf, "&apos;"...)
			case c == '\r':
				buf = append(buf, "&#xD;"...)
			case c == '\t' || c == '\n' || c >= 0x20:
				buf = append(buf, c)
			default:
				buf = append(buf, "\uFFFD"...)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			buf = append(buf, "\uFFFD"...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return buf
}
