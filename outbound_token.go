package fakests

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/tags"
)

// This file writes and signs the JSON Web Tokens GetWebIdentityToken
// returns (behaviour §16): the claims, laid out as AWS lays them out, and a
// compact JWS signed with the account's RS256 or ES384 key.
//
// AWS writes every JSON object of a token in the iteration order of a
// java.util.HashMap holding its members: the recorded tokens' top-level
// claims (aud, sub, https://sts.amazonaws.com/, iss, exp, iat, jti), the
// members of the namespace object in each recorded combination (with and
// without request_tags, original_session_exp and source_identity), the tag
// objects (two tags, and fifty keyed "0" to "49") and the header (kid, typ,
// alg) all come out in exactly that order. apierror.SetOrder computes it.

// nsClaim is the claim that holds AWS's own claims.
const nsClaim = "https://sts.amazonaws.com/"

// maxClaimsBytes is the largest claims JSON GetWebIdentityToken signs: one
// byte more is JWTPayloadSizeExceededException (behaviour §11.11).
const maxClaimsBytes = 14984

// claimOrder is the order of the top-level claims.
var claimOrder = apierror.SetOrder([]string{"aud", "sub", nsClaim, "iss", "exp", "iat", "jti"})

// Compact headers, base64url-encoded, as AWS writes them.
var (
	headerRS256 = base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"` + kidRSA + `","typ":"JWT","alg":"RS256"}`))
	headerES384 = base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"` + kidEC384 + `","typ":"JWT","alg":"ES384"}`))
)

// webIdentityClaims is what one outbound token says.
type webIdentityClaims struct {
	audience          []string
	subject           string // the principal's IAM ARN: sub and principal_id
	issuer, id        string // iss, jti
	issuedAt, expires int64  // iat, exp
	account, region   string // aws_account, source_region
	orgID             string // org_id, when the account is in an organization
	ouPaths           []string
	principalTags     []tags.Tag
	requestTags       []tags.Tag
	sessionExpiry     time.Time // original_session_exp of temporary credentials (zero: none)
	sourceIdentity    string
}

// appendJSON appends the claims as AWS writes them: compact JSON, objects in
// HashMap order (see above), one audience as a string and several as an
// array, empty optional claims left out.
func (c *webIdentityClaims) appendJSON(b []byte) []byte {
	b = append(b, '{')
	for i, k := range claimOrder {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendClaimString(b, k)
		b = append(b, ':')
		switch k {
		case "aud":
			if len(c.audience) == 1 {
				b = appendClaimString(b, c.audience[0])
			} else {
				b = appendClaimStrings(b, c.audience)
			}
		case "sub":
			b = appendClaimString(b, c.subject)
		case nsClaim:
			b = c.appendNamespace(b)
		case "iss":
			b = appendClaimString(b, c.issuer)
		case "exp":
			b = strconv.AppendInt(b, c.expires, 10)
		case "iat":
			b = strconv.AppendInt(b, c.issuedAt, 10)
		case "jti":
			b = appendClaimString(b, c.id)
		}
	}
	return append(b, '}')
}

// appendNamespace appends the https://sts.amazonaws.com/ object.
func (c *webIdentityClaims) appendNamespace(b []byte) []byte {
	var keys [9]string
	n := 0
	add := func(k string, present bool) {
		if present {
			keys[n] = k
			n++
		}
	}
	add("aws_account", true)
	add("source_region", true)
	add("principal_id", true)
	add("org_id", c.orgID != "")
	add("ou_path", c.orgID != "")
	add("principal_tags", len(c.principalTags) > 0)
	add("request_tags", len(c.requestTags) > 0)
	add("original_session_exp", !c.sessionExpiry.IsZero())
	add("source_identity", c.sourceIdentity != "")
	b = append(b, '{')
	for i, k := range apierror.SetOrder(keys[:n]) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendClaimString(b, k)
		b = append(b, ':')
		switch k {
		case "aws_account":
			b = appendClaimString(b, c.account)
		case "source_region":
			b = appendClaimString(b, c.region)
		case "principal_id":
			b = appendClaimString(b, c.subject)
		case "org_id":
			b = appendClaimString(b, c.orgID)
		case "ou_path":
			b = appendClaimStrings(b, c.ouPaths)
		case "principal_tags":
			b = appendTagObject(b, c.principalTags)
		case "request_tags":
			b = appendTagObject(b, c.requestTags)
		case "original_session_exp":
			b = appendClaimString(b, c.sessionExpiry.UTC().Format(time.RFC3339))
		case "source_identity":
			b = appendClaimString(b, c.sourceIdentity)
		}
	}
	return append(b, '}')
}

// appendTagObject appends tags as a JSON object, keys in HashMap order. The
// keys are distinct (request tags are checked for duplicates, principal tags
// come from an overlay).
func appendTagObject(b []byte, ts []tags.Tag) []byte {
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.Key
	}
	b = append(b, '{')
	for i, k := range apierror.SetOrder(keys) {
		if i > 0 {
			b = append(b, ',')
		}
		var v string
		for _, t := range ts { // the exact key, not a case-insensitive match
			if t.Key == k {
				v = t.Value
				break
			}
		}
		b = appendClaimString(b, k)
		b = append(b, ':')
		b = appendClaimString(b, v)
	}
	return append(b, '}')
}

// appendClaimStrings appends ss as a JSON array of strings.
func appendClaimStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendClaimString(b, s)
	}
	return append(b, ']')
}

// appendClaimString appends s as a JSON string the way Java's common JSON
// writers do: '"' and '\' escaped, control characters as \b \t \n \f \r or
// \u00XX, everything else (non-ASCII included) as UTF-8 bytes; a byte that
// is not UTF-8 becomes U+FFFD, as it would decoding the request into a Java
// string. Payload sizes count these bytes.
func appendClaimString(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

// signWebIdentityToken returns the compact JWS of payload: signed with rk
// (RS256, RSASSA-PKCS1-v1_5 with SHA-256) when it is not nil, else with ek
// (ES384, ECDSA P-384 with SHA-384, the signature R ‖ S of 48 bytes each).
func signWebIdentityToken(rk *rsa.PrivateKey, ek *ecdsa.PrivateKey, payload []byte) (string, error) {
	header, sigLen := headerES384, 96
	if rk != nil {
		header, sigLen = headerRS256, rk.Size()
	}
	enc := base64.RawURLEncoding
	buf := make([]byte, 0, len(header)+1+enc.EncodedLen(len(payload))+1+enc.EncodedLen(sigLen))
	buf = append(buf, header...)
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, payload)
	var sig []byte
	if rk != nil {
		digest := sha256.Sum256(buf)
		var err error
		if sig, err = rsa.SignPKCS1v15(nil, rk, crypto.SHA256, digest[:]); err != nil {
			return "", err
		}
	} else {
		digest := sha512.Sum384(buf)
		r, s, err := ecdsa.Sign(rand.Reader, ek, digest[:])
		if err != nil {
			return "", err
		}
		sig = make([]byte, 96)
		r.FillBytes(sig[:48])
		s.FillBytes(sig[48:])
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}
