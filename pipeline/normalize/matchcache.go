package normalize

import "canbo/pipeline/schema"

// MatchCache remembers the answers of Normalizer.MatchField for one reader of a sheet.
// A sheet holds the same few category values ("Kinh", "Đại học", "Chuyên viên") in row
// after row, and reading one folds it and looks it up, while a value that matches
// nothing ("Đại họcc") is also tried against every spelling of its vocabulary, as a
// prefix and as a typo: far more than looking the answer up again.
//
// It holds at most maxCached answers and forgets them all when full, so a column of
// values that never repeat costs bounded memory. A MatchCache is not safe for
// concurrent use: each reader (a layout.Table, a Sheet being normalised) owns its own,
// so parallel file readers share nothing.
type MatchCache struct {
	n    *Normalizer
	seen map[matchKey]matchAnswer
}

// maxCached bounds a MatchCache, and maxCachedText the texts it keeps: a long text
// (a note, a course title) is read as it is, seldom seen twice.
const (
	maxCached     = 4096
	maxCachedText = 64
)

type matchKey struct {
	f *schema.Field
	s string
}

type matchAnswer struct {
	code string
	how  How
	none bool
}

// NewMatchCache returns an empty cache of n's answers.
func (n *Normalizer) NewMatchCache() *MatchCache {
	return &MatchCache{n: n, seen: map[matchKey]matchAnswer{}}
}

// MatchField is n.MatchField(f, s), answered from the cache when s was read before.
func (c *MatchCache) MatchField(f *schema.Field, s string) (code string, how How, none bool) {
	if len(s) > maxCachedText {
		return c.n.MatchField(f, s)
	}
	k := matchKey{f, s}
	if a, ok := c.seen[k]; ok {
		return a.code, a.how, a.none
	}
	code, how, none = c.n.MatchField(f, s)
	if len(c.seen) >= maxCached {
		clear(c.seen)
	}
	c.seen[k] = matchAnswer{code, how, none}
	return code, how, none
}
