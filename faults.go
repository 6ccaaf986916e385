package fakests

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fakests/fakests/apierror"
)

// This file makes STS fail on purpose (behaviour §22): InjectFault adds a
// rule, the request frame (call.go) asks injectFault before each
// operation runs, once the caller is authenticated, on every path.
//
//	f := e.InjectFault(fakests.Fault{Operation: "AssumeRole", Code: "Throttling", Times: 2})
//	defer f.Remove()
//
// For Snapshot and Restore: the rules are plain data. faultRules returns a
// copy of them (each a faultRule: its ID, the Fault as given, and how many
// failures it has left), restoreFaultRules replaces them. A handle's
// Remove removes the rule with its ID, whichever engine state holds it.

// Fault describes calls that fail, or wait, on purpose.
type Fault struct {
	// Operation is the operation that fails, such as "AssumeRole" or an
	// operation of IAM's control plane ("CreateUser"); "" means every
	// operation.
	Operation string `json:"operation,omitempty"`
	// Principal is the caller's ARN (the session ARN of a role session),
	// where '*' matches any run of characters; "" means any caller. The
	// operations sent unsigned (AssumeRoleWithSAML,
	// AssumeRoleWithWebIdentity) have no caller ARN: only "" and "*"
	// match them.
	Principal string `json:"principal,omitempty"`
	// Code is the AWS error code to answer with, such as Throttling,
	// InternalFailure, ServiceUnavailable, IDPCommunicationError,
	// RegionDisabledException or ExpiredToken; "" answers normally after
	// Delay.
	Code string `json:"code,omitempty"`
	// Message is the error's message. Default: AWS's message for Code
	// (behaviour §22); "" for a code whose message fakests does not know.
	Message string `json:"message,omitempty"`
	// Status is the HTTP status. Default: AWS's status for Code (400 for a
	// code fakests does not know).
	Status int `json:"status,omitempty"`
	// Times is how many matching calls fail; 0 means every one until the
	// fault is removed.
	Times int `json:"times,omitempty"`
	// Probability, between 0 and 1, is the share of matching calls that
	// fail, drawn from the engine's randomness (WithRand), so the same seed
	// fails the same calls; 0 means every matching call.
	Probability float64 `json:"probability,omitempty"`
	// Delay is how long a failing call waits before it is answered, on the
	// wall clock. A call whose context ends first gets the context's
	// error (as a client does) and is not journaled.
	Delay time.Duration `json:"delay,omitempty"`
}

// InjectedFault is a fault added by InjectFault.
type InjectedFault struct {
	e  *Engine
	id uint64
}

// Remove removes the fault; calls after it are answered normally. Removing
// twice is harmless.
func (f *InjectedFault) Remove() {
	f.e.stateMu.RLock()
	defer f.e.stateMu.RUnlock()
	fs := &f.e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !slices.ContainsFunc(fs.rules, func(r faultRule) bool { return r.ID == f.id }) {
		return
	}
	// Faults change with or without a change log that works (behaviour §23).
	f.e.logChange(func(c *changeRecord) { c.Delete = &deletions{Faults: []uint64{f.id}} })
	fs.rules = slices.DeleteFunc(fs.rules, func(r faultRule) bool { return r.ID == f.id })
	fs.active.Store(len(fs.rules) > 0)
}

// faultState holds an engine's fault rules.
type faultState struct {
	// active is false when there is no rule, so calls skip the lock.
	active atomic.Bool

	mu     sync.Mutex // guards rules and nextID
	rules  []faultRule
	nextID uint64
}

// faultRule is one injected fault as the engine keeps it: plain data.
type faultRule struct {
	ID    uint64 `json:"id"`
	Fault Fault  `json:"fault"`
	// Remaining is how many more calls fail when Fault.Times > 0.
	Remaining int `json:"remaining,omitempty"`
}

