package sigv4

import (
	"crypto/sha256"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultMaxSkew is STS's freshness window for a request's date, both ways (behaviour §10).
const DefaultMaxSkew = 15 * time.Minute

// Options configure a Verifier. The zero value is what NewVerifier uses.
type Options struct {
	// MaxSkew is how far a request's date may lie from now, either way (default 15 minutes).
	MaxSkew time.Duration
	// IgnorePresignedExpires judges presigned requests by MaxSkew alone, as real STS is reported
	// to do: it ignores X-Amz-Expires (aws/aws-sdk-go#2167, kubernetes-sigs/aws-iam-authenticator#258;
	// reported). By default X-Amz-Expires, when present, replaces MaxSkew as
	// the backward window of a presigned request.
	IgnorePresignedExpires bool
	// MaxCachedKeys bounds the derived-key cache (default DefaultMaxCachedKeys).
	MaxCachedKeys int
}

// Verifier checks signatures. It caches derived signing keys per (secret, date, region,
// service), as the SDK's signer does, and is safe for concurrent use.
type Verifier struct {
	maxSkew       time.Duration
	ignoreExpires bool
	keys          *keyCache
}

// NewVerifier returns a Verifier with a 15-minute window and a cache of DefaultMaxCachedKeys.
func NewVerifier() *Verifier { return NewVerifierWithOptions(Options{}) }

// NewVerifierWithOptions returns a Verifier configured by o; zero fields take their defaults.
func NewVerifierWithOptions(o Options) *Verifier {
	if o.MaxSkew <= 0 {
		o.MaxSkew = DefaultMaxSkew
	}
	return &Verifier{maxSkew: o.MaxSkew, ignoreExpires: o.IgnorePresignedExpires, keys: newKeyCache(o.MaxCachedKeys)}
}

// bufPool holds canonical-request buffers; one verification needs one.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledBuffer keeps a buffer grown by one huge request out of the pool.
const maxPooledBuffer = 64 << 10

var unsignedPayloadBytes = []byte(unsignedPayload)

// Verify recomputes the signature over r with secret and compares it with s. body is the full
// request body. It first repeats the checks that need no secret and no endpoint knowledge
// (CheckTime, host signed, scope terminator and date); the scope's region and service are
// checked only by Validate or CheckScope, which the caller runs. The payload hash is sha256(body); a
// hex X-Amz-Content-Sha256 header must equal it, and UNSIGNED-PAYLOAD-style values are not
// honoured for header auth. Presigned requests are accepted with either sha256(body) (the Go
// SDK, botocore and the JS SDK, which hash the empty body of a presigned STS call) or
// UNSIGNED-PAYLOAD (S3's presigned URLs) as payload hash; a caller whose body carries
// parameters uses VerifyBody to learn which. A nil s is MissingAuthenticationToken.
func (v *Verifier) Verify(r *http.Request, body []byte, s *Signature, secret string, now time.Time) error {
	_, err := v.VerifyBody(r, body, s, secret, now)
	return err
}

// VerifyBody is Verify that also reports whether the signature covers the body. It is false
// only for a presigned request that verified with UNSIGNED-PAYLOAD as its payload hash while
// its body is not empty: whoever holds the URL may have chosen that body, so it must not be
// trusted as the signer's (behaviour §1.4).
func (v *Verifier) VerifyBody(r *http.Request, body []byte, s *Signature, secret string, now time.Time) (bodySigned bool, err error) {
	if s == nil {
		return false, MissingAuthenticationToken()
	}
	if err := v.CheckTime(s, now); err != nil {
		return false, err
	}
	if !s.hostSigned() {
		return false, mismatch(msgHostNotSigned)
	}
	if err := s.checkScope("", nil); err != nil {
		return false, err
	}
	return v.verifyBody(r, body, s, secret)
}

// VerifyValidated is VerifyBody for a signature that Validate has accepted
// at the same instant: it skips the checks Validate has already made
// (freshness, host signed, credential scope), which a request would
// otherwise pay for twice.
func (v *Verifier) VerifyValidated(r *http.Request, body []byte, s *Signature, secret string) (bodySigned bool, err error) {
	if s == nil {
		return false, MissingAuthenticationToken()
	}
	return v.verifyBody(r, body, s, secret)
}

// verifyBody is the part of VerifyBody that needs the secret.
func (v *Verifier) verifyBody(r *http.Request, body []byte, s *Signature, secret string) (bodySigned bool, err error) {
	if !s.signedHeadersCanonical() {
		// AWS lower-cases and sorts the names to build the canonical request,
		// so a list in another form cannot match what the client signed
		// (behaviour §1.4).
		return false, mismatch(msgSignatureMismatch)
	}
	key := v.keys.signingKey(secret, s.Scope)

	var ph [64]byte
	sum := sha256.Sum256(body)
	payload := appendHex(ph[:0], sum[:])
	if !s.Presigned {
		if h := get(r.Header, "X-Amz-Content-Sha256"); len(h) == 64 && equalFoldBytes(h, payload) && h != string(payload) {
			payload = []byte(h) // the client signed its own spelling of the same hash
		}
	}

	bp := bufPool.Get().(*[]byte)
	buf := (*bp)[:0]
	buf, ok := s.check(buf, r, body, payload, &key)
	bodySigned = ok || len(body) == 0
	if !ok && s.Presigned {
		buf, ok = s.check(buf, r, body, unsignedPayloadBytes, &key)
	}
	if cap(buf) <= maxPooledBuffer {
		*bp = buf[:0]
		bufPool.Put(bp)
	}
	if !ok {
		return false, mismatch(msgSignatureMismatch)
	}
	return bodySigned, nil
}

// check builds the canonical request and string to sign in buf and compares signatures.
func (s *Signature) check(buf []byte, r *http.Request, body, payload []byte, key *[32]byte) ([]byte, bool) {
	buf = appendCanonicalRequest(buf[:0], r, body, s, payload)
	creq := sha256.Sum256(buf)

	buf = append(buf[:0], make([]byte, 64)...) // room for the HMAC inner pad
	buf = append(buf, Algorithm...)
	buf = append(buf, '\n')
	buf = appendStamp(buf, s.Date)
	buf = append(buf, '\n')
	buf = append(buf, s.Scope.Date...)
	buf = append(buf, '/')
	buf = append(buf, s.Scope.Region...)
	buf = append(buf, '/')
	buf = append(buf, s.Scope.Service...)
	buf = append(buf, '/')
	buf = append(buf, s.Scope.Terminator...)
	buf = append(buf, '\n')
	buf = appendHex(buf, creq[:])
	mac := hmacWithPrefix(key, buf)

	var want [64]byte
	appendHex(want[:0], mac[:])
	return buf, constantTimeEqual(s.Signature, want[:])
}

// CheckTime reports whether s's date is fresh at now: no older than the window (MaxSkew, or
// X-Amz-Expires for presigned requests unless ignored) and no newer than MaxSkew. Failures are
// SignatureDoesNotMatch with STS's texts (behaviour §10).
func (v *Verifier) CheckTime(s *Signature, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	back := v.maxSkew
	if s.Presigned && s.Expires > 0 && !v.ignoreExpires {
		back = s.Expires
	}
	if earliest := now.Add(-back); s.Date.Before(earliest) {
		return mismatch(msgExpired(s.Date, earliest, now, back))
	}
	if latest := now.Add(v.maxSkew); s.Date.After(latest) {
		return mismatch(msgNotYetCurrent(s.Date, latest, now, v.maxSkew))
	}
	return nil
}

// Validate runs every check that needs no secret, in AWS's order: freshness, host signed,
// then the credential scope against service and regions (see CheckScope). Call it before
// looking the access key up, so a stale or mis-scoped request is reported as AWS reports it
// rather than as InvalidClientTokenId.
func (v *Verifier) Validate(s *Signature, now time.Time, service string, regions ...string) error {
	if s == nil {
		return MissingAuthenticationToken()
	}
	if err := v.CheckTime(s, now); err != nil {
		return err
	}
	if !s.hostSigned() {
		return mismatch(msgHostNotSigned)
	}
	return s.CheckScope(service, regions...)
}

// CheckScope checks the credential scope: region is one of regions (any region when none are
// given), service equals service (any when ""), the terminator is aws4_request and the date is
// the day of s.Date. All failures are reported together in one SignatureDoesNotMatch, as AWS
// does. The engine passes the region its endpoint serves (and us-east-1 for the global
// endpoint, behaviour §1.4).
func (s *Signature) CheckScope(service string, regions ...string) error {
	if regions == nil {
		regions = []string{}
	}
	return s.checkScope(service, regions)
}

// checkScope skips the region check when regions is nil.
func (s *Signature) checkScope(service string, regions []string) error {
	var day [8]byte
	appendDay(day[:0], s.Date)
	regionOK := regions == nil || len(regions) == 0 && s.Scope.Region != "" || slices.Contains(regions, s.Scope.Region)
	serviceOK := service == "" || s.Scope.Service == service
	if regionOK && serviceOK && s.Scope.Terminator == Terminator && s.Scope.Date == string(day[:]) {
		return nil
	}
	var b strings.Builder
	if !regionOK {
		b.WriteString(msgScopeRegion(s.Scope.Region))
	}
	if !serviceOK {
		b.WriteString(msgScopeService(service))
	}
	if s.Scope.Terminator != Terminator {
		b.WriteString(msgScopeTerminator(s.Scope.Terminator))
	}
	if s.Scope.Date != string(day[:]) {
		b.WriteString(msgScopeDate(s.Scope.Date, string(day[:]), stamp(s.Date)))
	}
	return mismatch(b.String())
}

// signedHeadersCanonical reports whether the signed header names are what a
// correct signer sends: non-empty, lower-case, sorted and each named once.
func (s *Signature) signedHeadersCanonical() bool {
	for i, h := range s.SignedHeaders {
		if h == "" || i > 0 && s.SignedHeaders[i-1] >= h {
			return false
		}
		for j := 0; j < len(h); j++ {
			if 'A' <= h[j] && h[j] <= 'Z' {
				return false
			}
		}
	}
	return true
}

func (s *Signature) hostSigned() bool {
	for _, h := range s.SignedHeaders {
		if strings.EqualFold(h, "host") {
			return true
		}
	}
	return false
}

// appendStamp appends t as yyyymmddThhmmssZ without allocating.
func appendStamp(buf []byte, t time.Time) []byte {
	t = t.UTC()
	buf = appendDay(buf, t)
	h, m, s := t.Clock()
	return append(buf, 'T', byte('0'+h/10), byte('0'+h%10), byte('0'+m/10), byte('0'+m%10),
		byte('0'+s/10), byte('0'+s%10), 'Z')
}

// appendDay appends t's UTC date as yyyymmdd (years outside 0..9999 are clamped to 4 digits of
// nonsense; they cannot match a real scope anyway).
func appendDay(buf []byte, t time.Time) []byte {
	y, mo, d := t.UTC().Date()
	if y < 0 {
		y = -y
	}
	y %= 10000
	return append(buf, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), byte('0'+d/10), byte('0'+d%10))
}

// constantTimeEqual compares a client's hex signature with ours in time that depends only on
// the lengths.
func constantTimeEqual(got string, want []byte) bool {
	if len(got) != len(want) {
		return false
	}
	var diff byte
	for i := 0; i < len(want); i++ {
		diff |= got[i] ^ want[i]
	}
	return diff == 0
}

// equalFoldBytes reports whether ASCII a and b are equal ignoring case.
func equalFoldBytes(a string, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
