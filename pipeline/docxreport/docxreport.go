// Package docxreport writes the monthly report as an editable Word file,
// bao-cao-YYYY-MM.docx, beside the PDF: the same document (pipeline/document builds
// it for both), laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I, so that the office
// can finish and sign it in Word or LibreOffice Writer: the header (issuing body,
// Quốc hiệu and Tiêu ngữ, số/ký hiệu, place and date) as a borderless table, the
// title and trích yếu, the body's headings and paragraphs, the tables, the targets'
// bar chart and trend chart as pictures, the closing sentence, the signature block with Nơi
// nhận, and the appendices, each a section of its own (landscape where the PDF's
// pages are). Times New Roman, 14 pt body, A4 with NĐ 30's margins; page numbers
// centred in the top margin from page 2 on.
//
// Why WordprocessingML written here with archive/zip and encoding/xml rather than a
// Go docx library: when this was written (December 2026) gomutex/godocx was
// unmaintained and its forks (ubavic/godocx, timdadd/godocx) were young and used by
// nobody; yunkeweb/go-word was weeks old and LGPL-3.0 (awkward for a single static
// binary); SamYue1/go-docx was a work in progress; unidoc/unioffice needs a commercial
// licence. None would spare much: the document needs a few things the simple APIs
// lack or hide (vertically merged header cells, header rows repeated on each page,
// rows kept with the next, a section per orientation, a PAGE field on all pages but
// the first), and none promises the same bytes for the same input. The parts are few
// and fixed (document.xml, styles.xml, settings.xml, fontTable.xml, header1.xml,
// [Content_Types].xml, the relationships, docProps with the date of issue, the
// chart's PNG), so the file is deterministic: the same summary and date give the same
// bytes. It is written atomically (pipeline/outfile), as the PDF is.
package docxreport

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"canbo/pipeline/document"
	"canbo/pipeline/outfile"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
	"canbo/pipeline/summary"
)

// Write renders the report for s and writes it atomically to path. now is the date
// of issue printed under the motto and stored as the file's creation date.
func Write(ctx context.Context, path string, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) error {
	data, err := render(ctx, s, cfg, txt, now)
	if err != nil {
		return err
	}
	return outfile.Write(path, 0o644, func(w io.Writer) error {
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("ghi tệp Word: %w", err)
		}
		return nil
	})
}

// WriteTo renders the report and writes the .docx to w (an e-mail attachment, a test).
func WriteTo(ctx context.Context, w io.Writer, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) error {
	data, err := render(ctx, s, cfg, txt, now)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("ghi tệp Word: %w", err)
	}
	return nil
}

// render builds the document and packs its parts into a zip in memory.
func render(ctx context.Context, s *summary.Summary, cfg *schema.Config, txt *reporttext.Text, now time.Time) ([]byte, error) {
	if s == nil || cfg == nil || txt == nil {
		return nil, fmt.Errorf("docxreport: thiếu số liệu, cấu hình hoặc chữ của báo cáo")
	}
	m := newMeasurer()
	doc, err := document.Build(ctx, s, cfg, txt, now, m)
	if err != nil {
		return nil, err
	}
	if err := m.err; err != nil {
		return nil, err
	}
	w := &writer{doc: doc, m: m}
	body, err := w.document(ctx)
	if err != nil {
		return nil, err
	}
	parts := []part{
		{"[Content_Types].xml", contentTypes(w.media)},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(doc.Meta)},
		{"docProps/app.xml", appProps},
		{"word/document.xml", body},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
		{"word/header1.xml", pageNumberHeader},
		{"word/_rels/document.xml.rels", documentRels(w.media)},
	}
	for _, md := range w.media {
		parts = append(parts, part{"word/media/" + md.name, md.data})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		// A fixed time in every entry: the same document gives the same bytes.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: doc.Meta.Date.UTC()})
		if err != nil {
			return nil, fmt.Errorf("tạo tệp Word: %w", err)
		}
		if _, err := f.Write(p.data); err != nil {
			return nil, fmt.Errorf("tạo tệp Word: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("tạo tệp Word: %w", err)
	}
	return buf.Bytes(), nil
}

// part is one file of the package.
type part struct {
	name string
	data []byte
}
