package main

// samples/soc-trang: leadership rosters for the targets of Đề án 02-ĐA/TU (10/9/2021) of the
// Ban Thường vụ Tỉnh ủy Sóc Trăng, as quoted in "Nâng cao chất lượng đào tạo, bồi dưỡng cán
// bộ, công chức, viên chức tỉnh Sóc Trăng":
//
//	"đến năm 2025 ... 70% Ủy viên Ban Chấp hành Đảng bộ tỉnh; 50% cán bộ thuộc diện Ban
//	Thường vụ Tỉnh ủy quản lý; 40% ủy viên ban chấp hành đảng bộ cấp huyện và tương đương;
//	30% cán bộ lãnh đạo, quản lý cấp phòng và tương đương có trình độ chuyên môn sau đại học
//	và đang tham gia đào tạo sau đại học."
//
// The article gives targets, not counts, so the counts are ours, chosen so the four targets
// fall on both sides of their thresholds: one exactly at it, one short by a single person,
// one comfortably met, one clearly missed (stExpected). A person counts when they hold a
// master's or doctorate, or are studying for one; each person has one diện quản lý, the
// highest that applies (a Tỉnh ủy viên is not listed again as diện BTV quản lý).

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Diện quản lý codes (config/vocabularies.yaml, dien_quan_ly).
const (
	dBCHTinh  = "bch_tinh"
	dBTV      = "btv_quan_ly"
	dBCHHuyen = "bch_huyen"
	dCapPhong = "cap_phong"
)

var stDiens = []string{dBCHTinh, dBTV, dBCHHuyen, dCapPhong}

// Education codes (vocabulary trinh_do).
const (
	eDH = "dai_hoc"
	eTh = "thac_si"
	eTS = "tien_si"
)

// stTarget is one target of Đề án 02-ĐA/TU: Pct percent of the diện.
var stTargets = []struct {
	Dien, Title string
	Pct         int
}{
	{dBCHTinh, "Ủy viên Ban Chấp hành Đảng bộ tỉnh", 70},
	{dBTV, "Cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý", 50},
	{dBCHHuyen, "Ủy viên ban chấp hành đảng bộ cấp huyện và tương đương", 40},
	{dCapPhong, "Cán bộ lãnh đạo, quản lý cấp phòng và tương đương", 30},
}

// stOutcome is what the data must give for one target. Degree counts thạc sĩ and tiến sĩ
// holders; StudyOnly those with neither who are studying for one. Shortfall is
// ceil(Pct% × Pop) − Count, or 0.
type stOutcome struct {
	Pop, Degree, StudyOnly, Count int
	Share                         string // Vietnamese, two decimals
	Met                           bool
	Shortfall                     int
}

var stExpected = map[string]stOutcome{
	dBCHTinh:  {Pop: 50, Degree: 29, StudyOnly: 6, Count: 35, Share: "70,00", Met: true, Shortfall: 0},    // exactly at 70%
	dBTV:      {Pop: 46, Degree: 18, StudyOnly: 4, Count: 22, Share: "47,83", Met: false, Shortfall: 1},   // one short of 23
	dBCHHuyen: {Pop: 80, Degree: 36, StudyOnly: 9, Count: 45, Share: "56,25", Met: true, Shortfall: 0},    // comfortably above 40%
	dCapPhong: {Pop: 120, Degree: 15, StudyOnly: 6, Count: 21, Share: "17,50", Met: false, Shortfall: 15}, // far below 30%
}

// stQuota is one file's share of one diện.
type stQuota struct {
	Pop, TS, ThS, Study int // population; tiến sĩ; thạc sĩ; studying for a master's with neither
	ThSToTS             int // thạc sĩ now studying for a doctorate (still counted once)
	VB2                 int // đại học studying for a second bachelor's: does not count
}

type stPerson struct {
	Name       string
	Birth      time.Time
	Female     bool
	Ethnic     string // Kinh, Khmer, Hoa
	Unit       string // cơ quan, đơn vị (BTC list only)
	Position   string
	Dien       string
	Edu        string // eDH, eTh, eTS
	Major      string
	Study      string // "", eDH (văn bằng 2), eTh, eTS
	StudyMajor string
	LLCT       string // cao_cap, trung_cap
	QLNN       string // chuyen_vien_cao_cap, chuyen_vien_chinh, chuyen_vien
	CCCD       string
}

// Counted: holds or studies for a postgraduate degree.
func (p *stPerson) Counted() bool {
	return p.Edu == eTh || p.Edu == eTS || p.Study == eTh || p.Study == eTS
}

