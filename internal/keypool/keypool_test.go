package keypool

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fakests/fakests/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// counter makes keys 1, 2, 3, ... and can hold every call until released.
type counter struct {
	mu   sync.Mutex
	n    int
	gate chan struct{} // nil: no waiting
	cost time.Duration // time each key takes
}

func (c *counter) newKey() (int, error) {
	if c.gate != nil {
		<-c.gate
	}
	time.Sleep(c.cost)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n, nil
}

func (c *counter) made() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (p *Pool[K]) targetNow() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.target
}

// TestEachKeyGoesToOneCaller takes keys from many goroutines at once.
func TestEachKeyGoesToOneCaller(t *testing.T) {
	c := &counter{}
	p := New(4, time.Hour, c.newKey)
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				k, err := p.Get()
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[k] {
					t.Errorf("key %d handed out twice", k)
				}
				seen[k] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	p.Wait()
	if len(seen) != 400 {
		t.Errorf("%d distinct keys, want 400", len(seen))
	}
}

// TestOneKeyAhead: after one Get on an empty pool the filler makes one key
// and stops; the next Get takes it and the filler replaces it.
func TestOneKeyAhead(t *testing.T) {
	c := &counter{}
	p := New(16, time.Hour, c.newKey)
	if k, _ := p.Get(); k != 1 && k != 2 {
		t.Fatalf("first key %d", k)
	}
	p.Wait()
	if got := p.Ready(); got != 1 {
		t.Fatalf("Ready() = %d after one Get, want 1", got)
	}
	if got := c.made(); got != 2 {
		t.Fatalf("%d keys made after one Get, want 2 (one taken, one ready)", got)
	}
	if _, err := p.Get(); err != nil {
		t.Fatal(err)
	}
	p.Wait()
	if got, made := p.Ready(), c.made(); got != 1 || made != 3 {
		t.Fatalf("after a second Get: Ready() = %d, made %d; want 1 and 3", got, made)
	}
}

// TestTargetDoublesWithDemand: every Get that finds the pool empty doubles
// the target, up to the maximum, and the filler then fills to it.
func TestTargetDoublesWithDemand(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	p := New(6, time.Hour, c.newKey)
	var wg sync.WaitGroup
	for _, want := range []int{1, 2, 4, 6, 6} {
		wg.Add(1)
		go func() { defer wg.Done(); p.Get() }()
		for p.targetNow() != want {
			time.Sleep(time.Millisecond)
		}
	}
	close(c.gate)
	wg.Wait()
	p.Wait()
	if got := p.Ready(); got != 6 {
		t.Fatalf("Ready() = %d, want the target 6", got)
	}
}

