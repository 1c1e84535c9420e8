package validate

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"canbo/pipeline/normalize"
	"canbo/pipeline/schema"
	"canbo/pipeline/textfold"
)

// Key is the secret the checks hash with. Prints made with one key are compared only
// with prints made with the same: a batch whose prints are kept (the reading cache)
// keeps its key beside them.
type Key [16]byte

// NewKey returns a random key.
func NewKey() Key {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		panic(fmt.Sprintf("validate: no randomness: %v", err)) // crypto/rand does not fail on supported systems
	}
	return k
}

// hasher makes 128-bit keyed hashes: AES-128 in CBC-MAC over the length and the bytes,
// a pseudo-random function of messages of any length. Unlike maphash it can be keyed,
// so prints made in one run can be compared in the next. Not safe for concurrent use.
type hasher struct {
	b   cipher.Block
	x   [aes.BlockSize]byte
	buf []byte // the parts of the key being hashed
}

func newHasher(k *Key) *hasher {
	if k == nil {
		nk := NewKey()
		k = &nk
	}
	b, err := aes.NewCipher(k[:])
	if err != nil {
		panic(fmt.Sprintf("validate: %v", err)) // a 16-byte key is always valid
	}
	return &hasher{b: b}
}

// sum is the hash of msg.
func (h *hasher) sum(msg []byte) key {
	x := h.x[:]
	clear(x)
	binary.LittleEndian.PutUint64(x, uint64(len(msg)))
	h.b.Encrypt(x, x)
	for len(msg) > 0 {
		n := min(len(msg), len(x))
		subtle.XORBytes(x[:n], x[:n], msg[:n])
		h.b.Encrypt(x, x)
		msg = msg[n:]
	}
	return key{binary.LittleEndian.Uint64(x[:8]), binary.LittleEndian.Uint64(x[8:])}
}

// hash is the key of the parts, separated so that ("ab", "c") ≠ ("a", "bc").
func (h *hasher) hash(parts ...string) key {
	b := h.buf[:0]
	for _, p := range parts {
		b = append(b, p...)
		b = append(b, 0)
	}
	h.buf = b
	return h.sum(b)
}

// nameBirth is hash(textfold.Key(name), birth), the name folded straight into the
// bytes hashed: a folded copy of every name was a tenth of the check.
func (h *hasher) nameBirth(name, birth string) key {
	b := textfold.AppendKey(h.buf[:0], name)
	b = append(b, 0)
	b = append(b, birth...)
	b = append(b, 0)
	h.buf = b
	return h.sum(b)
}

// Print is what the checks need of one record: the hashes that tell whether it is a
// person listed before and where it is listed.
type Print struct {
	Rec, Row, Sheet int32 // the record's index in its file, its row, its sheet in Prints.Sheets
	Flags           uint8
	Dist            [2]uint32 // distinguishing values, 1 + their index in Prints.Values; 0 = not given
	ID              key       // the ID number's hash (hasID)
	// Second is, for a roster row, the hash of name and birth date (hasBirth), else of
	// the whole row when it has no ID either; for a trainee, of name and birth date,
	// else of name and unit.
	Second key
}

// Print flags.
const (
	hasID    = 1 << iota // the record gives an ID number
	hasBirth             // the record gives a birth date
	trainee              // a training record; else a roster row
	allFlags = hasID | hasBirth | trainee
)

// hasSecond reports whether a print of flags has a Second hash.
func hasSecond(flags uint8) bool {
	return flags&(hasBirth|trainee) != 0 || flags&hasID == 0
}

// Prints are one file's prints, in record order.
type Prints struct {
	Sheets []string
	Values []string // distinguishing values
	People []Print
	Roster bool // the file has a roster row that counts

	sheetIndex map[string]int32
	valueIndex map[string]int32
}

// Print adds the print of r, the file's i-th record with the batch's overlay, to p.
func (c *Checker) Print(p *Prints, i int, r *normalize.Record) {
	if c.name == nil || !r.Counted() {
		return
	}
	switch r.Dataset {
	case roster:
		p.Roster = true
	case training:
	default:
		return
	}
	nv := r.Value(c.name)
	if !nv.Set {
		return
	}
	idv, bv := r.Value(c.id), r.Value(c.birth)
	pr := Print{Rec: int32(i), Row: int32(r.Row), Sheet: p.sheet(r.Sheet)}
	if idv.Set {
		pr.Flags |= hasID
		pr.ID = c.h.hash(idv.Text)
	}
	if bv.Set {
		pr.Flags |= hasBirth
		pr.Second = c.h.nameBirth(nv.Text, bv.Text)
	}
	if r.Dataset == training {
		pr.Flags |= trainee
		if !bv.Set {
			pr.Second = c.h.hash(textfold.Key(nv.Text), textfold.UnitKey(r.Unit))
		}
		p.People = append(p.People, pr)
		return
	}
	for j, f := range c.dist {
		if v := r.Value(f); v.Set {
			pr.Dist[j] = p.value(v.Text)
		}
	}
	if !idv.Set && !bv.Set {
		pr.Second = c.h.hash(r.Sheet, rowText(r, c.cfg))
	}
	p.People = append(p.People, pr)
}

