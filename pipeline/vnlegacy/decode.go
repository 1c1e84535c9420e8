package vnlegacy

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Encoding is how a text was typed.
type Encoding uint8

const (
	Unknown Encoding = iota // no evidence either way (nothing but ASCII seen)
	Unicode                 // Unicode text: leave it
	TCVN3                   // TCVN3 / ABC, the .Vn fonts
	VNI                     // VNI Windows, the VNI- fonts
	Unsure                  // looks legacy but the evidence conflicts or is too thin: leave it and warn
)

// String returns "unknown", "unicode", "tcvn3", "vni" or "unsure".
func (e Encoding) String() string {
	switch e {
	case Unicode:
		return "unicode"
	case TCVN3:
		return "tcvn3"
	case VNI:
		return "vni"
	case Unsure:
		return "unsure"
	}
	return "unknown"
}

// Legacy reports whether e is TCVN3 or VNI.
func (e Encoding) Legacy() bool { return e == TCVN3 || e == VNI }

// Decode converts text typed in enc to Unicode NFC. caps says the text was in a TCVN3
// capital font (.VnTimeH), which draws every letter as a capital. For Unicode, Unknown
// and Unsure the text is returned unchanged.
func Decode(enc Encoding, s string, caps bool) string {
	switch enc {
	case TCVN3:
		return DecodeTCVN3(s, caps)
	case VNI:
		return DecodeVNI(s)
	}
	return s
}

// tcvn3Rune returns the letter a character of TCVN3 text stands for, or 0.
func tcvn3Rune(r rune) rune {
	switch {
	case r < 0x20:
		if vt, ok := tcvn3Caps[byte(r)]; ok {
			return letters[vt[0]][vt[1]][1]
		}
		return 0
	case r < 0x80:
		return 0
	case r <= 0xFF:
		return tcvn3Dec[r]
	}
	if b, ok := cp1252[r]; ok && !cp1252Punct[r] {
		return tcvn3Dec[b]
	}
	return 0
}

// DecodeTCVN3 converts TCVN3 text (as the Latin-1/Windows-1252 characters its bytes
// show as) to Unicode NFC; see the package comment for the capitals it understands.
func DecodeTCVN3(s string, caps bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	combining := false // a combining mark was written, or a rune NFC might change passed through
	var prev rune      // last rune written, for the combining marks B0–B4
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		out := tcvn3Rune(r)
		switch {
		case out != 0:
			// "A¸" (capital base letter, then the lowercase toned code of the same vowel):
			// the two-character capital of the vietunicode table.
			if li, ok := info(out); ok && li.upper && li.v >= 0 && li.tone == toneNone && i < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[i:])
				if li2, ok := info(tcvn3Rune(r2)); ok && !li2.upper && li2.v == li.v && li2.tone != toneNone {
					out = letters[li.v][li2.tone][1]
					i += n2
				}
			}
		case r >= 'A' && r <= 'Z' && i < len(s):
			if li, ok := info(r); ok {
				r2, n2 := utf8.DecodeRuneInString(s[i:])
				if li2, ok := info(tcvn3Rune(r2)); ok && !li2.upper && li2.v == li.v && li2.tone != toneNone {
					out = letters[li.v][li2.tone][1]
					i += n2
				}
			}
		case r >= 0xB0 && r <= 0xB4 && isLetterOut(prev):
			out = tcvn3Combining[r-0xB0]
			combining = true
		}
		if out == 0 {
			out = r
			combining = combining || r >= 0x300
		}
		if caps {
			out = upperRune(out)
		}
		b.WriteRune(out)
		prev = out
	}
	return nfc(b.String(), combining)
}

func isLetterOut(r rune) bool {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
		return true
	}
	_, ok := info(r)
	return ok
}

