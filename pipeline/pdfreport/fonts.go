package pdfreport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"

	"canbo/pipeline/schema"
)

// family is the name the document's font is registered under, whatever file it
// comes from.
const family = "body"

// face is one style of the document font.
type face struct {
	style   string // "", "B", "I", "BI"
	builtin []byte // Liberation Serif, metric-compatible with Times New Roman
	path    string // a TTF from report.yaml that replaces builtin
	key     string // its report.yaml key, for messages
}

// vietnamese are letters every face must have: the ones older or Western fonts lack.
const vietnamese = "ĂăÂâĐđÊêÔôƠơƯưÀàẢảÃãÁáẠạẰằẲẳẴẵẮắẶặẦầẨẩẪẫẤấẬậỀềỂểỄễẾếỆệỈỉĨĩỊịỒồỔổỖỗỐốỘộỜờỞởỠỡỚớỢợỤụỦủŨũỪừỬửỮữỨứỰựỲỳỶỷỸỹỴỵ"

// loadFonts registers the four faces. Each face named in report.yaml (font: regular,
// font_bold: bold) replaces the Liberation Serif face of that style; the others stay
// Liberation Serif, which has Times New Roman's metrics, so a document set in Times
// keeps its italics.
func loadFonts(pdf *fpdf.Fpdf, doc schema.Document, configFile string) error {
	faces := []face{
		{"", liberationserifregular.TTF, doc.Font, "document.font"},
		{"B", liberationserifbold.TTF, doc.FontBold, "document.font_bold"},
		{"I", liberationserifitalic.TTF, "", ""},
		{"BI", liberationserifbolditalic.TTF, "", ""},
	}
	for _, f := range faces {
		data := f.builtin
		if strings.TrimSpace(f.path) != "" {
			var err error
			if data, err = readFont(f.path, configFile); err != nil {
				return fmt.Errorf("phông chữ %s (%s, %s): %w", f.path, configFile, f.key, err)
			}
		}
		if err := addFont(pdf, f.style, data); err != nil {
			return fmt.Errorf("phông chữ %s: %w", orBuiltin(f.path), err)
		}
	}
	return nil
}

func orBuiltin(path string) string {
	if path == "" {
		return "Liberation Serif"
	}
	return path
}

// readFont reads a TTF named in report.yaml: a relative path is tried from the
// configuration folder first, then from the working folder. The file must be a
// TrueType font (not a collection or a CFF OpenType font, which fpdf cannot embed)
// with every Vietnamese letter.
func readFont(path, configFile string) ([]byte, error) {
	path = strings.TrimSpace(path)
	tries := []string{path}
	if !filepath.IsAbs(path) && configFile != "" {
		tries = []string{filepath.Join(filepath.Dir(configFile), path), path}
	}
	var data []byte
	var err error
	for _, p := range tries {
		if data, err = os.ReadFile(p); err == nil {
			break
		}
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("không tìm thấy tệp phông chữ (đã tìm: %s); hãy sửa đường dẫn hoặc bỏ dòng này để dùng phông mặc định Liberation Serif",
				strings.Join(tries, ", "))
		}
		return nil, fmt.Errorf("không đọc được tệp phông chữ: %w", err)
	}
	if err := checkTTF(data); err != nil {
		return nil, err
	}
	return data, nil
}

// checkTTF refuses what fpdf cannot embed, before fpdf sees it (its parser prints to
// stdout and fails later on a bad file), and a font without Vietnamese letters
// (.VnTime and other TCVN3 fonts, many Western fonts), which would print boxes.
func checkTTF(data []byte) error {
	if len(data) < 12 {
		return errors.New("tệp quá ngắn, không phải phông chữ TrueType (.ttf)")
	}
	switch string(data[:4]) {
	case "\x00\x01\x00\x00", "true":
	case "ttcf":
		return errors.New("đây là bộ phông (.ttc), chưa dùng được; hãy chọn một tệp .ttf (ví dụ times.ttf, timesbd.ttf)")
	case "OTTO":
		return errors.New("đây là phông OpenType dạng CFF (.otf), chưa dùng được; hãy chọn một tệp .ttf")
	default:
		return errors.New("không phải phông chữ TrueType (.ttf)")
	}
	has, err := cmapRunes(data)
	if err != nil {
		return fmt.Errorf("phông chữ TrueType bị hỏng: %v", err)
	}
	var missing []string
	for _, r := range vietnamese {
		if !has(r) {
			missing = append(missing, string(r))
		}
	}
	if len(missing) > 0 {
		if len(missing) > 12 {
			missing = append(missing[:12], "…")
		}
		return fmt.Errorf("phông chữ thiếu chữ tiếng Việt (%s); hãy dùng phông Unicode như Times New Roman (times.ttf)",
			strings.Join(missing, " "))
	}
	return nil
}

