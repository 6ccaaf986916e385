package fedverify

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// samlMaxMetadata caps the size of a metadata document. IAM documents a
// 10,000,000-character limit for SAMLMetadataDocument (unverified here); the
// fake accepts up to 1 MiB, far above any single-IdP document.
const samlMaxMetadata = 1 << 20

// SAMLMetadata is a parsed SAML provider metadata document: the IdP's entity
// ID and the certificates it signs with.
type SAMLMetadata struct {
	// EntityID is the EntityDescriptor's entityID; verified responses must
	// carry it as their Issuer.
	EntityID string
	// Certificates are the IDPSSODescriptor's signing certificates (KeyDescriptor
	// with use="signing" or without use).
	Certificates []*x509.Certificate
}

// ParseSAMLMetadata parses an EntityDescriptor holding an IDPSSODescriptor,
// as CreateSAMLProvider receives it. It requires an entityID and at least one
// signing certificate. Errors are plain; the caller maps them to its own
// error. The same hostile-XML limits as for responses apply (no DOCTYPE, no
// entities, bounded depth and size).
func ParseSAMLMetadata(doc []byte) (*SAMLMetadata, error) {
	if len(doc) > samlMaxMetadata {
		return nil, fmt.Errorf("saml metadata: document larger than %d bytes", samlMaxMetadata)
	}
	d, err := parseXML(doc)
	if err != nil {
		return nil, fmt.Errorf("saml metadata: %w", err)
	}
	root := d.Root()
	if !isElem(root, NSSAMLMetadata, "EntityDescriptor") {
		return nil, errors.New("saml metadata: root element is not md:EntityDescriptor")
	}
	md := &SAMLMetadata{EntityID: strings.TrimSpace(root.SelectAttrValue("entityID", ""))}
	if md.EntityID == "" {
		return nil, errors.New("saml metadata: EntityDescriptor has no entityID")
	}
	idps := childrenNamed(root, NSSAMLMetadata, "IDPSSODescriptor")
	if len(idps) == 0 {
		return nil, errors.New("saml metadata: no IDPSSODescriptor")
	}
	for _, idp := range idps {
		for _, kd := range childrenNamed(idp, NSSAMLMetadata, "KeyDescriptor") {
			if use := kd.SelectAttrValue("use", ""); use != "" && use != "signing" {
				continue
			}
			ki, ok := childNamed(kd, NSXMLDSig, "KeyInfo")
			if !ok {
				continue
			}
			for _, xd := range childrenNamed(ki, NSXMLDSig, "X509Data") {
				for _, xc := range childrenNamed(xd, NSXMLDSig, "X509Certificate") {
					c, err := parseCertText(elemText(xc))
					if err != nil {
						return nil, fmt.Errorf("saml metadata: X509Certificate: %w", err)
					}
					md.Certificates = append(md.Certificates, c)
				}
			}
		}
	}
	if len(md.Certificates) == 0 {
		return nil, errors.New("saml metadata: no signing certificate")
	}
	return md, nil
}

// parseCertText decodes base64 DER (white space allowed, as metadata wraps
// long lines) into a certificate.
func parseCertText(s string) (*x509.Certificate, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}
