package fedverify

import (
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
)

// samlFormatPrefix is removed from SAML 2.0 NameID formats to form SubjectType.
const samlFormatPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:"

// SubjectType returns the SubjectType STS reports for a NameID format (behaviour
// §11.2): a SAML 2.0 format loses its "urn:oasis:names:tc:SAML:2.0:nameid-format:"
// prefix ("…:persistent" → "persistent"); any other format is returned
// unchanged.
func SubjectType(nameIDFormat string) string {
	if s, ok := strings.CutPrefix(nameIDFormat, samlFormatPrefix); ok {
		return s
	}
	return nameIDFormat
}

// NameQualifier returns the NameQualifier STS reports (behaviour §11.2):
// base64(SHA1(issuer + accountID + "/" + providerName)), where accountID owns
// the SAML provider and providerName is its friendly name.
func NameQualifier(issuer, accountID, providerName string) string {
	sum := sha1.Sum([]byte(issuer + accountID + "/" + providerName))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// samlKeyByAttribute maps attribute Names to the saml:* condition keys, as
// the IAM User Guide's "Mapping SAML attributes to AWS trust policy context
// keys" tables list them (behaviour §12). Two of that page's X.500 OIDs carry
// typos (2.4.5.42, 0.9.2342.19200300100.1.1); both the printed and the
// correct forms are accepted, bare and with "urn:oid:". The page maps the AD
// primarygroupsid claim to uid; this package also sets saml:primaryGroupSID
// from it, since no other documented source exists for that key.
var samlKeyByAttribute = map[string][]string{
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":  {"saml:edupersonaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.2":  {"saml:edupersonnickname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.3":  {"saml:edupersonorgdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.4":  {"saml:edupersonorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.5":  {"saml:edupersonprimaryaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.6":  {"saml:edupersonprincipalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.7":  {"saml:edupersonentitlement"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.8":  {"saml:edupersonprimaryorgunitdn"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.9":  {"saml:edupersonscopedaffiliation"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.10": {"saml:edupersontargetedid"},
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.11": {"saml:edupersonassurance"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.2":  {"saml:eduorghomepageuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.3":  {"saml:eduorgidentityauthnpolicyuri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.4":  {"saml:eduorglegalname"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.5":  {"saml:eduorgsuperioruri"},
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.6":  {"saml:eduorgwhitepagesuri"},
	"urn:oid:2.5.4.3":                   {"saml:cn"},

	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":              {"saml:name"},
	"http://schemas.xmlsoap.org/claims/CommonName":                            {"saml:commonName"},
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname":         {"saml:givenName"},
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname":           {"saml:surname"},
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress":      {"saml:mail"},
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": {"saml:uid", "saml:primaryGroupSID"},

	"2.5.4.3":                            {"saml:commonName"},
	"2.5.4.4":                            {"saml:surname"},
	"urn:oid:2.5.4.4":                    {"saml:surname"},
	"2.5.4.42":                           {"saml:givenName"},
	"2.4.5.42":                           {"saml:givenName"},
	"urn:oid:2.5.4.42":                   {"saml:givenName"},
	"2.5.4.45":                           {"saml:x500UniqueIdentifier"},
	"urn:oid:2.5.4.45":                   {"saml:x500UniqueIdentifier"},
	"0.9.2342.19200300.100.1.1":          {"saml:uid"},
	"0.9.2342.19200300100.1.1":           {"saml:uid"},
	"urn:oid:0.9.2342.19200300.100.1.1":  {"saml:uid"},
	"0.9.2342.19200300.100.1.3":          {"saml:mail"},
	"0.9.2342.19200300100.1.3":           {"saml:mail"},
	"urn:oid:0.9.2342.19200300.100.1.3":  {"saml:mail"},
	"0.9.2342.19200300.100.1.45":         {"saml:organizationStatus"},
	"urn:oid:0.9.2342.19200300.100.1.45": {"saml:organizationStatus"},
}

// ConditionKeys returns the saml:* trust-policy condition keys of the login
// (behaviour §12) for a provider named providerName in account accountID:
// saml:aud (the Recipient, not the Audience), saml:iss, saml:sub,
// saml:sub_type, saml:namequalifier, saml:doc ("<account>/<provider>"), and
// the keys mapped from attributes (saml:cn, saml:mail, the eduPerson and
// eduOrg keys, ...). Where several attributes map to one key, only one is
// used, as AWS documents; this package takes the one whose Name sorts first.
func (l *SAMLLogin) ConditionKeys(accountID, providerName string) map[string][]string {
	keys := map[string][]string{
		"saml:aud":           {l.Recipient},
		"saml:iss":           {l.Issuer},
		"saml:sub":           {l.NameID},
		"saml:sub_type":      {SubjectType(l.NameIDFormat)},
		"saml:namequalifier": {NameQualifier(l.Issuer, accountID, providerName)},
		"saml:doc":           {accountID + "/" + providerName},
	}
	names := make([]string, 0, len(l.Attributes))
	for n := range l.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, k := range samlKeyByAttribute[n] {
			if _, done := keys[k]; !done {
				keys[k] = append([]string(nil), l.Attributes[n]...)
			}
		}
	}
	return keys
}
