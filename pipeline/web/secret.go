package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// newToken is 256 random bits, URL-safe: a unit's link or a session cookie. Guessing
// one is hopeless, so the token alone is the unit's key and needs no password.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it panics if the system cannot give randomness)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the database keeps of a token: enough to find it, useless to
// whoever reads the database.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Argon2id parameters of new password hashes (RFC 9106's second recommended choice,
// with the parallelism of a small office server). Verification reads them from the
// hash, so that they can be raised without invalidating old hashes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns password's argon2id hash in the PHC string form
// ($argon2id$v=19$m=65536,t=3,p=2$salt$hash) that serve.yaml's users keep.
func HashPassword(password string) (string, error) {
	if !utf8.ValidString(password) {
		// A file saved in the old Vietnamese code page (Notepad's "ANSI"): its
		// letters with marks would never match what the browser sends.
		return "", errors.New("tệp mật khẩu không phải chữ Unicode (UTF-8): hãy mở tệp bằng Notepad, chọn File → Save As…, Encoding: UTF-8, rồi chạy lại")
	}
	if len([]rune(norm.NFC.String(password))) < 10 {
		return "", errors.New("mật khẩu phải dài ít nhất 10 ký tự")
	}
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey(passwordBytes(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// passwordBytes is what is hashed of a password: its NFC form. A Vietnamese
// keyboard (Unikey, EVKey) types "ễ" as one character or as "e" and two combining
// marks, as it is set ("Unicode dựng sẵn" or "Unicode tổ hợp"); the password file
// and the login form may well be typed on machines set differently.
func passwordBytes(password string) []byte {
	return []byte(norm.NFC.String(password))
}

// phc is a parsed password hash.
type phc struct {
	memory    uint32
	time      uint32
	threads   uint8
	salt, key []byte
}

// maxArgonMemory bounds what a hash in serve.yaml may ask of the server per login.
const maxArgonMemory = 1024 * 1024 // KiB: 1 GiB

func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, errors.New("không phải mã băm argon2id (tạo bằng: canbo web password)")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return phc{}, fmt.Errorf("phiên bản argon2 %q không hỗ trợ", parts[2])
	}
	var p phc
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &threads); err != nil ||
		p.memory < 8*1024 || p.time < 1 || threads < 1 || threads > 255 {
		return phc{}, fmt.Errorf("tham số argon2id %q sai (cần m ≥ 8192, t ≥ 1, 1 ≤ p ≤ 255)", parts[3])
	}
	if p.memory > maxArgonMemory {
		return phc{}, fmt.Errorf("tham số argon2id %q dùng quá nhiều bộ nhớ (m tối đa %d)", parts[3], maxArgonMemory)
	}
	p.threads = uint8(threads)
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return phc{}, errors.New("muối (salt) của mã băm sai")
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 {
		return phc{}, errors.New("phần băm của mã băm sai")
	}
	return p, nil
}

// verifyPassword reports whether password matches hash, in time independent of
// where they differ.
func verifyPassword(hash, password string) bool {
	p, err := parsePHC(hash)
	if err != nil {
		return false
	}
	key := argon2.IDKey(passwordBytes(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}
