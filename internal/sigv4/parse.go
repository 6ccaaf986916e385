package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fakests/fakests/apierror"
)

// Algorithm is the only signing algorithm this package verifies.
const Algorithm = "AWS4-HMAC-SHA256"

// Terminator is the last element of every SigV4 credential scope.
const Terminator = "aws4_request"

// Limits on what Parse reads. Go's server already caps a request's header block at 1 MiB; these
// keep hostile auth values from costing more than a valid one could. AWS's own limits are
// unknown (unverified).
const (
	// MaxAuthorizationLength caps the Authorization header.
	MaxAuthorizationLength = 16 << 10
	// MaxQueryLength caps the query string of a presigned request.
	MaxQueryLength = 64 << 10
	// maxExpires is a week, S3's ceiling for X-Amz-Expires.
	maxExpires = 604800
)

// amzDateLayout is the ISO-8601 basic format of X-Amz-Date.
const amzDateLayout = "20060102T150405Z"

// Query parameter names of presigned (query-string) authentication.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qSignature     = "X-Amz-Signature"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qToken         = "X-Amz-Security-Token"
)

// Signature is what a request claims: parsed, not yet verified.
type Signature struct {
	// AccessKeyID is the first element of the credential.
	AccessKeyID string
	// SecurityToken is the X-Amz-Security-Token header or query parameter ("" if none).
	SecurityToken string
	// Date is X-Amz-Date (or the Date header) for header auth, the X-Amz-Date parameter for
	// presigned requests, in UTC.
	Date time.Time
	// Scope is the rest of the credential: date, region, service and terminator as sent.
	Scope Scope
	// SignedHeaders are the names the client signed, in its order and spelling.
	SignedHeaders []string
	// Signature is the hex signature the client sent.
	Signature string
	// Presigned reports query-string authentication.
	Presigned bool
	// Expires is X-Amz-Expires for presigned requests; 0 when the parameter is absent.
	Expires time.Duration
}

// Scope is a credential scope: "<Date>/<Region>/<Service>/<Terminator>".
type Scope struct{ Date, Region, Service, Terminator string }

// String returns the scope as it appears in the string to sign.
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + s.Terminator
}

// Parse extracts the signature from a request. A request with neither an Authorization header
// nor an X-Amz-Algorithm query parameter returns (nil, nil): the caller decides (unsigned
// operation, or MissingAuthenticationToken). An Authorization header that is not AWS4-style
// (for example "Bearer x") returns MissingAuthenticationToken, as AWS's auth layer does.
// Malformed values return an *apierror.Error with Code "IncompleteSignature" and AWS's texts; a request
// carrying both forms returns SignatureDoesNotMatch. Several Authorization headers are read as
// one, joined by ", " as HTTP combines a repeated field, so a second one is IncompleteSignature.
func Parse(r *http.Request) (*Signature, error) {
	auth := authorization(r.Header)
	raw := ""
	if r.URL != nil {
		raw = r.URL.RawQuery
	}
	inQuery := hasQueryKey(raw, qAlgorithm)
	switch {
	case auth != "" && inQuery:
		return nil, mismatch(msgBothAuth)
	case auth != "":
		return parseHeader(r, auth)
	case inQuery:
		return parseQuery(raw)
	}
	return nil, nil
}

// authorization returns the Authorization header. Several are combined into
// one value joined by ", ", as HTTP combines a repeated field (RFC 9110
// §5.3), so a second header makes the value malformed instead of being
// silently ignored (behaviour §1.4: AWS's answer to two is unknown).
func authorization(h http.Header) string {
	v := h["Authorization"] // h.Values, without canonicalizing a canonical key
	switch len(v) {
	case 0:
		return ""
	case 1:
		return v[0]
	}
	return strings.Join(v, ", ")
}

