package fedverify

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Claim names AWS reads beyond the registered ones (behaviour §7, §8, §11.3).
const (
	oidcClaimTags           = "https://aws.amazon.com/tags"
	oidcClaimSourceIdentity = "https://aws.amazon.com/source_identity"
)

// oidcCheckClaims applies steps 4–8 of VerifyWebIdentityToken to a payload
// whose signature has been verified.
//
// Types (step 4): "iss" and "sub" non-empty strings; "aud" a non-empty string
// or a non-empty array of strings; "azp" a string; "exp" (required), "iat"
// and "nbf" integers written as JSON numbers: strings, fractions and
// exponents are refused, since the SDK documentation asks for "an integer or
// a long integer", and so are dates outside years 1 to 9999; "amr" an array
// of strings. A missing iss, sub, aud or exp
// is reported as missing, a present one of the wrong type as invalid.
func oidcCheckClaims(claims map[string]any, c WebIdentityCheck) (*WebIdentity, error) {
	id := &WebIdentity{Claims: claims}
	var err error
	if id.Issuer, err = oidcRequiredString(claims, "iss"); err != nil {
		return nil, err
	}
	if id.Subject, err = oidcRequiredString(claims, "sub"); err != nil {
		return nil, err
	}
	aud, err := oidcAudiences(claims)
	if err != nil {
		return nil, err
	}
	azp, hasAZP := claims["azp"]
	azpString, azpOK := azp.(string)
	if hasAZP && (!azpOK || azpString == "") {
		return nil, oidcBadClaim("azp", "a non-empty string")
	}
	exp, hasExp, err := oidcNumericDate(claims, "exp")
	if err != nil {
		return nil, err
	}
	if !hasExp {
		return nil, oidcMissingClaim("exp")
	}
	iat, hasIAT, err := oidcNumericDate(claims, "iat")
	if err != nil {
		return nil, err
	}
	nbf, hasNBF, err := oidcNumericDate(claims, "nbf")
	if err != nil {
		return nil, err
	}
	if id.AMR, err = oidcStringArray(claims, "amr"); err != nil {
		return nil, err
	}

	// Step 5: the audience rule. When "azp" is present it is the client ID
	// (Google's documented behaviour, applied to every provider; unverified
	// for generic OIDC) and "aud" is not matched; otherwise the first "aud"
	// element, in token order, that the provider lists.
	if hasAZP {
		if !slices.Contains(c.ClientIDs, azpString) {
			return nil, oidcInvalid(oidcMsgAudience)
		}
		id.Audience = azpString
	} else {
		for _, a := range aud {
			if slices.Contains(c.ClientIDs, a) {
				id.Audience = a
				break
			}
		}
		if id.Audience == "" {
			return nil, oidcInvalid(oidcMsgAudience)
		}
	}

	// Steps 6–7: time, in whole seconds of the engine clock.
	now := c.Now.Unix()
	if exp <= now {
		return nil, oidcExpired(now, exp)
	}
	id.Expiry = time.Unix(exp, 0)
	if hasNBF && nbf > now {
		return nil, oidcNotYetValid(now, nbf)
	}
	if hasIAT {
		if iat > now+int64(oidcIATSkew/time.Second) {
			return nil, oidcIssuedInFuture(now, iat)
		}
		id.IssuedAt = time.Unix(iat, 0)
	}

	// Step 8.
	if err := oidcSessionTags(claims, id); err != nil {
		return nil, err
	}
	if v, ok := claims[oidcClaimSourceIdentity]; ok {
		s, isString := v.(string)
		if !isString || !oidcValidSourceIdentity(s) {
			return nil, oidcInvalid(oidcMsgSourceIdentity)
		}
		id.SourceIdentity = s
	}
	return id, nil
}

// oidcRequiredString reads a claim that must be a non-empty string.
func oidcRequiredString(claims map[string]any, name string) (string, error) {
	v, ok := claims[name]
	if !ok {
		return "", oidcMissingClaim(name)
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", oidcBadClaim(name, "a non-empty string")
	}
	return s, nil
}

