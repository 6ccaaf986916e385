package fakests

import (
	"net/http"
	"strconv"
	"strings"
)

// wantsJSON reports whether a request's Accept header prefers JSON to XML:
// STS answers JSON when asked (behaviour §1.2), as aws-iam-authenticator asks
// with "Accept: application/json". Each media range counts with its q
// value; for each format the most specific range that matches it decides
// (application/json, then application/*, then */*; for XML text/xml or
// application/xml, then text/* or application/*, then */*). JSON is chosen
// only when its q is higher than XML's, so no Accept header, */* or a tie
// keep XML, STS's default.
func wantsJSON(h http.Header) bool {
	values := h.Values("Accept")
	if len(values) == 0 {
		return false
	}
	var jsonQ, xmlQ acceptMatch
	for _, v := range values {
		for _, rng := range strings.Split(v, ",") {
			typ, q := parseMediaRange(rng)
			switch typ {
			case "application/json":
				jsonQ.offer(3, q)
			case "text/xml", "application/xml":
				xmlQ.offer(3, q)
			case "text/*":
				xmlQ.offer(2, q)
			case "application/*":
				jsonQ.offer(2, q)
				xmlQ.offer(2, q)
			case "*/*":
				jsonQ.offer(1, q)
				xmlQ.offer(1, q)
			}
		}
	}
	return jsonQ.q > xmlQ.q
}

// acceptMatch is the q value of the most specific media range that matched
// a format so far (specificity 0: none, q 0).
type acceptMatch struct {
	specificity int
	q           float64
}

func (m *acceptMatch) offer(specificity int, q float64) {
	if specificity > m.specificity || specificity == m.specificity && q > m.q {
		m.specificity, m.q = specificity, q
	}
}

// parseMediaRange returns a media range's lower-cased type/subtype and its q
// value (1 when absent; a q that does not parse as a number in 0..1 counts
// as 0).
func parseMediaRange(rng string) (string, float64) {
	typ, params, _ := strings.Cut(rng, ";")
	q := 1.0
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0
			}
			q = f
		}
	}
	return strings.ToLower(strings.TrimSpace(typ)), q
}
