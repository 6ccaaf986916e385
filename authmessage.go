package fakests

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fakests/fakests/policy"
)

// This file encodes and decodes authorization messages. An encoded message
// is opaque, as AWS's are: the decoded JSON is compressed and sealed with
// AES-256-GCM under a key only this engine holds (drawn from its randomness
// on first use), with a random nonce, and written as URL-safe base64
// without padding. Only the engine that encoded a message can decode it;
// any other string is InvalidAuthorizationMessageException. Messages do not
// expire (AWS's may; unverified).

// messageVersion is the first byte of every sealed message.
const messageVersion = 1

// messageAAD binds a sealed message to its purpose.
var messageAAD = []byte("fakests authorization message v1")

// maxDecodedMessage caps the inflated JSON of a message.
const maxDecodedMessage = 1 << 20

// The decoded JSON layout of behaviour §11.5: compact, with "items" wrappers.
// The matched-statement layout (statementId, effect in capitals, principals,
// principalGroups, actions, resources, conditions) follows AWS's documented
// example; its conditions are left empty (unverified).
type (
	authMessage struct {
		Allowed           bool           `json:"allowed"`
		ExplicitDeny      bool           `json:"explicitDeny"`
		MatchedStatements items[msgStmt] `json:"matchedStatements"`
		Failures          items[string]  `json:"failures"`
		Context           msgContext     `json:"context"`
	}
	items[T any] struct {
		Items []T `json:"items"`
	}
	msgValue struct {
		Value string `json:"value"`
	}
	msgStmt struct {
		StatementID     string          `json:"statementId"`
		Effect          string          `json:"effect"`
		Principals      items[msgValue] `json:"principals"`
		PrincipalGroups items[msgValue] `json:"principalGroups"`
		Actions         items[msgValue] `json:"actions"`
		Resources       items[msgValue] `json:"resources"`
		Conditions      items[msgValue] `json:"conditions"`
	}
	msgContext struct {
		Principal  msgPrincipal        `json:"principal"`
		Action     string              `json:"action"`
		Resource   string              `json:"resource"`
		Conditions items[msgCondition] `json:"conditions"`
	}
	msgPrincipal struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
		ARN  string `json:"arn"`
	}
	msgCondition struct {
		Key    string          `json:"key"`
		Values items[msgValue] `json:"values"`
	}
)

// EncodeAuthorizationMessage returns the encoded authorization message a
// service sends with a denial ("Encoded authorization failure message:
// ..."), for the caller to decode with DecodeAuthorizationMessage on this
// engine. The decoded message says whether the request was allowed or
// explicitly denied, which statements applied (the Deny statements when one
// applied), the principal (id, name for IAM users, ARN), the action, the
// resource and every condition key with its values, sorted by key. A nil
// decision encodes an empty one.
func (e *Engine) EncodeAuthorizationMessage(d *Decision) string {
	if d == nil {
		d = &Decision{}
	}
	var plain bytes.Buffer
	zw, _ := flate.NewWriter(&plain, flate.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	enc.Encode(messageOf(d)) // a plain struct of strings and bools: cannot fail
	zw.Close()

	aead, err := e.messageAEAD()
	if err != nil {
		// The engine's randomness or its change log failed: seal with a
		// key nobody keeps, so the message never decodes rather than the
		// caller's service failing.
		aead = throwawayAEAD()
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+plain.Len()+aead.Overhead())
	out[0] = messageVersion
	if _, err := io.ReadFull(e.random(), out[1:]); err != nil {
		// A nonce must never repeat; fall back to the system's randomness.
		rand.Read(out[1:])
	}
	out = aead.Seal(out, out[1:1+aead.NonceSize()], plain.Bytes(), messageAAD)
	return base64.RawURLEncoding.EncodeToString(out)
}

// errInvalidMessage is returned by openAuthorizationMessage for input this
// engine did not encode.
var errInvalidMessage = errors.New("invalid authorization message")

// openAuthorizationMessage opens an encoded message and returns its JSON.
func (e *Engine) openAuthorizationMessage(msg string) (string, error) {
	// Go's decoder skips line breaks; AWS refuses them (behaviour §11.5).
	if strings.ContainsAny(msg, "\r\n") {
		return "", errInvalidMessage
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(msg)
	if err != nil {
		return "", errInvalidMessage
	}
	// No key yet: this engine never encoded a message (and decoding one
	// is no reason to draw a key).
	k := e.policyState().key.Load()
	if k == nil {
		return "", errInvalidMessage
	}
	aead := k.aead
	n := aead.NonceSize()
	if len(raw) < 1+n+aead.Overhead() || raw[0] != messageVersion {
		return "", errInvalidMessage
	}
	plain, err := aead.Open(nil, raw[1:1+n], raw[1+n:], messageAAD)
	if err != nil {
		return "", errInvalidMessage
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(plain)), maxDecodedMessage+1))
	if err != nil || len(js) > maxDecodedMessage || !json.Valid(js) {
		return "", errInvalidMessage
	}
	return strings.TrimSuffix(string(js), "\n"), nil
}

