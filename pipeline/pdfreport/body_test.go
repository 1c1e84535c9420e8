package pdfreport

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"canbo/pipeline/document/doctest"
)

// maxBodyPages is the length of the body of all the samples together, up to the
// signature, before the first appendix: five places' groups (Chợ Đồn, two Kon Tum
// classes, Nậm Pồ, Sóc Trăng, the bad-file samples), each with its own sentence, and
// the targets. One office's report (the README's first command, a province) is held
// to 4 pages in cmd/canbo's TestRunOneOffice.
const maxBodyPages = 5

// TestSamplesBody reads the samples' PDF as a Giám đốc Sở would: the three sections
// in order, the groups by their names and no folder name anywhere, the column the
// Kon Tum class lists lack said to be missing rather than "chưa xác định 100%", and
// the body within maxBodyPages pages.
func TestSamplesBody(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	cfg, txt := doctest.Load(t)
	s := doctest.Samples(t)
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := Write(context.Background(), path, s, cfg, txt, issued); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdftotextLayout(t, path), "\f")
	body := -1
	for i, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			if strings.TrimSpace(l) == "Phụ lục I" {
				body = i
				break
			}
		}
		if body >= 0 {
			break
		}
	}
	if body < 0 || body > maxBodyPages {
		t.Errorf("the body takes %d pages, want at most %d", body, maxBodyPages)
	}
	all := strings.Join(pages, "\n")
	flat := strings.Join(strings.Fields(strings.Join(pages[:max(body, 0)], "\n")), " ")
	last := -1
	for _, h := range []string{"I. Tình hình đội ngũ và kết quả thực hiện chỉ tiêu", "1. Tình hình đội ngũ", "2. Kết quả thực hiện chỉ tiêu",
		"II. Đánh giá", "III. Phương hướng, kiến nghị", "Nơi nhận:"} {
		i := strings.Index(flat, h)
		if i <= last {
			t.Errorf("the body lacks %q after the previous heading", h)
		}
		last = i
	}
	for _, want := range []string{
		"Huyện Chợ Đồn: 388 người", "Lớp đại học tại Kon Tum: 218 người",
		"Các tệp của Lớp đại học tại Kon Tum và Lớp trung cấp luật tại Kon Tum (280 người) không có số liệu về quản lý nhà nước",
		"Đã đạt 2/4 chỉ tiêu chung", "Chưa đạt 2/4 chỉ tiêu chung", "còn thiếu 15 người",
		"Còn xa chỉ tiêu", "Huyện ủy Kế Sách mới đạt 5,56%",
		"cử thêm 16 người đi đào tạo sau đại học",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the body lacks %q", want)
		}
	}
	for _, no := range []string{"chưa xác định 218 (100,00%)", "chưa xác định 62 (100,00%)", "Nhóm “"} {
		if strings.Contains(flat, no) {
			t.Errorf("the body says %q", no)
		}
	}
	for _, g := range s.Groups {
		for _, name := range append(strings.Split(g.Group, "/"), g.Group) {
			if strings.Contains(all, name) {
				t.Errorf("the PDF shows the folder name %q", name)
			}
		}
	}
	t.Logf("body: %d pages", body)
}
