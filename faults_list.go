package fakests

import "slices"

// This file lets a program that holds no InjectedFault handles, such as
// the fakests server's admin endpoints, list the faults in force and remove
// one by its ID (the faults of a restored snapshot included).

// FaultInfo is a fault in force, as Faults reports it.
type FaultInfo struct {
	// ID identifies the fault in the engine (InjectedFault.ID).
	ID uint64 `json:"id"`
	// Fault is the fault as given to InjectFault.
	Fault Fault `json:"fault"`
	// Remaining is how many more calls fail, for a fault with Times; 0
	// for one that lasts until removed.
	Remaining int `json:"remaining,omitempty"`
}

// Faults returns the faults in force, oldest first. A fault with Times
// leaves the list once it has failed that many calls.
func (e *Engine) Faults() []FaultInfo {
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]FaultInfo, len(fs.rules))
	for i, r := range fs.rules {
		out[i] = FaultInfo{ID: r.ID, Fault: r.Fault}
		if r.Fault.Times > 0 {
			out[i].Remaining = r.Remaining
		}
	}
	return out
}

// ID returns the fault's ID, as Faults lists it.
func (f *InjectedFault) ID() uint64 { return f.id }

// RemoveFault removes the fault with ID id and reports whether it was in
// force.
func (e *Engine) RemoveFault(id uint64) bool {
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !slices.ContainsFunc(fs.rules, func(r faultRule) bool { return r.ID == id }) {
		return false
	}
	// Faults change with or without a change log that works, as
	// InjectedFault.Remove (behaviour §23).
	e.logChange(func(c *changeRecord) { c.Delete = &deletions{Faults: []uint64{id}} })
	fs.rules = slices.DeleteFunc(fs.rules, func(r faultRule) bool { return r.ID == id })
	fs.active.Store(len(fs.rules) > 0)
	return true
}