// get is h.Get(key) for a key already in canonical form: it skips
// re-canonicalizing the key, which every verification would otherwise do
// for each header it reads.
func get(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// MissingAuthenticationToken is the error for an operation that requires a signature when
// Parse found none.
func MissingAuthenticationToken() *apierror.Error {
	return apierror.New(apierror.CodeMissingAuthenticationToken, msgMissingToken)
}

func parseHeader(r *http.Request, auth string) (*Signature, error) {
	if len(auth) > MaxAuthorizationLength {
		return nil, incomplete(msgTooLong)
	}
	trimmed := strings.TrimSpace(auth)
	if !strings.HasPrefix(trimmed, "AWS4-") {
		return nil, MissingAuthenticationToken()
	}
	alg, rest, _ := strings.Cut(trimmed, " ")
	var cred, signed, sig string
	var haveCred, haveSigned, haveSig bool
	for rest != "" {
		var comp string
		i := strings.IndexAny(rest, ", ")
		if i < 0 {
			comp, rest = rest, ""
		} else {
			comp, rest = rest[:i], rest[i+1:]
		}
		if comp == "" {
			continue
		}
		k, v, ok := strings.Cut(comp, "=")
		if !ok {
			return nil, incomplete(msgMissingEqual(comp, auth))
		}
		switch k {
		case "Credential":
			cred, haveCred = v, v != ""
		case "SignedHeaders":
			signed, haveSigned = v, v != ""
		case "Signature":
			sig, haveSig = v, v != ""
		}
	}
	amzDate := get(r.Header, "X-Amz-Date")
	httpDate := get(r.Header, "Date")
	if !haveCred || !haveSigned || !haveSig || (amzDate == "" && httpDate == "") {
		var b strings.Builder
		if !haveCred {
			b.WriteString("Authorization header requires 'Credential' parameter. ")
		}
		if !haveSig {
			b.WriteString("Authorization header requires 'Signature' parameter. ")
		}
		if !haveSigned {
			b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
		}
		if amzDate == "" && httpDate == "" {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		b.WriteString("Authorization=")
		b.WriteString(auth)
		return nil, incomplete(b.String())
	}
	var date time.Time
	var err error
	if amzDate != "" {
		date, err = parseAmzDate(amzDate)
	} else {
		// The Date header is HTTP-date; AWS's text for a bad one is unverified (same as X-Amz-Date).
		amzDate = httpDate
		date, err = http.ParseTime(httpDate)
	}
	if err != nil {
		return nil, incomplete(msgBadDate(amzDate))
	}
	if alg != Algorithm {
		return nil, incomplete(msgUnsupportedAlgorithm(alg))
	}
	s := newSignature(signed)
	s.Date, s.Signature, s.SecurityToken = date.UTC(), sig, get(r.Header, "X-Amz-Security-Token")
	if err := s.setCredential(cred); err != nil {
		return nil, err
	}
	return s, nil
}

func parseQuery(raw string) (*Signature, error) {
	if len(raw) > MaxQueryLength {
		return nil, incomplete(msgTooLong)
	}
	q, _ := url.ParseQuery(raw) // malformed pairs are dropped; what remains is judged below
	var b strings.Builder
	for _, k := range [...]string{qAlgorithm, qCredential, qSignature, qSignedHeaders, qDate} {
		if q.Get(k) == "" {
			b.WriteString("AWS query-string parameters must include '" + k + "'. ")
		}
	}
	if b.Len() > 0 {
		b.WriteString("Re-examine the query-string parameters.")
		return nil, incomplete(b.String())
	}
	date, err := parseAmzDate(q.Get(qDate))
	if err != nil {
		return nil, incomplete(msgBadDate(q.Get(qDate)))
	}
	if alg := q.Get(qAlgorithm); alg != Algorithm {
		return nil, incomplete(msgUnsupportedAlgorithm(alg))
	}
	s := &Signature{
		Date:          date,
		Signature:     q.Get(qSignature),
		SecurityToken: q.Get(qToken),
		Presigned:     true,
		SignedHeaders: splitSignedHeaders(q.Get(qSignedHeaders)),
	}
	if err := s.setCredential(q.Get(qCredential)); err != nil {
		return nil, err
	}
	if e := q.Get(qExpires); e != "" {
		d, err := parseExpires(e)
		if err != nil {
			return nil, err
		}
		s.Expires = d
	}
	return s, nil
}

// setCredential splits "<AKID>/<date>/<region>/<service>/<terminator>". AWS ignores trailing
// slashes (recorded by dynalite).
func (s *Signature) setCredential(cred string) error {
	c := strings.TrimRight(cred, "/")
	var parts [5]string
	for i := 0; i < 4; i++ {
		var ok bool
		parts[i], c, ok = strings.Cut(c, "/")
		if !ok {
			return incomplete(msgCredentialParts(cred))
		}
	}
	if strings.IndexByte(c, '/') >= 0 {
		return incomplete(msgCredentialParts(cred))
	}
	parts[4] = c
	s.AccessKeyID = parts[0]
	s.Scope = Scope{Date: parts[1], Region: parts[2], Service: parts[3], Terminator: parts[4]}
	return nil
}

func splitSignedHeaders(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ";")
}

// inlineHeaders is how many signed header names newSignature keeps without
// a second allocation: the SDKs sign six or seven for an STS call.
const inlineHeaders = 10

// signatureWithHeaders lets a Signature and its signed header names share
// one allocation.
type signatureWithHeaders struct {
	s       Signature
	headers [inlineHeaders]string
}

// newSignature returns a Signature whose SignedHeaders are the names in
// signed (";"-separated), allocated together with them when they are few.
func newSignature(signed string) *Signature {
	if signed == "" || strings.Count(signed, ";") >= inlineHeaders {
		return &Signature{SignedHeaders: splitSignedHeaders(signed)}
	}
	sh := new(signatureWithHeaders)
	n := 0
	for {
		name, rest, more := strings.Cut(signed, ";")
		sh.headers[n] = name
		n++
		if !more {
			break
		}
		signed = rest
	}
	sh.s.SignedHeaders = sh.headers[:n:n]
	return &sh.s
}

// parseAmzDate reads an X-Amz-Date value. It accepts exactly what
// time.Parse(amzDateLayout, v) accepts for a value of the layout's length
// (FuzzParseAmzDate holds it to that) and is read by hand for speed: every
// signed request has one, and time.Parse cost more than the rest of Parse.
func parseAmzDate(v string) (time.Time, error) {
	if len(v) != len(amzDateLayout) || v[8] != 'T' || v[15] != 'Z' {
		return time.Time{}, errBadDate
	}
	year, ok1 := digits(v[0:4])
	month, ok2 := digits(v[4:6])
	day, ok3 := digits(v[6:8])
	hour, ok4 := digits(v[9:11])
	minute, ok5 := digits(v[11:13])
	sec, ok6 := digits(v[13:15])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errBadDate
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // past the month's last day: time.Date rolled it over
		return time.Time{}, errBadDate
	}
	return t, nil
}