// addFont registers one face and checks that fpdf can use it.
func addFont(pdf *fpdf.Fpdf, style string, data []byte) (err error) {
	defer func() {
		// fpdf's TrueType parser indexes without bounds checks; a damaged file that
		// passed checkTTF must not bring the run down.
		if r := recover(); r != nil {
			err = fmt.Errorf("phông chữ TrueType bị hỏng (%v)", r)
		}
	}()
	pdf.AddUTF8FontFromBytes(family, style, data)
	pdf.SetFont(family, style, 12)
	if pdf.Err() {
		err = pdf.Error()
		pdf.ClearError()
		return fmt.Errorf("fpdf không dùng được phông chữ: %w", err)
	}
	return nil
}

// cmapRunes reads a TrueType font's Unicode cmap (format 4 or 12) and returns a
// lookup of the characters it maps to a glyph.
func cmapRunes(data []byte) (func(rune) bool, error) {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(data[o:])) }
	u32 := func(o int) int { return int(binary.BigEndian.Uint32(data[o:])) }
	numTables := u16(4)
	if 12+16*numTables > len(data) {
		return nil, errors.New("bảng mục lục vượt quá cỡ tệp")
	}
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if string(data[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 || cmap+4 > len(data) {
		return nil, errors.New("không có bảng cmap")
	}
	best, bestFormat := -1, 0
	for i := 0; i < u16(cmap+2); i++ {
		rec := cmap + 4 + 8*i
		if rec+8 > len(data) {
			return nil, errors.New("bảng cmap bị cắt")
		}
		platform, encoding, off := u16(rec), u16(rec+2), cmap+u32(rec+4)
		unicode := platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
		if !unicode || off+4 > len(data) {
			continue
		}
		if f := u16(off); (f == 4 || f == 12) && f > bestFormat {
			best, bestFormat = off, f
		}
	}
	if best < 0 {
		return nil, errors.New("không có bảng mã Unicode")
	}
	set := map[rune]bool{}
	switch bestFormat {
	case 4:
		if best+14 > len(data) {
			return nil, errors.New("bảng cmap bị cắt")
		}
		segs := u16(best+6) / 2
		ends, starts := best+14, best+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		if ranges+2*segs > len(data) {
			return nil, errors.New("bảng cmap bị cắt")
		}
		for s := 0; s < segs; s++ {
			end, start := u16(ends+2*s), u16(starts+2*s)
			delta, ro := u16(deltas+2*s), u16(ranges+2*s)
			for c := start; c <= end && c != 0xFFFF; c++ {
				glyph := (c + delta) & 0xFFFF
				if ro != 0 {
					at := ranges + 2*s + ro + 2*(c-start)
					if at+2 > len(data) {
						continue
					}
					if glyph = u16(at); glyph != 0 {
						glyph = (glyph + delta) & 0xFFFF
					}
				}
				if glyph != 0 {
					set[rune(c)] = true
				}
			}
		}
	case 12:
		if best+16 > len(data) {
			return nil, errors.New("bảng cmap bị cắt")
		}
		n := u32(best + 12)
		if best+16+12*n > len(data) {
			return nil, errors.New("bảng cmap bị cắt")
		}
		for g := 0; g < n; g++ {
			rec := best + 16 + 12*g
			start, end := u32(rec), u32(rec+4)
			for c := start; c <= end && c < 0x10000; c++ {
				set[rune(c)] = true
			}
		}
	}
	return func(r rune) bool { return set[r] }, nil
}
