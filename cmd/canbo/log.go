package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// personHandler writes the warnings and errors of an interactive command (run,
// check, send) as sentences a clerk reads: "Chú ý: không ghi được tệp phản hồi (tệp:
// UBND xã A.xlsx; chi tiết: …)", not "time=… level=WARN msg=…". canbo serve keeps
// its technical log (serve.go).
type personHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	attrs []slog.Attr
}

func newPersonLogger(w io.Writer) *slog.Logger {
	return slog.New(&personHandler{mu: &sync.Mutex{}, w: w})
}

func (h *personHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

// keyNames are the Vietnamese names of the attributes the pipeline logs.
var keyNames = map[string]string{"file": "tệp", "err": "chi tiết", "period": "kỳ", "unit": "đơn vị", "dir": "thư mục",
	"path": "đường dẫn"}

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
		parts = append(parts, k+": "+a.Value.String())
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
	return &personHandler{mu: h.mu, w: h.w, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *personHandler) WithGroup(string) slog.Handler { return h }
