package web

import (
	"sync"
	"time"
)

// Windows of the upload limit of a unit's link: so many files in filesWindow, so
// many bytes in bytesWindow.
const (
	filesWindow = 10 * time.Minute
	bytesWindow = time.Hour
)

// Defaults of the upload limit. A clerk sends a file, reads its problems, fixes
// them and sends it again, a few times in a row: ten files in ten minutes is more
// than that ever takes, and ten of the largest files an hour more than any unit's
// month. A link (leaked, or a script gone wrong) cannot go on past it to fill the
// archive's disk or keep the reader busy for everyone else.
const (
	DefaultUploadsPer10Minutes = 10
	defaultMBPerHourFactor     = 10 // × max_upload_mb
)

// uploadLimiter counts what each unit's link has sent lately. It is kept in memory:
// a limit against floods needs no history, and a restart of canbo serve (which an
// outsider cannot cause) only starts the count again.
type uploadLimiter struct {
	files int   // uploads a link may start in filesWindow
	bytes int64 // bytes a link may send in bytesWindow

	mu   sync.Mutex
	sent map[int64][]*sending // by link id, oldest first, none older than bytesWindow
}

// sending is one upload a link started: when, and how many bytes of request body it
// cost (its Content-Length until the body has been read).
type sending struct {
	at    time.Time
	bytes int64
}

func newUploadLimiter(files int, bytes int64) *uploadLimiter {
	return &uploadLimiter{files: files, bytes: bytes, sent: map[int64][]*sending{}}
}

// admit starts an upload of size bytes for link at now and returns it, to be
// settled with its real size; or, when the link has sent too many files or too many
// bytes lately, nil and the time it may send again. Starting and checking are one
// step, so that a burst of uploads at once cannot all pass before any is counted.
func (l *uploadLimiter) admit(link int64, now time.Time, size int64) (*sending, time.Time) {
	size = min(size, l.bytes)
	l.mu.Lock()
	defer l.mu.Unlock()
	sent := l.sent[link]
	for len(sent) > 0 && !sent[0].at.After(now.Add(-bytesWindow)) {
		sent = sent[1:]
	}
	var again time.Time
	recent := 0
	var used int64
	for _, s := range sent {
		if s.at.After(now.Add(-filesWindow)) {
			recent++
		}
		used += s.bytes
	}
	if recent >= l.files {
		// The file count drops below the limit when the oldest of the last files
		// leaves the window.
		again = sent[len(sent)-l.files].at.Add(filesWindow)
	}
	if used+size > l.bytes {
		for _, s := range sent {
			used -= s.bytes
			if used+size <= l.bytes {
				if t := s.at.Add(bytesWindow); t.After(again) {
					again = t
				}
				break
			}
		}
	}
	if !again.IsZero() {
		l.sent[link] = sent
		return nil, again
	}
	s := &sending{at: now, bytes: size}
	l.sent[link] = append(sent, s)
	return s, time.Time{}
}

// settle sets what an upload admitted really cost.
func (l *uploadLimiter) settle(s *sending, bytes int64) {
	l.mu.Lock()
	s.bytes = bytes
	l.mu.Unlock()
}
