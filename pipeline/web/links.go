package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"canbo/pipeline/history"
	"canbo/pipeline/inbox"
	"canbo/pipeline/schema"
)

// Unit is the registered unit a name given by the office means (its official name),
// so that a link belongs to the unit whatever spelling the office typed.
func Unit(cfg *schema.Config, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("cần tên đơn vị")
	}
	reg := cfg.Units.Registry()
	if reg.Len() == 0 {
		return name, nil
	}
	m := reg.Match(name, "")
	if m.Unit >= 0 {
		return reg.Name(m.Unit), nil
	}
	if m.Suggestion >= 0 {
		return "", fmt.Errorf("không có đơn vị %q trong units.yaml; có phải %q?", name, reg.Name(m.Suggestion))
	}
	return "", fmt.Errorf("không có đơn vị %q trong units.yaml", name)
}

// NewLink makes a unit's personal link, revoking the one it had: what the office
// sends the unit. The token is shown this once; the database keeps its hash only.
func NewLink(ctx context.Context, db *history.DB, cfg *schema.Config, unit string) (string, error) {
	official, err := Unit(cfg, unit)
	if err != nil {
		return "", err
	}
	if err := db.OpenWeb(ctx); err != nil {
		return "", err
	}
	token := newToken()
	if _, err := db.RenewLink(ctx, official, hashToken(token)); err != nil {
		return "", err
	}
	return Address(cfg.Serve.Web) + "/u/" + token, nil
}

// RevokeLink revokes a unit's link; it says which unit and how many links were live.
func RevokeLink(ctx context.Context, db *history.DB, cfg *schema.Config, unit string) (string, int, error) {
	official, err := Unit(cfg, unit)
	if err != nil {
		return "", 0, err
	}
	if err := db.OpenWeb(ctx); err != nil {
		return "", 0, err
	}
	n, err := db.RevokeLinks(ctx, official)
	return official, n, err
}

// linkAction makes or revokes a unit's link from the board (staff only), then shows
// the board with the new link on it: shown this once, never put in an address (a
// redirect would leave it in the browser's history).
func (s *Server) linkAction(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := s.officePost(w, r, "Tài khoản lãnh đạo chỉ xem, không cấp liên kết.")
	if !ok {
		return
	}
	ctx := r.Context()
	unit, err := Unit(s.opt.Config, r.PostFormValue("don-vi"))
	if err != nil {
		s.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	var note string
	switch r.PostFormValue("viec") {
	case "tao":
		link, err := NewLink(ctx, s.opt.DB, s.opt.Config, unit)
		if err != nil {
			s.opt.Log.Error("trang web: không tạo được liên kết", "unit", unit, "err", err)
			s.fail(w, http.StatusInternalServerError, "Không tạo được liên kết; xem nhật ký của canbo.")
			return
		}
		note = link
	case "thu-hoi":
		if _, _, err := RevokeLink(ctx, s.opt.DB, s.opt.Config, unit); err != nil {
			s.opt.Log.Error("trang web: không thu hồi được liên kết", "unit", unit, "err", err)
			s.fail(w, http.StatusInternalServerError, "Không thu hồi được liên kết; xem nhật ký của canbo.")
			return
		}
	default:
		s.fail(w, http.StatusBadRequest, "Không rõ việc cần làm với liên kết.")
		return
	}
	s.opt.Log.Info("trang web: liên kết đơn vị", "user", user.Name, "unit", unit, "action", r.PostFormValue("viec"))
	s.showBoard(w, r, sess, user, func(v *boardView) {
		v.LinkUnit, v.NewLink = unit, note
	})
}

// Recover takes the uploads a stop left in the staging folder (canbo stopped
// between storing an upload and taking it), as the inbox takes a file left in its
// folder: nothing a unit sent is lost. Their page records are not made (the unit
// saw an error and may send again; the inbox recognises the same file).
func (s *Server) Recover(ctx context.Context) {
	dirs, err := os.ReadDir(s.staging)
	if err != nil {
		return
	}
	for _, d := range dirs {
		dir := filepath.Join(s.staging, d.Name())
		if !d.IsDir() {
			continue
		}
		failed := false
		_ = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			c, err := inbox.NewCandidate(dir, p)
			if err != nil {
				return nil
			}
			if res, err := s.opt.Take(ctx, c); err != nil {
				failed = true // kept for the next start
				s.opt.Log.Warn("trang web: chưa nhận được tệp gửi dở lần trước", "file", p, "err", err)
			} else {
				s.opt.Log.Info("trang web: đã nhận tệp gửi dở lần trước", "file", res.Name, "status", res.Status, "unit", res.Unit)
			}
			return nil
		})
		if failed {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			s.opt.Log.Warn("trang web: không xóa được thư mục tạm", "dir", dir, "err", err)
		}
	}
}
