package workbook

import (
	"context"
	"fmt"
	"strconv"
)

// sharedStrings is the workbook's shared-string table. Fonts holds, for the few rich
// text entries that name one, the font of the first run that does: a Vietnamese text
// typed with a TCVN3 (.VnTime) font must be recognised later even when the cell style
// says Times New Roman.
type sharedStrings struct {
	text  []string
	fonts map[int]string
}

// richText gathers the text of an <si> or <is> element: the <t> elements, whether
// directly inside or inside rich-text runs <r>, but not the phonetic guides <rPh>
// (furigana), which are not part of the value. Text is gathered still escaped and
// unescaped once at the end, so entities split across reads need no special care.
type richText struct {
	raw     []byte
	font    string
	fontSet bool
	inT     int
	inRPr   int
	rph     int
}

func (rt *richText) reset() {
	rt.raw = rt.raw[:0]
	rt.font, rt.fontSet = "", false
	rt.inT, rt.inRPr, rt.rph = 0, 0, 0
}

// start handles a start tag inside the container.
func (rt *richText) start(sc *scanner, in *interner) error {
	switch string(sc.name()) {
	case "t":
		if rt.rph == 0 {
			rt.inT++
		}
	case "rPh":
		rt.rph++
	case "rPr":
		rt.inRPr++
	case "rFont":
		if rt.inRPr > 0 && rt.rph == 0 && !rt.fontSet {
			if v, ok := sc.attr("val"); ok && len(v) > 0 {
				s, err := in.unescape(v)
				if err != nil {
					return err
				}
				rt.font, rt.fontSet = s, true
			}
		}
	}
	return nil
}

// end handles an end tag inside the container.
func (rt *richText) end(name []byte) {
	switch string(name) {
	case "t":
		if rt.rph == 0 && rt.inT > 0 {
			rt.inT--
		}
	case "rPh":
		if rt.rph > 0 {
			rt.rph--
		}
	case "rPr":
		if rt.inRPr > 0 {
			rt.inRPr--
		}
	}
}

// chars adds character data; text beyond maxTokenSize (500 times Excel's own limit
// of 32,767 characters per cell) is damage or an attack, not a value.
func (rt *richText) chars(k tokKind, b []byte) error {
	if rt.inT == 0 || rt.rph > 0 {
		return nil
	}
	if k == tokCDATA {
		rt.raw = appendEscapedCDATA(rt.raw, b)
	} else {
		rt.raw = append(rt.raw, b...)
	}
	if len(rt.raw) > maxTokenSize {
		return errTokenSize
	}
	return nil
}

// interner shares the strings that repeat (font names), so a sheet of rich text does
// not allocate "Times New Roman" per cell.
type interner struct {
	m   map[string]string
	buf []byte
}

func (in *interner) unescape(b []byte) (string, error) {
	var err error
	in.buf, err = appendUnescaped(in.buf[:0], b)
	if err != nil {
		return "", err
	}
	if s, ok := in.m[string(in.buf)]; ok {
		return s, nil
	}
	s := string(in.buf)
	if in.m == nil {
		in.m = map[string]string{}
	}
	if len(in.m) < 1024 {
		in.m[s] = s
	}
	return s, nil
}

// readSharedStrings loads sharedStrings.xml, refusing more entries than
// MaxSharedStrings whatever the count attributes claim.
func (b *Book) readSharedStrings(ctx context.Context, part string) error {
	rc, err := b.openPart(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	declared := int64(b.part(part).UncompressedSize64)
	sc := newScanner(rc)
	var (
		rt     richText
		in     interner
		inSI   bool
		siDep  int
		fonts  map[int]string
		texts  []string
		unesc  []byte
		tokens int
	)
	for {
		tokens++
		if tokens&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k, err := sc.next()
		if err != nil {
			return classify(b.src, part, err)
		}
		switch k {
		case tokEOF:
			b.sst = sharedStrings{text: texts, fonts: fonts}
			return nil
		case tokStart:
			if inSI {
				if err := rt.start(sc, &in); err != nil {
					return classify(b.src, part, err)
				}
				continue
			}
			switch {
			case sc.depth() == 1 && texts == nil:
				// Preallocate from uniqueCount, but never beyond what the part's size
				// could hold (an <si></si> takes at least 9 bytes) or the limit.
				if v, ok := sc.attr("uniqueCount"); ok {
					if n, ok := atoiBytes(v); ok {
						n = min(n, b.lim.MaxSharedStrings, int(min(declared/9, 1<<24)))
						texts = make([]string, 0, n)
					}
				}
			case string(sc.name()) == "si":
				if len(texts) >= b.lim.MaxSharedStrings {
					return errTooLarge("shared strings", formatCount(b.lim.MaxSharedStrings),
						fmt.Errorf("%s has more than %s shared strings", part, formatCount(b.lim.MaxSharedStrings)))
				}
				inSI, siDep = true, sc.depth()
				rt.reset()
			}
		case tokEnd:
			if !inSI {
				continue
			}
			if sc.depth() >= siDep {
				rt.end(sc.name())
				continue
			}
			inSI = false
			unesc, err = appendUnescaped(unesc[:0], rt.raw)
			if err != nil {
				return classify(b.src, part, fmt.Errorf("shared string %d: %w", len(texts), err))
			}
			if rt.fontSet {
				if fonts == nil {
					fonts = map[int]string{}
				}
				fonts[len(texts)] = rt.font
			}
			texts = append(texts, string(unesc))
		case tokText, tokCDATA:
			if inSI {
				if err := rt.chars(k, sc.text()); err != nil {
					return classify(b.src, part, fmt.Errorf("shared string %d: %w", len(texts), err))
				}
			}
		}
	}
}

// lookup returns the entry, as a cell's <v> text names it.
func (s *sharedStrings) lookup(v []byte) (text, font string, err error) {
	i, ok := atoiBytes(v)
	if !ok || i >= len(s.text) {
		return "", "", fmt.Errorf("shared string index %s out of range (table has %s)", strconv.Quote(string(v)), formatCount(len(s.text)))
	}
	return s.text[i], s.fonts[i], nil
}
