package main

// How each layout spells the values. verify.go reads them back through its own table.

import (
	"fmt"
	"time"
)

// ---- plain spellings (L1, L1DV, L5, L6, L7, L3's QLNN column)

func eduPlain(p *Person) string { return eduNames[p.Edu] }

// eduMajor is the L2 form: level + field, "Đại học Luật".
func eduMajor(p *Person) string { return eduNames[p.Edu] + " " + p.Major }

var llctNoneVariants = []string{"Chưa", "Không", "Chưa qua ĐT"}
var qlnnNoneVariants = []string{"Chưa qua bồi dưỡng", "Chưa"}

func (b *book) llctPlain(p *Person) string {
	if p.LLCT == LLCTNone {
		return pick(b.r, llctNoneVariants)
	}
	return llctNames[p.LLCT]
}

func (b *book) qlnnPlain(p *Person) string {
	if p.QLNN == QLNNNone {
		return pick(b.r, qlnnNoneVariants)
	}
	return qlnnNames[p.QLNN]
}

func genderPlain(p *Person) string {
	if p.Female {
		return "Nữ"
	}
	return "Nam"
}

// ---- L4 (abbreviations, degree titles, case and spelling variants)

// ThS spelling per L4 unit, so each of the three appears once.
var thsL4 = map[string]string{"Nam Cường": "ThS", "Ngọc Phái": "Th.S", "Đại Sảo": "Thạc sỹ QLKT"}

func (b *book) eduMessy(p *Person) string {
	switch p.Edu {
	case EduThS:
		return thsL4[p.Unit.Short]
	case EduDH:
		switch {
		case p.Position == pTC:
			return "Đại học (Kế toán)"
		case p.Position == pTP:
			return "Cử nhân Luật"
		case p.Position == pPCTUB || p.Position == pHND || p.Position == pDC:
			return "Kỹ sư Nông nghiệp"
		}
		return pick(b.r, []string{"ĐH", "ĐH", "Đại học"})
	case EduCD:
		return pick(b.r, []string{"CĐ", "Cao đẳng Sư phạm"})
	default:
		if p.Position == pTC {
			return "Trung cấp Kế toán"
		}
		return pick(b.r, []string{"TC", "TC", "Trung cấp Kế toán"})
	}
}

func (b *book) llctMessy(p *Person) string {
	switch p.LLCT {
	case LLCTCC:
		if p.Unit.Short == "Nam Cường" {
			return "CC"
		}
		return "Cao cấp LLCT - Hành chính"
	case LLCTTC:
		return pick(b.r, []string{"TC", "Trung cấp LLCT"})
	case LLCTSC:
		return "Sơ cấp"
	}
	return pick(b.r, llctNoneVariants)
}

func (b *book) qlnnMessy(p *Person) string {
	switch p.QLNN {
	case QLNNCVC:
		return "CVC"
	case QLNNCV:
		return pick(b.r, []string{"CV", "CV", "Chuyên viên"})
	}
	return "Chưa"
}

func (b *book) ethMessy(p *Person) string {
	switch p.Ethnic {
	case "Tày":
		if b.r.IntN(4) == 0 {
			return "TÀY"
		}
	case "Mông":
		b.mong++ // alternate, so both spellings occur
		if b.mong%2 == 1 {
			return "H'Mông"
		}
		return "Mông"
	case "Dao":
		return pick(b.r, []string{"Dao Đỏ", "Dao"})
	}
	return p.Ethnic
}

func (b *book) genderMessy(p *Person) string {
	if !p.Female {
		return "Nam"
	}
	return pick(b.r, []string{"nữ", "NỮ"})
}

// dateMessy writes a birth date the way L4 files do: d/m/yy, dd.mm.yyyy, dd-mm-yyyy or dd/mm/yyyy.
func (b *book) dateMessy(t time.Time) string {
	switch b.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%d/%d/%02d", t.Day(), int(t.Month()), t.Year()%100)
	case 1:
		return t.Format("02.01.2006")
	case 2:
		return t.Format("02-01-2006")
	}
	return t.Format("02/01/2006")
}

// funding vocabularies per file: [budget, self-paid]
var fundingVocab = [][2]string{{"Ngân sách", "Tự túc"}, {"NS", "Cá nhân tự túc"}, {"Ngân sách", "Cá nhân tự túc"}, {"NS", "Tự túc"}}
