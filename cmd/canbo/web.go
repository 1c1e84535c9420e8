package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"canbo/pipeline/history"
	"canbo/pipeline/web"
)

const webUsage = "canbo web link|revoke [--config THƯ_MỤC] ĐƠN_VỊ ...  |  canbo web password"

// runWeb manages what the web page needs outside serve.yaml: units' personal links
// (kept hashed in the history database, so they are made here, shown once) and the
// password hashes serve.yaml's users carry.
func runWeb(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{errors.New("cách dùng: " + webUsage)}
	}
	switch args[0] {
	case "link", "revoke":
		return runWebLink(ctx, e, args[0], args[1:])
	case "password":
		return runWebPassword(e, args[1:])
	case "--help", "-h":
		fmt.Fprintln(e.stdout, "Cách dùng (usage): "+webUsage)
		return errHelp
	}
	return usageError{fmt.Errorf("không có lệnh canbo web %s; cách dùng: %s", args[0], webUsage)}
}

func runWebLink(ctx context.Context, e *env, verb string, args []string) error {
	var cfgDir string
	about := `
Tạo (hoặc đổi) liên kết riêng của từng đơn vị để gửi tệp qua trang web; liên kết cũ của
đơn vị thôi dùng được. Liên kết chỉ in ra lần này: hãy gửi ngay cho đơn vị.
Make (or renew) each unit's personal link to the web page; its old link stops working.`
	if verb == "revoke" {
		about = `
Thu hồi liên kết của đơn vị: liên kết thôi dùng được ngay, kể cả khi canbo serve đang chạy.
Revoke units' links, at once.`
	}
	f := newFlags("web "+verb, "canbo web "+verb+" [--config THƯ_MỤC] ĐƠN_VỊ ...", about,
		"  0  xong (done)\n  2  sai cách gọi, cấu hình lỗi hoặc không có đơn vị (bad usage, configuration or unit)")
	f.string(&cfgDir, "config", "THƯ_MỤC", defaultConfigDir, "thư mục cấu hình (phải có serve.yaml)", "configuration folder (with serve.yaml)")
	if err := f.parse(e, args); err != nil {
		return err
	}
	units := f.fs.Args()
	if len(units) == 0 {
		return usageError{errors.New("cần tên đơn vị, ví dụ: canbo web " + verb + ` "UBND xã Bằng Phúc"`)}
	}
	cfg, _, _, err := serveSetup(cfgDir, f.flagSet("config"))
	if err != nil {
		return err
	}
	if verb == "link" && cfg.Serve.Web.Listen == "" {
		return usageError{errors.New("serve.yaml chưa có web.listen: chưa có trang web để gửi liên kết (xem docs/web.md)")}
	}
	for _, u := range units {
		if _, err := web.Unit(cfg, u); err != nil {
			return usageError{err}
		}
	}
	db, err := history.Open(filepath.Join(cfg.Serve.State, history.FileName))
	if err != nil {
		return err
	}
	defer db.Close()
	for _, u := range units {
		official, _ := web.Unit(cfg, u)
		if verb == "revoke" {
			_, n, err := web.RevokeLink(ctx, db, cfg, u)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: đã thu hồi %d liên kết\n", official, n)
			continue
		}
		link, err := web.NewLink(ctx, db, cfg, u)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", official, link)
	}
	return nil
}

// runWebPassword reads a password on standard input (one line, not echoed by a
// terminal pipe) and prints its argon2id hash for serve.yaml.
func runWebPassword(e *env, args []string) error {
	f := newFlags("web password", "canbo web password < tệp-có-mật-khẩu", `
Đọc mật khẩu (một dòng) từ đầu vào chuẩn, in mã băm argon2id để ghi vào
serve.yaml (web.users[].password_hash). Mật khẩu không bao giờ ghi vào serve.yaml.
Read a password from standard input; print its argon2id hash for serve.yaml.`, "")
	if err := f.parse(e, args); err != nil {
		return err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return usageError{errors.New("không đọc được mật khẩu từ đầu vào chuẩn; ví dụ: canbo web password < mat-khau.txt")}
	}
	hash, err := web.HashPassword(strings.TrimRight(strings.TrimPrefix(line, "\ufeff"), "\r\n"))
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintln(e.stdout, hash)
	return nil
}
