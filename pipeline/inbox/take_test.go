package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/issue"
)

func open(t *testing.T, opt Options) *Inbox {
	t.Helper()
	in, err := Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func take(t *testing.T, in *Inbox, f folders, path string) *Result {
	t.Helper()
	res, err := in.Take(context.Background(), candidate(t, f, path))
	if err != nil {
		t.Fatalf("Take(%s): %v", path, err)
	}
	return res
}

func readSide(t *testing.T, path string) Sidecar {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s Sidecar
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTakeAccepted: an accepted file is archived by period and unit, byte for byte,
// with its sidecar; its feedback workbook is written; it leaves the inbox.
func TestTakeAccepted(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	in := open(t, f.options(t, clock))
	src := write(t, f, "Huyện Đắk Hà", "Danh sách Ngọc Wang.xlsx", roster("UBND XÃ NGỌC WANG", "30/09/2023", personA, personB, personX))
	want := sum(t, src)

	res := take(t, in, f, src)
	if res.Status != Accepted || res.Unit != "UBND xã Ngọc Wang" || res.Period != "2023-09" || res.Rows != 3 {
		t.Fatalf("result %s unit %q period %s rows %d", res.Status, res.Unit, res.Period, res.Rows)
	}
	wantPath := filepath.Join(f.archive, "2023-09", "UBND xã Ngọc Wang", "20231005-101010-"+want[:8]+"-Danh sách Ngọc Wang.xlsx")
	if res.Archived != wantPath {
		t.Errorf("archived to %s, want %s", res.Archived, wantPath)
	}
	if got := sum(t, res.Archived); got != want || res.SHA256 != want {
		t.Errorf("archived sha256 %s, result %s, want %s", got, res.SHA256, want)
	}
	if exists(src) || !res.Removed {
		t.Error("the original is still in the inbox")
	}
	s := readSide(t, res.Archived+SidecarExt)
	wantSide := Sidecar{
		SchemaVersion: 1, SHA256: want, File: filepath.Base(wantPath), OriginalName: "Danh sách Ngọc Wang.xlsx",
		InboxPath: "Huyện Đắk Hà/Danh sách Ngọc Wang.xlsx", Size: s.Size, Unit: "UBND xã Ngọc Wang",
		Period: "2023-09", AsOf: "2023-09-30", ReceivedAt: s.ReceivedAt, Dataset: "roster", Datasets: []string{"roster"},
		Rows: 3, Errors: res.Errors, Warnings: res.Warnings, Feedback: "Danh sách Ngọc Wang.xlsx",
	}
	if !reflect.DeepEqual(s, wantSide) {
		t.Errorf("sidecar\n%+v\nwant\n%+v", s, wantSide)
	}
	if s.Errors == 0 || s.Group() != "Huyện Đắk Hà" {
		t.Errorf("errors %d, group %q", s.Errors, s.Group())
	}
	if !s.ReceivedAt.Equal(clock.Now()) || s.ReceivedAt.Format(time.RFC3339) != "2023-10-05T10:10:10+07:00" {
		t.Errorf("received_at %s", s.ReceivedAt.Format(time.RFC3339))
	}
	fb := filepath.Join(f.out, "2023-09", "phan-hoi", "Danh sách Ngọc Wang.xlsx")
	if res.Feedback != fb || !exists(fb) {
		t.Errorf("feedback %q, want %s written", res.Feedback, fb)
	}
	if !strings.Contains(res.Message, "UBND xã Ngọc Wang") {
		t.Errorf("message %q", res.Message)
	}
	if got := tree(t, f.archive); len(got) != 2 {
		t.Errorf("archive holds %q", got)
	}
	// A file without problems gets no feedback workbook.
	res = take(t, in, f, write(t, f, "", "UBND xã Sạch.xlsx", roster("UBND XÃ SẠCH", "30/09/2023", personA)))
	if res.Status != Accepted || res.Feedback != "" || res.Errors != 0 {
		t.Errorf("clean file: %s, feedback %q, %d errors", res.Status, res.Feedback, res.Errors)
	}
}

// TestTakeRejected: files that cannot be used go to the quarantine with a note in
// Vietnamese saying why and what to do.
func TestTakeRejected(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		code issue.Code
		says string
	}{
		{"hỏng.xlsx", []byte("PK\x03\x04 this zip is cut short"), "", "gửi lại"},
		{"không phải excel.xlsx", []byte("xin chào, đây là thư"), issue.NotWorkbook, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFolders(t)
			in := open(t, f.options(t, newClock()))
			src := filepath.Join(f.inbox, tc.name)
			if err := os.WriteFile(src, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			res := take(t, in, f, src)
			if res.Status != Rejected || (tc.code != "" && res.Reason != tc.code) {
				t.Fatalf("status %s reason %s", res.Status, res.Reason)
			}
			wantPath := filepath.Join(f.quarantine, "20231005-101010-"+tc.name)
			if res.Archived != wantPath || res.Record != wantPath+NoteExt {
				t.Errorf("quarantined to %s (%s), want %s", res.Archived, res.Record, wantPath)
			}
			if got, _ := os.ReadFile(res.Archived); string(got) != string(tc.data) {
				t.Error("quarantined copy differs")
			}
			if exists(src) {
				t.Error("the original is still in the inbox")
			}
			note, err := os.ReadFile(res.Record)
			if err != nil {
				t.Fatal(err)
			}
			why := reasonOf(res.File)
			for _, s := range []string{"TỆP KHÔNG DÙNG ĐƯỢC: " + tc.name, "Lý do: " + why, "Cần làm:", "sha256: " + res.SHA256, tc.says} {
				if !strings.Contains(string(note), s) {
					t.Errorf("note lacks %q:\n%s", s, note)
				}
			}
			if why == "" || why == string(res.Reason) {
				t.Errorf("reason not rendered: %q", why)
			}
		})
	}
}

// TestDuplicate: the same bytes dropped again, under any name, are recognised (also
// after a restart, from the sidecars and notes alone), not stored again, and removed.
func TestDuplicate(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	in := open(t, opt)
	src := write(t, f, "", "UBND xã Nghĩa Tá.xlsx", roster("UBND XÃ NGHĨA TÁ", "30/09/2023", personA))
	keep := filepath.Join(f.root, "keep.xlsx")
	copyFile(t, src, keep)
	first := take(t, in, f, src)
	bad := filepath.Join(f.inbox, "hỏng.xlsx")
	os.WriteFile(bad, []byte("not a workbook"), 0o644)
	rejected := take(t, in, f, bad)
	before := tree(t, f.inbox)

	for round, in := range []*Inbox{in, open(t, opt)} { // the same process; a restart
		clock.Advance(time.Hour)
		again := filepath.Join(f.inbox, "Huyện A", "gửi lại lần 2.xlsx")
		copyFile(t, keep, again)
		res := take(t, in, f, again)
		if res.Status != Duplicate || res.Archived != first.Archived || res.Unit != first.Unit || res.Period != "2023-09" {
			t.Errorf("round %d: %s of %s (unit %q)", round, res.Status, res.Archived, res.Unit)
		}
		if !strings.Contains(res.Message, "trùng") || !strings.Contains(res.Message, "UBND xã Nghĩa Tá.xlsx") {
			t.Errorf("round %d: message %q", round, res.Message)
		}
		if exists(again) || !res.Removed {
			t.Errorf("round %d: duplicate left in the inbox", round)
		}
		os.WriteFile(bad, []byte("not a workbook"), 0o644)
		res = take(t, in, f, bad)
		if res.Status != Duplicate || res.Archived != rejected.Archived || res.Reason != rejected.Reason {
			t.Errorf("round %d: rejected again: %s of %s, reason %s", round, res.Status, res.Archived, res.Reason)
		}
		os.Remove(filepath.Join(f.inbox, "Huyện A"))
		if got := tree(t, f.inbox); !reflect.DeepEqual(got, before) {
			t.Errorf("round %d: folders changed:\n%q\nwant\n%q", round, got, before)
		}
	}
	if p, ok := in.Known(first.SHA256); !ok || p != first.Archived {
		t.Errorf("Known = %s, %v", p, ok)
	}
}

// TestSupersede: a newer file of the same unit, period and dataset supersedes the
// older one; both stay archived, the older sidecar says by which; Current returns the
// newest per unit and dataset. A file with an older as-of date that arrives later is
// archived but superseded at once.
func TestSupersede(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	in := open(t, opt)
	v1 := take(t, in, f, write(t, f, "", "UBND xã Nghĩa Tá.xlsx", roster("UBND XÃ NGHĨA TÁ", "30/09/2023", personA)))
	other := take(t, in, f, write(t, f, "", "UBND xã Thanh Mai.xlsx", roster("UBND XÃ THANH MAI", "30/09/2023", personC)))
	clock.Advance(2 * time.Hour)
	// The same unit, another spelling, a corrected file of the same name.
	v2 := take(t, in, f, write(t, f, "", "UBND xã Nghĩa Tá.xlsx", roster("ỦY BAN NHÂN DÂN XÃ NGHĨA TÁ", "30/09/2023", personA, personB)))
	if v2.Status != Accepted || !reflect.DeepEqual(v2.Supersedes, []string{v1.Archived}) {
		t.Fatalf("v2: %s, supersedes %q", v2.Status, v2.Supersedes)
	}
	if filepath.Dir(v2.Archived) != filepath.Dir(v1.Archived) {
		t.Errorf("another spelling of the unit, another folder: %s", v2.Archived)
	}
	if !strings.Contains(v2.Message, "thay cho tệp") {
		t.Errorf("v2 message %q", v2.Message)
	}
	rel2, _ := filepath.Rel(f.archive, v2.Archived)
	if s := readSide(t, v1.Record); s.SupersededBy != filepath.ToSlash(rel2) {
		t.Errorf("v1 superseded_by %q, want %q", s.SupersededBy, rel2)
	}
	if s := readSide(t, v2.Record); s.SupersededBy != "" {
		t.Errorf("v2 superseded_by %q", s.SupersededBy)
	}
	// Later, a file with an older as-of date: kept, not used.
	clock.Advance(time.Hour)
	v0 := take(t, in, f, write(t, f, "", "bản cũ.xlsx", roster("UBND XÃ NGHĨA TÁ", "15/09/2023", personC)))
	if v0.Status != SupersededOlder || v0.SupersededBy != v2.Archived || !strings.Contains(v0.Message, "không dùng") {
		t.Errorf("v0: %s by %s: %s", v0.Status, v0.SupersededBy, v0.Message)
	}
	// Another period is separate.
	oct := take(t, in, f, write(t, f, "", "UBND xã Nghĩa Tá T10.xlsx", roster("UBND XÃ NGHĨA TÁ", "31/10/2023", personA)))
	if oct.Status != Accepted || oct.Period != "2023-10" || len(oct.Supersedes) != 0 {
		t.Errorf("october: %s %s %q", oct.Status, oct.Period, oct.Supersedes)
	}

	cur, sup, err := Current(f.archive, "2023-09", nil)
	if err != nil {
		t.Fatal(err)
	}
	if paths(cur) != paths2(v2.Archived, other.Archived) {
		t.Errorf("current %s", paths(cur))
	}
	if paths(sup) != paths2(v1.Archived, v0.Archived) {
		t.Errorf("superseded %s", paths(sup))
	}
	for _, a := range sup {
		if a.NewerPath != v2.Archived {
			t.Errorf("%s replaced by %q, want %s", a.Rel, a.NewerPath, v2.Archived)
		}
	}
	for _, a := range cur {
		if !reflect.DeepEqual(a.CurrentFor, []string{"roster"}) {
			t.Errorf("%s current for %q", a.Rel, a.CurrentFor)
		}
	}
	if _, _, err := Current(f.archive, "2023-13", nil); err == nil {
		t.Error("bad period accepted")
	}
	if cur, sup, err := Current(f.archive, "2024-01", nil); err != nil || len(cur)+len(sup) != 0 {
		t.Errorf("empty period: %v %v %v", cur, sup, err)
	}
}

func paths(files []ArchivedFile) string {
	var p []string
	for _, f := range files {
		p = append(p, f.Path)
	}
	return paths2(p...)
}

func paths2(p ...string) string {
	s := append([]string(nil), p...)
	// Current sorts by unit, then name; the test lists them that way.
	return strings.Join(s, "\n")
}

// TestCrash stops a take after each step, as a crash would (nothing cleaned up), then
// starts again: the original is still in the inbox until the very end, and the second
// run ends with exactly one archived copy and its record, no temporary files, and an
// empty inbox.
func TestCrash(t *testing.T) {
	errCrash := errors.New("crash")
	for _, tc := range []struct {
		step    string
		bad     bool   // a rejected file
		rerun   string // status of the second take
		partial string // what the archive holds after the crash: "", "temp", "copy", "record"
	}{
		{"copied", false, Accepted, "temp"},
		{"renamed", false, Accepted, "copy"},
		{"synced", false, Accepted, "copy"},
		{"recorded", false, Duplicate, "record"},
		{"marked", false, Duplicate, "record"},
		{"copied", true, Rejected, "temp"},
		{"renamed", true, Rejected, "copy"},
		{"recorded", true, Duplicate, "record"},
	} {
		name := tc.step
		if tc.bad {
			name = "rejected/" + name
		}
		t.Run(name, func(t *testing.T) {
			f := newFolders(t)
			clock := newClock()
			opt := f.options(t, clock)
			crashing := opt
			crashing.step = func(s string) error {
				if s == tc.step {
					return errCrash
				}
				return nil
			}
			var src string
			if tc.bad {
				src = filepath.Join(f.inbox, "hỏng.xlsx")
				os.WriteFile(src, []byte("PK\x03\x04 broken"), 0o644)
			} else {
				src = write(t, f, "Huyện A", "UBND xã Nghĩa Tá.xlsx", roster("UBND XÃ NGHĨA TÁ", "30/09/2023", personA, personX))
			}
			want := sum(t, src)
			dest := f.archive
			if tc.bad {
				dest = f.quarantine
			}

			if _, err := open(t, crashing).Take(context.Background(), candidate(t, f, src)); !errors.Is(err, errCrash) {
				t.Fatalf("take did not stop: %v", err)
			}
			if !exists(src) || sum(t, src) != want {
				t.Fatal("the original left the inbox before its copy was recorded")
			}
			got := tree(t, dest)
			var temps, copies, records int
			for _, p := range got {
				switch base := filepath.Base(p); {
				case isTempName(base):
					temps++
				case strings.HasSuffix(base, SidecarExt), strings.HasSuffix(base, NoteExt):
					records++
				default:
					copies++
				}
			}
			partial := map[string][3]int{"temp": {1, 0, 0}, "copy": {0, 1, 0}, "record": {0, 1, 1}}[tc.partial]
			if [3]int{temps, copies, records} != partial {
				t.Errorf("after the crash %q holds %q", dest, got)
			}

			clock.Advance(time.Minute)
			res, err := open(t, opt).Take(context.Background(), candidate(t, f, src))
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.rerun {
				t.Errorf("second take: %s, want %s", res.Status, tc.rerun)
			}
			if exists(src) {
				t.Error("the original is still in the inbox")
			}
			got = tree(t, dest)
			if len(got) != 2 {
				t.Fatalf("%s holds %q, want one copy and its record", dest, got)
			}
			if !tc.bad && !exists(res.Feedback) {
				t.Errorf("no feedback workbook after the second take (%q)", res.Feedback)
			}
			if sum(t, res.Archived) != want {
				t.Error("the stored copy differs from the original")
			}
			if !tc.bad {
				cur, sup, err := Current(f.archive, "2023-09", nil)
				if err != nil || len(cur) != 1 || len(sup) != 0 || cur[0].Path != res.Archived {
					t.Errorf("Current: %v %v %v", cur, sup, err)
				}
			}
		})
	}
}

// TestCrashBeforeMark: a crash after the newer file's sidecar, before the older one is
// marked: Current is right regardless, and the next Open writes the mark.
func TestCrashBeforeMark(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	opt := f.options(t, clock)
	v1 := take(t, open(t, opt), f, write(t, f, "", "a.xlsx", roster("UBND XÃ NGHĨA TÁ", "30/09/2023", personA)))
	clock.Advance(time.Hour)
	crashing := opt
	crashing.step = func(s string) error {
		if s == "recorded" {
			return errors.New("crash")
		}
		return nil
	}
	src := write(t, f, "", "b.xlsx", roster("UBND XÃ NGHĨA TÁ", "30/09/2023", personA, personB))
	if _, err := open(t, crashing).Take(context.Background(), candidate(t, f, src)); err == nil {
		t.Fatal("no crash")
	}
	if s := readSide(t, v1.Record); s.SupersededBy != "" {
		t.Fatalf("marked before the step: %q", s.SupersededBy)
	}
	cur, sup, err := Current(f.archive, "2023-09", nil)
	if err != nil || len(cur) != 1 || len(sup) != 1 || sup[0].Path != v1.Archived {
		t.Fatalf("Current: %v %v %v", cur, sup, err)
	}
	open(t, opt)
	if s := readSide(t, v1.Record); s.SupersededBy != cur[0].Rel {
		t.Errorf("after Open: superseded_by %q, want %q", s.SupersededBy, cur[0].Rel)
	}
}

// TestTakeChanged: a file that changed since it was found stable is not taken.
func TestTakeChanged(t *testing.T) {
	f := newFolders(t)
	in := open(t, f.options(t, newClock()))
	src := write(t, f, "", "UBND xã A.xlsx", roster("UBND XÃ A", "30/09/2023", personA))
	c := candidate(t, f, src)
	write(t, f, "", "UBND xã A.xlsx", roster("UBND XÃ A", "30/09/2023", personA, personB))
	if _, err := in.Take(context.Background(), c); !errors.Is(err, ErrChanged) {
		t.Errorf("Take = %v, want ErrChanged", err)
	}
	if !exists(src) || len(tree(t, f.archive)) != 0 {
		t.Error("a changing file was taken")
	}
	c.Path = filepath.Join(f.inbox, "gone.xlsx")
	if _, err := in.Take(context.Background(), c); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Take(gone) = %v", err)
	}
}

