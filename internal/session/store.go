package session

import (
	"crypto/subtle"
	"hash/maphash"
	"sync"
	"time"
)

// Session is one set of issued temporary credentials and what the issuer
// attached to it. V is the issuer's own description of the principal.
type Session[V any] struct {
	AccessKeyID     string
	SecretAccessKey string
	TokenDigest     Digest
	IssuedAt        time.Time
	Expiration      time.Time
	Value           V
}

// TokenMatches reports whether token is the session token of s, in constant
// time.
func (s *Session[V]) TokenMatches(token string) bool {
	d := DigestOf(token)
	return subtle.ConstantTimeCompare(d[:], s.TokenDigest[:]) == 1
}

// Expired reports whether s has expired at now: expiry is inclusive of the
// Expiration instant.
func (s *Session[V]) Expired(now time.Time) bool {
	return !now.Before(s.Expiration)
}

// shardCount spreads sessions over independently locked maps so parallel
// issuers and readers rarely wait on one another.
const shardCount = 32

// Store keeps sessions by access key ID. Its zero value is not usable; call
// NewStore. It is safe for concurrent use.
type Store[V any] struct {
	seed   maphash.Seed
	shards [shardCount]shard[V]
}

type shard[V any] struct {
	mu sync.RWMutex // guards m
	m  map[string]*Session[V]
}

// NewStore returns an empty store.
func NewStore[V any]() *Store[V] {
	s := &Store[V]{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string]*Session[V])
	}
	return s
}

func (s *Store[V]) shard(id string) *shard[V] {
	return &s.shards[maphash.String(s.seed, id)%shardCount]
}

// Insert stores sess under its access key ID unless the store already holds
// a session with that ID, and reports whether it stored sess. A stored
// session is never replaced, expired or not: a key ID drawn twice must be
// drawn again by the issuer, or the first holder would lose its credentials
// (or, once expired, its ExpiredToken answer).
func (s *Store[V]) Insert(sess *Session[V]) bool {
	sh := s.shard(sess.AccessKeyID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, taken := sh.m[sess.AccessKeyID]; taken {
		return false
	}
	sh.m[sess.AccessKeyID] = sess
	return true
}

// Get returns the session with the given access key ID.
func (s *Store[V]) Get(accessKeyID string) (*Session[V], bool) {
	sh := s.shard(accessKeyID)
	sh.mu.RLock()
	sess, ok := sh.m[accessKeyID]
	sh.mu.RUnlock()
	return sess, ok
}

// Len returns how many sessions the store holds, expired ones included.
func (s *Store[V]) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// Sweep removes the sessions that expired before cutoff and returns how many
// it removed. Expired sessions are kept until swept so that callers presenting
// them are told their token expired rather than that it is unknown.
func (s *Store[V]) Sweep(cutoff time.Time) int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for id, sess := range sh.m {
			if sess.Expiration.Before(cutoff) {
				delete(sh.m, id)
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// All returns every session the store holds, expired ones included, in no
// particular order. Sessions are shared, not copied: a stored session is
// never changed, so the caller must not change it either.
func (s *Store[V]) All() []*Session[V] {
	out := make([]*Session[V], 0, s.Len())
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		for _, sess := range sh.m {
			out = append(out, sess)
		}
		sh.mu.RUnlock()
	}
	return out
}

// Replace empties the store and stores sessions instead. Their access key
// IDs must be distinct (the caller checked them). Readers see each shard
// before or after, never a shard half filled.
func (s *Store[V]) Replace(sessions []*Session[V]) {
	var maps [shardCount]map[string]*Session[V]
	for i := range maps {
		maps[i] = make(map[string]*Session[V], len(sessions)/shardCount+1)
	}
	for _, sess := range sessions {
		maps[maphash.String(s.seed, sess.AccessKeyID)%shardCount][sess.AccessKeyID] = sess
	}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.m = maps[i]
		sh.mu.Unlock()
	}
}

// Delete removes sess, if the store holds that very session under its
// access key ID, and reports whether it did.
func (s *Store[V]) Delete(sess *Session[V]) bool {
	sh := s.shard(sess.AccessKeyID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m[sess.AccessKeyID] != sess {
		return false
	}
	delete(sh.m, sess.AccessKeyID)
	return true
}
