package fedverify

import (
	"errors"
	"strings"
	"testing"
)

// TestParseXMLRules pins each rule of parseXML on a small document, with
// the reason it is refused (errXMLRejected) or the parse error.
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
		rejected  bool // refused by a rule (errXMLRejected)
		broken    bool // not well-formed (a parse error)
	}{
		{name: "plain document", doc: `<?xml version="1.0" encoding="UTF-8"?><r a="1"><!-- c --><x>t</x></r>`},
		{name: "depth at the limit", doc: deep},
		{name: "nesting one deeper than the limit", doc: tooDeep, rejected: true},
		{name: "one element over the limit", doc: manyElems, rejected: true},
		{name: "one attribute over the limit", doc: "<r" + attrs.String() + "/>", rejected: true},
		{name: "duplicate attribute (would be collapsed)", doc: `<r a="1" a="2"/>`, rejected: true},
		{name: "duplicate prefixed attribute", doc: `<r xmlns:p="u" p:a="1" p:a="2"/>`, rejected: true},
		{name: "same local name under two prefixes is fine", doc: `<r xmlns:p="u" xmlns:q="v" p:a="1" q:a="2"/>`},
		{name: "DOCTYPE", doc: `<!DOCTYPE r><r/>`, rejected: true},
		{name: "DOCTYPE with an internal entity", doc: `<!DOCTYPE r [<!ENTITY e "x">]><r/>`, rejected: true},
		{name: "processing instruction after the root starts", doc: `<r><?pi x?></r>`, rejected: true},
		{name: "processing instruction after the root", doc: `<r/><?pi x?>`, rejected: true},
		{name: "processing instruction that is not the declaration", doc: `<?pi x?><r/>`, rejected: true},
		{name: "text outside the root", doc: `<r/>text`, rejected: true},
		{name: "two roots", doc: `<r/><s/>`, rejected: true},
		{name: "non-UTF-8 encoding", doc: `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, broken: true},
		{name: "unknown entity", doc: `<r>&e;</r>`, broken: true},
		{name: "unclosed element", doc: `<r>`, broken: true},
		{name: "empty input", doc: ``, rejected: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseXML([]byte(tt.doc))
			switch {
			case tt.rejected:
				if !errors.Is(err, errXMLRejected) {
					t.Errorf("err = %v; want a rule refusal", err)
				}
			case tt.broken:
				if err == nil {
					t.Error("accepted a document that is not well-formed")
				}
			default:
				if err != nil || d.Root() == nil {
					t.Errorf("err = %v; want the document accepted", err)
				}
			}
		})
	}
}
