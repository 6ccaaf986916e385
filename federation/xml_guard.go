package federation

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Limits applied to every XML document this package reads from outside
// (SAML responses and provider metadata). A real SAML response is a few
// kilobytes, nests about ten elements deep and carries a few dozen
// attributes; the limits leave ample room for that and nothing for bombs.
const (
	// xmlMaxDepth is the deepest element nesting accepted.
	xmlMaxDepth = 32
	// xmlMaxElements is the most elements accepted in one document.
	xmlMaxElements = 4000
	// xmlMaxAttrs is the most attributes (namespace declarations
	// included) accepted on one element.
	xmlMaxAttrs = 32
)

// errXMLRejected is wrapped by every error that checkXML returns, so callers
// can tell a refused document from a broken one if they care.
var errXMLRejected = errors.New("xml rejected")

// checkXML scans doc once with the standard tokenizer and refuses what a
// SAML document never needs and an attacker always does: DOCTYPE and other
// directives (entity declarations, XXE, billion laughs), processing
// instructions other than the XML declaration, element nesting deeper than
// xmlMaxDepth, more than xmlMaxElements elements, more than xmlMaxAttrs
// attributes on an element, and duplicate attributes (which etree would
// silently collapse, so that what the signature covered and what is read
// could differ). It also rejects text outside the root element and any
// malformed input. encoding/xml never resolves external entities and knows
// only the five predefined ones, so nothing is ever fetched or expanded.
func checkXML(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	// A non-UTF-8 encoding declaration is refused rather than converted.
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("%w: encoding %q not supported", errXMLRejected, charset)
	}
	depth, elements, roots := 0, 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth == 1 {
				roots++
				if roots > 1 {
					return fmt.Errorf("%w: more than one root element", errXMLRejected)
				}
			}
			if depth > xmlMaxDepth {
				return fmt.Errorf("%w: nesting deeper than %d", errXMLRejected, xmlMaxDepth)
			}
			if elements > xmlMaxElements {
				return fmt.Errorf("%w: more than %d elements", errXMLRejected, xmlMaxElements)
			}
			if len(t.Attr) > xmlMaxAttrs {
				return fmt.Errorf("%w: more than %d attributes on <%s>", errXMLRejected, xmlMaxAttrs, t.Name.Local)
			}
			for i := range t.Attr {
				for j := 0; j < i; j++ {
					if t.Attr[i].Name == t.Attr[j].Name {
						return fmt.Errorf("%w: duplicate attribute %q", errXMLRejected, t.Attr[i].Name.Local)
					}
				}
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return fmt.Errorf("%w: DOCTYPE and other directives are not allowed", errXMLRejected)
		case xml.ProcInst:
			if t.Target != "xml" || elements > 0 {
				return fmt.Errorf("%w: processing instruction %q not allowed", errXMLRejected, t.Target)
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("%w: text outside the root element", errXMLRejected)
			}
		}
	}
	if roots != 1 {
		return fmt.Errorf("%w: no root element", errXMLRejected)
	}
	return nil
}

// parseXML checks doc with checkXML and then builds its etree.
func parseXML(doc []byte) (*etree.Document, error) {
	if err := checkXML(doc); err != nil {
		return nil, err
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(doc); err != nil {
		return nil, err
	}
	if d.Root() == nil {
		return nil, fmt.Errorf("%w: no root element", errXMLRejected)
	}
	return d, nil
}

// Namespaces of the SAML 2.0 and XML Signature vocabularies.
const (
	nsSAMLProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsSAMLAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsSAMLMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsXMLDSig       = "http://www.w3.org/2000/09/xmldsig#"
)

// isElem reports whether el is the element {ns}tag.
func isElem(el *etree.Element, ns, tag string) bool {
	return el != nil && el.Tag == tag && el.NamespaceURI() == ns
}

// childrenNamed returns the child elements of el named {ns}tag, in order.
func childrenNamed(el *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if isElem(c, ns, tag) {
			out = append(out, c)
		}
	}
	return out
}

// childNamed returns the only child of el named {ns}tag; it reports false
// when there is none or more than one.
func childNamed(el *etree.Element, ns, tag string) (*etree.Element, bool) {
	cs := childrenNamed(el, ns, tag)
	if len(cs) != 1 {
		return nil, false
	}
	return cs[0], true
}

// countDescendants counts the elements named {ns}tag in el's subtree,
// el included.
func countDescendants(el *etree.Element, ns, tag string) int {
	n := 0
	if isElem(el, ns, tag) {
		n++
	}
	for _, c := range el.ChildElements() {
		n += countDescendants(c, ns, tag)
	}
	return n
}

// elemText returns the element's character data with surrounding white
// space removed. Comments do not split the value: the text is every
// character-data token of el joined, which is what canonical XML without
// comments (the form a signature covers) sees.
func elemText(el *etree.Element) string {
	var b strings.Builder
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
