package session

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// Prefixes of AWS identifiers (behaviour §2.2).
const (
	PrefixLongTermKey  = "AKIA" // long-term access key ID
	PrefixTemporaryKey = "ASIA" // temporary (STS) access key ID
	PrefixUser         = "AIDA" // IAM user unique ID
	PrefixRole         = "AROA" // IAM role unique ID
	PrefixPolicy       = "ANPA" // managed policy unique ID
)

// base32NoPad is the RFC 4648 alphabet AWS uses for key IDs, without padding.
var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// maxAccount is the largest 12-digit account ID; it fits in the 40 bits the
// key layout reserves for the account.
const maxAccount = 999999999999

// appendAccountBits appends to dst sixteen base32 characters that encode
// the generation flag, the account and 39 random bits: the layout of §2.4.
func appendAccountBits(dst []byte, account string, r io.Reader) ([]byte, error) {
	acct, err := strconv.ParseUint(account, 10, 64)
	if err != nil || len(account) != 12 || acct > maxAccount {
		return dst, fmt.Errorf("session: account ID %q is not 12 digits", account)
	}
	var rnd [8]byte
	if err := readRandom(r, rnd[:]); err != nil {
		return dst, err
	}
	low39 := binary.BigEndian.Uint64(rnd[:]) & (1<<39 - 1)
	// 80 bits: [1 flag][40 account][39 random]. hi holds the top 16 bits,
	// lo the bottom 64.
	hi := uint16(1<<15) | uint16(acct>>25)
	lo := acct<<39 | low39
	var b [10]byte
	binary.BigEndian.PutUint16(b[0:2], hi)
	binary.BigEndian.PutUint64(b[2:10], lo)
	return base32NoPad.AppendEncode(dst, b[:]), nil
}

// NewAccessKeyID mints a 20-character access key ID with the given prefix
// (PrefixLongTermKey or PrefixTemporaryKey) that encodes account, a 12-digit
// account ID.
func NewAccessKeyID(prefix, account string, r io.Reader) (string, error) {
	var buf [24]byte // the ID is built on the stack: its string is its one allocation
	id, err := appendAccountBits(append(buf[:0], prefix...), account, r)
	if err != nil {
		return "", err
	}
	return string(id), nil
}

// NewUniqueID mints a 21-character unique ID (AIDA…, AROA…) for an IAM
// entity of account: the prefix, sixteen characters laid out like a key ID,
// and one more random base32 character.
func NewUniqueID(prefix, account string, r io.Reader) (string, error) {
	var buf [24]byte
	id, err := appendAccountBits(append(buf[:0], prefix...), account, r)
	if err != nil {
		return "", err
	}
	var extra [1]byte
	if err := readRandom(r, extra[:]); err != nil {
		return "", err
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	return string(append(id, alphabet[extra[0]&31])), nil
}

// scratch holds buffers that random bytes are read into. Reading straight
// into a caller's local array would move the array to the heap (r is an
// interface, so the compiler must assume it keeps the slice): one
// allocation per key for bytes that are used once.
var scratch = sync.Pool{New: func() any { return new([64]byte) }}

// readRandom fills dst (at most 64 bytes) from r.
func readRandom(r io.Reader, dst []byte) error {
	s := scratch.Get().(*[64]byte)
	defer scratch.Put(s)
	if _, err := io.ReadFull(r, s[:len(dst)]); err != nil {
		return fmt.Errorf("session: reading randomness: %w", err)
	}
	copy(dst, s[:len(dst)])
	return nil
}

// AccountFromAccessKeyID decodes the account ID that a new-generation access
// key ID carries (behaviour §2.4). It reports false for IDs too short to
// decode, for characters outside the base32 alphabet, and for old-generation
// keys (fifth character A–P), which carry no account.
func AccountFromAccessKeyID(id string) (string, bool) {
	if len(id) < 20 {
		return "", false
	}
	var b [10]byte
	n, err := base32NoPad.Decode(b[:], []byte(id[4:20]))
	if err != nil || n != 10 {
		return "", false
	}
	if b[0]&0x80 == 0 {
		return "", false
	}
	var z uint64
	for _, c := range b[:6] {
		z = z<<8 | uint64(c)
	}
	acct := (z & 0x7fffffffff80) >> 7
	return fmt.Sprintf("%012d", acct), true
}

// SecretLength is the length of every secret access key.
const SecretLength = 40

// NewSecretAccessKey mints a 40-character secret from the base64 alphabet.
func NewSecretAccessKey(r io.Reader) (string, error) {
	var b [30]byte
	if err := readRandom(r, b[:]); err != nil {
		return "", err
	}
	var text [SecretLength]byte
	base64.StdEncoding.Encode(text[:], b[:])
	return string(text[:]), nil
}
