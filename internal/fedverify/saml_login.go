package fedverify

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/fakests/fakests/apierror"
)

// samlNameIDUnspecified is the NameID format SAML assumes when Format is absent.
const samlNameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"

// samlStatusSuccess is the top-level StatusCode of a successful Response.
const samlStatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"

// samlNameRe is the rule for RoleSessionName and SourceIdentity values
// (behaviour §4, §8, §11.2): 2–64 characters of [A-Za-z0-9_+=,.@-].
var samlNameRe = regexp.MustCompile(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

// samlAudiences are the audiences AWS accepts (behaviour §11.2).
var samlAudiences = map[string]bool{
	"https://signin.aws.amazon.com/saml": true,
	"urn:amazon:webservices":             true,
}

// samlRegionalRe matches the regional sign-in endpoints
// https://<region>.signin.aws.amazon.com/saml, optionally followed by
// /acs/<IdP-ID> (the form AWS assigns when SAML encryption is used).
var samlRegionalRe = regexp.MustCompile(`^https://([a-z]{2}(-[a-z]+)+-\d+\.)?signin\.aws\.amazon\.com/saml(/acs/[A-Za-z0-9_-]+)?$`)

// isAWSAudience reports whether aud is an AWS SAML audience.
func isAWSAudience(aud string) bool {
	return samlAudiences[aud] || samlRegionalRe.MatchString(aud)
}

// isAWSRecipient reports whether r is an AWS sign-in SAML endpoint (behaviour
// §11.2): global, regional, /static/saml, and the /acs/<id> forms.
func isAWSRecipient(r string) bool {
	return r == "https://signin.aws.amazon.com/static/saml" || samlRegionalRe.MatchString(r)
}

// readSAMLLogin reads the login from the verified assertion va; resp is the
// verified Response when the Response was signed, else the raw one (used
// only for consistency checks of its Issuer and Status).
func readSAMLLogin(resp, va *etree.Element, c SAMLCheck) (*SAMLLogin, error) {
	l := &SAMLLogin{}
	iss, ok := childNamed(va, NSSAMLAssertion, "Issuer")
	if !ok || elemText(iss) != c.Metadata.EntityID {
		return nil, samlErr(samlCodeInvalid, samlMsgIssuer)
	}
	l.Issuer = elemText(iss)
	if ri, ok := childNamed(resp, NSSAMLAssertion, "Issuer"); ok && elemText(ri) != l.Issuer {
		return nil, samlErr(samlCodeInvalid, samlMsgIssuer)
	}
	if st, ok := childNamed(resp, NSSAMLProtocol, "Status"); ok {
		sc, ok := childNamed(st, NSSAMLProtocol, "StatusCode")
		if !ok || sc.SelectAttrValue("Value", "") != samlStatusSuccess {
			return nil, samlErr(samlCodeInvalid, samlMsgStatus)
		}
	}

	// Subject and its single bearer confirmation.
	subj, ok := childNamed(va, NSSAMLAssertion, "Subject")
	if !ok {
		return nil, samlErr(samlCodeDenied, samlMsgDenied)
	}
	confs := childrenNamed(subj, NSSAMLAssertion, "SubjectConfirmation")
	if len(confs) != 1 {
		return nil, samlErr(samlCodeInvalid, samlMsgConfirm)
	}
	scd, ok := childNamed(confs[0], NSSAMLAssertion, "SubjectConfirmationData")
	if !ok {
		return nil, samlErr(samlCodeInvalid, samlMsgConfirm)
	}
	l.Recipient = scd.SelectAttrValue("Recipient", "")
	noa := scd.SelectAttrValue("NotOnOrAfter", "")
	if l.Recipient == "" || noa == "" {
		return nil, samlErr(samlCodeInvalid, samlMsgConfirm)
	}
	var err error
	if l.NotOnOrAfter, err = parseSAMLTime(noa); err != nil {
		return nil, err
	}

	// Time conditions, on the engine clock.
	if !c.Now.Before(l.NotOnOrAfter) {
		return nil, samlExpired()
	}
	cond, hasCond := childNamed(va, NSSAMLAssertion, "Conditions")
	if hasCond {
		if v := cond.SelectAttrValue("NotBefore", ""); v != "" {
			nb, err := parseSAMLTime(v)
			if err != nil {
				return nil, err
			}
			if c.Now.Before(nb) {
				return nil, samlErr(samlCodeInvalid, fmt.Sprintf(
					"Invalid SAML response: the assertion is not yet valid: NotBefore %s is after the current time %s",
					nb.UTC().Format(time.RFC3339), c.Now.UTC().Format(time.RFC3339)))
			}
		}
		if v := cond.SelectAttrValue("NotOnOrAfter", ""); v != "" {
			na, err := parseSAMLTime(v)
			if err != nil {
				return nil, err
			}
			if !c.Now.Before(na) {
				return nil, samlExpired()
			}
		}
	}

	// Audience: every AudienceRestriction must name an AWS audience, and
	// there must be at least one.
	var restrictions []*etree.Element
	if hasCond {
		restrictions = childrenNamed(cond, NSSAMLAssertion, "AudienceRestriction")
	}
	if len(restrictions) == 0 {
		return nil, samlErr(samlCodeInvalid, samlMsgAudience)
	}
	for _, r := range restrictions {
		found := false
		for _, a := range childrenNamed(r, NSSAMLAssertion, "Audience") {
			aud := elemText(a)
			l.Audiences = append(l.Audiences, aud)
			found = found || isAWSAudience(aud)
		}
		if !found {
			return nil, samlErr(samlCodeInvalid, samlMsgAudience)
		}
	}
	if !isAWSRecipient(l.Recipient) {
		return nil, samlErr(samlCodeInvalid, samlMsgRecipient)
	}

	// NameID (behaviour §11.2: missing → AccessDenied).
	nid, ok := childNamed(subj, NSSAMLAssertion, "NameID")
	if !ok || elemText(nid) == "" {
		return nil, samlErr(samlCodeDenied, samlMsgDenied)
	}
	l.NameID = elemText(nid)
	l.NameIDFormat = nid.SelectAttrValue("Format", samlNameIDUnspecified)

	for _, st := range childrenNamed(va, NSSAMLAssertion, "AuthnStatement") {
		if v := st.SelectAttrValue("SessionNotOnOrAfter", ""); v != "" {
			if l.SessionNotOnOrAfter, err = parseSAMLTime(v); err != nil {
				return nil, err
			}
			break
		}
	}
	if err := readSAMLAttributes(va, l); err != nil {
		return nil, err
	}
	return l, nil
}

// samlExpired is the error for a passed NotOnOrAfter: STS's
// ExpiredTokenException "Response has expired" (behaviour §11.2, reported),
// which names neither time.
func samlExpired() *apierror.Error {
	return samlErr(samlCodeExpired, samlMsgExpired)
}

// parseSAMLTime parses an xs:dateTime attribute value.
func parseSAMLTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, samlErr(samlCodeInvalid, samlMsgMalformed)
	}
	return t, nil
}