// digits reads s, ASCII decimal digits only, as a number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// errBadDate never reaches a caller: parsers turn it into msgBadDate with the value seen.
var errBadDate = errors.New("sigv4: X-Amz-Date is not yyyymmddThhmmssZ")

// parseExpires reads X-Amz-Expires: whole seconds, 1 to a week.
func parseExpires(e string) (time.Duration, error) {
	digits, neg := strings.CutPrefix(e, "-")
	if !isDigits(digits) {
		return 0, incomplete(msgExpiresNotNumber)
	}
	if neg {
		return 0, incomplete(msgExpiresNegative)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n > maxExpires {
		return 0, incomplete(msgExpiresTooLarge)
	}
	if n == 0 {
		return 0, incomplete(msgExpiresZero)
	}
	return time.Duration(n) * time.Second, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hasQueryKey reports whether the raw query has a parameter named key (with any value, even
// empty), without building a map.
func hasQueryKey(raw, key string) bool {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		k, _, _ := strings.Cut(pair, "=")
		if k == key {
			return true
		}
		if strings.ContainsAny(k, "%+") {
			if u, err := url.QueryUnescape(k); err == nil && u == key {
				return true
			}
		}
	}
	return false
}

// stamp formats t as X-Amz-Date does.
func stamp(t time.Time) string { return t.UTC().Format(amzDateLayout) }