type stFile struct {
	File, Sheet string
	Unit        string // as the title block names it
	Layout      string // S1 (BTC list), S2 (Sở, Văn phòng), S3 (huyện)
	Variant     int
	Seed        uint64
	Quota       map[string]stQuota
	Positions   map[string][]string // per diện, at least Quota[d].Pop titles, in list order
	Units       map[string][]string // S1: the cơ quan of each position, parallel to Positions
	Dist        *stDistrict         // S3
	Persons     []*stPerson
}

// ---------------------------------------------------------------- files

// Tỉnh ủy viên and cán bộ diện BTV of the bodies that have no file of their own, as Ban Tổ
// chức Tỉnh ủy keeps them: cơ quan, chức vụ.
var btcTUV = [][2]string{
	{"Thường trực Tỉnh ủy", "Bí thư Tỉnh ủy"}, {"Thường trực Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"},
	{"UBND tỉnh", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"}, {"UBND tỉnh", "Ủy viên BTV Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh"},
	{"UBND tỉnh", "Phó Chủ tịch UBND tỉnh"}, {"UBND tỉnh", "Phó Chủ tịch UBND tỉnh"}, {"HĐND tỉnh", "Phó Chủ tịch HĐND tỉnh"},
	{"Ủy ban Kiểm tra Tỉnh ủy", "Ủy viên BTV, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"}, {"Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm Thường trực"},
	{"Ban Tổ chức Tỉnh ủy", "Ủy viên BTV, Trưởng Ban Tổ chức Tỉnh ủy"}, {"Ban Tổ chức Tỉnh ủy", "Phó Trưởng ban Thường trực"},
	{"Ban Tuyên giáo Tỉnh ủy", "Ủy viên BTV, Trưởng Ban Tuyên giáo Tỉnh ủy"}, {"Ban Dân vận Tỉnh ủy", "Ủy viên BTV, Trưởng Ban Dân vận Tỉnh ủy"},
	{"Ban Nội chính Tỉnh ủy", "Ủy viên BTV, Trưởng Ban Nội chính Tỉnh ủy"}, {"Đảng ủy Khối cơ quan và doanh nghiệp tỉnh", "Bí thư Đảng ủy Khối"},
	{"Ủy ban MTTQ Việt Nam tỉnh", "Ủy viên BTV, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"}, {"Công an tỉnh", "Ủy viên BTV, Giám đốc Công an tỉnh"},
	{"Công an tỉnh", "Phó Giám đốc Công an tỉnh"}, {"Bộ Chỉ huy Quân sự tỉnh", "Ủy viên BTV, Chỉ huy trưởng"},
	{"Bộ Chỉ huy Quân sự tỉnh", "Chính ủy"}, {"Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Chỉ huy trưởng"},
	{"Sở Kế hoạch và Đầu tư", "Giám đốc Sở"}, {"Sở Nông nghiệp và PTNT", "Giám đốc Sở"}, {"Sở Giáo dục và Đào tạo", "Giám đốc Sở"},
	{"Sở Y tế", "Giám đốc Sở"}, {"Sở Tài nguyên và Môi trường", "Giám đốc Sở"}, {"Sở Tư pháp", "Giám đốc Sở"},
	{"Sở Công Thương", "Giám đốc Sở"}, {"Sở Văn hóa, Thể thao và Du lịch", "Giám đốc Sở"}, {"Ban Dân tộc tỉnh", "Trưởng ban"},
	{"Tỉnh Đoàn", "Bí thư Tỉnh Đoàn"}, {"Hội Liên hiệp Phụ nữ tỉnh", "Chủ tịch Hội LHPN tỉnh"}, {"Hội Nông dân tỉnh", "Chủ tịch Hội"},
	{"Liên đoàn Lao động tỉnh", "Chủ tịch"}, {"Trường Chính trị tỉnh", "Hiệu trưởng"}, {"Tòa án nhân dân tỉnh", "Chánh án"},
	{"Viện Kiểm sát nhân dân tỉnh", "Viện trưởng"}, {"Thành ủy Sóc Trăng", "Ủy viên BTV Tỉnh ủy, Bí thư Thành ủy"},
	{"Huyện ủy Châu Thành", "Bí thư Huyện ủy"}, {"Huyện ủy Mỹ Tú", "Bí thư Huyện ủy"}, {"Huyện ủy Long Phú", "Bí thư Huyện ủy"},
	{"Thị ủy Ngã Năm", "Bí thư Thị ủy"},
}

var btcBTV = [][2]string{
	{"Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Chánh Văn phòng"}, {"Văn phòng UBND tỉnh", "Chánh Văn phòng"},
	{"Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm"}, {"Ban Tổ chức Tỉnh ủy", "Phó Trưởng ban"},
	{"Ban Tuyên giáo Tỉnh ủy", "Phó Trưởng ban"}, {"Ban Tuyên giáo Tỉnh ủy", "Phó Trưởng ban"}, {"Ban Dân vận Tỉnh ủy", "Phó Trưởng ban"},
	{"Ban Nội chính Tỉnh ủy", "Phó Trưởng ban"}, {"Đảng ủy Khối cơ quan và doanh nghiệp tỉnh", "Phó Bí thư Đảng ủy Khối"},
	{"Ủy ban MTTQ Việt Nam tỉnh", "Phó Chủ tịch"}, {"Ủy ban MTTQ Việt Nam tỉnh", "Phó Chủ tịch"},
	{"Sở Kế hoạch và Đầu tư", "Phó Giám đốc Sở"}, {"Sở Kế hoạch và Đầu tư", "Phó Giám đốc Sở"}, {"Sở Nông nghiệp và PTNT", "Phó Giám đốc Sở"},
	{"Sở Giáo dục và Đào tạo", "Phó Giám đốc Sở"}, {"Sở Y tế", "Phó Giám đốc Sở"}, {"Sở Xây dựng", "Giám đốc Sở"},
	{"Sở Giao thông vận tải", "Giám đốc Sở"}, {"Sở Lao động - Thương binh và Xã hội", "Giám đốc Sở"},
	{"Sở Thông tin và Truyền thông", "Giám đốc Sở"}, {"Thanh tra tỉnh", "Chánh Thanh tra"}, {"Trường Chính trị tỉnh", "Phó Hiệu trưởng"},
	{"Báo Sóc Trăng", "Tổng Biên tập"}, {"Đài Phát thanh và Truyền hình tỉnh", "Giám đốc"}, {"Tỉnh Đoàn", "Phó Bí thư Tỉnh Đoàn"},
}

func splitPairs(ps [][2]string) (units, titles []string) {
	for _, p := range ps {
		units = append(units, p[0])
		titles = append(titles, p[1])
	}
	return units, titles
}

// District-level bodies: "{HU}" is Huyện ủy or Thị ủy, "{h}" huyện or thị xã, "{HD}" Huyện
// đoàn or Thị đoàn; "{c}" takes the next commune of the district.
var huyenBCH = []string{
	"Ủy viên BTV, Trưởng Ban Tổ chức {HU}", "Ủy viên BTV, Chủ nhiệm UBKT {HU}", "Ủy viên BTV, Trưởng Ban Tuyên giáo {HU}",
	"Ủy viên BTV, Trưởng Ban Dân vận {HU}", "Ủy viên BTV, Chủ tịch UBMTTQ {h}", "Ủy viên BTV, Phó Chủ tịch HĐND {h}",
	"Ủy viên BTV, Trưởng Công an {h}", "Ủy viên BTV, Chỉ huy trưởng BCH Quân sự {h}", "Chánh Văn phòng {HU}", "Phó Chủ tịch UBND {h}",
	"Bí thư {HD}", "Chủ tịch Hội LHPN {h}", "Chủ tịch Hội Nông dân {h}", "Trưởng phòng Nội vụ", "Trưởng phòng Tài chính - Kế hoạch",
	"Chánh Văn phòng HĐND và UBND {h}", "Phó Trưởng Ban Tổ chức {HU}", "Bí thư Đảng ủy {c}", "Bí thư Đảng ủy {c}", "Bí thư Đảng ủy {c}",
	"Bí thư Đảng ủy {c}", "Bí thư Đảng ủy {c}",
}

var huyenPhong = []string{
	"Phó Chánh Văn phòng {HU}", "Phó Trưởng Ban Dân vận {HU}", "Phó Chủ nhiệm UBKT {HU}", "Phó Trưởng Ban Tuyên giáo {HU}",
	"Giám đốc Trung tâm Chính trị {h}", "Trưởng phòng Giáo dục và Đào tạo", "Phó Trưởng phòng Giáo dục và Đào tạo",
	"Trưởng phòng Nông nghiệp và PTNT", "Phó Trưởng phòng Nông nghiệp và PTNT", "Trưởng phòng Tài nguyên và Môi trường",
	"Phó Trưởng phòng Tài nguyên và Môi trường", "Phó Trưởng phòng Nội vụ", "Phó Trưởng phòng Tài chính - Kế hoạch", "Trưởng phòng Tư pháp",
	"Trưởng phòng Lao động - TB&XH", "Phó Trưởng phòng Lao động - TB&XH", "Trưởng phòng Văn hóa và Thông tin", "Trưởng phòng Y tế",
	"Chánh Thanh tra {h}", "Phó Chánh Thanh tra {h}", "Trưởng phòng Kinh tế và Hạ tầng", "Phó Trưởng phòng Kinh tế và Hạ tầng",
	"Trưởng phòng Dân tộc", "Phó Chánh Văn phòng HĐND và UBND {h}", "Phó Trưởng phòng Tư pháp", "Phó Trưởng phòng Văn hóa và Thông tin",
}

type stDistrict struct {
	Name     string   // Mỹ Xuyên
	Town     bool     // thị xã (Vĩnh Châu)
	Communes []string // "xã Ngọc Tố", "phường 1"
}

func (d *stDistrict) expand(s string, next func() string) string {
	hu, h, hd := "Huyện ủy", "huyện", "Huyện đoàn"
	if d.Town {
		hu, h, hd = "Thị ủy", "thị xã", "Thị đoàn"
	}
	s = strings.NewReplacer("{HU}", hu, "{h}", h, "{HD}", hd).Replace(s)
	if strings.Contains(s, "{c}") {
		s = strings.Replace(s, "{c}", next(), 1)
	}
	return s
}

var (
	dMyXuyen = &stDistrict{"Mỹ Xuyên", false, []string{"thị trấn Mỹ Xuyên", "xã Ngọc Tố", "xã Gia Hòa 1", "xã Hòa Tú 2", "xã Tham Đôn", "xã Đại Tâm"}}
	dKeSach  = &stDistrict{"Kế Sách", false, []string{"thị trấn An Lạc Thôn", "xã Phong Nẫm", "xã Ba Trinh", "xã Nhơn Mỹ", "xã Trinh Phú", "xã Đại Hải"}}
	dVChau   = &stDistrict{"Vĩnh Châu", true, []string{"phường 1", "phường Khánh Hòa", "xã Lạc Hòa", "xã Vĩnh Hải", "xã Hòa Đông", "xã Vĩnh Tân"}}
	dTranDe  = &stDistrict{"Trần Đề", false, []string{"thị trấn Trần Đề", "xã Đại Ân 2", "xã Liêu Tú", "xã Trung Bình", "xã Viên An", "xã Tài Văn"}}
)

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func stFiles() []*stFile {
	btcU1, btcT1 := splitPairs(btcTUV)
	btcU2, btcT2 := splitPairs(btcBTV)
	q := func(pop, ts, ths, study, thsToTS, vb2 int) stQuota { return stQuota{pop, ts, ths, study, thsToTS, vb2} }
	huyen := func(d *stDistrict, two bool) map[string][]string {
		tinh := []string{"Bí thư {HU}"}
		btv := []string{"Phó Bí thư Thường trực {HU}", "Phó Bí thư {HU}, Chủ tịch UBND {h}", "Phó Chủ tịch UBND {h}"}
		if two { // Mỹ Xuyên: the Chủ tịch UBND huyện is also a Tỉnh ủy viên
			tinh = append(tinh, "Phó Bí thư {HU}, Chủ tịch UBND {h}")
			btv = []string{"Phó Bí thư Thường trực {HU}", "Chủ tịch HĐND {h}", "Phó Chủ tịch UBND {h}"}
		}
		return map[string][]string{dBCHTinh: tinh, dBTV: btv, dBCHHuyen: huyenBCH, dCapPhong: huyenPhong}
	}
	return []*stFile{
		{File: "Ban Tổ chức Tỉnh ủy.xlsx", Sheet: "Dien BTV", Unit: "Ban Tổ chức Tỉnh ủy", Layout: "S1", Seed: 301,
			Quota:     map[string]stQuota{dBCHTinh: q(42, 3, 22, 5, 2, 0), dBTV: q(25, 1, 10, 2, 1, 0)},
			Positions: map[string][]string{dBCHTinh: btcT1, dBTV: btcT2},
			Units:     map[string][]string{dBCHTinh: btcU1, dBTV: btcU2}},
		{File: "Văn phòng Tỉnh ủy.xlsx", Sheet: "VPTU", Unit: "Văn phòng Tỉnh ủy", Layout: "S2", Variant: 0, Seed: 302,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 1, 0, 0, 0), dBTV: q(3, 0, 2, 0, 0, 0), dCapPhong: q(14, 0, 4, 1, 0, 1)},
			Positions: map[string][]string{dBCHTinh: {"Chánh Văn phòng Tỉnh ủy"}, dBTV: repeat("Phó Chánh Văn phòng Tỉnh ủy", 3),
				dCapPhong: {"Trưởng phòng Tổng hợp", "Phó Trưởng phòng Tổng hợp", "Phó Trưởng phòng Tổng hợp", "Trưởng phòng Hành chính - Lưu trữ",
					"Phó Trưởng phòng Hành chính - Lưu trữ", "Phó Trưởng phòng Hành chính - Lưu trữ", "Trưởng phòng Quản trị - Tài vụ",
					"Phó Trưởng phòng Quản trị - Tài vụ", "Trưởng phòng Tài chính Đảng", "Phó Trưởng phòng Tài chính Đảng",
					"Trưởng phòng Cơ yếu - Công nghệ thông tin", "Phó Trưởng phòng Cơ yếu - Công nghệ thông tin", "Giám đốc Nhà khách Tỉnh ủy",
					"Phó Giám đốc Nhà khách Tỉnh ủy"}}},
		{File: "Sở Nội vụ.xlsx", Sheet: "Sheet1", Unit: "Sở Nội vụ", Layout: "S2", Variant: 1, Seed: 303,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 1, 0, 0, 0), dBTV: q(3, 0, 1, 1, 0, 0), dCapPhong: q(16, 0, 3, 1, 0, 1)},
			Positions: map[string][]string{dBCHTinh: {"Giám đốc Sở"}, dBTV: repeat("Phó Giám đốc Sở", 3),
				dCapPhong: {"Chánh Văn phòng Sở", "Phó Chánh Văn phòng Sở", "Chánh Thanh tra Sở", "Phó Chánh Thanh tra Sở",
					"Trưởng phòng Tổ chức, biên chế và tổ chức phi chính phủ", "Phó Trưởng phòng Tổ chức, biên chế và tổ chức phi chính phủ",
					"Trưởng phòng Công chức, viên chức", "Phó Trưởng phòng Công chức, viên chức",
					"Trưởng phòng Xây dựng chính quyền và công tác thanh niên", "Trưởng phòng Cải cách hành chính",
					"Chi cục trưởng Chi cục Văn thư - Lưu trữ", "Phó Chi cục trưởng Chi cục Văn thư - Lưu trữ",
					"Trưởng ban Ban Thi đua - Khen thưởng", "Phó Trưởng ban Ban Thi đua - Khen thưởng", "Trưởng ban Ban Tôn giáo",
					"Phó Trưởng ban Ban Tôn giáo"}}},
		{File: "So Tai chinh - LDQL 2023.xlsx", Sheet: "LĐQL", Unit: "Sở Tài chính", Layout: "S2", Variant: 2, Seed: 304,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 0, 1, 0, 0), dBTV: q(3, 0, 1, 0, 0, 0), dCapPhong: q(14, 0, 2, 1, 0, 0)},
			Positions: map[string][]string{dBCHTinh: {"Giám đốc Sở"}, dBTV: repeat("Phó Giám đốc Sở", 3),
				dCapPhong: {"Chánh Văn phòng Sở", "Phó Chánh Văn phòng Sở", "Chánh Thanh tra Sở", "Trưởng phòng Quản lý ngân sách",
					"Phó Trưởng phòng Quản lý ngân sách", "Phó Trưởng phòng Quản lý ngân sách", "Trưởng phòng Tài chính đầu tư",
					"Phó Trưởng phòng Tài chính đầu tư", "Trưởng phòng Quản lý giá và công sản", "Phó Trưởng phòng Quản lý giá và công sản",
					"Trưởng phòng Tài chính hành chính sự nghiệp", "Phó Trưởng phòng Tài chính hành chính sự nghiệp",
					"Trưởng phòng Tài chính doanh nghiệp", "Phó Trưởng phòng Tài chính doanh nghiệp"}}},
		{File: "Huyện ủy Mỹ Xuyên.xlsx", Sheet: "DS LĐQL", Unit: "Huyện ủy Mỹ Xuyên", Layout: "S3", Variant: 0, Seed: 305, Dist: dMyXuyen,
			Quota: map[string]stQuota{dBCHTinh: q(2, 0, 1, 0, 0, 0), dBTV: q(3, 0, 1, 0, 0, 0), dBCHHuyen: q(20, 0, 12, 2, 0, 1),
				dCapPhong: q(18, 0, 2, 1, 0, 0)},
			Positions: huyen(dMyXuyen, true)},
		{File: "Huyện ủy Kế Sách.xlsx", Sheet: "Danh sách", Unit: "Huyện ủy Kế Sách", Layout: "S3", Variant: 1, Seed: 306, Dist: dKeSach,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 1, 0, 0, 0), dBTV: q(3, 0, 1, 1, 0, 0), dBCHHuyen: q(20, 0, 9, 3, 0, 0),
				dCapPhong: q(18, 0, 1, 0, 0, 0)},
			Positions: huyen(dKeSach, false)},
		{File: "Thị ủy Vĩnh Châu.xlsx", Sheet: "Sheet1", Unit: "Thị ủy Vĩnh Châu", Layout: "S3", Variant: 2, Seed: 307, Dist: dVChau,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 0, 0, 0, 0), dBTV: q(3, 0, 1, 0, 0, 0), dBCHHuyen: q(19, 0, 9, 2, 0, 0),
				dCapPhong: q(16, 0, 1, 1, 0, 0)},
			Positions: huyen(dVChau, false)},
		{File: "Huyện ủy Trần Đề.xlsx", Sheet: "CBLĐQL", Unit: "Huyện ủy Trần Đề", Layout: "S3", Variant: 3, Seed: 308, Dist: dTranDe,
			Quota: map[string]stQuota{dBCHTinh: q(1, 0, 0, 0, 0, 0), dBTV: q(3, 0, 0, 0, 0, 0), dBCHHuyen: q(21, 0, 6, 2, 0, 0),
				dCapPhong: q(24, 0, 2, 1, 0, 1)},
			Positions: huyen(dTranDe, false)},
	}
}