// readSAMLAttributes fills l's attribute-derived fields from every
// AttributeStatement of the verified assertion.
func readSAMLAttributes(va *etree.Element, l *SAMLLogin) error {
	l.Attributes = map[string][]string{}
	for _, st := range childrenNamed(va, NSSAMLAssertion, "AttributeStatement") {
		for _, at := range childrenNamed(st, NSSAMLAssertion, "Attribute") {
			name := at.SelectAttrValue("Name", "")
			vals := []string{}
			for _, v := range childrenNamed(at, NSSAMLAssertion, "AttributeValue") {
				vals = append(vals, elemText(v))
			}
			l.Attributes[name] = append(l.Attributes[name], vals...)
		}
	}

	for _, v := range l.Attributes[SAMLAttrRole] {
		if pair, ok := parseSAMLRole(v); ok {
			l.Roles = append(l.Roles, pair)
		}
	}
	if len(l.Roles) == 0 {
		// No usable role: nothing the caller asks for can be authorised
		// (choice; AWS's answer is unverified).
		return samlErr(samlCodeDenied, samlMsgDenied)
	}

	names, ok := l.Attributes[SAMLAttrRoleSessionName]
	if !ok {
		return samlErr(samlCodeInvalid, samlMsgNoSession)
	}
	if len(names) != 1 || !samlNameRe.MatchString(names[0]) {
		return samlErr(samlCodeInvalid, samlMsgSession)
	}
	l.RoleSessionName = names[0]

	if vs, ok := l.Attributes[SAMLAttrSessionDuration]; ok {
		if len(vs) != 1 {
			return samlErr(samlCodeInvalid, samlMsgDuration)
		}
		d, err := strconv.Atoi(vs[0])
		if err != nil || d < 900 || d > 43200 {
			return samlErr(samlCodeInvalid, samlMsgDuration)
		}
		l.SessionDuration = d
	}

	if vs, ok := l.Attributes[SAMLAttrSourceIdentity]; ok {
		if len(vs) != 1 || !samlNameRe.MatchString(vs[0]) || strings.HasPrefix(vs[0], "aws:") {
			return samlErr(samlCodeInvalid, samlMsgSourceID)
		}
		l.SourceIdentity = vs[0]
	}

	for name, vs := range l.Attributes {
		key, ok := strings.CutPrefix(name, SAMLAttrPrincipalTag)
		if !ok {
			continue
		}
		if key == "" || len(vs) != 1 {
			return samlErr(samlCodeInvalid, samlMsgTag)
		}
		if l.PrincipalTags == nil {
			l.PrincipalTags = map[string]string{}
		}
		l.PrincipalTags[key] = vs[0]
	}
	if vs := l.Attributes[SAMLAttrTransitiveTagKeys]; len(vs) > 0 {
		l.TransitiveTagKeys = append([]string(nil), vs...)
	}
	return nil
}

// parseSAMLRole splits a Role value "<arn>,<arn>" into (roleARN,
// providerARN), accepting either order. Values that are not two ARNs, one
// naming a role and the other a saml-provider, are ignored (unverified: AWS
// may reject the whole response instead).
func parseSAMLRole(v string) ([2]string, bool) {
	a, b, ok := strings.Cut(v, ",")
	if !ok || strings.Contains(b, ",") {
		return [2]string{}, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	isRole := func(s string) bool { return strings.HasPrefix(s, "arn:") && strings.Contains(s, ":role/") }
	isProv := func(s string) bool { return strings.HasPrefix(s, "arn:") && strings.Contains(s, ":saml-provider/") }
	switch {
	case isRole(a) && isProv(b):
		return [2]string{a, b}, true
	case isProv(a) && isRole(b):
		return [2]string{b, a}, true
	}
	return [2]string{}, false
}
