package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"

	"canbo/pipeline/issue"
)

// newError builds an *Error; args are key/value pairs for Error.Args.
func newError(code issue.Code, err error, args ...string) *Error {
	e := &Error{Code: code, Err: err}
	if len(args) > 0 {
		e.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			e.Args[args[i]] = args[i+1]
		}
	}
	return e
}

// errCorrupt is the common case: damaged zip, XML or references.
func errCorrupt(format string, a ...any) *Error {
	return newError(issue.Corrupt, fmt.Errorf(format, a...))
}

// errTooLarge reports a size limit. Args["limit"] is human-readable ("200 MB",
// "5,000,000") and Args["what"] names the quantity ("file", "part", "unzipped",
// "shared strings", "zip entries") so messages can be precise; extra holds more
// key/value pairs such as the part name.
func errTooLarge(what, limit string, err error, extra ...string) *Error {
	return newError(issue.TooLarge, err, append([]string{"what", what, "limit", limit}, extra...)...)
}

// errLegacy reports a spreadsheet format this reader does not handle.
func errLegacy(format string) *Error {
	return newError(issue.LegacyFormat, fmt.Errorf("%s workbook; save it as .xlsx", format), "format", format)
}

// panicError marks an error made from a recovered panic. It exists so the fuzz test can
// tell "the input was bad" from "the reader has a bug" while clerks still get Corrupt.
type panicError struct {
	v     any
	stack []byte // where it happened, for logs
}

func (p *panicError) Error() string { return fmt.Sprintf("internal error reading workbook: %v", p.v) }

// fromPanic turns a recovered panic value into a Corrupt error.
func fromPanic(v any) *Error {
	return newError(issue.Corrupt, &panicError{v, debug.Stack()})
}

// osError wraps an error returned by the underlying io.ReaderAt, so a disk or network
// failure is reported as ReadFailed rather than as a damaged file.
type osError struct{ err error }

func (e *osError) Error() string { return e.err.Error() }
func (e *osError) Unwrap() error { return e.err }

// sourceReader guards the caller's io.ReaderAt: it marks its errors as osError and
// remembers the first one, because some libraries (mscfb) flatten errors into strings.
type sourceReader struct {
	r    io.ReaderAt
	mu   sync.Mutex
	fail error
}

func (s *sourceReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.r.ReadAt(p, off)
	if err != nil && err != io.EOF {
		s.mu.Lock()
		if s.fail == nil {
			s.fail = err
		}
		s.mu.Unlock()
		return n, &osError{err}
	}
	return n, err
}

func (s *sourceReader) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fail
}

// classify maps an error met while reading a part to an *Error: context errors pass
// through unchanged (callers compare them with ctx.Err()), *Error is kept, OS errors
// become ReadFailed and everything else (zip, flate, XML) is Corrupt.
func classify(src *sourceReader, what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var we *Error
	if errors.As(err, &we) {
		return we
	}
	var oe *osError
	if errors.As(err, &oe) {
		return newError(issue.ReadFailed, fmt.Errorf("%s: %w", what, oe.err))
	}
	if src != nil {
		if f := src.failure(); f != nil {
			return newError(issue.ReadFailed, fmt.Errorf("%s: %w", what, f))
		}
	}
	return newError(issue.Corrupt, fmt.Errorf("%s: %w", what, err))
}
