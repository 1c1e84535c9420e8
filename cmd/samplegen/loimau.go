package main

// samples/loi-mau: files that must be rejected or flagged.

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"reflect"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

const (
	loiRoster   = "UBND xã Mẫu Lỗi.xlsx"
	loiLock     = "~$UBND xã Mẫu Lỗi.xlsx"
	loiBroken   = "hong.xlsx"
	loiPassword = "mat-khau.xlsx"
	loiText     = "ghi-chu.txt"
	loiPass     = "123"
)

// The rows of UBND xã Mẫu Lỗi.xlsx, sheet DS, header in row 1 (L1 columns A–K).
// Row 2 is clean; each other row carries the problem named in its comment.
var loiRows = [][]string{
	{"1", "Nông Văn Thành", "12/04/1986", "Nam", "Tày", "Chủ tịch UBND", "Đại học", "Trung cấp", "Chuyên viên", "x", "006086014725"},     // row 2: clean
	{"2", "Hoàng Thị Lan", "23/08/1990", "Nữ", "Tày", "Văn phòng - thống kê", "Bằng A", "Sơ cấp", "Chuyên viên", "x", "006190003318"},    // row 3: G3 unknown education
	{"3", "Ma Văn Hùng", "31/02/1980", "Nam", "Nùng", "Địa chính - xây dựng", "Đại học", "Trung cấp", "Chưa", "x", "006080027461"},       // row 4: C4 impossible date
	{"4", "Triệu Thị Mai", "15/06/2011", "Nữ", "Dao", "Văn hóa - xã hội", "Trung cấp", "Chưa", "Chưa", "", "006311005902"},               // row 5: C5 age 12
	{"5", "", "02/01/1992", "Nam", "Tày", "Tư pháp - hộ tịch", "Đại học", "Sơ cấp", "Chưa", "", "006092011867"},                          // row 6: B6 blank name
	{"6", "Lý Văn Quân", "19/11/1984", "Nam", "Kinh", "Tài chính - kế toán", "Đại học", "Trung cấp", "Chuyên viên", "x", "006084123456"}, // row 7: first copy
	{"7", "Lý Văn Quân", "19/11/1984", "Nam", "Kinh", "Tài chính - kế toán", "Đại học", "Trung cấp", "Chuyên viên", "x", "006084123456"}, // row 8: duplicate of row 7 (same CCCD)
	{"8", "Hà Thị Nga", "05/05/1988", "Nữ", "Tày", "Phó Chủ tịch UBND", "Đại học", "Trung cấp", "Chuyên viên", "x", "12345"},             // row 9: K9 invalid CCCD
	{"9", "Dương Văn Long", "", "Nam", "Kinhh Xyz", "Bí thư Đoàn TN", "Đại học", "Sơ cấp", "Chưa", "x", "006090031244"},                  // row 10: E10 unknown ethnicity, C10 formula without cached value
}

const loiFormulaCell = "C10"
const loiFormula = "DATE(1990,5,17)"

func writeLoiMau(dir string) {
	must(os.MkdirAll(dir, 0o755))
	// 1. roster with deliberate problems
	b := newBook(501, "Arial", 10, false)
	b.use("DS")
	b.widths(5, 24, 12, 9, 10, 24, 18, 16, 18, 9, 15)
	for i, h := range l1Headers {
		b.set(i+1, 1, h)
	}
	b.style(1, 1, 11, 1, b.st.header)
	for i, row := range loiRows {
		r := i + 2
		for c, v := range row {
			if c == 0 {
				b.set(1, r, i+1)
				continue
			}
			b.text(c+1, r, v)
		}
		b.style(1, r, 11, r, b.st.cell)
		b.style(10, r, 11, r, b.st.cellText)
	}
	// A formula saved without its cached value (as written by tools that never calculate).
	b.formula(3, 10, loiFormula, nil)
	b.save(dir + "/" + loiRoster)

	// 2. Office lock file ("owner file") left behind while the roster was open.
	writeLockFile(dir+"/"+loiLock, "Van phong UBND")

	// 3. not a zip at all
	r := rand.New(rand.NewPCG(404, 404))
	junk := make([]byte, 1536)
	for i := range junk {
		junk[i] = byte(r.UintN(256))
	}
	if (junk[0] == 'P' && junk[1] == 'K') || (junk[0] == 0xD0 && junk[1] == 0xCF) {
		junk[0] ^= 0xFF // neither a zip ("PK") nor an OLE compound file
	}
	must(os.WriteFile(dir+"/"+loiBroken, junk, 0o644))

	// 4. password-protected (ECMA-376 agile encryption, password "123")
	writePasswordFile(dir + "/" + loiPassword)

	// 5. not a workbook
	must(os.WriteFile(dir+"/"+loiText, []byte(ghiChu), 0o644))
}

