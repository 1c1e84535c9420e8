package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"canbo/pipeline/history"
	"canbo/pipeline/mail"
	"canbo/pipeline/schema"
)

// KindReminder is the outbox's kind of a reminder mail.
const KindReminder = "reminder"

// remind queues, on one click of an office user (staff), a reminder mail to every
// unit that must send and has not (or sent only an unusable file) for the period
// being collected, through canbo serve's outbox: sent, retried and recorded as the
// other mail is. A unit is reminded at most once a day: the outbox keeps one
// message per kind, period, unit and day.
func (s *Server) remind(w http.ResponseWriter, r *http.Request) {
	_, user, ok := s.officePost(w, r, "Tài khoản lãnh đạo chỉ xem, không gửi thư nhắc.")
	if !ok {
		return
	}
	if s.opt.Enqueue == nil {
		s.fail(w, http.StatusConflict, "Chưa cấu hình máy chủ thư (mail.host trong serve.yaml): không gửi được thư nhắc.")
		return
	}
	sent, noAddress, err := s.remindMissing(r.Context(), user.Name)
	if err != nil {
		s.opt.Log.Error("trang web: không lập được bảng theo dõi", "err", err)
		s.fail(w, http.StatusInternalServerError, "Không đọc được thư mục lưu trữ; xem nhật ký của canbo.")
		return
	}
	q := url.Values{"da-nhac": {strconv.Itoa(sent)}}
	if len(noAddress) > 0 {
		q.Set("chua-co-dia-chi", strings.Join(noAddress, "; "))
	}
	http.Redirect(w, r, "/bang?"+q.Encode(), http.StatusSeeOther)
}

// AutoUser is who the history says sent the reminders canbo sends by itself.
const AutoUser = "canbo (tự động)"

// remindMissing queues a reminder to every unit of the period being collected that
// must send and has not, and says how many were queued (a unit reminded already
// today is not counted again) and which units have no address.
func (s *Server) remindMissing(ctx context.Context, user string) (int, []string, error) {
	period, deadline := s.period()
	v, err := s.boardOf(ctx, period)
	if err != nil {
		return 0, nil, err
	}
	// What the history says was queued: a reminder queued but never recorded (canbo
	// stopped between the two steps) is recorded when the outbox says it has it.
	recorded, err := s.opt.DB.LastReminders(ctx, period)
	if err != nil {
		return 0, nil, err
	}
	now := s.opt.Now().In(s.loc)
	sent, noAddress := 0, []string{}
	for _, row := range v.Rows {
		if !row.MustSend || (row.Status != BoardMissing && row.Status != BoardRejected) {
			continue
		}
		c, ok := s.contact(row.Unit)
		if !ok {
			noAddress = append(noAddress, row.Unit)
			continue
		}
		m, err := s.reminder(row.Unit, c.Email, period, deadline.In(s.loc).Format("15:04 02/01/2006"), now.Format("2006-01-02"), deadline.IsZero())
		if err != nil {
			s.opt.Log.Error("trang web: không soạn được thư nhắc", "unit", row.Unit, "err", err)
			continue
		}
		id, dup, err := s.opt.Enqueue(m)
		if err != nil {
			s.opt.Log.Error("trang web: không đưa được thư nhắc vào hộp thư đi", "unit", row.Unit, "err", err)
			continue
		}
		// Queued, then recorded: the outbox and the history are one database but not
		// one transaction, so a stop between the two leaves a reminder the outbox has
		// (dup from now on) and the board does not show. Recording on dup when the
		// history lacks that message closes the gap without a second mail.
		if dup && recorded[row.Unit].MessageID == id {
			continue // reminded today already
		}
		if dup {
			s.opt.Log.Warn("trang web: thư nhắc đã vào hộp thư đi nhưng chưa được ghi (canbo dừng giữa chừng); ghi bây giờ", "unit", row.Unit, "id", id)
		}
		if err := s.opt.DB.RecordReminder(ctx, history.Reminder{Unit: row.Unit, Period: period, User: user, Address: c.Email, MessageID: id}); err != nil {
			s.opt.Log.Error("trang web: không ghi được thư nhắc", "unit", row.Unit, "err", err)
		}
		if !dup {
			sent++
		}
	}
	s.opt.Log.Info("thư nhắc vào hộp thư đi", "user", user, "period", period, "units", sent, "no_address", len(noAddress))
	return sent, noAddress, nil
}

// AutoRemind reminds, until ctx ends, the units that have not sent once a day from
// web.remind_days_before days before the deadline until the deadline: it looks at
// start and then every hour (after gives the hours; tests pass a fake clock's).
func (s *Server) AutoRemind(ctx context.Context, after func(time.Duration) <-chan time.Time) error {
	days := s.web.RemindDaysBefore
	if days <= 0 || s.opt.Enqueue == nil || s.opt.Period == nil {
		return nil
	}
	for {
		_, deadline := s.period()
		if now := s.opt.Now(); !now.Before(deadline.AddDate(0, 0, -days)) && now.Before(deadline) {
			if _, _, err := s.remindMissing(ctx, AutoUser); err != nil {
				s.opt.Log.Error("không gửi được thư nhắc tự động", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-after(time.Hour):
		}
	}
}

// contact is a unit's address for mail, as canbo serve finds it for feedback.
func (s *Server) contact(unit string) (schema.UnitContact, bool) {
	if s.opt.Contact == nil {
		return schema.UnitContact{}, false
	}
	c, ok := s.opt.Contact(unit)
	return c, ok && strings.TrimSpace(c.Email) != ""
}

// reminder composes the mail from templates/mail.yaml's reminder. Its Ref is the
// day, so that a second click the same day queues nothing new.
func (s *Server) reminder(unit, to, period, deadline, day string, noDeadline bool) (*mail.Message, error) {
	cfg := s.opt.Config
	office := strings.TrimSpace(cfg.Report.Document.Body)
	if office == "" {
		office = "Văn phòng"
	}
	if noDeadline {
		deadline = ""
	}
	if s.opt.Mail == nil {
		return nil, fmt.Errorf("thư nhắc %s: chưa nạp mẫu thư (templates/mail.yaml)", unit)
	}
	subject, body, err := s.opt.Mail.Reminder(mail.ReminderData{Unit: unit, Period: period, Deadline: deadline, Office: office})
	if err != nil {
		return nil, fmt.Errorf("thư nhắc %s: %w", unit, err)
	}
	return &mail.Message{Kind: KindReminder, Period: period, Unit: unit, Ref: day, From: cfg.Serve.Mail.From, To: []string{to},
		Subject: subject, Body: body}, nil
}