// messageOf lays a decision out as AWS's decoded message.
func messageOf(d *Decision) *authMessage {
	m := &authMessage{Allowed: d.Allowed, ExplicitDeny: d.ExplicitDeny,
		MatchedStatements: items[msgStmt]{Items: []msgStmt{}}, Failures: items[string]{Items: []string{}}}
	m.Context.Action, m.Context.Resource = d.Action, d.Resource
	principalID := ""
	if p := d.Principal; p != nil {
		m.Context.Principal = msgPrincipal{ID: p.UserID, ARN: p.ARN}
		if p.Type == IAMUser && p.user != nil {
			m.Context.Principal.Name = p.user.name
		}
		principalID, _, _ = strings.Cut(p.UserID, ":")
	}
	for _, match := range d.Matched {
		if d.ExplicitDeny && match.Effect != policy.Deny {
			continue
		}
		st := msgStmt{StatementID: match.Sid, Effect: strings.ToUpper(string(match.Effect)),
			Principals: values(principalID), PrincipalGroups: values(), Conditions: values()}
		st.Actions, st.Resources = values(match.Actions...), values(match.Resources...)
		m.MatchedStatements.Items = append(m.MatchedStatements.Items, st)
	}
	keys := make([]string, 0, len(d.Context))
	for k := range d.Context {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	m.Context.Conditions.Items = make([]msgCondition, 0, len(keys))
	for _, k := range keys {
		m.Context.Conditions.Items = append(m.Context.Conditions.Items, msgCondition{Key: k, Values: values(d.Context[k]...)})
	}
	return m
}

// values wraps strings as {"items":[{"value":...}]}, dropping empty ones.
func values(vs ...string) items[msgValue] {
	out := items[msgValue]{Items: make([]msgValue, 0, len(vs))}
	for _, v := range vs {
		if v != "" {
			out.Items = append(out.Items, msgValue{Value: v})
		}
	}
	return out
}

// messageKey is the key that seals an engine's authorization messages:
// its 32 bytes (kept for snapshots) and the AES-256-GCM sealer made of them.
type messageKey struct {
	raw  []byte
	aead cipher.AEAD
}

// newMessageKey makes the sealer of a 32-byte key.
func newMessageKey(raw []byte) (*messageKey, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &messageKey{raw: raw, aead: aead}, nil
}

// throwawayAEAD returns a sealer under a fresh key from the system's
// randomness, which nobody keeps.
func throwawayAEAD() cipher.AEAD {
	raw := make([]byte, 32)
	rand.Read(raw)
	k, err := newMessageKey(raw)
	if err != nil {
		panic("fakests: AES-256-GCM refused a 32-byte key: " + err.Error())
	}
	return k.aead
}

// messageAEAD returns the engine's AES-256-GCM sealer of authorization
// messages, drawing its key from the engine's randomness the first time
// (a change of the engine's state: snapshots and the change log keep the
// key, so that a restored engine decodes the messages this one encoded).
func (e *Engine) messageAEAD() (cipher.AEAD, error) {
	s := e.policyState()
	if k := s.key.Load(); k != nil {
		return k.aead, nil
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if k := s.key.Load(); k != nil {
		return k.aead, nil
	}
	raw := make([]byte, 32)
	if _, err := io.ReadFull(e.random(), raw); err != nil {
		return nil, fmt.Errorf("fakests: reading the authorization message key: %w", err)
	}
	k, err := newMessageKey(raw)
	if err != nil {
		return nil, err
	}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{AuthorizationMessageKey: raw} }); err != nil {
		return nil, err
	}
	s.key.Store(k)
	return k.aead, nil
}
