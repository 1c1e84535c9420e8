package workbook_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"canbo/pipeline/workbook"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bao-cao.xlsx")
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Họ và tên")
	f.SetCellValue("Sheet1", "B1", "Ngày sinh")
	f.SetCellValue("Sheet1", "A2", "Nguyễn Văn An")
	f.SetCellValue("Sheet1", "B2", 29358)
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "B2", "B2", style)
	f.SaveAs(path)

	ctx := context.Background()
	book, err := workbook.Open(ctx, path, workbook.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer book.Close()
	rows, err := book.Rows(ctx, book.Sheets()[0].Index)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		row := rows.Row()
		name, born := row.Cell(1), row.Cell(2)
		if born.Kind == workbook.Date {
			fmt.Println(row.Num, name.Text, born.Time.Format("02/01/2006"))
		} else {
			fmt.Println(row.Num, name.Text, born.Text)
		}
	}
	if err := rows.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 Họ và tên Ngày sinh
	// 2 Nguyễn Văn An 17/05/1980
}
