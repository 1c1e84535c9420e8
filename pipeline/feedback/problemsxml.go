package feedback

import (
	"bufio"
	"context"
	"io"
	"strconv"
)

// maxCellChars is Excel's limit on the text of one cell.
const maxCellChars = 32767

// writeListingXML writes the problems sheet as a worksheet part: the same sheet the
// excelize writer makes (frozen header, autofilter, A4 landscape one page wide),
// with text as inline strings so the workbook's shared strings stay untouched.
func writeListingXML(ctx context.Context, w io.Writer, l *listing, st sheetStyles) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	last := l.last()
	var b []byte
	b = append(b, xmlDecl+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`">`...)
	b = append(b, `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`...)
	b = append(b, `<dimension ref="`+cellName(colNum, titleRow)+":"+cellName(colMessage, last)+`"/>`...)
	top := cellName(colNum, firstRow)
	b = append(b, `<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="`+itoa(headerRow)+
		`" topLeftCell="`+top+`" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="`+
		top+`" sqref="`+top+`"/></sheetView></sheetViews>`...)
	b = append(b, `<sheetFormatPr defaultRowHeight="`+itoa(minHeight)+`"/><cols>`...)
	for c := colNum; c <= colMessage; c++ {
		b = append(b, `<col min="`+itoa(c)+`" max="`+itoa(c)+`" width="`+strconv.FormatFloat(l.widths[c], 'f', -1, 64)+`" customWidth="1"/>`...)
	}
	b = append(b, `</cols><sheetData>`...)
	b = strCell(append(b, `<row r="1">`...), colNum, titleRow, st.title, l.title)
	b = append(b, `</row>`...)
	if l.intro != "" {
		b = strCell(append(b, `<row r="2">`...), colNum, introRow, st.intro, l.intro)
		b = append(b, `</row>`...)
	}
	b = append(b, `<row r="`+itoa(headerRow)+`">`...)
	for i, h := range l.header {
		b = strCell(b, i+1, headerRow, st.header, h)
	}
	b = append(b, `</row>`...)
	for i := range l.rows {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
		b = listedRowXML(b, firstRow+i, &l.rows[i], st)
	}
	b = append(b, `</sheetData><autoFilter ref="`+cellName(colNum, headerRow)+":"+cellName(colMessage, last)+`"/>`...)
	links := false
	for i := range l.rows {
		if l.rows[i].link == "" {
			continue
		}
		if !links {
			b = append(b, `<hyperlinks>`...)
			links = true
		}
		b = append(b, `<hyperlink ref="`+cellName(colCell, firstRow+i)+`" location="`...)
		b = escapeAttr(b, l.rows[i].link)
		b = append(b, `" display="`...)
		b = escapeAttr(b, l.rows[i].link)
		b = append(b, `"/>`...)
		if len(b) > 64<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if links {
		b = append(b, `</hyperlinks>`...)
	}
	b = append(b, `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`+
		`<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>`...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// listedRowXML appends one issue's row.
func listedRowXML(b []byte, r int, lr *listedRow, st sheetStyles) []byte {
	b = append(b, `<row r="`+itoa(r)+`"`...)
	if lr.height > 0 {
		b = append(b, ` ht="`+strconv.FormatFloat(lr.height, 'f', -1, 64)+`" customHeight="1"`...)
	}
	b = append(b, '>')
	styles := [numColumns]int{st.center, st.plain, st.center, st.severityError, st.plain, st.wrap, st.wrap, st.wrap}
	if lr.warning {
		styles[colSeverity-1] = st.severityWarning
	}
	if lr.link != "" {
		styles[colCell-1] = st.link
	}
	for i, v := range lr.values {
		switch v := v.(type) {
		case int:
			b = append(b, `<c r="`+cellName(i+1, r)+`" s="`+itoa(styles[i])+`"><v>`+itoa(v)+`</v></c>`...)
		case string:
			b = strCell(b, i+1, r, styles[i], v)
		}
	}
	return append(b, `</row>`...)
}

// strCell appends a text cell; an empty text leaves the cell styled but blank.
func strCell(b []byte, col, row, style int, text string) []byte {
	b = append(b, `<c r="`+cellName(col, row)+`" s="`+itoa(style)+`"`...)
	if text == "" {
		return append(b, `/>`...)
	}
	if len(text) > maxCellChars {
		text = truncateUTF16(text, maxCellChars)
	}
	b = append(b, ` t="inlineStr"><is>`...)
	b = textElement(b, "t", text)
	return append(b, `</is></c>`...)
}