func (p *Prints) sheet(name string) int32 { return indexOf(&p.Sheets, &p.sheetIndex, name) }

// value is 1 + v's index in p.Values: 0 stays "not given".
func (p *Prints) value(v string) uint32 { return uint32(indexOf(&p.Values, &p.valueIndex, v)) + 1 }

// indexOf is v's index in *list, where it is added (and indexed) when new.
func indexOf[T comparable](list *[]T, index *map[T]int32, v T) int32 {
	if *index == nil {
		*index = map[T]int32{}
	}
	i, ok := (*index)[v]
	if !ok {
		i = int32(len(*list))
		*list = append(*list, v)
		(*index)[v] = i
	}
	return i
}

// rowText is every input value of a record, for spotting a row typed twice.
func rowText(r *normalize.Record, cfg *schema.Config) string {
	var b strings.Builder
	for _, f := range cfg.Schema.Fields {
		if f.Code == "stt" || f.Index >= len(r.Values) {
			continue
		}
		b.WriteString(textfold.Key(r.Values[f.Index].Text))
		b.WriteByte(0)
	}
	return b.String()
}

// PrintsVersion names the shape of Encode's bytes; it changes when they do.
const PrintsVersion = "canbo-prints-1"

// Encode lays the prints out for keeping: sheets, values, the roster mark, then each
// print (the step from the last record, row, sheet, flags, values, its hashes).
func (p *Prints) Encode() []byte {
	b := make([]byte, 0, 64+len(p.People)*48)
	strs := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	strs(p.Sheets)
	strs(p.Values)
	if p.Roster {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(p.People)))
	last := int32(-1)
	for i := range p.People {
		pr := &p.People[i]
		b = binary.AppendUvarint(b, uint64(pr.Rec-last-1))
		last = pr.Rec
		b = binary.AppendUvarint(b, uint64(uint32(pr.Row)))
		b = binary.AppendUvarint(b, uint64(pr.Sheet))
		b = append(b, pr.Flags)
		b = binary.AppendUvarint(b, uint64(pr.Dist[0]))
		b = binary.AppendUvarint(b, uint64(pr.Dist[1]))
		if pr.Flags&hasID != 0 {
			b = binary.LittleEndian.AppendUint64(b, pr.ID[0])
			b = binary.LittleEndian.AppendUint64(b, pr.ID[1])
		}
		if hasSecond(pr.Flags) {
			b = binary.LittleEndian.AppendUint64(b, pr.Second[0])
			b = binary.LittleEndian.AppendUint64(b, pr.Second[1])
		}
	}
	return b
}

var errPrints = errors.New("dấu vân tay đã lưu bị hỏng")

// DecodePrints reads prints Encode laid out, and fails on anything Encode could not
// have written (an index out of range, records out of order, bytes left over).
func DecodePrints(b []byte) (*Prints, error) {
	uv := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	strs := func() ([]string, bool) {
		n, ok := uv()
		if !ok || n > uint64(len(b)) {
			return nil, false
		}
		out := make([]string, n)
		for i := range out {
			l, ok := uv()
			if !ok || l > uint64(len(b)) {
				return nil, false
			}
			out[i], b = string(b[:l]), b[l:]
		}
		return out, true
	}
	p := &Prints{}
	var ok bool
	if p.Sheets, ok = strs(); !ok {
		return nil, errPrints
	}
	if p.Values, ok = strs(); !ok || len(b) < 1 || b[0] > 1 {
		return nil, errPrints
	}
	p.Roster, b = b[0] == 1, b[1:]
	n, ok := uv()
	if !ok || n > uint64(len(b))/5 {
		return nil, errPrints
	}
	p.People = make([]Print, n)
	last := int64(-1)
	for i := range p.People {
		pr := &p.People[i]
		var v [5]uint64
		for j := range v {
			if j == 3 {
				if len(b) < 1 {
					return nil, errPrints
				}
				v[j], b = uint64(b[0]), b[1:]
				continue
			}
			if v[j], ok = uv(); !ok {
				return nil, errPrints
			}
		}
		d1, ok := uv()
		rec := last + 1 + int64(v[0])
		if !ok || rec > 1<<31-1 || v[1] > 1<<31-1 || v[2] >= uint64(len(p.Sheets)) || v[3]&^allFlags != 0 ||
			v[4] > uint64(len(p.Values)) || d1 > uint64(len(p.Values)) {
			return nil, errPrints
		}
		last = rec
		pr.Rec, pr.Row, pr.Sheet, pr.Flags = int32(rec), int32(v[1]), int32(v[2]), uint8(v[3])
		pr.Dist = [2]uint32{uint32(v[4]), uint32(d1)}
		if pr.Flags&trainee != 0 && pr.Dist != [2]uint32{} {
			return nil, errPrints
		}
		for _, k := range []struct {
			has bool
			to  *key
		}{{pr.Flags&hasID != 0, &pr.ID}, {hasSecond(pr.Flags), &pr.Second}} {
			if !k.has {
				continue
			}
			if len(b) < 16 {
				return nil, errPrints
			}
			k.to[0], k.to[1] = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
			b = b[16:]
		}
	}
	if len(b) != 0 {
		return nil, errPrints
	}
	return p, nil
}
