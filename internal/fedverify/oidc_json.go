package fedverify

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// oidcMaxJSONDepth bounds the nesting of objects and arrays in a token's
// header or payload. Real ID tokens nest two or three levels (the session-tag
// claim is the deepest); anything far beyond is hostile.
const oidcMaxJSONDepth = 32

var (
	errOIDCNotUTF8      = errors.New("JSON text is not valid UTF-8")
	errOIDCDuplicateKey = errors.New("duplicate object key")
	errOIDCTooDeep      = errors.New("JSON nested too deeply")
	errOIDCNotObject    = errors.New("JSON document is not an object")
	errOIDCTrailingData = errors.New("data after the JSON document")
)

// oidcDecodeObject decodes a JSON object strictly: text that is not valid
// UTF-8 (RFC 8259 §8.1; encoding/json would replace the bad bytes with
// U+FFFD and go on), duplicate keys at any level, nesting deeper than
// oidcMaxJSONDepth, a top-level value that is not an object, and trailing
// data are errors. encoding/json alone would keep the
// last of two duplicate keys, which lets a payload say one thing to this
// verifier and another to a different parser (the classic duplicate-claim
// smuggling), so the document is rebuilt token by token.
//
// Numbers are kept as json.Number so that integer checks on date claims see
// the literal text; strings, booleans, nulls, []any and map[string]any are as
// encoding/json produces them.
func oidcDecodeObject(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) {
		return nil, errOIDCNotUTF8
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := oidcDecodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errOIDCNotObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errOIDCTrailingData
	}
	return obj, nil
}

// oidcDecodeValue reads one JSON value from dec. depth counts the objects and
// arrays that enclose it.
func oidcDecodeValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	if depth >= oidcMaxJSONDepth {
		return nil, errOIDCTooDeep
	}
	switch delim {
	case '{':
		obj := make(map[string]any)
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, ok := kt.(string)
			if !ok {
				return nil, errors.New("object key is not a string")
			}
			if _, dup := obj[key]; dup {
				return nil, errOIDCDuplicateKey
			}
			v, err := oidcDecodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			obj[key] = v
		}
		if _, err := dec.Token(); err != nil { // the closing '}'
			return nil, err
		}
		return obj, nil
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := oidcDecodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if _, err := dec.Token(); err != nil { // the closing ']'
			return nil, err
		}
		return arr, nil
	default:
		return nil, errors.New("unexpected JSON delimiter")
	}
}