// InjectFault makes the calls f describes fail, or wait, until the
// returned fault is removed or, with Times, has failed that many calls
// (behaviour §22). The error is the one real STS sends for the code: its
// status and message (unless f sets them), typed where the operation's
// model lists the code, Throttling 400 "Rate exceeded" that the SDK's
// retryer treats as a throttle, InternalFailure 500 that it retries. A
// call is matched after its caller is authenticated, before the operation
// runs, so a failed call changes nothing; it is journaled like any other.
// When several faults match a call, every matching Delay is waited for
// and the oldest fault with a Code decides the error.
//
// InjectFault panics on a fault that cannot mean anything: no Code and no
// Delay, an Operation STS does not have, a negative Times or Delay, a
// Probability outside [0, 1], or a Status outside 100–599.
func (e *Engine) InjectFault(f Fault) *InjectedFault {
	if err := checkFault(f); err != nil {
		panic("fakests: InjectFault: " + err.Error())
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	rule := faultRule{ID: fs.nextID, Fault: f, Remaining: f.Times}
	e.logChange(func(c *changeRecord) { c.Put = &entities{Faults: []faultRule{rule}} }) // see Remove
	fs.rules = append(fs.rules, rule)
	fs.active.Store(true)
	return &InjectedFault{e: e, id: fs.nextID}
}

// checkFault says what is wrong with f, if anything.
func checkFault(f Fault) error {
	switch {
	case f.Code == "" && f.Delay == 0:
		return fmt.Errorf("the fault has neither a Code nor a Delay")
	case f.Operation != "" && !slices.Contains(operations, f.Operation) && !isIAMOp(f.Operation):
		return fmt.Errorf("%q is not an STS or IAM operation", f.Operation)
	case f.Times < 0:
		return fmt.Errorf("Times %d is negative", f.Times)
	case f.Delay < 0:
		return fmt.Errorf("Delay %v is negative", f.Delay)
	case math.IsNaN(f.Probability) || f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("Probability %v is not between 0 and 1", f.Probability)
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("Status %d is not an HTTP status", f.Status)
	case f.Code == "" && (f.Message != "" || f.Status != 0):
		return fmt.Errorf("Message and Status need a Code")
	}
	return nil
}

// operations lists every STS operation, for checkFault.
var operations = []string{opAssumeRole, opAssumeRoleWithSAML, opAssumeRoleWithWebIdentity, opAssumeRoot,
	opDecodeAuthorizationMessage, opGetAccessKeyInfo, opGetCallerIdentity, opGetDelegatedAccessToken,
	opGetFederationToken, opGetSessionToken, opGetWebIdentityToken}

// faultRules returns a copy of the rules, oldest first (for Snapshot).
func (e *Engine) faultRules() []faultRule {
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return slices.Clone(fs.rules)
}

// restoreFaultRules replaces the rules (for Restore); later InjectFault
// calls take IDs above every restored one.
func (e *Engine) restoreFaultRules(rules []faultRule) {
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = slices.Clone(rules)
	for _, r := range rules {
		fs.nextID = max(fs.nextID, r.ID)
	}
	fs.active.Store(len(fs.rules) > 0)
}

// injectFault applies the faults that match the call c, whose caller is
// known: it waits for their Delay and returns the error of the first one
// with a Code, or nil. A context that ends during the Delay gives a
// *smithy.CanceledError.
func (e *Engine) injectFault(ctx context.Context, c *apiCall) error {
	fs := &e.faults
	if !fs.active.Load() {
		return nil
	}
	var delay time.Duration
	var chosen *Fault
	callerARN := ""
	if c.principal != nil {
		callerARN = c.principal.ARN
	}
	e.stateMu.RLock()
	fs.mu.Lock()
	for i := 0; i < len(fs.rules); i++ {
		r := &fs.rules[i]
		f := &r.Fault
		if f.Operation != "" && f.Operation != c.op || f.Principal != "" && !wildcardMatch(f.Principal, callerARN) {
			continue
		}
		if f.Code != "" && chosen != nil {
			continue // the error is settled; this fault is not used up
		}
		if f.Probability > 0 && f.Probability < 1 && e.drawUnit() >= f.Probability {
			continue
		}
		delay += f.Delay
		if f.Code != "" {
			picked := *f
			chosen = &picked
		}
		if f.Times > 0 {
			r.Remaining--
			used := *r
			e.logChange(func(c *changeRecord) { // see Remove
				if used.Remaining <= 0 {
					c.Delete = &deletions{Faults: []uint64{used.ID}}
				} else {
					c.Put = &entities{Faults: []faultRule{used}}
				}
			})
			if r.Remaining <= 0 {
				fs.rules = slices.Delete(fs.rules, i, i+1)
				i--
			}
		}
	}
	fs.active.Store(len(fs.rules) > 0)
	fs.mu.Unlock()
	e.stateMu.RUnlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return &smithy.CanceledError{Err: ctx.Err()}
		case <-t.C:
		}
	}
	if chosen == nil {
		return nil
	}
	return e.faultError(chosen, c)
}

// drawUnit draws a number in [0, 1) from the engine's randomness.
func (e *Engine) drawUnit() float64 {
	var b [8]byte
	if _, err := e.random().Read(b[:]); err != nil {
		return 0 // a failing reader fails every draw: the fault applies
	}
	return float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
}

// faultError is the error a fault answers c with: its code, with its
// status and message or AWS's for the code (behaviour §22).
func (e *Engine) faultError(f *Fault, c *apiCall) error {
	status := f.Status
	if status == 0 {
		status = apierror.Status(f.Code)
	}
	msg := f.Message
	if msg == "" {
		msg = e.faultMessage(f.Code, c)
	}
	fault := smithy.FaultClient
	if status >= http.StatusInternalServerError {
		fault = smithy.FaultServer
	}
	return &apierror.Error{Code: f.Code, Status: status, Fault: fault, Message: msg}
}

// faultMessage returns AWS's message for code in the call c (behaviour
// §22): the catalogue's text, with the account or caller it names.
func (e *Engine) faultMessage(code string, c *apiCall) string {
	switch code {
	case apierror.CodeRegionDisabledException:
		return fmt.Sprintf(msgRegionDisabled, e.faultAccount(c))
	case apierror.CodeAccessDenied:
		resource := "*"
		if c.principal != nil && c.principal.Type != Anonymous {
			if rs := resourcesOf(c.op, c.in); len(rs) > 0 {
				resource = rs[0].ARN
			}
			return fmt.Sprintf(msgNotAuthorized, c.principal.ARN, "sts:"+c.op, resource)
		}
		return fmt.Sprintf(msgFederatedNotAuthorized, "sts:"+c.op)
	}
	return faultMessages[code]
}

// faultAccount is the account a RegionDisabledException names: the
// account whose credentials are asked for (the role's, when the request
// names one), else the caller's, else the engine's.
func (e *Engine) faultAccount(c *apiCall) string {
	if rs := resourcesOf(c.op, c.in); len(rs) > 0 {
		return rs[0].AccountID
	}
	if c.principal != nil && c.principal.Account != "" {
		return c.principal.Account
	}
	return e.account
}

// wildcardMatch reports whether s matches pattern, where '*' matches any
// run of characters (none included) and everything else itself. It runs
// in time proportional to len(pattern)·len(s) at worst.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
