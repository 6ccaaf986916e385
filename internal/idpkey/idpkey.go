// Package idpkey lets this module's tests choose the RSA key that the next
// test identity provider of package federation signs with.
//
// The verifiers' tests (package fedverify) forge documents around a key a
// provider trusts: a token header no issuer would write, an assertion edited
// and signed again. They mint through package federation, whose keys are
// private to it, so they queue the key here first:
//
//	idpkey.Queue(key)
//	idp := federation.NewSAMLIdP(entityID) // signs with key
//
// Fuzz workers use the same door to avoid generating RSA keys under coverage
// instrumentation, where that takes minutes. Nothing but tests queues a key;
// with the queue empty, federation takes its keys from its pool as always.
// The queue is shared by the whole process, so a test that queues a key must
// not create issuers or IdPs concurrently with other tests that do.
package idpkey

import (
	"crypto/rsa"
	"sync"
	"sync/atomic"
)

var queue struct {
	n    atomic.Int32 // len(keys), read without the lock on the common path
	mu   sync.Mutex
	keys []*rsa.PrivateKey
}

// Queue appends key to the keys that the next RSA-signing OIDC issuers and
// SAML IdPs of package federation take, one each, oldest first.
func Queue(key *rsa.PrivateKey) {
	queue.mu.Lock()
	defer queue.mu.Unlock()
	queue.keys = append(queue.keys, key)
	queue.n.Store(int32(len(queue.keys)))
}

// Take removes and returns the oldest queued key, or nil when none is
// queued. Package federation calls it whenever it needs an RSA key.
func Take() *rsa.PrivateKey {
	if queue.n.Load() == 0 {
		return nil
	}
	queue.mu.Lock()
	defer queue.mu.Unlock()
	if len(queue.keys) == 0 {
		return nil
	}
	k := queue.keys[0]
	queue.keys = queue.keys[1:]
	queue.n.Store(int32(len(queue.keys)))
	return k
}
