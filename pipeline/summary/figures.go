package summary

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ReadFigures reads from a summary.json what a later period compares with: the
// period, its date, the totals, groups, units and targets. The lists of people below
// a standard, of problems and of files are skipped as they stream past, never held:
// at a ministry's scale they are most of a file of hundreds of megabytes, and
// decoding it whole (json.Decoder buffers a whole value) would cost more memory than
// the run that reads it.
func ReadFigures(r io.Reader) (*Summary, error) {
	sc := &skimmer{r: bufio.NewReaderSize(r, 64<<10)}
	var s Summary
	wanted := map[string]any{
		"period": &s.Period, "as_of": &s.AsOf, "total": &s.Total,
		"groups": &s.Groups, "units": &s.Units, "targets": &s.Targets,
	}
	if c, err := sc.nonSpace(); err != nil {
		return nil, err
	} else if c != '{' {
		return nil, fmt.Errorf("summary.json không bắt đầu bằng một đối tượng JSON (gặp %q)", c)
	}
	for first := true; ; first = false {
		c, err := sc.nonSpace()
		if err != nil {
			return nil, err
		}
		if c == '}' {
			return &s, nil
		}
		if !first {
			if c != ',' {
				return nil, fmt.Errorf("summary.json hỏng: gặp %q ở chỗ cần dấu phẩy", c)
			}
			if c, err = sc.nonSpace(); err != nil {
				return nil, err
			}
		}
		if c != '"' {
			return nil, fmt.Errorf("summary.json hỏng: gặp %q ở chỗ cần tên khóa", c)
		}
		sc.keep, sc.buf = true, append(sc.buf[:0], '"')
		if err := sc.stringBody(); err != nil {
			return nil, err
		}
		var key string
		if err := json.Unmarshal(sc.buf, &key); err != nil {
			return nil, fmt.Errorf("summary.json hỏng: tên khóa %s: %w", sc.buf, err)
		}
		if c, err = sc.nonSpace(); err != nil {
			return nil, err
		} else if c != ':' {
			return nil, fmt.Errorf("summary.json hỏng: sau khóa %q gặp %q ở chỗ cần dấu hai chấm", key, c)
		}
		into, ok := wanted[key]
		sc.keep, sc.buf = ok, sc.buf[:0]
		if err := sc.value(); err != nil {
			return nil, fmt.Errorf("summary.json, khóa %q: %w", key, err)
		}
		if ok {
			if err := json.Unmarshal(sc.buf, into); err != nil {
				return nil, fmt.Errorf("summary.json, khóa %q: %w", key, err)
			}
		}
	}
}

// skimmer walks JSON text a byte at a time, keeping the bytes of a value in buf only
// when keep is set. It knows just enough of JSON to find where a value ends (strings
// and their escapes, nesting); what it keeps is checked by encoding/json.
type skimmer struct {
	r    *bufio.Reader
	keep bool
	buf  []byte
	open []byte // closers of the value being read
}

func closer(c byte) byte {
	if c == '{' {
		return '}'
	}
	return ']'
}

func (s *skimmer) next() (byte, error) {
	c, err := s.r.ReadByte()
	if errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("summary.json bị cắt cụt: %w", io.ErrUnexpectedEOF)
	}
	if err == nil && s.keep {
		s.buf = append(s.buf, c)
	}
	return c, err
}

// nonSpace is the next byte that is not white space; it is not kept.
func (s *skimmer) nonSpace() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("summary.json bị cắt cụt: %w", io.ErrUnexpectedEOF)
		} else if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
}

// stringBody reads a string after its opening quote, through the closing one.
func (s *skimmer) stringBody() error {
	for {
		c, err := s.next()
		if err != nil {
			return err
		}
		switch c {
		case '\\':
			if _, err := s.next(); err != nil {
				return err
			}
		case '"':
			return nil
		}
	}
}

// value reads one value: an object or array to its matching end, a string, or a
// number or literal up to the byte that ends it.
func (s *skimmer) value() error {
	c, err := s.nonSpace()
	if err != nil {
		return err
	}
	if s.keep {
		s.buf = append(s.buf, c)
	}
	switch c {
	case '"':
		return s.stringBody()
	case '{', '[':
		// The closers still owed, innermost last: a skipped list must end as it began,
		// or the keys after it would be read from the wrong place.
		open := append(s.open[:0], closer(c))
		for len(open) > 0 {
			c, err := s.next()
			if err != nil {
				return err
			}
			switch c {
			case '"':
				if err := s.stringBody(); err != nil {
					return err
				}
			case '{', '[':
				open = append(open, closer(c))
			case '}', ']':
				if c != open[len(open)-1] {
					return fmt.Errorf("summary.json hỏng: gặp %q ở chỗ cần %q", c, open[len(open)-1])
				}
				open = open[:len(open)-1]
			}
		}
		s.open = open
		return nil
	case '}', ']', ',', ':':
		return fmt.Errorf("gặp %q ở chỗ cần một giá trị", c)
	}
	for { // a number, true, false or null: up to the delimiter, which is left unread
		b, err := s.r.Peek(1)
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		switch b[0] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return nil
		}
		if _, err := s.next(); err != nil {
			return err
		}
	}
}
