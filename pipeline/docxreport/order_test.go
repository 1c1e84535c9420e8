package docxreport

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// Word refuses a file whose properties are out of the schema's order (LibreOffice
// does not mind, so its conversion cannot catch it): the children of every
// property element used here must come in ECMA-376's sequence.
var schemaOrder = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
		"suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
		"topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
		"contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
		"textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
		"emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position",
		"sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang"},
	"tcPr": {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
		"tcFitText", "vAlign", "hideMark"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
		"jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"},
	"sectPr": {"headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
		"pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg"},
	"style": {"name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
		"unhideWhenUsed", "qFormat", "locked", "personal", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr"},
}

func TestSchemaOrder(t *testing.T) {
	d, _ := samplesDocx(t)
	for _, part := range []string{"word/document.xml", "word/styles.xml", "word/header1.xml"} {
		dec := xml.NewDecoder(bytes.NewReader(d.parts[part]))
		type open struct {
			name string
			last int // index in the order of the last child seen
		}
		var stack []open
		bad := 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch e := tok.(type) {
			case xml.StartElement:
				if n := len(stack); n > 0 {
					parent := &stack[n-1]
					if order, ok := schemaOrder[parent.name]; ok {
						i := indexOf(order, e.Name.Local)
						switch {
						case i < 0:
							t.Errorf("%s: <%s> in <%s> is not in the order this test knows", part, e.Name.Local, parent.name)
						case i < parent.last && bad < 5:
							bad++
							t.Errorf("%s: <%s> after a later sibling in <%s>", part, e.Name.Local, parent.name)
						}
						parent.last = max(parent.last, i)
					}
				}
				stack = append(stack, open{name: e.Name.Local})
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}
