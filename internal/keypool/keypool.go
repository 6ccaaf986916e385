// Package keypool keeps keys that are slow to make (RSA above all: tens of
// milliseconds for 2048 bits) ready ahead of demand, without a goroutine
// that outlives its use.
//
// A Pool hands out each key it makes to exactly one caller. Get takes a
// ready key when there is one and otherwise makes one on the spot, so a
// caller never waits for more than one key. Behind the callers a single
// filler goroutine tops the pool up, and stops as soon as either
//
//   - the pool holds its target (one key at first, doubling, up to the
//     pool's maximum, each time Get finds it empty: the pool learns the
//     demand rather than guessing it), or
//   - no key has been taken for the idle period.
//
// The next Get (or Prepare) starts a filler again. So a process that made one key spends
// at most a little more than one more key's CPU in the background, a busy
// test suite finds keys ready, and once the callers go quiet no goroutine
// remains (package leakcheck checks that in this module's test binaries).
// Keys made ahead stay in the pool, without a goroutine, for the next Get.
//
// The test identity providers of package federation take their RSA keys
// from a Pool, and so does the engine for the RSA-2048 keys its accounts
// sign outbound tokens with (it calls Prepare when an account turns the
// feature on, and GetPrepared when the key is first needed). A pool of other keys
// looks the same:
//
//	var p384 = keypool.New(4, 200*time.Millisecond, func() (*ecdsa.PrivateKey, error) {
//		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
//	})
//	key, err := p384.Get()
package keypool

import (
	"sync"
	"time"
)

// Pool keeps up to a maximum number of keys of type K ready. It is safe for
// concurrent use; the zero value is not usable (see New).
type Pool[K any] struct {
	newKey func() (K, error)
	max    int
	idle   time.Duration

	mu      sync.Mutex
	cond    *sync.Cond // on mu: the filler added a key or stopped
	ready   []K
	target  int       // keys the filler keeps ready; grows with demand
	lastGet time.Time // when Get was last called
	filling bool      // a filler goroutine is running
	done    chan struct{}
}

// New returns a pool that makes keys with newKey (which must be safe to
// call from several goroutines at once), keeps at most max of them ready,
// and stops filling when no key has been taken for idle. No goroutine starts
// before the first Get.
func New[K any](max int, idle time.Duration, newKey func() (K, error)) *Pool[K] {
	if max < 1 {
		max = 1
	}
	p := &Pool[K]{newKey: newKey, max: max, idle: idle}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Get returns a key that no other caller receives: a ready one, or one made
// now when none is ready (an error is newKey's). Either way it starts the
// filler if the pool is below its target.
func (p *Pool[K]) Get() (K, error) {
	p.mu.Lock()
	p.lastGet = time.Now()
	if n := len(p.ready); n > 0 {
		k := p.ready[n-1]
		var zero K
		p.ready[n-1] = zero
		p.ready = p.ready[:n-1]
		p.startLocked()
		p.mu.Unlock()
		return k, nil
	}
	// Demand outran the pool: keep more ready from now on.
	p.target = min(p.max, max(1, 2*p.target))
	p.startLocked()
	p.mu.Unlock()
	return p.newKey()
}

// GetPrepared is Get for a caller that asked for a key ahead (Prepare):
// when no key is ready but the filler is making one, it waits for that key
// instead of making a second one at the same time, which on a busy machine
// only slows both down. The wait is at most the rest of one key's making.
func (p *Pool[K]) GetPrepared() (K, error) {
	p.mu.Lock()
	p.lastGet = time.Now()
	for len(p.ready) == 0 && p.filling {
		p.cond.Wait()
	}
	if n := len(p.ready); n > 0 {
		k := p.ready[n-1]
		var zero K
		p.ready[n-1] = zero
		p.ready = p.ready[:n-1]
		p.startLocked()
		p.mu.Unlock()
		return k, nil
	}
	p.mu.Unlock()
	return p.Get() // the filler stopped without a key for us: make one
}

// Prepare has a key made ahead when none is ready or being made, without
// taking one: a caller that knows it will soon Get (an account that turned
// on a feature signing with such keys) lets the key be made while it does
// other things. It never blocks, counts as a use for the idle period, and
// asks for one key ahead at most; demand beyond that is learnt from Get.
func (p *Pool[K]) Prepare() {
	p.mu.Lock()
	p.lastGet = time.Now()
	p.target = max(p.target, 1)
	p.startLocked()
	p.mu.Unlock()
}

// startLocked starts a filler when none runs and the pool is below target.
func (p *Pool[K]) startLocked() {
	if p.filling || len(p.ready) >= p.target {
		return
	}
	p.filling = true
	p.done = make(chan struct{})
	go p.fill(p.done)
}

// fill makes keys until the pool reaches its target, the callers have been
// idle for p.idle, or newKey fails; then it returns, closing done.
func (p *Pool[K]) fill(done chan struct{}) {
	defer close(done)
	for {
		k, err := p.newKey()
		p.mu.Lock()
		if err == nil && len(p.ready) < p.max {
			p.ready = append(p.ready, k)
		}
		stop := err != nil || len(p.ready) >= p.target || time.Since(p.lastGet) >= p.idle
		if stop {
			p.filling = false
		}
		p.cond.Broadcast() // GetPrepared callers: a key, or no filler any more
		p.mu.Unlock()
		if stop {
			return
		}
	}
}

// Ready returns how many keys are ready now.
func (p *Pool[K]) Ready() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ready)
}

// Wait blocks until the filler running when it is called, if any, has
// stopped. Benchmarks use it so that key making does not share the CPU
// with what they measure.
func (p *Pool[K]) Wait() {
	p.mu.Lock()
	filling, done := p.filling, p.done
	p.mu.Unlock()
	if filling {
		<-done
	}
}