// TestFillerStopsWhenIdle: with a high target and no more Gets, the filler
// stops after the idle period, short of the target.
func TestFillerStopsWhenIdle(t *testing.T) {
	c := &counter{gate: make(chan struct{}), cost: 30 * time.Millisecond}
	p := New(16, 50*time.Millisecond, c.newKey)
	var wg sync.WaitGroup
	for _, want := range []int{1, 2, 4, 8} {
		wg.Add(1)
		go func() { defer wg.Done(); p.Get() }()
		for p.targetNow() != want {
			time.Sleep(time.Millisecond)
		}
	}
	close(c.gate)
	wg.Wait()
	p.Wait()
	if got := p.Ready(); got >= 8 {
		t.Fatalf("Ready() = %d: the filler reached its target of 8 although no key was taken for far longer than the idle period", got)
	}
	if err := leakcheck.Check(5 * time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestLingeringFillerIsReported shows what leakcheck does with a filler
// that does not stop: it fails, naming the pool's filler.
func TestLingeringFillerIsReported(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	p := New(1, time.Hour, c.newKey)
	got := make(chan int)
	go func() { k, _ := p.Get(); got <- k }()
	for p.targetNow() != 1 {
		time.Sleep(time.Millisecond)
	}
	err := leakcheck.Check(50 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "internal/keypool.(*Pool[...]).fill(") {
		t.Fatalf("Check with the filler blocked = %v, want a report naming (*Pool).fill", err)
	}
	close(c.gate)
	<-got
	p.Wait()
	if err := leakcheck.Check(5 * time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestGetReportsErrors: newKey's error reaches the caller, and a failing
// filler stops.
func TestGetReportsErrors(t *testing.T) {
	boom := errors.New("no entropy")
	p := New(4, time.Hour, func() (int, error) { return 0, boom })
	if _, err := p.Get(); !errors.Is(err, boom) {
		t.Fatalf("Get error = %v, want %v", err, boom)
	}
	p.Wait()
	if got := p.Ready(); got != 0 {
		t.Fatalf("Ready() = %d after failures", got)
	}
}

// TestPrepareMakesOneKeyAhead: Prepare on an empty pool has one key made
// without taking it; a second Prepare with that key ready makes none; the
// next Get takes the prepared key.
func TestPrepareMakesOneKeyAhead(t *testing.T) {
	c := &counter{}
	p := New(4, time.Hour, c.newKey)
	p.Prepare()
	p.Wait()
	if got, made := p.Ready(), c.made(); got != 1 || made != 1 {
		t.Fatalf("after Prepare: %d ready, %d made; want 1, 1", got, made)
	}
	p.Prepare()
	p.Wait()
	if got, made := p.Ready(), c.made(); got != 1 || made != 1 {
		t.Fatalf("after a second Prepare: %d ready, %d made; want 1, 1", got, made)
	}
	k, err := p.Get()
	if err != nil || k != 1 {
		t.Fatalf("Get = %d, %v; want the prepared key 1", k, err)
	}
	p.Wait()
	if tg := p.targetNow(); tg != 1 {
		t.Errorf("target %d after a Get that found a prepared key, want 1 (no miss)", tg)
	}
}

// TestPrepareStopsWhenIdle: a prepared pool whose key is never taken keeps
// no goroutine; the filler makes its key and returns.
func TestPrepareStopsWhenIdle(t *testing.T) {
	c := &counter{cost: 5 * time.Millisecond}
	p := New(4, 20*time.Millisecond, c.newKey)
	p.Prepare()
	p.Wait()
	if got := p.Ready(); got != 1 {
		t.Fatalf("%d ready, want 1", got)
	}
	if err := leakcheck.Check(5 * time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestGetPreparedWaitsForTheFiller: a caller that prepared a key and asks
// for it while the filler is still making it gets that key, and no second
// key is made at the same time.
func TestGetPreparedWaitsForTheFiller(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	p := New(4, time.Hour, c.newKey)
	p.Prepare() // the filler starts and blocks on the gate
	got := make(chan int, 1)
	go func() {
		k, err := p.GetPrepared()
		if err != nil {
			t.Error(err)
		}
		got <- k
	}()
	time.Sleep(20 * time.Millisecond) // GetPrepared is waiting, not making a key
	close(c.gate)
	if k := <-got; k != 1 {
		t.Errorf("GetPrepared = key %d, want the filler's key 1", k)
	}
	p.Wait()
	if tg := p.targetNow(); tg != 1 {
		t.Errorf("target %d, want 1: waiting for the filler is no miss", tg)
	}
}

// TestGetPreparedWithoutFiller: with no key ready and no filler running,
// GetPrepared makes a key as Get does; with one ready it takes it.
func TestGetPreparedWithoutFiller(t *testing.T) {
	c := &counter{}
	p := New(4, time.Hour, c.newKey)
	// The caller's key and the filler's are made at the same time, so
	// which of them is number 1 is up to the scheduler: the caller gets
	// one, and the next GetPrepared gets the other, already made.
	first, err := p.GetPrepared()
	if err != nil || (first != 1 && first != 2) {
		t.Fatalf("GetPrepared on an idle empty pool = %d, %v; want a key made now (1 or 2)", first, err)
	}
	p.Wait()
	if n := c.made(); n != 2 {
		t.Fatalf("%d keys made, want 2: the caller's and the filler's", n)
	}
	if k, err := p.GetPrepared(); err != nil || k != 3-first {
		t.Fatalf("GetPrepared = %d, %v; want the filler's ready key %d", k, err, 3-first)
	}
	p.Wait()
}

// TestGetPreparedAfterFailure: a filler that fails stops, and a waiting
// GetPrepared then makes its own key.
func TestGetPreparedAfterFailure(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	gate := make(chan struct{})
	p := New(4, time.Hour, func() (int, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-gate
			return 0, errors.New("entropy ran out")
		}
		return n, nil
	})
	p.Prepare()
	type result struct {
		k   int
		err error
	}
	got := make(chan result, 1)
	go func() {
		k, err := p.GetPrepared()
		got <- result{k, err}
	}()
	time.Sleep(20 * time.Millisecond)
	close(gate)
	// The caller makes its own key while a new filler makes more, so
	// which number the caller's key has is the scheduler's choice: any
	// key made after the failure (2 or later), never the failed call's
	// zero, never an error.
	if r := <-got; r.err != nil || r.k < 2 {
		t.Errorf("GetPrepared = %d, %v; want a key of its own (2 or later)", r.k, r.err)
	}
	p.Wait()
}
