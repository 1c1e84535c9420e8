package inbox

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"canbo/pipeline/ingest"
	"canbo/pipeline/issue"
	"canbo/pipeline/outfile"
)

// machineMark starts the part of a quarantine note that canbo reads back: one
// "key: value" per line.
const machineMark = "--- Phần dành cho chương trình canbo, xin đừng sửa ---"

// writeNote writes the Vietnamese note beside a quarantined file: what the file is,
// why it was not used and what to do; then the facts canbo reads back.
func writeNote(path string, res *Result, f *ingest.File, why, stored string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "TỆP KHÔNG DÙNG ĐƯỢC: %s\r\n\r\n", res.Name)
	fmt.Fprintf(&b, "Nhận lúc %s, từ thư mục nhận tệp: %s\r\n", res.ReceivedAt.Format("15:04:05 ngày 02/01/2006"), res.Rel)
	fmt.Fprintf(&b, "Lưu ở đây với tên: %s\r\n\r\n", stored)
	fmt.Fprintf(&b, "Lý do: %s\r\n\r\n", why)
	var more []string
	for _, is := range f.Issues {
		if is.Severity == issue.Error && is.Code != f.Reason && is.Message != "" {
			where := is.Where()
			if where != "" {
				where += ": "
			}
			more = append(more, "  - "+where+is.Message)
		}
	}
	if len(more) > 0 {
		b.WriteString("Các lỗi khác:\r\n")
		for _, m := range more {
			b.WriteString(m + "\r\n")
		}
		b.WriteString("\r\n")
	}
	b.WriteString("Cần làm: sửa tệp theo hướng dẫn trên, lưu lại bằng Excel (dạng .xlsx) rồi đặt lại vào thư mục nhận tệp. " +
		"Tệp gửi lại được kiểm tra ngay. Không cần xóa tệp trong thư mục cách ly này: canbo chỉ giữ lại để đối chiếu; " +
		"nếu gửi lại đúng tệp này mà không sửa, canbo nhận ra là tệp trùng và không dùng.\r\n\r\n")
	b.WriteString(machineMark + "\r\n")
	fmt.Fprintf(&b, "sha256: %s\r\n", res.SHA256)
	fmt.Fprintf(&b, "reason: %s\r\n", f.Reason)
	fmt.Fprintf(&b, "original_name: %s\r\n", res.Name)
	fmt.Fprintf(&b, "inbox_path: %s\r\n", res.Rel)
	fmt.Fprintf(&b, "received_at: %s\r\n", res.ReceivedAt.Format(time.RFC3339))
	return outfile.WriteBytes(path, b.Bytes(), 0o644)
}

// readNote reads back the facts of a quarantine note.
func readNote(path string) (*known, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k := &known{quarantined: true, path: strings.TrimSuffix(path, NoteExt), record: path}
	sc := bufio.NewScanner(bytes.NewReader(data))
	machine := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == machineMark {
			machine = true
			continue
		}
		if !machine {
			continue
		}
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch key {
		case "sha256":
			k.side.SHA256 = val
		case "reason":
			k.reason = issue.Code(val)
		case "original_name":
			k.side.OriginalName = val
		case "inbox_path":
			k.side.InboxPath = val
		case "received_at":
			if t, err := time.Parse(time.RFC3339, val); err == nil {
				k.side.ReceivedAt = t
				k.side.Period = t.Format("2006-01")
			}
		}
	}
	return k, sc.Err()
}

// QuarantinedFile is a rejected file as its quarantine note records it.
type QuarantinedFile struct {
	Path         string // the stored copy in the quarantine
	OriginalName string // the name the unit gave it
	InboxPath    string // where it was dropped, inside the inbox, "/"-separated
	SHA256       string
	Reason       issue.Code
	Message      string // the Vietnamese reason, as the note gives it
	ReceivedAt   time.Time
}

// Quarantined lists the files rejected in a period (the month they arrived, in
// the time zone of their note), so the monthly report lists them with their reasons.
func Quarantined(quarantineDir, period string) ([]QuarantinedFile, error) {
	entries, err := os.ReadDir(quarantineDir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []QuarantinedFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), NoteExt) {
			continue
		}
		p := filepath.Join(quarantineDir, e.Name())
		k, err := readNote(p)
		if err != nil || k.side.Period != period {
			continue
		}
		out = append(out, QuarantinedFile{Path: k.path, OriginalName: k.side.OriginalName, InboxPath: k.side.InboxPath,
			SHA256: k.side.SHA256, Reason: k.reason, Message: noteReason(p), ReceivedAt: k.side.ReceivedAt})
	}
	return out, nil
}

// noteReason is the "Lý do: …" line of a note.
func noteReason(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if r, ok := strings.CutPrefix(strings.TrimSpace(line), "Lý do: "); ok {
			return r
		}
	}
	return ""
}