// ---------------------------------------------------------------- names

var stEthnicW = []weighted{{"Kinh", 62}, {"Khmer", 32}, {"Hoa", 6}}

var stKinhFamily = []weighted{{"Nguyễn", 20}, {"Trần", 10}, {"Lê", 8}, {"Phạm", 5}, {"Huỳnh", 6}, {"Võ", 5}, {"Đặng", 3}, {"Bùi", 2},
	{"Dương", 3}, {"Lâm", 3}, {"Trương", 3}, {"Ngô", 2}, {"Phan", 3}, {"Hồ", 3}, {"Tô", 2}, {"Châu", 2}}
var stKhmerFamily = []weighted{{"Thạch", 6}, {"Sơn", 6}, {"Lâm", 4}, {"Kim", 4}, {"Danh", 3}, {"Trầm", 2}, {"Lý", 2}, {"Châu", 2}, {"Huỳnh", 2}}
var stHoaFamily = []weighted{{"Trương", 3}, {"Quách", 2}, {"Lưu", 2}, {"Tăng", 2}, {"Lý", 2}, {"Diệp", 1}, {"Mã", 1}, {"Hứa", 1}}
var stMiddleM = []weighted{{"Văn", 10}, {"Minh", 4}, {"Thanh", 4}, {"Quốc", 3}, {"Hoàng", 2}, {"Trung", 2}, {"Tấn", 3}, {"Phước", 2}, {"Hữu", 2}}
var stMiddleF = []weighted{{"Thị", 12}, {"Thị Ngọc", 3}, {"Thị Kim", 3}, {"Thị Hồng", 2}, {"Thị Mỹ", 3}, {"Ngọc", 2}, {"Thanh", 2}}
var stGivenM = []string{"Hòa", "Phúc", "Tâm", "Hùng", "Dũng", "Thành", "Lợi", "Tài", "Trí", "Nghĩa", "Kiệt", "Khánh", "Luân", "Hiếu", "Toàn",
	"Vũ", "Tuấn", "Quang", "Hải", "Thuận", "Thông", "Thắng", "Bình", "Châu", "Nhân", "Phong", "Sang", "Triều", "Vinh", "Lộc"}
