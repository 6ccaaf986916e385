package fakests

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fakests/fakests/apierror"
)

// This file is the region model (behaviour §13): the regions of the aws
// partition, which are enabled by default and which are opt-in, each
// account's opt-in status and STS endpoint activation, and which endpoint
// (global or regional) and region a request is for.
//
// Every region of the partition is served. A request's region is the one
// it was signed for (wire) or sts.Options.Region (typed path); the Host
// sts.amazonaws.com, or the region aws-global on the typed path, is the
// global endpoint, served as us-east-1 except for the operations it does
// not know (globalRefusal).

// awsRegions maps each region of the aws partition to whether it is an
// opt-in region (true) or enabled by default (false): the Go SDK's
// partitions.json, and the Account API's RegionOptStatus in the stackd
// capture account/regions.json (behaviour §13).
var awsRegions = map[string]bool{
	"af-south-1":     true,
	"ap-east-1":      true,
	"ap-east-2":      true,
	"ap-northeast-1": false,
	"ap-northeast-2": false,
	"ap-northeast-3": false,
	"ap-south-1":     false,
	"ap-south-2":     true,
	"ap-southeast-1": false,
	"ap-southeast-2": false,
	"ap-southeast-3": true,
	"ap-southeast-4": true,
	"ap-southeast-5": true,
	"ap-southeast-6": true,
	"ap-southeast-7": true,
	"ca-central-1":   false,
	"ca-west-1":      true,
	"eu-central-1":   false,
	"eu-central-2":   true,
	"eu-north-1":     false,
	"eu-south-1":     true,
	"eu-south-2":     true,
	"eu-west-1":      false,
	"eu-west-2":      false,
	"eu-west-3":      false,
	"il-central-1":   true,
	"me-central-1":   true,
	"me-south-1":     true,
	"mx-central-1":   true,
	"sa-east-1":      false,
	"us-east-1":      false,
	"us-east-2":      false,
	"us-west-1":      false,
	"us-west-2":      false,
}

// The global endpoint (behaviour §1.4, §13).
const (
	// globalRegion is the Go SDK's pseudo-region for the global endpoint.
	globalRegion = "aws-global"
	// globalHost is the global endpoint's host.
	globalHost = "sts.amazonaws.com"
	// globalSigningRegion is the region requests to the global endpoint
	// are signed for and served in.
	globalSigningRegion = "us-east-1"
)

// regionState is an engine's per-account region settings (Engine.regions):
// plain data, so that a snapshot can copy it. Accounts and regions not
// mentioned have the defaults: default-enabled regions enabled with STS
// active; opt-in regions disabled in strict mode and enabled in lenient
// mode.
type regionState struct {
	mu sync.RWMutex // guards optIn and stsOff
	// optIn holds the opt-in status EnableRegion and DisableRegion set:
	// account → opt-in region → enabled.
	optIn map[string]map[string]bool
	// stsOff holds the STS endpoints DeactivateSTSRegion deactivated:
	// account → default-enabled region → true.
	stsOff map[string]map[string]bool
	// set reports that either map may hold something: until then no
	// request takes the lock.
	set atomic.Bool
}

// regionServed reports whether the engine serves region: a region of the
// aws partition, or the engine's own (WithRegion).
func (e *Engine) regionServed(region string) bool {
	_, ok := awsRegions[region]
	return ok || region == e.region
}