// TestNames: Vietnamese names (also in decomposed form, as macOS writes them) and unit
// names with characters Windows forbids make valid folders and files.
func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"UBND xã Nghĩa Tá", "UBND xã Nghĩa Tá"},
		{"UBND xa\u0303 Nghi\u0303a Ta\u0301", "UBND xã Nghĩa Tá"},
		{`Phòng Nội vụ: "A/B" <1>|2?*`, "Phòng Nội vụ AB 12"},
		{"Trường THCS số 1...  ", "Trường THCS số 1"},
		{"  Sở   Nội vụ ", "Sở Nội vụ"},
		{"CON", "_CON"},
		{"nul.txt", "_nul.txt"},
		{"...", "X"},
		{"", "X"},
		{strings.Repeat("Đắk ", 60), strings.TrimSpace(truncateUTF8(strings.Repeat("Đắk ", 60), 150))},
	} {
		if got := SafeName(tc.in, "X"); got != tc.want {
			t.Errorf("SafeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}

	f := newFolders(t)
	in := open(t, f.options(t, newClock()))
	nfd := "Ba\u0301o ca\u0301o xa\u0303 \u0110a\u0306\u0301k Pxi.xlsx"
	src := write(t, f, "Huyện Đắk Hà", nfd, roster("UBND XÃ ĐẮK PXI", "30/09/2023", personA))
	res := take(t, in, f, src)
	if res.Status != Accepted || res.Name != "Báo cáo xã Đắk Pxi.xlsx" {
		t.Fatalf("%s %q", res.Status, res.Name)
	}
	if filepath.Base(filepath.Dir(res.Archived)) != "UBND xã Đắk Pxi" || !strings.HasSuffix(res.Archived, "-Báo cáo xã Đắk Pxi.xlsx") {
		t.Errorf("archived as %s", res.Archived)
	}
	if s := readSide(t, res.Record); s.InboxPath != "Huyện Đắk Hà/"+nfd && s.InboxPath != "Huyện Đắk Hà/Báo cáo xã Đắk Pxi.xlsx" {
		t.Errorf("inbox_path %q", s.InboxPath)
	}
}

// TestFeedbackOfSameNamedFiles: two units send "DS.xlsx" with problems in one period.
// Each gets its own marked copy in phan-hoi (the second one's named with its unit),
// the sidecar says which is whose, and a unit's corrected file replaces its own copy,
// never the other unit's.
func TestFeedbackOfSameNamedFiles(t *testing.T) {
	f := newFolders(t)
	clock := newClock()
	in := open(t, f.options(t, clock))
	a := take(t, in, f, write(t, f, "A", "DS.xlsx", roster("UBND XÃ A", "30/09/2023", personA, personX)))
	clock.Advance(time.Minute)
	b := take(t, in, f, write(t, f, "B", "DS.xlsx", roster("UBND XÃ B", "30/09/2023", personB, personX)))
	dir := filepath.Join(f.out, "2023-09", "phan-hoi")
	if a.Feedback != filepath.Join(dir, "DS.xlsx") {
		t.Errorf("unit A's feedback %q", a.Feedback)
	}
	if b.Feedback != filepath.Join(dir, "UBND xã B - DS.xlsx") {
		t.Errorf("unit B's feedback %q", b.Feedback)
	}
	if sb := readSide(t, b.Record); sb.FeedbackFile() != "UBND xã B - DS.xlsx" {
		t.Errorf("unit B's sidecar names %q", sb.FeedbackFile())
	}
	// A's copy is still A's: written from A's file, so it holds A's person.
	if !strings.Contains(cellText(t, a.Feedback), "Nguyễn Văn An") {
		t.Error("unit A's feedback no longer holds unit A's list")
	}
	// A sends DS.xlsx again, still with an error: it replaces A's copy.
	clock.Advance(time.Minute)
	a2 := take(t, in, f, write(t, f, "A", "DS.xlsx", roster("UBND XÃ A", "30/09/2023", personC, personX)))
	if a2.Feedback != a.Feedback {
		t.Errorf("unit A's second feedback %q, want %q", a2.Feedback, a.Feedback)
	}
	if !strings.Contains(cellText(t, b.Feedback), "Trần Thị Bình") {
		t.Error("unit B's feedback was replaced")
	}

	// One unit's two sub-folders (two districts' lists of a commune of one name) are
	// two files too: the second is named with its sub-folder.
	clock.Advance(time.Minute)
	c1 := take(t, in, f, write(t, f, "huyen-a", "Ngọc Phái.xlsx", roster("UBND XÃ NGỌC PHÁI", "30/09/2023", personA, personX)))
	clock.Advance(time.Minute)
	c2 := take(t, in, f, write(t, f, "huyen-b", "Ngọc Phái.xlsx", roster("UBND XÃ NGỌC PHÁI", "30/09/2023", personB, personX)))
	if c1.Feedback != filepath.Join(dir, "Ngọc Phái.xlsx") || c2.Feedback != filepath.Join(dir, "huyen-b - Ngọc Phái.xlsx") {
		t.Errorf("one unit's two sub-folders: feedback %q and %q", c1.Feedback, c2.Feedback)
	}
}

// cellText is every cell value of a workbook, joined.
func cellText(t *testing.T, path string) string {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var b strings.Builder
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}