var stGivenF = []string{"Đào", "Hằng", "Hạnh", "Trang", "Thảo", "Nhung", "Loan", "Phượng", "Xuân", "Diễm", "Thúy", "Linh", "Ngân", "Trinh",
	"Hà", "Hương", "Mai", "Tuyết", "Yến", "Vân"}
var stKhmerMiddleM = []weighted{{"Văn", 6}, {"Sô", 2}, {"Ngọc", 2}, {"Chanh", 1}, {"Minh", 2}, {"Sa", 1}, {"Quang", 1}}
var stKhmerGivenM = []string{"Phanh", "Mẫn", "Ty", "Hoan", "Thái", "Đa", "Na", "Dưỡng", "Nhựt", "Sóc", "Kha", "Ni", "Tha", "Phol", "Sáng"}
var stKhmerGivenF = []string{"Sa Ly", "Ngọc Thơ", "Phal", "Mỹ Lệ", "Kim Hoa", "Sô Phia", "Thanh", "Bé", "Ngọc Thủy", "Hà"}

func stName(r *rand.Rand, eth string, female bool) string {
	var s string
	switch {
	case eth == "Khmer" && female:
		s = pickW(r, stKhmerFamily) + " Thị " + pick(r, stKhmerGivenF)
	case eth == "Khmer":
		s = pickW(r, stKhmerFamily) + " " + pickW(r, stKhmerMiddleM) + " " + pick(r, stKhmerGivenM)
	default:
		fam := stKinhFamily
		if eth == "Hoa" {
			fam = stHoaFamily
		}
		if female {
			s = pickW(r, fam) + " " + pickW(r, stMiddleF) + " " + pick(r, stGivenF)
		} else {
			s = pickW(r, fam) + " " + pickW(r, stMiddleM) + " " + pick(r, stGivenM)
		}
	}
	return norm.NFC.String(s)
}

