package main

// samples/legacy: two Kon Tum class lists typed the old way, for the legacy-encoding
// reader (package vnlegacy). The people, values and layout are exactly those of the clean
// files in samples/kon-tum; only the text is written in a legacy encoding and the font
// says so:
//
//	DS lop Luat - TCVN3.xlsx                the KB list (Luật, 65): TCVN3 in .VnTime; every
//	                                        all-capitals cell (titles, district rows, the ethnic
//	                                        column) in .VnTimeH with the lowercase codes, as a
//	                                        TCVN3 typist writes capitals with tone marks
//	Danh sach lop Trung cap Luat - VNI.xlsx the KD list (trung cấp Luật, 62): VNI in VNI-Times
//
// Mixed-case toned capitals in TCVN3 ("Ánh") are written as base letter + lowercase code
// ("A¸nh"), as the vietunicode table does. The run is deterministic (same seeds as the
// clean files), so samples/legacy is byte-identical on every run:
//
//	go run ./cmd/samplegen -legacy            # write samples/legacy, then verify it
//	go run ./cmd/samplegen -legacy -verify    # only verify
//
// main() writes the other sets and does not know this one, so the -legacy step runs from
// init and exits before main; go test ./cmd/samplegen checks it (legacy_test.go).

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"unicode"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/vnlegacy"
)

const legacyFolder = "_doi-chieu/legacy"

// legacySet is one legacy file: which clean class it repeats and how it is typed.
type legacySet struct {
	Class string // ktClass.File of the clean list
	File  string // under samples/legacy
	Enc   vnlegacy.Encoding
	Font  string // body font; TCVN3 capitals use Font+"H"
}

var legacySets = []legacySet{
	{Class: "DS lop Luat - Phan hieu DHDN.xlsx", File: "DS lop Luat - TCVN3.xlsx", Enc: vnlegacy.TCVN3, Font: ".VnTime"},
	{Class: "Danh sách lớp Trung cấp Luật.xlsx", File: "Danh sach lop Trung cap Luat - VNI.xlsx", Enc: vnlegacy.VNI, Font: "VNI-Times"},
}

func init() {
	legacy := false
	for _, a := range os.Args[1:] {
		if a == "-legacy" || a == "--legacy" || a == "-legacy=true" || a == "--legacy=true" {
			legacy = true
		}
	}
	if !legacy {
		return
	}
	fs := flag.NewFlagSet("samplegen -legacy", flag.ExitOnError)
	fs.Bool("legacy", true, "write and verify samples/legacy only")
	out := fs.String("out", "samples", "directory that receives legacy/")
	verifyOnly := fs.Bool("verify", false, "do not write; re-read the existing files and compare")
	fs.Bool("q", false, "ignored")
	_ = fs.Parse(os.Args[1:])
	x := buildExtra(buildModel())
	dir := filepath.Join(*out, legacyFolder)
	if !*verifyOnly {
		files := writeLegacy(dir, x)
		removeStaleIn(dir, files)
		fmt.Printf("wrote %d workbooks to %s\n", len(files), dir)
	}
	if errs := verifyLegacy(dir, filepath.Join(*out, "kon-tum")); len(errs) > 0 {
		fmt.Fprintln(os.Stderr, "VERIFY FAILED:")
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "  "+e)
		}
		os.Exit(1)
	}
	fmt.Println("legacy samples verified against", filepath.Join(*out, "kon-tum"))
	os.Exit(0)
}

func classByFile(x *extraSets, file string) *ktClass {
	for _, c := range x.KonTum {
		if c.File == file {
			return c
		}
	}
	panic("no Kon Tum class " + file)
}

// writeLegacy writes every legacy set into dir and returns the files written, relative
// to dir. Each list is written exactly as its clean twin (same seed, same writer), then
// its text cells are re-encoded.
func writeLegacy(dir string, x *extraSets) []string {
	var written []string
	for _, s := range legacySets {
		c := classByFile(x, s.Class)
		b := newBook(c.Seed, s.Font, 12, false)
		b.use(c.Sheet)
		w := &ethWriter{b: b, layout: c.Layout}
		saved := notes // the writers note cells of the clean files; keep that list as it was
		switch c.Layout {
		case "KB":
			writeKB(b, w, c)
		case "KD":
			writeKD(b, w, c)
		default:
			panic("no legacy writer for layout " + c.Layout)
		}
		notes = saved
		encodeSheet(b, s)
		b.save(filepath.Join(dir, s.File))
		written = append(written, s.File)
	}
	return written
}

// allCaps reports whether s has a letter outside ASCII and no lowercase letter: a cell a
// TCVN3 typist writes in the capital (H) font.
func allCaps(s string) bool {
	nonASCII := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if r >= 0x80 && unicode.IsLetter(r) {
			nonASCII = true
		}
	}
	return nonASCII
}

