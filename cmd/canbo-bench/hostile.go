package main

// Workbooks built to hurt a reader: a sheet that inflates to a gigabyte, a sheet with
// tens of thousands of merged ranges.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// bigSheet writes a workbook whose one sheet holds a header row and rows-1 identical
// person rows, padded (a long "Ghi chú" note) so that the sheet's XML is about size
// bytes. The XML is streamed into the zip, never held: a 1 GB sheet of identical rows
// compresses to a few megabytes.
func bigSheet(path string, rows int, size int64) error {
	base, err := excelize.NewFile().WriteToBuffer()
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		return err
	}
	cell := func(s string) string { return `<c t="inlineStr"><is><t>` + s + `</t></is></c>` }
	var header strings.Builder
	header.WriteString(`<row>`)
	for _, h := range []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn",
		"Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD", "Ghi chú"} {
		header.WriteString(cell(h))
	}
	header.WriteString(`</row>`)
	row := `<row><c><v>1</v></c>` + cell("Nguyễn Văn An") + cell("05/03/1985") + cell("Nam") + cell("Tày") +
		cell("Chủ tịch UBND") + cell("Đại học") + cell("Trung cấp") + cell("Chuyên viên") + cell("x") + cell("006085001234")
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`
	const tail = `</sheetData></worksheet>`
	per := (size - int64(len(head)+header.Len()+len(tail))) / int64(rows-1)
	pad := per - int64(len(row)+len(cell("")+`</row>`))
	if pad < 0 {
		pad = 0
	}
	note := strings.Repeat("Ghi chu ", int(pad)/8+1)[:pad]
	row += cell(note) + `</row>`

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		if e.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(e); err != nil {
				return err
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(head)
		bw.WriteString(header.String())
		for i := 1; i < rows; i++ {
			bw.WriteString(row)
		}
		bw.WriteString(tail)
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// mergedRoster writes a roster of n people in the plain layout with a "Ghi chú" column
// merged across L:M on every person's row: n merged ranges. About 2% of the people
// have a spoiled value, so the feedback workbook has marks to place among the merges.
func mergedRoster(path string, n int, seed uint64) error {
	id := 0
	g := &gen{r: rand.New(rand.NewPCG(seed, 0)), nextID: &id, bad: 2}
	if err := g.plain(path, n, true); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
