package fedverify

import (
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

// parseXML builds the etree of doc and refuses what a SAML document never
// needs and an attacker always does: DOCTYPE and other directives (entity
// declarations, XXE, billion laughs), processing instructions other than
// the XML declaration, element nesting deeper than xmlMaxDepth, more than
// xmlMaxElements elements, more than xmlMaxAttrs attributes on an element,
// duplicate attributes (kept by the parser so that they can be refused:
// collapsing them would let what a signature covered and what is read
// differ), text outside the root element, more or fewer than one root, a
// non-UTF-8 encoding, and any malformed input.
//
// It is one pass of the standard tokenizer (through etree, in strict mode)
// and a walk of the tree it built. encoding/xml never resolves external
// entities and knows only the five predefined ones, so nothing is fetched
// or expanded even before the walk refuses the directive; the depth limit
// is enforced while parsing, and input size is bounded by the callers.
func parseXML(doc []byte) (*etree.Document, error) {
	d := etree.NewDocument()
	d.ReadSettings = etree.ReadSettings{
		// A non-UTF-8 encoding declaration is refused rather than converted.
		CharsetReader: func(charset string, _ io.Reader) (io.Reader, error) {
			return nil, fmt.Errorf("%w: encoding %q not supported", errXMLRejected, charset)
		},
		PreserveDuplicateAttrs: true,
		MaxDepth:               xmlMaxDepth,
	}
	if err := d.ReadFromBytes(doc); err != nil {
		if errors.Is(err, etree.ErrMaxDepth) {
			return nil, fmt.Errorf("%w: nesting deeper than %d", errXMLRejected, xmlMaxDepth)
		}
		return nil, err
	}
	if err := checkDocument(d); err != nil {
		return nil, err
	}
	return d, nil
}

// checkDocument applies parseXML's rules to a parsed document.
func checkDocument(d *etree.Document) error {
	roots := 0
	for _, t := range d.Child {
		switch t := t.(type) {
		case *etree.Element:
			roots++
		case *etree.ProcInst:
			if t.Target != "xml" || roots > 0 {
				return fmt.Errorf("%w: processing instruction %q not allowed", errXMLRejected, t.Target)
			}
		case *etree.Directive:
			return fmt.Errorf("%w: DOCTYPE and other directives are not allowed", errXMLRejected)
		case *etree.CharData:
			if strings.TrimSpace(t.Data) != "" {
				return fmt.Errorf("%w: text outside the root element", errXMLRejected)
			}
		}
	}
	if roots != 1 {
		return fmt.Errorf("%w: exactly one root element is required", errXMLRejected)
	}
	elements := 0
	return checkElement(d.Root(), &elements)
}

// checkElement applies parseXML's rules to el's subtree, counting its
// elements into *elements.
func checkElement(el *etree.Element, elements *int) error {
	*elements++
	if *elements > xmlMaxElements {
		return fmt.Errorf("%w: more than %d elements", errXMLRejected, xmlMaxElements)
	}
	if len(el.Attr) > xmlMaxAttrs {
		return fmt.Errorf("%w: more than %d attributes on <%s>", errXMLRejected, xmlMaxAttrs, el.Tag)
	}
	for i := range el.Attr {
		for j := 0; j < i; j++ {
			if el.Attr[i].Space == el.Attr[j].Space && el.Attr[i].Key == el.Attr[j].Key {
				return fmt.Errorf("%w: duplicate attribute %q", errXMLRejected, el.Attr[i].Key)
			}
		}
	}
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if err := checkElement(t, elements); err != nil {
				return err
			}
		case *etree.ProcInst:
			return fmt.Errorf("%w: processing instruction %q not allowed", errXMLRejected, t.Target)
		case *etree.Directive:
			return fmt.Errorf("%w: DOCTYPE and other directives are not allowed", errXMLRejected)
		}
	}
	return nil
}

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
