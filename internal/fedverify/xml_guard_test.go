package fedverify

import (
	"errors"
	"strings"
	"testing"
)

// TestParseXMLRules pins each rule of parseXML on a small document, with
// the text of the refusal (a rule's, wrapping errXMLRejected) or of the
// parse error.
func TestParseXMLRules(t *testing.T) {
	deep := strings.Repeat("<a>", xmlMaxDepth) + strings.Repeat("</a>", xmlMaxDepth)
	tooDeep := strings.Repeat("<a>", xmlMaxDepth+1) + strings.Repeat("</a>", xmlMaxDepth+1)
	manyElems := "<r>" + strings.Repeat("<e/>", xmlMaxElements) + "</r>"
	var attrs strings.Builder
	for i := 0; i <= xmlMaxAttrs; i++ {
		attrs.WriteString(" a" + strings.Repeat("x", i) + `="1"`)
	}
	tests := []struct {
		name, doc string
		rejected  bool   // refused by a rule (errXMLRejected)
		want      string // the error's text; "" when the document is accepted
	}{
		{name: "plain document", doc: `<?xml version="1.0" encoding="UTF-8"?><r a="1"><!-- c --><x>t</x></r>`},
		{name: "depth at the limit", doc: deep},
		{name: "nesting one deeper than the limit", doc: tooDeep, rejected: true, want: "xml rejected: nesting deeper than 32"},
		{name: "one element over the limit", doc: manyElems, rejected: true, want: "xml rejected: more than 4000 elements"},
		{name: "one attribute over the limit", doc: "<r" + attrs.String() + "/>", rejected: true, want: "xml rejected: more than 32 attributes on <r>"},
		{name: "duplicate attribute (would be collapsed)", doc: `<r a="1" a="2"/>`, rejected: true, want: `xml rejected: duplicate attribute "a"`},
		{name: "duplicate prefixed attribute", doc: `<r xmlns:p="u" p:a="1" p:a="2"/>`, rejected: true, want: `xml rejected: duplicate attribute "a"`},
		{name: "same local name under two prefixes is fine", doc: `<r xmlns:p="u" xmlns:q="v" p:a="1" q:a="2"/>`},
		{name: "DOCTYPE", doc: `<!DOCTYPE r><r/>`, rejected: true, want: "xml rejected: DOCTYPE and other directives are not allowed"},
		{name: "DOCTYPE with an internal entity", doc: `<!DOCTYPE r [<!ENTITY e "x">]><r/>`, rejected: true, want: "xml rejected: DOCTYPE and other directives are not allowed"},
		{name: "processing instruction after the root starts", doc: `<r><?pi x?></r>`, rejected: true, want: `xml rejected: processing instruction "pi" not allowed`},
		{name: "processing instruction after the root", doc: `<r/><?pi x?>`, rejected: true, want: `xml rejected: processing instruction "pi" not allowed`},
		{name: "processing instruction that is not the declaration", doc: `<?pi x?><r/>`, rejected: true, want: `xml rejected: processing instruction "pi" not allowed`},
		{name: "text outside the root", doc: `<r/>text`, rejected: true, want: "xml rejected: text outside the root element"},
		{name: "two roots", doc: `<r/><s/>`, rejected: true, want: "xml rejected: exactly one root element is required"},
		{name: "non-UTF-8 encoding", doc: `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, rejected: true,
			want: `xml: opening charset "ISO-8859-1": xml rejected: encoding "ISO-8859-1" not supported`},
		{name: "unknown entity", doc: `<r>&e;</r>`, want: "XML syntax error on line 1: invalid character entity &e;"},
		{name: "unclosed element", doc: `<r>`, want: "etree: invalid XML format"},
		{name: "empty input", doc: ``, rejected: true, want: "xml rejected: exactly one root element is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseXML([]byte(tt.doc))
			if tt.want == "" {
				if err != nil || d.Root() == nil {
					t.Errorf("err = %v; want the document accepted", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v; want %q", err, tt.want)
			}
			if errors.Is(err, errXMLRejected) != tt.rejected {
				t.Errorf("err = %v: a rule refusal is %v, want %v", err, errors.Is(err, errXMLRejected), tt.rejected)
			}
		})
	}
}
