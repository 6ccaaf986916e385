package awsquery

import (
	"net/url"
	"strings"
)

// MaxFormBytes is the largest request form (POST body or GET query string)
// that ParseForm and ParseQuery accept. The largest legitimate STS request
// is an AssumeRoleWithSAML carrying a 100,000-character assertion (behaviour §4),
// about 140 KB once percent-encoded; 1 MiB leaves ample room.
const MaxFormBytes = 1 << 20

// MaxFormParams is the largest number of parameters (key=value pairs)
// ParseForm and ParseQuery accept. The biggest legitimate request
// (AssumeRole with 50 tags, 50 transitive keys, 10 policy ARNs and 5
// contexts, behaviour §4) has under 200; the cap bounds the memory a hostile
// body of many tiny pairs can make us allocate.
const MaxFormParams = 1000

// ParseForm parses an application/x-www-form-urlencoded request body, as
// every SDK sends STS requests (behaviour §1.1). It differs from url.ParseQuery
// in three ways: it enforces MaxFormBytes and MaxFormParams, a ';' is an
// ordinary character rather than a rejected separator, and it allocates
// less (values share one backing array). Errors are *apierror.Error.
//
// A repeated key keeps all its values in order; Decode reads the first.
func ParseForm(body []byte) (url.Values, error) {
	if len(body) > MaxFormBytes {
		return nil, errTooLarge(len(body))
	}
	return parse(string(body))
}

// ParseQuery parses a raw URL query string (GET requests, such as presigned
// GetCallerIdentity URLs, behaviour §1.1) with the same rules as ParseForm.
func ParseQuery(raw string) (url.Values, error) {
	if len(raw) > MaxFormBytes {
		return nil, errTooLarge(len(raw))
	}
	return parse(raw)
}

func parse(s string) (url.Values, error) {
	hint := strings.Count(s, "&") + 1
	if hint > 64 {
		hint = 64 // never size a map by attacker-controlled counts
	}
	form := make(url.Values, hint)
	vals := make([]string, 0, hint)
	pairs := 0
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if pairs++; pairs > MaxFormParams {
			return nil, errTooManyParams()
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errBadEncoding(clip(k))
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, errBadEncoding(clip(v))
		}
		if old, ok := form[key]; ok {
			form[key] = append(old, val)
			continue
		}
		vals = append(vals, val)
		n := len(vals)
		form[key] = vals[n-1 : n : n] // cap 1: a later append copies
	}
	return form, nil
}

// clip shortens hostile input before it is quoted into a message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
