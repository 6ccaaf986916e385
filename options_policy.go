package fakests

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/session"
	"github.com/fakests/fakests/tags"
)

// Packing of session policies and tags (facts §6)
//
// Every credential-issuing operation that receives session policies (Policy,
// PolicyArns) or session tags packs them into the session token, as STS
// does. fakests models the packing with session.Pack: each inline policy is
// compacted (whitespace outside strings removed) and compressed together
// with the managed policy ARNs; the tags are compressed separately; the sum
// is reported as a percentage of session.PackedCapacity (1,024 compressed
// bytes), rounded up, in PackedPolicySize. The percentages are of the same
// order as AWS's (a small one-statement policy reports about 10–16 %), not
// AWS's exact numbers, which depend on an undocumented binary format.
//
// Over 100 % the request fails with PackedPolicyTooLarge (HTTP 400): when
// the tags alone exceed the allotment with AWS's observed text "Packed size
// of session tags consumes N% of allotted space.", otherwise with "Packed
// policy consumes N% of allotted space, please use smaller policy."
// (unverified). This is the limit as AWS documented it before the 2026-09
// change that replaced it with a 4,096-byte session-token limit
// (SessionTokenUtilization); whether STS still raises PackedPolicyTooLarge
// after that change is unverified (clarifications, Issue 3), so the limit
// can be turned off with WithoutPackedPolicyLimit.

// WithoutPackedPolicyLimit turns off the PackedPolicyTooLarge check: session
// policies and tags of any packed size are accepted, PackedPolicySize
// reports the percentage even when it exceeds 100, and the session token
// grows with the packed size until it reaches the 4,096-byte maximum. Use it to model STS after
// the 2026-09 change, where the session-token size limit
// (MinimumSessionTokenSize, SessionTokenUtilization) is what bounds a
// session. Default: the limit is enforced, as documented before that change.
func WithoutPackedPolicyLimit() Option {
	return func(e *Engine) { e.policyState().noPackedLimit.Store(true) }
}

// pack computes the packed size of a request's session policies and tags
// (packSession), and fails with PackedPolicyTooLarge over 100 % unless the
// engine was made WithoutPackedPolicyLimit.
func (e *Engine) pack(op string, inline *string, arns []types.PolicyDescriptorType, ts []tags.Tag) (session.Packed, error) {
	pk, err := packSession(op, inline, arns, ts)
	if err != nil && e.policyState().noPackedLimit.Load() {
		// The token still grows with what it carries, up to the largest
		// token STS issues (session.MaxTokenSize); the percentage is kept.
		pk.Bytes = min(pk.Bytes, maxPackedPayload)
		return pk, nil
	}
	return pk, err
}

// maxPackedPayload is the most packed bytes a session token can carry on
// top of the largest base payload (a role session's) without exceeding
// session.MaxTokenSize once base64-encoded (16 bytes spare for the header).
const maxPackedPayload = session.MaxTokenSize/4*3 - 16 - payloadRoleSession

// policyState is per-engine state of authorization: the packed-size switch,
// the key that seals authorization messages, and parsed resource policies.
// Every Engine holds one (Engine.authz).
type policyState struct {
	noPackedLimit atomic.Bool

	keyOnce sync.Once
	aead    cipher.AEAD // seals authorization messages; set by keyOnce
	keyErr  error

	resources    sync.Map // resource policy document → *policy.Policy
	resourcesLen atomic.Int32
}

// maxCachedResourcePolicies bounds the parsed resource policies kept per
// engine; further documents are parsed on every call.
const maxCachedResourcePolicies = 1024

// policyState returns e's authorization state.
func (e *Engine) policyState() *policyState { return &e.authz }

// messageAEAD returns the engine's AES-256-GCM sealer of authorization
// messages, drawing its key from the engine's randomness the first time.
func (e *Engine) messageAEAD() (cipher.AEAD, error) {
	s := e.policyState()
	s.keyOnce.Do(func() {
		var key [32]byte
		if _, err := io.ReadFull(e.random(), key[:]); err != nil {
			s.keyErr = fmt.Errorf("fakests: reading the authorization message key: %w", err)
			return
		}
		block, err := aes.NewCipher(key[:])
		if err != nil {
			s.keyErr = err
			return
		}
		s.aead, s.keyErr = cipher.NewGCM(block)
	})
	return s.aead, s.keyErr
}

// resourcePolicy parses a resource-based policy document, caching the
// result per engine.
func (e *Engine) resourcePolicy(doc string) (*policy.Policy, error) {
	s := e.policyState()
	if v, ok := s.resources.Load(doc); ok {
		return v.(*policy.Policy), nil
	}
	p, err := policy.Parse(doc, policy.Resource)
	if err != nil {
		return nil, err
	}
	p.Name = "resource-policy"
	if s.resourcesLen.Load() < maxCachedResourcePolicies {
		if _, loaded := s.resources.LoadOrStore(doc, p); !loaded {
			s.resourcesLen.Add(1)
		}
	}
	return p, nil
}