// servedRegions returns every region the engine serves, for a signature's
// credential scope: the engine's own first, then us-east-1, the rest of the
// aws partition in order.
func (e *Engine) servedRegions() []string {
	own, _ := resolveRegion(e.region)
	out := make([]string, 0, len(awsRegions)+1)
	out = append(out, own)
	if own != globalSigningRegion {
		out = append(out, globalSigningRegion)
	}
	rest := make([]string, 0, len(awsRegions))
	for r := range awsRegions {
		if !slices.Contains(out, r) {
			rest = append(rest, r)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// resolveRegion maps a client's region to the region it is served in and
// whether it reaches the global endpoint: the Go SDK sends region
// aws-global to sts.amazonaws.com, signed for us-east-1 (behaviour §1.4).
func resolveRegion(region string) (served string, global bool) {
	if region == globalRegion {
		return globalSigningRegion, true
	}
	return region, false
}

// stsEndpointOf reads a request's Host: the region of a regional STS
// endpoint (sts.<region>.amazonaws.com, sts-fips.<region>.amazonaws.com,
// sts.<region>.api.aws) of a served region, or global for
// sts.amazonaws.com. Any other host (a test server's) says neither.
func (e *Engine) stsEndpointOf(host string) (region string, global bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == globalHost {
		return "", true
	}
	rest, ok := strings.CutPrefix(host, "sts.")
	if !ok {
		if rest, ok = strings.CutPrefix(host, "sts-fips."); !ok {
			return "", false
		}
	}
	r, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok {
		if r, ok = strings.CutSuffix(rest, ".api.aws"); !ok {
			return "", false
		}
	}
	if !e.regionServed(r) {
		return "", false
	}
	return r, false
}

// requestedRegion is the region p made its request in: aws:RequestedRegion.
func (e *Engine) requestedRegion(p *Principal) string {
	if p.region != "" {
		return p.region
	}
	r, _ := resolveRegion(e.region)
	return r
}

// requestHost is the host a request was sent to: the Host header as a
// server sees it, else the URL's host (a client-side request, as the
// adapter sees it).
func requestHost(r *http.Request) string {
	if r.Host != "" || r.URL == nil {
		return r.Host
	}
	return r.URL.Host
}

// globalRefusal is the global endpoint's answer to the operations it does
// not serve (behaviour §1.4): AssumeRoot is unknown there, GetWebIdentityToken
// refused by name; nil for the rest, which it serves as us-east-1 does. The
// refusal comes before authentication, as for an unknown action (§1.1).
func globalRefusal(op string) error {
	switch op {
	case opAssumeRoot:
		return newError(apierror.CodeInvalidAction, msgGlobalUnknownOperation)
	case opGetWebIdentityToken:
		return newError(apierror.CodeInvalidAction, msgGlobalNotSupported)
	}
	return nil
}

// regionEnabled reports whether account has region enabled. Regions
// enabled by default always are (so is any region outside the partition
// that WithRegion named); an opt-in region is as EnableRegion or
// DisableRegion last set it, else disabled in strict mode and enabled in
// lenient mode (behaviour §13).
func (e *Engine) regionEnabled(account, region string) bool {
	if !awsRegions[region] {
		return true
	}
	s := &e.regions
	if s.set.Load() {
		s.mu.RLock()
		on, ok := s.optIn[account][region]
		s.mu.RUnlock()
		if ok {
			return on
		}
	}
	return !e.strict
}

// checkSTSActive returns RegionDisabledException when STS is deactivated in
// region for account, the account the request asks to generate credentials
// for (behaviour §10, §13): the role's account for the AssumeRole family,
// the caller's for GetSessionToken and GetFederationToken, the member's for
// AssumeRoot.
func (e *Engine) checkSTSActive(account, region string) error {
	s := &e.regions
	if !s.set.Load() {
		return nil
	}
	s.mu.RLock()
	off := s.stsOff[account][region]
	s.mu.RUnlock()
	if off {
		return errorf(apierror.CodeRegionDisabledException, msgRegionDisabled, account)
	}
	return nil
}

// callerRegionError is the answer to a caller whose account has the
// request's opt-in region disabled: its credentials are not recognized
// there (behaviour §10, §13).
func callerRegionError() error {
	return newError(apierror.CodeInvalidClientTokenID, msgInvalidClientTokenIDOptIn)
}

// EnableRegion enables an opt-in region (af-south-1, ap-east-1, me-south-1,
// …) for account, as the Account API's EnableRegion does once the region
// reaches ENABLED: the account's principals may call STS there, and its
// roles may be assumed there. Under Strict() opt-in regions are disabled
// until enabled; in lenient mode they are enabled unless DisableRegion
// said otherwise. Enabling an enabled region changes nothing. A region
// outside the aws partition or enabled by default is refused with an
// error that wraps the Account API's ValidationException.
func (e *Engine) EnableRegion(account, region string) error {
	return e.setOptIn(account, region, true)
}

// DisableRegion disables an opt-in region for account: a caller of that
// account signing for the region gets InvalidClientTokenId ("The security
// token included in the request is invalid", without a period), and
// assuming one of its roles there is AccessDenied (behaviour §13).
// Disabling a disabled region changes nothing; it is refused as
// EnableRegion refuses.
func (e *Engine) DisableRegion(account, region string) error {
	return e.setOptIn(account, region, false)
}

// setOptIn records account's opt-in status of region.
func (e *Engine) setOptIn(account, region string, on bool) error {
	if !isAccountID(account) {
		return fmt.Errorf("fakests: account %q is not 12 digits", account)
	}
	optIn, ok := awsRegions[region]
	switch {
	case !ok:
		return fmt.Errorf("fakests: %w", errorf(codeAccountValidation, msgNotOptInRegion, region))
	case !optIn:
		return fmt.Errorf("fakests: %s is enabled by default: %w", region, newError(codeAccountValidation, msgRegionOptStatus))
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.regions
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := e.logChange(func(c *changeRecord) {
		c.Put = &entities{OptInRegions: []optInRegionJSON{{regionJSON{account, region}, on}}}
	}); err != nil {
		return err
	}
	if s.optIn == nil {
		s.optIn = make(map[string]map[string]bool)
	}
	if s.optIn[account] == nil {
		s.optIn[account] = make(map[string]bool)
	}
	s.optIn[account][region] = on
	s.set.Store(true)
	return nil
}

// DeactivateSTSRegion deactivates the STS endpoint of a region enabled by
// default for account, as the IAM console's account settings do: requests
// that ask for credentials of that account there get RegionDisabledException
// 403 "STS is not activated in this region for account:<account>. …"
// (behaviour §13). us-east-1 cannot be deactivated, and STS in opt-in
// regions is active whenever the region is enabled: both are refused, as is
// a region outside the aws partition.
func (e *Engine) DeactivateSTSRegion(account, region string) error {
	return e.setSTSActive(account, region, false)
}

// ActivateSTSRegion activates again the STS endpoint DeactivateSTSRegion
// deactivated (a region whose endpoint is active changes nothing). It
// refuses what DeactivateSTSRegion refuses, us-east-1 excepted, which is
// always active.
func (e *Engine) ActivateSTSRegion(account, region string) error {
	if region == "us-east-1" && isAccountID(account) {
		return nil
	}
	return e.setSTSActive(account, region, true)
}

// setSTSActive records whether STS is active in region for account.
func (e *Engine) setSTSActive(account, region string, active bool) error {
	if !isAccountID(account) {
		return fmt.Errorf("fakests: account %q is not 12 digits", account)
	}
	optIn, ok := awsRegions[region]
	switch {
	case !ok:
		return fmt.Errorf("fakests: %q is not a region of the aws partition", region)
	case region == "us-east-1":
		return fmt.Errorf("fakests: STS cannot be deactivated in us-east-1")
	case optIn:
		return fmt.Errorf("fakests: %s is an opt-in region, where STS is active whenever the region is enabled (EnableRegion, DisableRegion)", region)
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s := &e.regions
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := e.logChange(func(c *changeRecord) {
		if active {
			c.Delete = &deletions{STSDeactivated: []regionJSON{{account, region}}}
		} else {
			c.Put = &entities{STSDeactivated: []regionJSON{{account, region}}}
		}
	}); err != nil {
		return err
	}
	if active {
		delete(s.stsOff[account], region)
		if len(s.stsOff[account]) == 0 {
			delete(s.stsOff, account)
		}
		return nil
	}
	if s.stsOff == nil {
		s.stsOff = make(map[string]map[string]bool)
	}
	if s.stsOff[account] == nil {
		s.stsOff[account] = make(map[string]bool)
	}
	s.stsOff[account][region] = true
	s.set.Store(true)
	return nil
}