// encodeSheet rewrites every text cell of the current sheet in the set's encoding, and
// gives the all-capitals cells of a TCVN3 file the capital font.
func encodeSheet(b *book, s legacySet) {
	rows, err := b.f.Rows(b.sheet)
	must(err)
	var cells []string
	for r := 1; rows.Next(); r++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		must(err)
		for c, v := range cols {
			if v != "" {
				cells = append(cells, cn(c+1, r))
			}
		}
	}
	must(rows.Close())
	capsStyle := map[int]int{}
	merges, err := b.f.GetMergeCells(b.sheet)
	must(err)
	for _, ref := range cells {
		typ, err := b.f.GetCellType(b.sheet, ref)
		must(err)
		if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			continue
		}
		text, err := b.f.GetCellValue(b.sheet, ref, excelize.Options{RawCellValue: true})
		must(err)
		caps := s.Enc == vnlegacy.TCVN3 && allCaps(text)
		var enc string
		switch s.Enc {
		case vnlegacy.TCVN3:
			enc = vnlegacy.EncodeTCVN3(text, caps)
		case vnlegacy.VNI:
			enc = vnlegacy.EncodeVNI(text)
		}
		if back := vnlegacy.Decode(s.Enc, enc, caps); back != text {
			panic(fmt.Sprintf("%s %s: %q encodes to %q, which decodes to %q", s.File, ref, text, enc, back))
		}
		must(b.f.SetCellStr(b.sheet, ref, enc))
		if !caps {
			continue
		}
		old, err := b.f.GetCellStyle(b.sheet, ref)
		must(err)
		id, ok := capsStyle[old]
		if !ok {
			st, err := b.f.GetStyle(old)
			must(err)
			if st.Font == nil {
				st.Font = &excelize.Font{Size: 12}
			}
			st.Font.Family = s.Font + "H"
			id = b.newStyle(st)
			capsStyle[old] = id
		}
		last := ref
		for _, m := range merges {
			if m.GetStartAxis() == ref {
				last = m.GetEndAxis()
			}
		}
		must(b.f.SetCellStyle(b.sheet, ref, last, id))
	}
}

// verifyLegacy re-reads each legacy file and its clean twin under konTum with excelize,
// decodes every text cell by its own font (vnlegacy.FontEncoding) and compares the two
// sheets cell by cell: same cells, same values, every legacy text cell in a legacy font.
func verifyLegacy(dir, konTum string) []string {
	var errs []string
	for _, s := range legacySets {
		clean := filepath.Join(konTum, ktFolderDH, s.Class)
		if _, err := os.Stat(clean); err != nil {
			clean = filepath.Join(konTum, ktFolderTC, s.Class)
		}
		want, err := sheetTexts(clean, false)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		got, err := sheetTexts(filepath.Join(dir, s.File), true)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if len(got) != len(want) {
			errs = append(errs, fmt.Sprintf("%s: %d cells, %s has %d", s.File, len(got), s.Class, len(want)))
		}
		for ref, w := range want {
			if g := got[ref]; g.text != w.text || g.isText != w.isText {
				errs = append(errs, fmt.Sprintf("%s!%s: %q decodes to %q, want %q", s.File, ref, g.raw, g.text, w.text))
			}
		}
		legacyText := 0
		for ref, g := range got {
			if !g.isText || g.raw == g.text {
				continue
			}
			legacyText++
			if enc, _ := vnlegacy.FontEncoding(g.font); enc != s.Enc {
				errs = append(errs, fmt.Sprintf("%s!%s: font %q, want a %s font", s.File, ref, g.font, s.Enc))
			}
		}
		if legacyText < 100 {
			errs = append(errs, fmt.Sprintf("%s: only %d cells hold legacy-encoded text", s.File, legacyText))
		}
	}
	return errs
}

// cellText is one cell as verifyLegacy compares it: text (decoded when asked) and
// whether it is a text cell; raw and font are kept for messages.
type cellText struct {
	text, raw, font string
	isText          bool
}

// sheetTexts reads the first sheet's non-empty cells; with decode, text cells are
// decoded by the encoding their font names.
func sheetTexts(path string, decode bool) (map[string]cellText, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	out := map[string]cellText{}
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			ref := cn(c+1, r+1)
			typ, err := f.GetCellType(sheet, ref)
			if err != nil {
				return nil, err
			}
			ct := cellText{text: v, raw: v, isText: typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString}
			if ct.isText && decode {
				id, err := f.GetCellStyle(sheet, ref)
				if err != nil {
					return nil, err
				}
				if st, err := f.GetStyle(id); err == nil && st.Font != nil {
					ct.font = st.Font.Family
				}
				enc, caps := vnlegacy.FontEncoding(ct.font)
				ct.text = vnlegacy.Decode(enc, v, caps)
			}
			out[ref] = ct
		}
	}
	return out, nil
}
