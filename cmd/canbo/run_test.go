package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/xuri/excelize/v2"

	"canbo/pipeline/inbox"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/summary"
)

// TestRunSamples is `canbo run` on the whole samples folder end to end (the
// README's last sample command, and what the golden summary is made of), then the three outputs read back the way their users read them:
// summary.json by a program, the .xlsx in Excel, the PDF's text. The figures are the
// published ones (../shared/seeds): if reading, counting, a rule or a writer breaks,
// a published figure goes missing here.
func TestRunSamples(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--in", "../../samples", "--out", out}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	dir := filepath.Join(out, "2023-09")
	for _, want := range []string{"Kỳ báo cáo 09/2023", "Chỉ tiêu chung: đạt 2/4", "bao-cao-2023-09.pdf", "bao-cao-2023-09.docx"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}

	s := readSummary(t, filepath.Join(dir, "summary.json"))
	t.Run("summary.json", func(t *testing.T) { checkSummary(t, s) })
	t.Run("xlsx", func(t *testing.T) { checkWorkbook(t, filepath.Join(dir, "bao-cao-2023-09.xlsx")) })
	t.Run("pdf", func(t *testing.T) { checkPDF(t, filepath.Join(dir, "bao-cao-2023-09.pdf")) })
	t.Run("docx", func(t *testing.T) { checkDocx(t, filepath.Join(dir, "bao-cao-2023-09.docx")) })
	if _, err := os.Stat(filepath.Join(dir, "phan-hoi", "UBND xã Mẫu Lỗi.xlsx")); err != nil {
		t.Errorf("no feedback workbook for the error sample: %v", err)
	}
}

