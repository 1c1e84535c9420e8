// Package samples_test reads the sample workbooks through the real pipeline and checks
// that they reproduce the figures published in the source articles (../shared/seeds):
// if a change to reading or matching loses or miscounts one person, this fails.
package samples_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"canbo/config"
	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/validate"
	"canbo/templates"
)

func read(t *testing.T, dir string) (*schema.Config, *ingest.Batch) {
	t.Helper()
	cfg, err := schema.Load(config.FS, "config")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := issue.LoadCatalog(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader(normalize.New(cfg), ingest.Options{Now: func() time.Time { return time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC) }})
	b, err := r.ReadAll(context.Background(), []string{dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, b
}

func count(cfg *schema.Config, recs []*normalize.Record, field string) map[string]int {
	f := cfg.Field(field)
	out := map[string]int{}
	for _, r := range recs {
		out[r.Code(f)]++
	}
	return out
}

// pct formats a share the Vietnamese way, as the article prints it: 80,67%.
func pct(n, total int) string {
	s := fmt.Sprintf("%.2f", float64(n)*100/float64(total))
	for i := range s {
		if s[i] == '.' {
			s = s[:i] + "," + s[i+1:]
		}
	}
	return s + "%"
}

// TestChoDon: "Toàn huyện Chợ Đồn có 388 cán bộ, công chức cấp xã … thạc sĩ chiếm 0,77%;
// đại học chiếm 80,67%; cao đẳng, trung cấp chiếm 18,56%. … LLCT cao cấp chiếm 2,06%;
// trung cấp chiếm 67,27%; QLNN ngạch chuyên viên chính có 2 người, chiếm 0,52%; ngạch
// chuyên viên có 204 người, chiếm 52,58%." and "877 lượt … 139 … 98 … 64 … 49 … 25 …
// 83 … 44 … 375".
func TestChoDon(t *testing.T) {
	cfg, b := read(t, "cho-don")
	for _, f := range b.Files {
		if f.Status != ingest.Accepted {
			t.Errorf("%s: %s (%v)", f.Name, f.Status, f.Issues)
		}
		for _, is := range f.Issues {
			if is.Severity == issue.Error {
				t.Errorf("sample has an error: %s", is.Error())
			}
		}
	}
	people := b.Records("roster")
	if len(people) != 388 {
		t.Fatalf("%d persons, want 388", len(people))
	}
	edu := count(cfg, people, "trinh_do_chuyen_mon")
	llct := count(cfg, people, "ly_luan_chinh_tri")
	qlnn := count(cfg, people, "quan_ly_nha_nuoc")
	for _, c := range []struct {
		what string
		n    int
		want string
	}{
		{"thạc sĩ", edu["thac_si"], "0,77%"},
		{"đại học", edu["dai_hoc"], "80,67%"},
		{"cao đẳng, trung cấp", edu["cao_dang"] + edu["trung_cap"], "18,56%"},
		{"LLCT cao cấp", llct["cao_cap"], "2,06%"},
		{"LLCT trung cấp", llct["trung_cap"], "67,27%"},
		{"QLNN chuyên viên chính", qlnn["chuyen_vien_chinh"], "0,52%"},
		{"QLNN chuyên viên", qlnn["chuyen_vien"], "52,58%"},
	} {
		if got := pct(c.n, len(people)); got != c.want {
			t.Errorf("%s: %d người = %s, want %s", c.what, c.n, got, c.want)
		}
	}
	if qlnn["chuyen_vien_chinh"] != 2 || qlnn["chuyen_vien"] != 204 {
		t.Errorf("QLNN CVC %d, CV %d; want 2 and 204", qlnn["chuyen_vien_chinh"], qlnn["chuyen_vien"])
	}
	for dim, codes := range map[string]map[string]int{"trinh_do_chuyen_mon": edu, "ly_luan_chinh_tri": llct, "quan_ly_nha_nuoc": qlnn} {
		if codes[schema.Unknown] != 0 {
			t.Errorf("%s: %d persons not recognised", dim, codes[schema.Unknown])
		}
	}

	// Nghĩa Tá: "Trong tổng số 19 cán bộ, công chức toàn xã có 15 người trình độ chuyên môn đại học".
	var nghiaTa []*normalize.Record
	for _, r := range people {
		if validate.UnitKey(r.Unit) == "xa nghia ta" {
			nghiaTa = append(nghiaTa, r)
		}
	}
	if n, dh := len(nghiaTa), count(cfg, nghiaTa, "trinh_do_chuyen_mon")["dai_hoc"]; n != 19 || dh != 15 {
		t.Errorf("Nghĩa Tá: %d persons, %d đại học; want 19 and 15", n, dh)
	}

	trainings := b.Records("training")
	if len(trainings) != 877 {
		t.Errorf("%d training attendances, want 877", len(trainings))
	}
	kinds := count(cfg, trainings, "loai_dao_tao")
	for code, want := range map[string]int{"ly_luan_chinh_tri": 139, "chuyen_mon_nghiep_vu": 98, "quan_ly_nha_nuoc": 64,
		"vi_tri_viec_lam": 49, "lanh_dao_quan_ly": 25, "quoc_phong_an_ninh": 83, "tin_hoc_ngoai_ngu": 44, "dai_bieu_hdnd": 375} {
		if kinds[code] != want {
			t.Errorf("training %s: %d, want %d", code, kinds[code], want)
		}
	}
}

// TestErrorExamples: the deliberate mistakes in loi-mau are each found at their cell.
func TestErrorExamples(t *testing.T) {
	_, b := read(t, "loi-mau")
	status := map[string]string{}
	codes := map[issue.Code]int{}
	for _, f := range b.Files {
		status[f.Name] = f.Status
		for _, is := range f.Issues {
			codes[is.Code]++
		}
	}
	for name, want := range map[string]string{"hong.xlsx": ingest.Rejected, "mat-khau.xlsx": ingest.Rejected,
		"~$UBND xã Mẫu Lỗi.xlsx": ingest.Ignored, "ghi-chu.txt": ingest.Ignored, "UBND xã Mẫu Lỗi.xlsx": ingest.Accepted} {
		if status[name] != want {
			t.Errorf("%s: %q, want %s", name, status[name], want)
		}
	}
	for _, c := range []issue.Code{issue.UnknownValue, issue.BadDate, issue.BadAge, issue.RequiredValue, issue.DupPerson,
		issue.BadID, issue.FormulaNoVal, issue.Encrypted, issue.NotWorkbook} {
		if codes[c] == 0 {
			t.Errorf("no %s found in loi-mau", c)
		}
	}
}
