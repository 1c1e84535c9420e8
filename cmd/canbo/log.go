package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"canbo/pipeline/schema"
)

// personHandler writes the warnings and errors of an interactive command (run,
// check, send) as sentences a clerk reads: "Chú ý: không ghi được tệp phản hồi (tệp:
// UBND xã A.xlsx; chi tiết: …)", not "time=… level=WARN msg=…". canbo serve keeps
// its technical log (serve.go).
type personHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	loc   *time.Location // times are shown in the office's zone
	attrs []slog.Attr
}

func newPersonLogger(w io.Writer) *slog.Logger {
	return slog.New(newPersonHandler(w, schema.DefaultLocation()))
}

func newPersonHandler(w io.Writer, loc *time.Location) *personHandler {
	return &personHandler{mu: &sync.Mutex{}, w: w, loc: loc}
}

func (h *personHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

// keyNames are the Vietnamese names of the attributes the pipeline logs.
var keyNames = map[string]string{"file": "tệp", "err": "chi tiết", "period": "kỳ", "unit": "đơn vị", "dir": "thư mục",
	"path": "đường dẫn", "attempts": "lần thử", "next": "thử lại lúc", "id": "thư", "trigger": "cách chạy",
	"files": "số tệp", "reason": "lý do", "status": "kết quả", "sent": "thư đã gửi", "new": "thư mới", "key": "loại thư"}

func (h *personHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	if r.Level >= slog.LevelError {
		b.WriteString("Lỗi: ")
	} else {
		b.WriteString("Chú ý: ")
	}
	b.WriteString(r.Message)
	var parts []string
	add := func(a slog.Attr) bool {
		k := a.Key
		if n, ok := keyNames[k]; ok {
			k = n
		}
		v := a.Value.String()
		switch {
		case a.Value.Kind() == slog.KindTime:
			v = a.Value.Time().In(h.loc).Format("15:04 02/01/2006")
		case a.Key == "trigger" && runTriggers[v] != "":
			v = runTriggers[v]
		}
		parts = append(parts, k+": "+v)
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, "; ") + ")")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintln(h.w, b.String())
	return err
}

func (h *personHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &personHandler{mu: h.mu, w: h.w, loc: h.loc, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *personHandler) WithGroup(string) slog.Handler { return h }
