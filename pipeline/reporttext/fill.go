package reporttext

import "strings"

// Fill replaces the {name} placeholders of s by pairs ("{name}", value, …) in one
// pass; an unknown {…} stays as it is. It is a strings.Replacer without building one,
// for labels filled once per row of a long list (the Excel and PDF reports).
func Fill(s string, pairs ...string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for at := 0; ; {
		i := strings.IndexByte(s[at:], '{')
		if i < 0 {
			break
		}
		i += at
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		key, val, found := s[i:i+j+1], "", false
		for k := 0; k+1 < len(pairs); k += 2 {
			if pairs[k] == key {
				val, found = pairs[k+1], true
				break
			}
		}
		if !found {
			at = i + 1
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s) + 32)
		}
		b.WriteString(s[done:i])
		b.WriteString(val)
		done = i + j + 1
		at = done
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}