// ---------------------------------------------------------------- build

var stMajors = []string{"Luật", "Quản lý kinh tế", "Quản lý công", "Kinh tế", "Hành chính công", "Chính trị học",
	"Xây dựng Đảng và CQNN", "Tài chính - Ngân hàng", "Kế toán", "Nông nghiệp", "Quản lý giáo dục"}
var stStudyMajors = []string{"Quản lý công", "Quản lý kinh tế", "Luật kinh tế", "Chính trị học", "Kinh tế phát triển"}

// Age ranges at 30/09/2023 per diện.
var stAges = map[string][2]int{dBCHTinh: {42, 59}, dBTV: {38, 58}, dBCHHuyen: {33, 57}, dCapPhong: {30, 56}}

// Per mille of women per diện, where the position does not decide it.
var stFemaleP = map[string]int{dBCHTinh: 160, dBTV: 200, dBCHHuyen: 200, dCapPhong: 300}

func stSex(r *rand.Rand, pos, dien string) bool {
	switch {
	case strings.Contains(pos, "LHPN"):
		return true
	case strings.Contains(pos, "Quân sự") || strings.Contains(pos, "Công an") || strings.Contains(pos, "Chỉ huy") ||
		strings.Contains(pos, "Chính ủy"):
		return false
	}
	return r.IntN(1000) < stFemaleP[dien]
}