// nfc returns s in NFC. The decoders write precomposed letters, which no character
// below U+0300 combines with, so unless a combining mark was written or a character from
// U+0300 on came through from the input, s is NFC already.
func nfc(s string, mayChange bool) string {
	if !mayChange || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// vniBase returns the vowel a character of VNI text starts, for the bases that take a
// modifier: a e o u y (either case), and ô ö (ơ ư).
func vniBase(r rune) (v int, upper, ok bool) {
	switch r {
	case 'a', 'A':
		return vA, r == 'A', true
	case 'e', 'E':
		return vE, r == 'E', true
	case 'o', 'O':
		return vO, r == 'O', true
	case 'u', 'U':
		return vU, r == 'U', true
	case 'y', 'Y':
		return vY, r == 'Y', true
	case 'ô', 'Ô':
		return vOhorn, r == 'Ô', true
	case 'ö', 'Ö':
		return vUhorn, r == 'Ö', true
	}
	return 0, false, false
}

// vniCombine returns the letter a base vowel and a following modifier make.
func vniCombine(v int, upper bool, m rune) (rune, bool) {
	if m < 0xC0 || m > 0xFF {
		return 0, false
	}
	up := boolIndex(upper)
	mod := vniMod[m]
	t := int(mod.tone)
	switch mod.kind {
	case modTone:
		return letters[v][t][up], true
	case modCirc:
		switch v {
		case vA:
			return letters[vAcirc][t][up], true
		case vE:
			return letters[vEcirc][t][up], true
		case vO:
			return letters[vOcirc][t][up], true
		}
	case modBreve:
		if v == vA {
			return letters[vAbreve][t][up], true
		}
	}
	return 0, false
}

// DecodeVNI converts VNI text (as the Latin-1 characters its bytes show as) to Unicode
// NFC. The case of a letter is that of its base; the modifier may be of either case.
func DecodeVNI(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	mayChange := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if v, upper, ok := vniBase(r); ok {
			if i < len(s) {
				m, n2 := utf8.DecodeRuneInString(s[i:])
				if out, ok := vniCombine(v, upper, m); ok {
					b.WriteRune(out)
					i += n2
					continue
				}
			}
			b.WriteRune(letters[v][toneNone][boolIndex(upper)])
			continue
		}
		if r >= 0xC0 && r <= 0xFF && vniSingleTab[r] != 0 {
			r = vniSingleTab[r]
		}
		mayChange = mayChange || r >= 0x300
		b.WriteRune(r)
	}
	return nfc(b.String(), mayChange)
}

// EncodeTCVN3 writes Unicode text the way a TCVN3 (ABC) typist's file holds it, as the
// Latin-1 characters of the bytes. With caps the text is meant for a capital font
// (.VnTimeH): toned capitals take the lowercase codes. Otherwise a toned capital is
// written as its base letter followed by the lowercase toned code ("Á" → "A¸"), as the
// vietunicode table gives it. Characters with no TCVN3 code are kept.
func EncodeTCVN3(s string, caps bool) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		li, ok := vinfo[r]
		switch {
		case !ok:
			b.WriteRune(r)
		case li.v < 0 && li.upper:
			b.WriteRune(tcvn3DCap)
		case li.v < 0:
			b.WriteRune(tcvn3D)
		case !li.upper:
			b.WriteRune(rune(tcvn3Lower[li.v][li.tone]))
		default:
			base := rune(tcvn3CapBase[int(li.v)])
			if base == 0 {
				base = letters[li.v][toneNone][1] // A E I O U Y
			}
			switch {
			case li.tone == toneNone:
				b.WriteRune(base)
			case caps:
				b.WriteRune(rune(tcvn3Lower[li.v][li.tone]))
			default:
				b.WriteRune(base)
				b.WriteRune(rune(tcvn3Lower[li.v][li.tone]))
			}
		}
	}
	return b.String()
}

// EncodeVNI writes Unicode text the way a VNI Windows file holds it, as the Latin-1
// characters of the bytes. Characters with no VNI code are kept.
func EncodeVNI(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		li, ok := vinfo[r]
		if !ok {
			b.WriteRune(r)
			continue
		}
		up := boolIndex(li.upper)
		if li.v < 0 {
			b.WriteRune([2]rune{'ñ', 'Ñ'}[up])
			continue
		}
		t := int(li.tone)
		switch int(li.v) {
		case vI:
			b.WriteRune(vniIMod[t][up])
		case vY:
			if t == toneDot {
				b.WriteRune([2]rune{'î', 'Î'}[up])
				continue
			}
			b.WriteRune(letters[vY][toneNone][up])
			if t != toneNone {
				b.WriteRune(vniToneMod[t][up])
			}
		case vA, vE, vO, vU:
			b.WriteRune(letters[li.v][toneNone][up])
			if t != toneNone {
				b.WriteRune(vniToneMod[t][up])
			}
		case vAcirc, vEcirc, vOcirc:
			b.WriteRune(letters[[...]int{vAcirc: vA, vEcirc: vE, vOcirc: vO}[li.v]][toneNone][up])
			b.WriteRune(vniCircMod[t][up])
		case vAbreve:
			b.WriteRune(letters[vA][toneNone][up])
			b.WriteRune(vniBreveMod[t][up])
		case vOhorn, vUhorn:
			b.WriteRune(map[int8][2]rune{vOhorn: {'ô', 'Ô'}, vUhorn: {'ö', 'Ö'}}[li.v][up])
			if t != toneNone {
				b.WriteRune(vniToneMod[t][up])
			}
		}
	}
	return b.String()
}
