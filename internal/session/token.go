package session

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
)

// MaxTokenSize is the largest session token STS issues, in bytes (facts
// sheet §2.3, the 2026-09 change). MinimumSessionTokenSize may not exceed it.
const MaxTokenSize = 4096

// tokenHeader is the binary start of AWS's regional session tokens: it
// base64-encodes to "IQoJb3JpZ2luX2Vj", the prefix real tokens show.
const tokenHeader = "!\n\torigin_ec"

// TokenSpec describes the session token to mint.
type TokenSpec struct {
	// Payload is the size in bytes of the opaque body before encoding, the
	// part that carries (in AWS) the session's context. Callers grow it with
	// the packed size of session policies and tags.
	Payload int
	// MinimumSize is MinimumSessionTokenSize: the encoded token is padded to
	// at least this many bytes. Zero means no padding.
	MinimumSize int
}

// NewSessionToken mints an opaque session token as base64 text. Its length is
// the encoded size of the header and Payload random bytes, raised to
// MinimumSize when that is larger. It returns an error when the token would
// exceed MaxTokenSize.
func NewSessionToken(spec TokenSpec, r io.Reader) (string, error) {
	token, _, err := MintSessionToken(spec, r)
	return token, err
}

// seedSize is how many bytes of randomness a token's body is expanded from.
const seedSize = 32

// minter is the scratch space of MintSessionToken: a generator to reseed
// and a buffer for the raw token, its text and the seed. Only the text's
// string outlives a call, so the rest is pooled rather than allocated per
// token.
type minter struct {
	expand rand.ChaCha8
	buf    [maxRaw + MaxTokenSize + seedSize]byte
}

// maxRaw is the largest raw token: MaxTokenSize characters of base64.
const maxRaw = MaxTokenSize / 4 * 3

var minters = sync.Pool{New: func() any { return new(minter) }}

// MintSessionToken is NewSessionToken that also returns the token's digest.
//
// For speed, the random body is expanded from a seedSize-byte seed read from
// r with ChaCha8 (math/rand/v2's cryptographically strong generator), instead
// of being read from r whole: reading hundreds of bytes from crypto/rand was
// most of the cost of minting a token. The token stays determined by r's
// bytes, as WithRand promises. A pooled minter holds the raw token, its text
// and the seed, and the digest is taken from the text before it becomes the
// one string a token allocates.
func MintSessionToken(spec TokenSpec, r io.Reader) (string, Digest, error) {
	raw := len(tokenHeader) + spec.Payload
	// Pad in whole base64 quanta so the text stays valid base64.
	if min := spec.MinimumSize; min > base64.StdEncoding.EncodedLen(raw) {
		raw = (min + 3) / 4 * 3
	}
	n := base64.StdEncoding.EncodedLen(raw)
	if n > MaxTokenSize {
		return "", Digest{}, fmt.Errorf("session: token of %d bytes exceeds %d", n, MaxTokenSize)
	}
	m := minters.Get().(*minter)
	defer minters.Put(m)
	buf := m.buf[:raw+n+seedSize]
	body, text, seedBytes := buf[:raw], buf[raw:raw+n], buf[raw+n:]
	if _, err := io.ReadFull(r, seedBytes); err != nil {
		return "", Digest{}, fmt.Errorf("session: reading randomness: %w", err)
	}
	copy(body, tokenHeader)
	m.expand.Seed([seedSize]byte(seedBytes))
	m.expand.Read(body[len(tokenHeader):])
	base64.StdEncoding.Encode(text, body)
	return string(text), sha256.Sum256(text), nil
}

// Utilization returns the percentage (0–100) of MaxTokenSize that a token of
// size bytes consumes, rounded up so that any token reports at least 1.
func Utilization(size int) int {
	if size <= 0 {
		return 0
	}
	return (size*100 + MaxTokenSize - 1) / MaxTokenSize
}

// Digest is the SHA-256 of a session token: what a Store keeps instead of
// the token.
type Digest [sha256.Size]byte

// DigestOf returns the digest of token.
func DigestOf(token string) Digest {
	return sha256.Sum256([]byte(token))
}