func buildSocTrang(used map[string]bool) []*stFile {
	r := rand.New(rand.NewPCG(20230930, 94))
	fs := stFiles()
	cccd := map[string]bool{}
	for _, f := range fs {
		communes := 0
		nextCommune := func() string {
			c := f.Dist.Communes[communes%len(f.Dist.Communes)]
			communes++
			return c
		}
		for _, d := range stDiens {
			qt, ok := f.Quota[d]
			if !ok {
				continue
			}
			var group []*stPerson
			for i := 0; i < qt.Pop; i++ {
				p := &stPerson{Dien: d, Position: f.Positions[d][i], Unit: f.Unit}
				if f.Units != nil {
					p.Unit = f.Units[d][i]
				}
				if f.Dist != nil {
					p.Position = f.Dist.expand(p.Position, nextCommune)
				}
				stPerson1(r, p, used)
				if f.Layout == "S2" {
					for p.CCCD == "" || cccd[p.CCCD] {
						p.CCCD = makeCCCDFor(r, "094", p.Birth, p.Female)
					}
					cccd[p.CCCD] = true
				}
				group = append(group, p)
			}
			stQualify(r, f, group, qt)
			f.Persons = append(f.Persons, group...)
		}
	}
	checkSocTrang(fs)
	return fs
}

