package vnlegacy

import "golang.org/x/text/unicode/norm"

// Tones, in the order TCVN3 lays out each vowel's codes (grave, hook, tilde, acute, dot).
const (
	toneNone = iota
	toneGrave
	toneHook
	toneTilde
	toneAcute
	toneDot
	numTones
)

// The twelve Vietnamese vowel letters without tone, lowercase.
const (
	vA = iota
	vAbreve
	vAcirc
	vE
	vEcirc
	vI
	vO
	vOcirc
	vOhorn
	vU
	vUhorn
	vY
	numVowels
)

var vowelBase = [numVowels]rune{'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

// toneMark is the combining mark of each tone, used only to build the letter table.
var toneMark = [numTones]rune{0, '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'}

// letters[v][tone][upper] is the precomposed letter; vinfo is its inverse over every
// vowel letter (the ASCII ones included) and đ/Đ.
var (
	letters [numVowels][numTones][2]rune
	vinfo   = map[rune]letterInfo{}
)

type letterInfo struct {
	v, tone int8 // v = -1 for đ/Đ
	upper   bool
	ok      bool // set in the lookup arrays
}

// Array forms of vinfo for the hot paths: runes below U+0200 and U+1EA0–U+1EF9.
var (
	infoLow [0x200]letterInfo
	infoVi  [0x1EFA - 0x1EA0]letterInfo
)

// info returns what vinfo holds for r, without a map lookup.
func info(r rune) (letterInfo, bool) {
	switch {
	case r >= 0 && r < 0x200:
		li := infoLow[r]
		return li, li.ok
	case r >= 0x1EA0 && r < 0x1EFA:
		li := infoVi[r-0x1EA0]
		return li, li.ok
	}
	return letterInfo{}, false
}

const (
	dLower = 'đ'
	dUpper = 'Đ'
)

// TCVN3 (VN3) codes of the lowercase vowels, [vowel][tone]; the untoned a e i o u y are
// ASCII. TCVN 5712:1993, checked against libiconv's TCVN-5712 table and xvnkb's tcvn.h.
var tcvn3Lower = [numVowels][numTones]byte{
	vA:      {'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9},
	vAbreve: {0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6},
	vAcirc:  {0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB},
	vE:      {'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1},
	vEcirc:  {0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6},
	vI:      {'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE},
	vO:      {'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4},
	vOcirc:  {0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9},
	vOhorn:  {0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE},
	vU:      {'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4},
	vUhorn:  {0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9},
	vY:      {'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE},
}

// TCVN3 codes of the untoned capitals Ă Â Ê Ô Ơ Ư (A1–A6) and of đ (AE), Đ (A7).
var tcvn3CapBase = map[int]byte{vAbreve: 0xA1, vAcirc: 0xA2, vEcirc: 0xA3, vOcirc: 0xA4, vOhorn: 0xA5, vUhorn: 0xA6}

const (
	tcvn3D    = 0xAE
	tcvn3DCap = 0xA7
)

// tcvn3Caps lists the toned capitals that VN2 (the positions A0–FF leaves free in VN3)
// and VN1 (80–9F and C0 controls) of TCVN 5712 place, as code → (vowel, tone). VN3 text
// does not use them, but files made by converters that follow VN1 do.
var tcvn3Caps = map[byte][2]int{
	// VN2, in A0–FF
	0xAF: {vAbreve, toneGrave}, 0xBA: {vAbreve, toneHook}, 0xBF: {vAbreve, toneTilde}, 0xC0: {vAbreve, toneAcute},
	0xC1: {vAcirc, toneGrave}, 0xC2: {vAcirc, toneHook}, 0xC3: {vAcirc, toneTilde}, 0xC4: {vAcirc, toneAcute},
	0xC5: {vEcirc, toneGrave}, 0xCD: {vEcirc, toneHook}, 0xD9: {vEcirc, toneTilde}, 0xDA: {vEcirc, toneAcute},
	0xDB: {vOcirc, toneGrave}, 0xE0: {vOcirc, toneHook}, 0xF0: {vOcirc, toneTilde}, 0xFF: {vOcirc, toneAcute},
	// VN1, in 80–9F
	0x80: {vA, toneGrave}, 0x81: {vA, toneHook}, 0x82: {vA, toneTilde}, 0x83: {vA, toneAcute}, 0x84: {vA, toneDot},
	0x85: {vAbreve, toneDot}, 0x86: {vAcirc, toneDot},
	0x87: {vE, toneGrave}, 0x88: {vE, toneHook}, 0x89: {vE, toneTilde}, 0x8A: {vE, toneAcute}, 0x8B: {vE, toneDot},
	0x8C: {vEcirc, toneDot},
	0x8D: {vI, toneGrave}, 0x8E: {vI, toneHook}, 0x8F: {vI, toneTilde}, 0x90: {vI, toneAcute}, 0x91: {vI, toneDot},
	0x92: {vO, toneGrave}, 0x93: {vO, toneHook}, 0x94: {vO, toneTilde}, 0x95: {vO, toneAcute}, 0x96: {vO, toneDot},
	0x97: {vOcirc, toneDot},
	0x98: {vOhorn, toneGrave}, 0x99: {vOhorn, toneHook}, 0x9A: {vOhorn, toneTilde}, 0x9B: {vOhorn, toneAcute}, 0x9C: {vOhorn, toneDot},
	0x9D: {vU, toneGrave}, 0x9E: {vU, toneHook}, 0x9F: {vU, toneTilde},
	// VN1, in the C0 controls
	0x01: {vU, toneAcute}, 0x02: {vU, toneDot},
	0x04: {vUhorn, toneGrave}, 0x05: {vUhorn, toneHook}, 0x06: {vUhorn, toneTilde}, 0x11: {vUhorn, toneAcute}, 0x12: {vUhorn, toneDot},
	0x13: {vY, toneGrave}, 0x14: {vY, toneHook}, 0x15: {vY, toneTilde}, 0x16: {vY, toneAcute}, 0x17: {vY, toneDot},
}

// VN2 also places the five tone marks as combining characters at B0–B4.
var tcvn3Combining = [5]rune{'\u0300', '\u0309', '\u0303', '\u0301', '\u0323'}

// cp1252 maps the Windows-1252 characters of 80–9F back to their byte: text typed in a
// .VnTime font on Windows and saved by Excel carries them instead of the raw bytes. The
// five bytes Windows-1252 leaves undefined (81 8D 8F 90 9D) come through as U+0081….
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A,
	'‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// cp1252Punct are the Windows-1252 characters that are ordinary punctuation in
// Vietnamese text (quotes, dashes, ellipsis, bullet). As characters they are kept even
// in TCVN3 text; only the raw C1 codes U+0082… stand for the VN1 capitals there.
var cp1252Punct = map[rune]bool{'‚': true, '„': true, '…': true, '‘': true, '’': true, '“': true, '”': true, '•': true, '–': true, '—': true}

// tcvn3Dec[b] is the letter a TCVN3 byte stands for, 0 when it is not a letter code.
var tcvn3Dec [256]rune

// VNI Windows. A vowel is its base letter followed by one modifier byte.
var (
	// tone on a plain vowel (or on ơ ư): ù ø û õ ï, capitals Ù Ø Û Õ Ï
	vniTone = map[rune]int{'ù': toneAcute, 'ø': toneGrave, 'û': toneHook, 'õ': toneTilde, 'ï': toneDot,
		'Ù': toneAcute, 'Ø': toneGrave, 'Û': toneHook, 'Õ': toneTilde, 'Ï': toneDot}
	// circumflex, with tone: â á à å ã ä
	vniCirc = map[rune]int{'â': toneNone, 'á': toneAcute, 'à': toneGrave, 'å': toneHook, 'ã': toneTilde, 'ä': toneDot,
		'Â': toneNone, 'Á': toneAcute, 'À': toneGrave, 'Å': toneHook, 'Ã': toneTilde, 'Ä': toneDot}
	// breve, with tone: ê é è ú ü ë
	vniBreve = map[rune]int{'ê': toneNone, 'é': toneAcute, 'è': toneGrave, 'ú': toneHook, 'ü': toneTilde, 'ë': toneDot,
		'Ê': toneNone, 'É': toneAcute, 'È': toneGrave, 'Ú': toneHook, 'Ü': toneTilde, 'Ë': toneDot}
	// single bytes: ơ ư đ, the toned i, and ỵ
	vniSingle = map[rune]rune{'ô': 'ơ', 'Ô': 'Ơ', 'ö': 'ư', 'Ö': 'Ư', 'ñ': 'đ', 'Ñ': 'Đ',
		'í': 'í', 'ì': 'ì', 'æ': 'ỉ', 'ó': 'ĩ', 'ò': 'ị', 'Í': 'Í', 'Ì': 'Ì', 'Æ': 'Ỉ', 'Ó': 'Ĩ', 'Ò': 'Ị',
		'î': 'ỵ', 'Î': 'Ỵ'}
)

// Array forms of the VNI maps, indexed by Latin-1 rune, for decoding.
const (
	modNone = iota
	modTone
	modCirc
	modBreve
)

type vniModifier struct {
	kind, tone int8
}

var (
	vniMod       [256]vniModifier
	vniSingleTab [256]rune
)

// Inverse tables for encoding VNI: modifier per tone, lowercase then capital.
var (
	vniToneMod  = [numTones][2]rune{}
	vniCircMod  = [numTones][2]rune{}
	vniBreveMod = [numTones][2]rune{}
	vniIMod     = [numTones][2]rune{{'i', 'I'}, {'ì', 'Ì'}, {'æ', 'Æ'}, {'ó', 'Ó'}, {'í', 'Í'}, {'ò', 'Ò'}}
)

func init() {
	for v := range numVowels {
		for t := range numTones {
			for up := range 2 {
				base := vowelBase[v]
				if up == 1 {
					base = upperRune(base)
				}
				s := string(base)
				if t != toneNone {
					s += string(toneMark[t])
				}
				r := []rune(norm.NFC.String(s))
				if len(r) != 1 {
					panic("vnlegacy: no precomposed letter for " + s)
				}
				letters[v][t][up] = r[0]
				vinfo[r[0]] = letterInfo{v: int8(v), tone: int8(t), upper: up == 1}
			}
		}
	}
	vinfo[dLower] = letterInfo{v: -1}
	vinfo[dUpper] = letterInfo{v: -1, upper: true}
	for r, li := range vinfo {
		li.ok = true
		vinfo[r] = li
		if r < 0x200 {
			infoLow[r] = li
		} else {
			infoVi[r-0x1EA0] = li
		}
	}
	for m, t := range vniTone {
		vniMod[m] = vniModifier{kind: modTone, tone: int8(t)}
	}
	for m, t := range vniCirc {
		vniMod[m] = vniModifier{kind: modCirc, tone: int8(t)}
	}
	for m, t := range vniBreve {
		vniMod[m] = vniModifier{kind: modBreve, tone: int8(t)}
	}
	for m, r := range vniSingle {
		vniSingleTab[m] = r
	}

	for v := range numVowels {
		for t := range numTones {
			if b := tcvn3Lower[v][t]; b >= 0x80 {
				tcvn3Dec[b] = letters[v][t][0]
			}
		}
	}
	for v, b := range tcvn3CapBase {
		tcvn3Dec[b] = letters[v][toneNone][1]
	}
	tcvn3Dec[tcvn3D], tcvn3Dec[tcvn3DCap] = dLower, dUpper
	for b, vt := range tcvn3Caps {
		tcvn3Dec[b] = letters[vt[0]][vt[1]][1]
	}

	for m, t := range vniTone {
		vniToneMod[t][boolIndex(isUpperLatin1(m))] = m
	}
	for m, t := range vniCirc {
		vniCircMod[t][boolIndex(isUpperLatin1(m))] = m
	}
	for m, t := range vniBreve {
		vniBreveMod[t][boolIndex(isUpperLatin1(m))] = m
	}
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isUpperLatin1 reports whether a Latin-1 letter is a capital (C0–DE except ×).
func isUpperLatin1(r rune) bool { return r >= 0xC0 && r <= 0xDE && r != 0xD7 }

// upperRune upper-cases the letters we deal with: ASCII, the Vietnamese letters and
// Latin-1 letters. Anything else is returned as is.
func upperRune(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r == 'ă':
		return 'Ă'
	case r == 'â':
		return 'Â'
	case r == 'ê':
		return 'Ê'
	case r == 'ô':
		return 'Ô'
	case r == 'ơ':
		return 'Ơ'
	case r == 'ư':
		return 'Ư'
	case r == 'đ':
		return 'Đ'
	}
	if li, ok := info(r); ok && li.v >= 0 && !li.upper {
		return letters[li.v][li.tone][1]
	}
	return r
}

// lowerRune is the inverse of upperRune for the same letters.
func lowerRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r - 'A' + 'a'
	}
	if r < 0x80 {
		return r
	}
	if li, ok := info(r); ok && li.upper {
		if li.v < 0 {
			return dLower
		}
		return letters[li.v][li.tone][0]
	}
	return r
}
