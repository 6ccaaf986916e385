package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
)

// DefaultMaxCachedKeys bounds the derived-key cache of a Verifier built by NewVerifier.
const DefaultMaxCachedKeys = 1024

// keyID names one derived signing key.
type keyID struct{ secret, date, region, service string }

// keyCache holds derived signing keys. A key changes once a day per credential, so reads far
// outnumber writes: a read-write lock over a plain map beats sync.Map (whose interface keys
// would allocate on every lookup).
type keyCache struct {
	max int

	mu   sync.RWMutex       // guards keys
	keys map[keyID][32]byte // derived kSigning by (secret, date, region, service)
}

func newKeyCache(max int) *keyCache {
	if max <= 0 {
		max = DefaultMaxCachedKeys
	}
	return &keyCache{max: max, keys: make(map[keyID][32]byte)}
}

// signingKey returns HMAC chain kSigning = H(H(H(H("AWS4"+secret, date), region), service),
// "aws4_request"), from the cache when it can.
func (c *keyCache) signingKey(secret string, sc Scope) [32]byte {
	id := keyID{secret, sc.Date, sc.Region, sc.Service}
	c.mu.RLock()
	k, ok := c.keys[id]
	c.mu.RUnlock()
	if ok {
		return k
	}
	k = deriveKey(secret, sc)
	// Copy the strings: they may be slices of a large request header we must not pin.
	id = keyID{strings.Clone(secret), strings.Clone(sc.Date), strings.Clone(sc.Region), strings.Clone(sc.Service)}
	c.mu.Lock()
	if len(c.keys) >= c.max {
		for old := range c.keys { // evict an arbitrary entry: the map's order is random
			delete(c.keys, old)
			break
		}
	}
	c.keys[id] = k
	c.mu.Unlock()
	return k
}

func (c *keyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.keys)
}

func deriveKey(secret string, sc Scope) [32]byte {
	k := hmacSum([]byte("AWS4"+secret), sc.Date)
	k = hmacSum(k, sc.Region)
	k = hmacSum(k, sc.Service)
	k = hmacSum(k, Terminator)
	var out [32]byte
	copy(out[:], k)
	return out
}

func hmacSum(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// hmacWithPrefix computes HMAC-SHA256(key, msg) where buf holds 64 spare bytes followed by msg:
// the inner pad is written into those bytes so the whole inner hash runs over one slice, with
// no allocation. key must be at most 64 bytes (a derived key is 32).
func hmacWithPrefix(key *[32]byte, buf []byte) [32]byte {
	var opad [64 + 32]byte
	for i := range 64 {
		var b byte
		if i < len(key) {
			b = key[i]
		}
		buf[i] = b ^ 0x36
		opad[i] = b ^ 0x5c
	}
	inner := sha256.Sum256(buf)
	copy(opad[64:], inner[:])
	return sha256.Sum256(opad[:])
}