// stPerson1 draws sex, ethnicity, a unique name and birth date, and the political theory
// and state management levels that go with the diện.
func stPerson1(r *rand.Rand, p *stPerson, used map[string]bool) {
	p.Female = stSex(r, p.Position, p.Dien)
	p.Ethnic = pickW(r, stEthnicW)
	ages := stAges[p.Dien]
	if p.Female && ages[1] > 55 {
		ages[1] = 55 // women leaders retire earlier
	}
	for {
		p.Birth = birthAged(r, ages[0], ages[1])
		p.Name = stName(r, p.Ethnic, p.Female)
		if k := p.Name + "|" + dmy(p.Birth); !used[k] {
			used[k] = true
			break
		}
	}
	switch p.Dien {
	case dBCHTinh, dBTV:
		p.LLCT = "cao_cap"
		p.QLNN = pickW(r, []weighted{{"chuyen_vien_cao_cap", 4}, {"chuyen_vien_chinh", 6}})
	case dBCHHuyen:
		p.LLCT = pickW(r, []weighted{{"cao_cap", 6}, {"trung_cap", 4}})
		p.QLNN = pickW(r, []weighted{{"chuyen_vien_chinh", 5}, {"chuyen_vien", 5}})
	default:
		p.LLCT = pickW(r, []weighted{{"cao_cap", 4}, {"trung_cap", 6}})
		p.QLNN = pickW(r, []weighted{{"chuyen_vien_chinh", 3}, {"chuyen_vien", 7}})
	}
	p.Major = pick(r, stMajors)
}

