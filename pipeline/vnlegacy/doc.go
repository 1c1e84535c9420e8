// Package vnlegacy recognises Vietnamese text typed in the pre-Unicode encodings TCVN3
// (ABC, the .VnTime/.VnArial fonts) and VNI (VNI-Times, VNI-Helve…) and converts it to
// Unicode NFC.
//
// An .xlsx file stores Unicode, so legacy text reaches us as the Latin-1/Windows-1252
// characters its bytes stand for: TCVN3 "Hµ Néi", "Th¹c sÜ", "§¹i häc", "Ng­êi" (the
// soft hyphen U+00AD is ư) and VNI "Nguyeãn Vaên", "Ñaïi hoïc". Nothing in the text says
// which encoding it is; the cell's font does (FontEncoding), and failing that the text:
// ScoreText decodes each word both ways and counts how many become valid Vietnamese
// syllables (syllable.go). A Detector gathers that evidence over a column's cells and
// gives a Verdict; ConvertCell then converts each cell of the column, never a cell that
// already holds Vietnamese letters outside Latin-1 (ạ, ế, ư, đ…), which are Unicode.
//
// # Tables and sources
//
// TCVN3 is the VN3 subset of TCVN 5712:1993 (also called VSCII-3 or ABC): ASCII, the
// no-break space at A0, the capitals Ă Â Ê Ô Ơ Ư Đ at A1–A7, ă â ê ô ơ ư đ at A8–AE and
// the 60 toned lowercase vowels at B5–FE, each vowel in the order grave, hook, tilde,
// acute, dot below. It has no toned capitals: writers switch to a capital font whose
// name ends in H (.VnTimeH, .VnArialH) that draws the lowercase codes as capitals, so a
// cell in such a font is decoded and then upper-cased. The other ways converters write a
// toned capital are decoded too: the VN2 positions VN3 leaves free in A0–FF (Ắ = C0,
// Ố = FF…); the VN1 positions 80–9F (À = 80…; the ten of them that Windows-1252 shows as
// everyday punctuation, ‚ „ … ‘ ’ “ ” • – —, are left alone unless they come as raw C1
// controls, so a quotation mark or a dash in TCVN3 text stays one) and in the C0
// controls; and the capital base letter followed by the lowercase toned code ("A¸" = Á)
// that the vietunicode.sourceforge.net comparison table lists for TCVN3 capitals.
//
// VNI (VNI Windows) writes a vowel as its base letter followed by one modifier byte:
// tones ù ø û õ ï (acute, grave, hook, tilde, dot; capitals Ù Ø Û Õ Ï), circumflex with
// tones â á à å ã ä, breve with tones ê é è ú ü ë; ơ ư đ are the single bytes ô ö ñ
// (Ô Ö Ñ), and í ì æ ó ò (ỉ ĩ ị), î (ỵ) are single bytes too.
//
// The tables in tables.go were written from those definitions and are checked byte for
// byte by tables_test.go against independent published tables:
//
//   - TCVN 5712 as published in libiconv/XFree86 (lib/X11/lcUniConv/tcvn.h, Bruno Haible's
//     TCVN-5712 table: all of 80–FF, and the C0 capitals);
//   - lamdao/xvnkb tcvn.h and vni.h (the X Vietnamese keyboard's TCVN and VNI tables, by
//     Dao Hai Lam, 2002);
//   - duydev/vietnamese-conversion src/charsets.ts (VNI and TCVN3 columns);
//   - the vietunicode.sourceforge.net "Unicode & Vietnamese Legacy Character Encodings"
//     table (VNI hex and TCVN3 hex per letter), as reproduced at
//     https://dothanhlong.org/unicode-va-ma-hoa-ky-tu-cu-cua-viet-nam/;
//   - the VSCII article (TCVN 5712:1993, VN1/VN2/VN3) for which positions each variant uses.
//
// No code was taken from them; the tests carry our own transcription of their data.
package vnlegacy