// oidcAudiences reads "aud": a string, or an array of strings (RFC 7519 §4.1.3).
func oidcAudiences(claims map[string]any) ([]string, error) {
	v, ok := claims["aud"]
	if !ok {
		return nil, oidcMissingClaim("aud")
	}
	switch a := v.(type) {
	case string:
		if a != "" {
			return []string{a}, nil
		}
	case []any:
		out := make([]string, 0, len(a))
		for _, e := range a {
			s, ok := e.(string)
			if !ok || s == "" {
				return nil, oidcBadClaim("aud", "a string or an array of strings")
			}
			out = append(out, s)
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, oidcBadClaim("aud", "a string or an array of strings")
}

// The dates a time.Time holds faithfully and RFC 3339 can write: from
// 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, in seconds since the epoch.
// Beyond them (2^63-1 seconds, say) time.Unix wraps around or yields years
// no timestamp format can carry.
const (
	oidcMinDate = -62135596800
	oidcMaxDate = 253402300799
)

// oidcNumericDate reads an integer date claim (seconds since the epoch)
// between oidcMinDate and oidcMaxDate.
func oidcNumericDate(claims map[string]any, name string) (int64, bool, error) {
	v, ok := claims[name]
	if !ok {
		return 0, false, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, true, oidcBadClaim(name, "an integer")
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, true, oidcBadClaim(name, "an integer")
	}
	if i < oidcMinDate || i > oidcMaxDate {
		return 0, true, oidcBadClaim(name, "an integer from -62135596800 to 253402300799")
	}
	return i, true, nil
}

// oidcStringArray reads an optional claim that must be an array of strings.
func oidcStringArray(claims map[string]any, name string) ([]string, error) {
	v, ok := claims[name]
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, oidcBadClaim(name, "an array of strings")
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, oidcBadClaim(name, "an array of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// oidcSessionTags reads the session-tag claim (behaviour §7):
//
//	"https://aws.amazon.com/tags": {
//	  "principal_tags": {"Key": ["value"]},
//	  "transitive_tag_keys": ["Key"]}
//
// Only the shape is checked here: an object, each tag value an array of
// exactly one string, the transitive keys an array of strings, no other
// members. Key and value rules (lengths, characters, duplicates that differ in
// case, transitive keys that are not tags) are the tags package's job, so the
// engine reports them as it does for every other source of session tags.
func oidcSessionTags(claims map[string]any, id *WebIdentity) error {
	v, ok := claims[oidcClaimTags]
	if !ok {
		return nil
	}
	const want = `an object {"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}`
	obj, ok := v.(map[string]any)
	if !ok {
		return oidcBadClaim(oidcClaimTags, want)
	}
	for member, mv := range obj {
		switch member {
		case "principal_tags":
			tags, ok := mv.(map[string]any)
			if !ok {
				return oidcBadClaim(oidcClaimTags, want)
			}
			id.PrincipalTags = make(map[string]string, len(tags))
			for k, tv := range tags {
				arr, ok := tv.([]any)
				if !ok || len(arr) != 1 {
					return oidcBadClaim(oidcClaimTags, want)
				}
				s, ok := arr[0].(string)
				if !ok {
					return oidcBadClaim(oidcClaimTags, want)
				}
				id.PrincipalTags[k] = s
			}
		case "transitive_tag_keys":
			arr, ok := mv.([]any)
			if !ok {
				return oidcBadClaim(oidcClaimTags, want)
			}
			id.TransitiveTagKeys = make([]string, 0, len(arr))
			for _, e := range arr {
				s, ok := e.(string)
				if !ok {
					return oidcBadClaim(oidcClaimTags, want)
				}
				id.TransitiveTagKeys = append(id.TransitiveTagKeys, s)
			}
		default:
			return oidcBadClaim(oidcClaimTags, want)
		}
	}
	return nil
}

// oidcValidSourceIdentity applies behaviour §8: 2–64 characters of [\w+=,.@-],
// not beginning with "aws:" (the pattern already excludes the colon; the
// prefix test states the rule as AWS does).
func oidcValidSourceIdentity(s string) bool {
	if len(s) < 2 || len(s) > 64 || strings.HasPrefix(strings.ToLower(s), "aws:") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_+=,.@-", c) >= 0:
		default:
			return false
		}
	}
	return true
}
