package mail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/reporttext"
	"canbo/pipeline/schema"
)

// Sent mail is kept whole in canbo.db (attachments included: a few MB a report, every
// month, and a feedback workbook per file), so the file would grow without end. The
// bytes of a message sent longer ago than serve.yaml's mail.keep_sent_days are
// deleted; its row stays — subject, recipients, Message-ID, the server's reply, and
// when the bytes went — because the row is what says its period was sent. Nothing
// needs the bytes of a sent message: `canbo send` composes a new one from OUT/.

// DefaultKeepSentDays is how long a sent message's bytes are kept when serve.yaml
// says nothing: a little over a year, so that last year's reports can still be
// re-read or forwarded as they were sent.
const DefaultKeepSentDays = 400

// MaxKeepSentDays is the longest mail.keep_sent_days config check accepts: 100 years,
// far past any office's need (0 keeps for ever) and far below where a count of days
// no longer fits a time.Duration (about 106,751 days), which would otherwise wrap to
// minutes and delete every sent message's bytes at the next pruning.
const MaxKeepSentDays = 36500

// maxKeepSent is the longest time.Duration a whole number of days can be.
const maxKeepSent = time.Duration(math.MaxInt64) / (24 * time.Hour) * (24 * time.Hour)

// pruneEvery is how often Run prunes, besides at its start.
const pruneEvery = 24 * time.Hour

// KeepSentFrom reads serve.yaml's mail.keep_sent_days: how long a sent message's
// bytes are kept, DefaultKeepSentDays when not written; 0 keeps them for ever. A
// count too big for a time.Duration gives the longest one rather than wrapping: a
// serve started without config check must not read "keep 600 years" as "keep 25
// minutes" and delete what it was told to keep.
func KeepSentFrom(m schema.Mail) time.Duration {
	days := DefaultKeepSentDays
	if m.KeepSentDays != nil {
		days = max(*m.KeepSentDays, 0)
	}
	if int64(days) > int64(maxKeepSent/(24*time.Hour)) {
		return maxKeepSent
	}
	return time.Duration(days) * 24 * time.Hour
}

// ErrPruned means a sent message's bytes were deleted after mail.keep_sent_days; its
// row, with what was sent to whom and the server's reply, remains.
var ErrPruned = errors.New("nội dung thư đã được xóa sau thời hạn lưu (mail.keep_sent_days trong serve.yaml); dòng ghi thư đã gửi vẫn còn")

// Pruned is what one pruning did.
type Pruned struct {
	Messages int   // messages whose bytes were deleted
	Bytes    int64 // their size
}

// Prune deletes the bytes of the messages sent more than KeepSent ago, in one
// transaction, marking each row; with KeepSent 0 it does nothing. Run calls it at its
// start and daily.
func (o *Outbox) Prune(ctx context.Context) (Pruned, error) {
	if o.KeepSent <= 0 {
		return Pruned{}, nil
	}
	if err := o.ready(); err != nil {
		return Pruned{}, err
	}
	now := o.now()
	var p Pruned
	err := o.write(ctx, func(tx *history.OutboxTx) error {
		var err error
		p.Messages, p.Bytes, err = tx.PruneBodies(now.Add(-o.KeepSent), now)
		return err
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("xóa nội dung thư đã gửi quá hạn lưu: %w", err)
	}
	if p.Messages > 0 {
		o.log().Info("đã xóa nội dung thư gửi quá hạn lưu (mail.keep_sent_days); vẫn giữ tiêu đề, người nhận, Message-ID và trả lời của máy chủ",
			"messages", p.Messages, "bytes", p.Bytes, "sent_before", now.Add(-o.KeepSent))
	}
	return p, nil
}

// prune is Prune for Run: a failure is logged and tried again at the next day's.
func (o *Outbox) prune(ctx context.Context) {
	if _, err := o.Prune(ctx); err != nil && ctx.Err() == nil {
		o.log().Error("hộp thư đi", "err", err)
	}
}

// BodyNote says, in Vietnamese, that the message's bytes were deleted and when, or
// "" while it has them: `canbo status` shows it beside the message.
func (e *Entry) BodyNote(loc *time.Location) string {
	if e.BodyPruned.IsZero() {
		return ""
	}
	if loc == nil {
		loc = schema.DefaultLocation()
	}
	return fmt.Sprintf("nội dung thư đã xóa ngày %s, sau thời hạn lưu mail.keep_sent_days; còn tiêu đề, người nhận, Message-ID, trả lời của máy chủ",
		reporttext.Date(e.BodyPruned.In(loc).Format("2006-01-02")))
}