const ghiChu = `GHI CHÚ

Thư mục này gửi kèm Công văn số 125/UBND-VP ngày 02/10/2023 của UBND xã Mẫu Lỗi
về việc báo cáo danh sách trích ngang cán bộ, công chức.

- File "UBND xã Mẫu Lỗi.xlsx": danh sách (bản nháp, chưa rà soát).
- File "mat-khau.xlsx": mật khẩu mở file liên hệ Văn phòng.
- File "hong.xlsx": bản sao lưu bị lỗi khi chép từ USB.

(Tệp này không phải bảng tính; chương trình cần bỏ qua.)
`

// writeLockFile writes an Office owner file: a length-prefixed 8-bit user name padded to 54
// bytes, then the same name in UTF-16LE, padded to 165 bytes in total.
func writeLockFile(path, user string) {
	var buf bytes.Buffer
	buf.WriteByte(byte(len(user)))
	buf.WriteString(user)
	for buf.Len() < 54 {
		buf.WriteByte(' ')
	}
	_ = binary.Write(&buf, binary.LittleEndian, uint16(len(user)))
	for _, u := range utf16.Encode([]rune(user)) {
		_ = binary.Write(&buf, binary.LittleEndian, u)
	}
	for buf.Len() < 165 {
		buf.Write([]byte{0x20, 0x00})
	}
	must(os.WriteFile(path, buf.Bytes()[:165], 0o644))
}

var passRows = [][]string{
	{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên", "Số CCCD"},
	{"1", "Hoàng Văn Bình", "14/02/1979", "Nam", "Tày", "Chủ tịch UBND", "Đại học", "Trung cấp", "Chuyên viên", "x", "006079004512"},
	{"2", "Nông Thị Hương", "09/10/1991", "Nữ", "Tày", "Văn phòng - thống kê", "Đại học", "Sơ cấp", "Chuyên viên", "x", "006191007783"},
	{"3", "Bàn Văn Sơn", "27/06/1987", "Nam", "Dao", "Tư pháp - hộ tịch", "Đại học", "Chưa", "Chưa", "", "006087012290"},
}

// writePasswordFile writes a small roster encrypted with password "123". Encryption uses a
// random salt, so the bytes differ on every save; if an existing file already decrypts to
// the same cells it is kept, which keeps the tree stable between runs.
func writePasswordFile(path string) {
	if old, err := excelize.OpenFile(path, excelize.Options{Password: loiPass}); err == nil {
		rows, err := old.GetRows("DS")
		old.Close()
		if err == nil && reflect.DeepEqual(rows, passRows) {
			return
		}
	}
	b := newBook(502, "Arial", 10, false)
	b.use("DS")
	b.widths(5, 24, 12, 9, 10, 24, 18, 16, 18, 9, 15)
	for r, row := range passRows {
		for c, v := range row {
			if r > 0 && c == 0 {
				b.set(1, r+1, r)
				continue
			}
			b.text(c+1, r+1, v)
		}
	}
	b.style(1, 1, 11, 1, b.st.header)
	b.f.SetActiveSheet(0)
	must(b.f.SaveAs(path, excelize.Options{Password: loiPass}))
	must(b.f.Close())
	must(os.Chmod(path, 0o644))
}