// stQualify gives one diện of one file exactly its quota of degrees and studies.
func stQualify(r *rand.Rand, f *stFile, ps []*stPerson, q stQuota) {
	idx := r.Perm(len(ps))
	k := 0
	take := func(n int, set func(*stPerson)) {
		for ; n > 0; n-- {
			set(ps[idx[k]])
			k++
		}
	}
	take(q.TS, func(p *stPerson) { p.Edu = eTS })
	take(q.ThS, func(p *stPerson) { p.Edu = eTh })
	take(q.Study, func(p *stPerson) { p.Edu, p.Study = eDH, eTh })
	take(len(ps)-k, func(p *stPerson) { p.Edu = eDH })
	// The extras change nobody's count: a thạc sĩ studying for a doctorate counts once, a
	// second bachelor's does not count.
	for _, i := range idx {
		p := ps[i]
		switch {
		case q.ThSToTS > 0 && p.Edu == eTh && p.Study == "":
			p.Study = eTS
			q.ThSToTS--
		case q.VB2 > 0 && p.Edu == eDH && p.Study == "":
			p.Study, p.StudyMajor = eDH, "Luật"
			q.VB2--
		}
	}
	if q.ThSToTS != 0 || q.VB2 != 0 {
		panic(fmt.Sprintf("%s: not enough persons for the extras", f.File))
	}
	for _, p := range ps {
		if p.Study == eTh || p.Study == eTS {
			p.StudyMajor = pick(r, stStudyMajors)
		}
		if f.Unit == "Sở Tài chính" && p.Edu != eTS {
			p.Major = pick(r, []string{"Tài chính - Ngân hàng", "Kế toán", "Kinh tế"})
		}
	}
}

// ---------------------------------------------------------------- check

type stCount struct{ Pop, Degree, StudyOnly, Count int }

func countST(fs []*stFile) map[string]stCount {
	out := map[string]stCount{}
	for _, f := range fs {
		for _, p := range f.Persons {
			c := out[p.Dien]
			c.Pop++
			switch {
			case p.Edu == eTh || p.Edu == eTS:
				c.Degree++
			case p.Study == eTh || p.Study == eTS:
				c.StudyOnly++
			}
			if p.Counted() {
				c.Count++
			}
			out[p.Dien] = c
		}
	}
	return out
}

// evalTarget compares exactly (count×100 ≥ pct×pop) and returns the shortfall
// ceil(pct×pop/100) − count, or 0 when met.
func evalTarget(count, pop, pct int) (bool, int) {
	if count*100 >= pct*pop {
		return true, 0
	}
	need := (pct*pop + 99) / 100
	return false, need - count
}

// checkSocTrang panics unless the files give exactly stExpected.
func checkSocTrang(fs []*stFile) {
	var errs []string
	got := countST(fs)
	for _, t := range stTargets {
		want, c := stExpected[t.Dien], got[t.Dien]
		met, short := evalTarget(c.Count, c.Pop, t.Pct)
		share := pctVN(c.Count, c.Pop)
		if c.Pop != want.Pop || c.Degree != want.Degree || c.StudyOnly != want.StudyOnly || c.Count != want.Count ||
			share != want.Share || met != want.Met || short != want.Shortfall {
			errs = append(errs, fmt.Sprintf("%s: %+v share %s met %v shortfall %d, want %+v", t.Dien, c, share, met, short, want))
		}
	}
	if len(errs) > 0 {
		panic("Sóc Trăng rosters do not give the chosen outcomes:\n  " + joinLines(errs))
	}
}