// TestRunOneOffice is the README's first command: `canbo run --in samples/soc-trang`
// makes one office's report. The folder is the "soc-trang" group the configuration
// names (not a nameless top folder), so its units are checked against the sample
// registry; nothing of the other samples' places or of the bad-file samples appears.
func TestRunOneOffice(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--in", "../../samples/soc-trang", "--out", out}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{"8 tệp dùng được, 0 tệp không dùng được", "296 người ở 50 đơn vị", "Chỉ tiêu chung: đạt 2/4"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	dir := filepath.Join(out, "2023-09")
	s := readSummary(t, filepath.Join(dir, "summary.json"))
	if len(s.Groups) != 1 || s.Groups[0].Group != "soc-trang" {
		t.Errorf("groups %+v, want the one group soc-trang", s.Groups)
	}
	if uc := s.UnitCheck; !uc.Registry || len(uc.Unknown) != 0 || len(uc.NotSent) != 0 {
		t.Errorf("unit check %+v: want every unit found in the registry", uc)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils); summary.json was checked")
	}
	text, err := exec.Command("pdftotext", "-layout", filepath.Join(dir, "bao-cao-2023-09.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The body a leader reads, up to the signature: at most 4 pages (issue 12).
	pages := strings.Split(string(text), "\f")
	if i := slices.IndexFunc(pages, func(p string) bool { return strings.Contains(p, "Phụ lục I\n") }); i < 0 || i > 4 {
		t.Errorf("the first appendix starts on page %d: the body must end within 4 pages", i+1)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"SỞ NỘI VỤ", "tổng số cán bộ, công chức, viên chức của 50 đơn vị là 296 người",
		"Đã đạt 2/4 chỉ tiêu chung", "còn thiếu 15 người"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, no := range []string{"Chợ Đồn", "Kon Tum", "Mẫu Lỗi", "loi-mau", "soc-trang", "chưa đối chiếu"} {
		if strings.Contains(flat, no) {
			t.Errorf("one office's report mentions %q", no)
		}
	}
}

func readSummary(t *testing.T, path string) *summary.Summary {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s summary.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func group(t *testing.T, s *summary.Summary, name string) summary.Unit {
	t.Helper()
	for _, g := range s.Groups {
		if g.Group == name {
			return g
		}
	}
	t.Fatalf("no group %q in %d groups", name, len(s.Groups))
	return summary.Unit{}
}

func checkSummary(t *testing.T, s *summary.Summary) {
	if s.SchemaVersion != 1 || s.Period != "2023-09" || s.AsOf != "2023-09-30" {
		t.Errorf("header: %d %s %s", s.SchemaVersion, s.Period, s.AsOf)
	}
	pct := func(n, total int) string { return reporttext.Percent(summary.Share(n, total)) }

	// Chợ Đồn: 388 commune staff.
	cd := group(t, s, "cho-don")
	edu, llct, qlnn := cd.Breakdowns["trinh_do_chuyen_mon"], cd.Breakdowns["ly_luan_chinh_tri"], cd.Breakdowns["quan_ly_nha_nuoc"]
	got := []string{
		pct(edu["thac_si"], cd.Headcount), pct(edu["dai_hoc"], cd.Headcount), pct(edu["cao_dang"]+edu["trung_cap"], cd.Headcount),
		pct(llct["cao_cap"], cd.Headcount), pct(llct["trung_cap"], cd.Headcount),
		pct(qlnn["chuyen_vien_chinh"], cd.Headcount), pct(qlnn["chuyen_vien"], cd.Headcount),
	}
	want := []string{"0,77%", "80,67%", "18,56%", "2,06%", "67,27%", "0,52%", "52,58%"}
	if cd.Headcount != 388 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Chợ Đồn: %d persons, %v; want 388, %v", cd.Headcount, got, want)
	}
	wantTraining := map[string]int{"ly_luan_chinh_tri": 139, "chuyen_mon_nghiep_vu": 98, "quan_ly_nha_nuoc": 64, "vi_tri_viec_lam": 49,
		"lanh_dao_quan_ly": 25, "quoc_phong_an_ninh": 83, "tin_hoc_ngoai_ngu": 44, "dai_bieu_hdnd": 375}
	// Nậm Pồ's register (samples/nam-po) adds 2,015 attendances: 67 LLCT, 103 QLNN,
	// 634 VTVL, 975 CMNV, 236 CDNN, all of them ethnic-minority, Kinh and unknown.
	namPo := map[string]int{"ly_luan_chinh_tri": 67, "quan_ly_nha_nuoc": 103, "vi_tri_viec_lam": 634,
		"chuyen_mon_nghiep_vu": 975, "chuc_danh_nghe_nghiep": 236}
	// Mường Chà's register (samples/muong-cha, 2014–2023) adds 1,218: 370 LLCT, 117
	// CMNV, 731 QLNN (with the 18 rows of 2014: a run without --from counts them all).
	muongCha := map[string]int{"ly_luan_chinh_tri": 370, "chuyen_mon_nghiep_vu": 117, "quan_ly_nha_nuoc": 731}
	if s.Training.Total != 877+2015+1218 {
		t.Errorf("training total %d, want 877 + 2015 + 1218", s.Training.Total)
	}
	for k, n := range wantTraining {
		if n += namPo[k] + muongCha[k]; s.Training.ByType[k] != n {
			t.Errorf("training %s = %d, want %d", k, s.Training.ByType[k], n)
		}
	}

	// Kon Tum: the three university classes, then the trung cấp Luật class.
	for _, c := range []struct {
		group                    string
		n                        int
		women, minority, under35 string
	}{
		{"kon-tum/dai-hoc", 218, "27,98%", "72,94%", "77,06%"},
		{"kon-tum/trung-cap-luat", 62, "40,32%", "62,90%", "91,94%"},
	} {
		g := group(t, s, c.group)
		got := []string{pct(g.Breakdowns["gioi_tinh"]["nu"], g.Headcount), pct(g.Breakdowns["dan_toc_thieu_so"]["true"], g.Headcount),
			pct(g.Breakdowns["duoi_35"]["true"], g.Headcount)}
		if g.Headcount != c.n || got[0] != c.women || got[1] != c.minority || got[2] != c.under35 {
			t.Errorf("%s: %d, %v; want %d, [%s %s %s]", c.group, g.Headcount, got, c.n, c.women, c.minority, c.under35)
		}
	}

	// Sóc Trăng, Đề án 02-ĐA/TU: one target exactly at its threshold, one a person short.
	wantTargets := map[string]summary.Target{
		"sdh_bch_tinh":    {Population: 50, Count: 35, Met: true, Shortfall: 0},
		"sdh_btv_quan_ly": {Population: 46, Count: 22, Met: false, Shortfall: 1},
		"sdh_bch_huyen":   {Population: 80, Count: 45, Met: true, Shortfall: 0},
		"sdh_cap_phong":   {Population: 120, Count: 21, Met: false, Shortfall: 15},
	}
	seen := 0
	for _, tg := range s.Targets {
		w, ok := wantTargets[tg.ID]
		if !ok || tg.Unit != "" {
			continue
		}
		seen++
		if tg.Population != w.Population || tg.Count != w.Count || tg.Met != w.Met || tg.Shortfall != w.Shortfall {
			t.Errorf("%s: %d/%d met=%v short=%d; want %d/%d met=%v short=%d", tg.ID, tg.Count, tg.Population, tg.Met, tg.Shortfall,
				w.Count, w.Population, w.Met, w.Shortfall)
		}
	}
	if seen != len(wantTargets) {
		t.Errorf("%d overall targets, want %d", seen, len(wantTargets))
	}

	// NĐ 33/2023: in Chợ Đồn, 72 of 388 commune staff lack a university degree.
	below := 0
	for _, st := range s.Standards {
		if strings.HasPrefix(st.Unit, "UBND") && groupOfUnit(s, st.Unit) == "cho-don" {
			below += st.Population - st.Compliant
		}
	}
	if below != 72 {
		t.Errorf("Chợ Đồn below standard: %d, want 72", below)
	}
	for _, f := range s.Files {
		if f.Status == "rejected" && f.Reason == "" {
			t.Errorf("%s rejected without a reason", f.File)
		}
	}
}

func groupOfUnit(s *summary.Summary, unit string) string {
	for _, u := range s.Units {
		if u.Unit == unit {
			return u.Group
		}
	}
	return ""
}

// checkWorkbook opens the Excel report as a user would and looks for the verdicts.
func checkWorkbook(t *testing.T, path string) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Chỉ tiêu", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet Chỉ tiêu: %v (sheets %v)", err, f.GetSheetList())
	}
	found := false
	for _, r := range rows {
		line := strings.Join(r, "|")
		if strings.Contains(line, "Ủy viên Ban Chấp hành Đảng bộ tỉnh") && strings.Contains(line, "|Toàn bộ|50|35|0.7|0.7|Đạt|0|") {
			found = true
		}
	}
	if !found {
		t.Errorf("the Chỉ tiêu sheet has no met row 35/50 = 0.7 for BCH tỉnh:\n%v", rows)
	}
	// The files received agree everywhere: 39 used and 2 not (canbo run), "Đã nhận 41
	// tệp" (the PDF); the README, the .go and .txt files and the lock file beside
	// them are not received files.
	over, err := f.GetRows("Tổng quan", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	received := ""
	for _, r := range over {
		if len(r) > 1 && r[0] == "Số tệp đã nhận" {
			received = r[1]
		}
	}
	if received != "41" {
		t.Errorf("Tổng quan says %q files received, want 41 (39 used, 2 not)", received)
	}
	cells, err := f.GetRows("Cơ cấu", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	ok := false
	for _, r := range cells {
		// The folder cho-don is shown by report.yaml's name for it, never as itself.
		if len(r) > 2 && r[1] == "Huyện Chợ Đồn" && r[2] == "388" {
			ok = true
		}
		if len(r) > 1 && r[1] == "cho-don" {
			t.Errorf("the Cơ cấu sheet names the folder cho-don: %q", r)
		}
	}
	if !ok {
		t.Errorf("the Cơ cấu sheet has no Huyện Chợ Đồn (cho-don) row with 388 persons")
	}
}

// checkPDF reads the PDF's text with pdftotext (poppler-utils; CI installs it).
func checkPDF(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils); the structure was checked")
	}
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(strings.Fields(string(text)), " ") // a sentence may wrap anywhere
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Số:",
		"Nơi nhận", "70,00%", "(35/50 người)", "còn thiếu 1 người", "còn thiếu 15 người", "388", "4.110"} {
		if !strings.Contains(s, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
}

// TestConfigCheckAllAtOnce: mistakes in several files are all printed in one go, each
// with file:line:column, including a typo inside a target's expression.
func TestConfigCheckAllAtOnce(t *testing.T) {
	dir := t.TempDir()
	entries, err := os.ReadDir("../../config")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("../../config", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		switch e.Name() {
		case "targets.yaml":
			s = strings.Replace(s, `counted: trinh_do_chuyen_mon >= "thac_si"`, `counted: trinh_do_chuyen_mon >= "thac_sy"`, 1)
			s = strings.Replace(s, "threshold: 50%", "threshhold: 50%", 1)
		case "report.yaml":
			s = strings.Replace(s, "  - dien_quan_ly\n", "  - dien_quan_lyy\n", 1)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"config", "check", "--config", dir}, &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	out := stdout.String()
	for _, want := range []string{
		`targets.yaml:86:41: "thac_sy" không phải mã của "trinh_do_chuyen_mon" (có phải "thac_si"?)`,
		`khóa "threshhold" không dùng được`,
		`report.yaml:`, `"dien_quan_lyy"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config check output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunArchive: after canbo serve archived a unit's file, `canbo run --archive`
// remakes the period's report from the archive under the name the unit gave the file.
func TestRunArchive(t *testing.T) {
	cfgDir, dirs := archiveOffice(t, "")
	name := "UBND xã Nghĩa Tá.xlsx"
	archiveAt(t, cfgDir, time.Now(), name, readFile(t, filepath.Join("../../samples/cho-don", name)))
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", "--archive", "--period", "2023-09", "--config", cfgDir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	s := readSummary(t, filepath.Join(dirs["out"], "2023-09", "summary.json"))
	if s.Total.Headcount != 19 || len(s.Files) != 1 || s.Files[0].File != name {
		t.Errorf("headcount %d, files %+v", s.Total.Headcount, s.Files)
	}
}

// archiveOffice is a configuration folder with the shipped configuration and a
// serve.yaml naming fresh folders (and more, YAML added to it), and those folders.
func archiveOffice(t *testing.T, more string) (string, map[string]string) {
	t.Helper()
	root := t.TempDir()
	cfgDir := filepath.Join(root, "config")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("../../config")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.WriteFile(filepath.Join(cfgDir, e.Name()), readFile(t, filepath.Join("../../config", e.Name())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dirs := map[string]string{}
	var yaml strings.Builder
	for _, k := range []string{"inbox", "archive", "quarantine", "out", "state"} {
		dirs[k] = filepath.Join(root, k)
		if err := os.MkdirAll(dirs[k], 0o755); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&yaml, "%s: %q\n", k, filepath.ToSlash(dirs[k]))
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "serve.yaml"), []byte(yaml.String()+more), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgDir, dirs
}

// archiveAt has the inbox of the office at cfgDir take a file (rel in the inbox,
// "/"-separated) as canbo serve would at the time at.
func archiveAt(t *testing.T, cfgDir string, at time.Time, rel string, data []byte) {
	t.Helper()
	cfg, tools, _, err := serveSetup(cfgDir, true)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(cfg.Serve.Inbox, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opt := inbox.FromServe(cfg.Serve)
	opt.Config, opt.Catalog, opt.Clock = cfg, tools.Catalog, clockwork.NewFakeClockAt(at)
	in, err := inbox.Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	c, err := inbox.NewCandidate(cfg.Serve.Inbox, src)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := in.Take(context.Background(), c); err != nil || r.Status != inbox.Accepted {
		t.Fatalf("take: %+v %v", r, err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkDocx opens the Word report as Word does (a zip with word/document.xml) and
// finds the title and published figures in it; pipeline/docxreport's tests read it
// in detail and have LibreOffice convert it.
func checkDocx(t *testing.T, path string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("the .docx is not a zip: %v", err)
	}
	defer zr.Close()
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">BÁO CÁO<", "80,67%", "35/50", ">Nơi nhận:<"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("word/document.xml lacks %q", want)
		}
	}
}

// TestRunEmptyTargets: a district's files have nobody the provincial targets apply
// to; canbo run says so rather than "Chỉ tiêu chung: đạt 0/4".
func TestRunEmptyTargets(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--in", "../../samples/cho-don", "--out", t.TempDir()}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if want := "\n4 chỉ tiêu chung chưa có người thuộc đối tượng trong số liệu.\n"; !strings.Contains(stdout.String(), want) ||
		strings.Contains(stdout.String(), "đạt 0/4") {
		t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
	}
}
