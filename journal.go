package fakests

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/sigv4"
	"github.com/fakests/fakests/policy"
)

// This file is the call journal: every STS call the engine answers, on
// every path and failed ones too, kept as a CloudTrail record (behaviour
// §21). The request frame (call.go) hands each finished call to record;
// Events returns them, oldest first.
//
//	evs := e.Events()
//	last := evs[len(evs)-1] // last.EventName, last.ErrorCode, last.RequestID, ...
//
// For Snapshot and Restore: the journal is plain data. journalEvents
// returns its events (as Events does) and restoreJournal replaces them,
// keeping the newest the engine's size allows; nothing else in the journal
// is state (its size is an option of the engine, not part of a snapshot).

// DefaultJournalSize is how many events an engine keeps unless
// WithJournalSize says otherwise: the newest 10,000.
const DefaultJournalSize = 10000

// Event is one call as CloudTrail records it: json.Marshal of an Event is a
// CloudTrail record (eventVersion 1.08) with CloudTrail's field names. The
// Go fields are what tests assert on.
//
// RequestParameters, ResponseElements and AdditionalEventData hold what
// encoding/json decodes from the record's JSON (strings, float64 numbers,
// bools, []any and map[string]any): a request's parameters under their
// CloudTrail names (roleArn, roleSessionName, durationSeconds, ...), and
// for the calls that issue credentials the response without the secret
// access key (credentials.accessKeyId, credentials.sessionToken,
// credentials.expiration as "Feb 9, 2026, 9:57:03 PM"). They are nil (the
// record's null) when the call carried or returned none. No event ever
// holds a secret access key, a web identity token or a SAML assertion.
type Event struct {
	EventVersion string       `json:"eventVersion"`
	UserIdentity UserIdentity `json:"userIdentity"`
	// EventTime is the engine clock's time of the call, to the second, in
	// UTC.
	EventTime time.Time `json:"eventTime"`
	// EventSource is "sts.amazonaws.com", "iam.amazonaws.com" for IAM's
	// control plane (readOnly only for its Get and List operations), or
	// for Authorize decisions the service of the action.
	EventSource string `json:"eventSource"`
	// EventName is the operation, such as "AssumeRole".
	EventName string `json:"eventName"`
	// AWSRegion is the region the request was made in (us-east-1 for the
	// global endpoint).
	AWSRegion string `json:"awsRegion"`
	// SourceIPAddress is the client's address on the Handler, 127.0.0.1
	// for calls made in the process (typed methods, the client adapter).
	SourceIPAddress string `json:"sourceIPAddress"`
	// UserAgent is the request's User-Agent, "fakests" for typed calls.
	UserAgent string `json:"userAgent"`
	// ErrorCode and ErrorMessage are the error the call failed with ("" on
	// success).
	ErrorCode         string         `json:"errorCode,omitempty"`
	ErrorMessage      string         `json:"errorMessage,omitempty"`
	RequestParameters map[string]any `json:"requestParameters"`
	ResponseElements  map[string]any `json:"responseElements"`
	// AdditionalEventData is set only for recorded Authorize decisions
	// (WithAuthorizeEvents).
	AdditionalEventData map[string]any `json:"additionalEventData,omitempty"`
	// RequestID is the x-amzn-RequestId the client saw (on the typed path,
	// the request ID of the returned error).
	RequestID string `json:"requestID"`
	// EventID is unique to this event.
	EventID  string `json:"eventID"`
	ReadOnly bool   `json:"readOnly"`
	// Resources are the resources the request named (the role of
	// AssumeRole, the role and SAML provider of AssumeRoleWithSAML).
	Resources []Resource `json:"resources,omitempty"`
	// EventType is "AwsApiCall".
	EventType       string `json:"eventType"`
	ManagementEvent bool   `json:"managementEvent"`
	// RecipientAccountID is the account whose copy of the event this is.
	RecipientAccountID string `json:"recipientAccountId"`
	// SharedEventID joins the two events of a cross-account call: the
	// caller account's and the resource account's ("" otherwise).
	SharedEventID string `json:"sharedEventID,omitempty"`
	// EventCategory is "Management".
	EventCategory string `json:"eventCategory"`
}

// UserIdentity is who made a call, as CloudTrail's userIdentity element
// says it. Type is IAMUser, AssumedRole, FederatedUser, Root, SAMLUser,
// WebIdentityUser, AWSAccount (the role account's copy of a cross-account
// call) or Unknown (a caller that could not be authenticated).
type UserIdentity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId,omitempty"`
	ARN         string `json:"arn,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	// UserName is the IAM user's name, or the subject of a SAML or web
	// identity caller.
	UserName string `json:"userName,omitempty"`
	// SessionContext describes temporary credentials (nil for long-term
	// keys).
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
	// IdentityProvider is the SAML provider's name qualifier or the web
	// identity provider of a SAMLUser or WebIdentityUser.
	IdentityProvider string `json:"identityProvider,omitempty"`
}

// SessionContext is the sessionContext of temporary credentials.
type SessionContext struct {
	// SessionIssuer is the role (for AssumedRole) or IAM user (for
	// FederatedUser) that issued the session; empty for GetSessionToken
	// sessions, as CloudTrail writes them.
	SessionIssuer *SessionIssuer `json:"sessionIssuer,omitempty"`
	// WebIDFederationData names the identity provider of a session from
	// AssumeRoleWithWebIdentity or AssumeRoleWithSAML.
	WebIDFederationData *WebIDFederationData `json:"webIdFederationData,omitempty"`
	Attributes          SessionAttributes    `json:"attributes"`
	SourceIdentity      string               `json:"sourceIdentity,omitempty"`
	// AssumedRoot is "true" for sessions from AssumeRoot.
	AssumedRoot string `json:"assumedRoot,omitempty"`
}

// SessionIssuer is the principal that issued a session.
type SessionIssuer struct {
	// Type is "Role" or "IAMUser".
	Type        string `json:"type,omitempty"`
	PrincipalID string `json:"principalId,omitempty"`
	// ARN is the role's ARN with its path, or the IAM user's.
	ARN       string `json:"arn,omitempty"`
	AccountID string `json:"accountId,omitempty"`
	UserName  string `json:"userName,omitempty"`
}

// WebIDFederationData names the identity provider behind a federated
// role session.
type WebIDFederationData struct {
	FederatedProvider string            `json:"federatedProvider,omitempty"`
	Attributes        map[string]string `json:"attributes"`
}

// SessionAttributes are when a session was issued and whether MFA was
// proven for it ("true" or "false", a string as in CloudTrail).
type SessionAttributes struct {
	CreationDate     time.Time `json:"creationDate"`
	MFAAuthenticated string    `json:"mfaAuthenticated"`
}

// Resource is a resource a request named.
type Resource struct {
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId"`
	Type      string `json:"type"`
}

// journalState is an engine's journal: a ring of the newest entries.
type journalState struct {
	// size is WithJournalSize's n plus one; 0 means the default.
	size int
	// authorize records Authorize decisions (WithAuthorizeEvents).
	authorize bool

	mu      sync.Mutex // guards ring, next, n
	ring    []journalEntry
	next, n int // next slot to write; entries held
}

// journalEntry is one event as the journal keeps it, in as few heap
// objects as a call allows (one, the JSON): the event without its maps and
// resources, the JSON the maps are decoded from, the resources inline, and
// the random bits of IDs not yet formatted.
type journalEntry struct {
	ev Event
	// data holds requestParameters, responseElements and
	// additionalEventData one after the other, split at reqEnd and
	// respEnd; an empty part is null.
	data            []byte
	reqEnd, respEnd int
	// res holds the first resources, more the rest (rare).
	res  [2]Resource
	nres int
	more []Resource
	// eventID, and requestID when ev.RequestID is "", are formatted when
	// the event is read (Events): a typed call's success has no request ID
	// until then.
	eventID, requestID idBits
}

// setData stores the three JSON parts in one allocation.
func (en *journalEntry) setData(req, resp, extra []byte) {
	n := len(req) + len(resp) + len(extra)
	if n == 0 {
		return
	}
	data := make([]byte, 0, n)
	data = append(append(append(data, req...), resp...), extra...)
	en.data, en.reqEnd, en.respEnd = data, len(req), len(req)+len(resp)
}

// part returns one JSON part, nil for null.
func part(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// addResource appends a resource.
func (en *journalEntry) addResource(r Resource) {
	if en.nres < len(en.res) {
		en.res[en.nres] = r
		en.nres++
		return
	}
	en.more = append(en.more, r)
}

// resources returns a new slice of the entry's resources (nil for none).
func (en *journalEntry) resources() []Resource {
	if en.nres == 0 {
		return nil
	}
	rs := make([]Resource, 0, en.nres+len(en.more))
	return append(append(rs, en.res[:en.nres]...), en.more...)
}

// WithJournalSize sets how many events the journal keeps: the newest n.
// 0 turns the journal off. Default: DefaultJournalSize (10,000).
func WithJournalSize(n int) Option {
	return func(e *Engine) { e.journal.size = max(n, 0) + 1 }
}

// WithAuthorizeEvents records every Authorize decision in the journal, for
// emulators built on fakests: the event is named after the action
// (eventSource "s3.amazonaws.com", eventName "GetObject"), carries
// errorCode AccessDenied when denied, and its additionalEventData's
// "authorization" says which policy statement decided (behaviour §21).
// Default: Authorize records nothing.
func WithAuthorizeEvents() Option {
	return func(e *Engine) { e.journal.authorize = true }
}

// capacity returns how many events the journal keeps.
func (j *journalState) capacity() int {
	if j.size == 0 {
		return DefaultJournalSize
	}
	return j.size - 1
}

// Events returns the journal: every STS call the engine answered, on every
// path (typed methods, client adapter, Handler), failed ones included,
// oldest first, as CloudTrail records them (behaviour §21). At most the
// newest WithJournalSize events are kept (default 10,000). The slice and
// its events are a copy: changing them changes nothing in the engine.
//
// A call is journaled once its operation is known: requests the wire
// refuses before that (a malformed form, an unknown Action, a parameter
// that does not parse) are not, nor is a call whose context ended during
// an injected Delay (no answer was sent).
func (e *Engine) Events() []Event { return e.journalEvents() }

// ResetEvents empties the journal.
func (e *Engine) ResetEvents() {
	j := &e.journal
	j.mu.Lock()
	j.resetLocked()
	j.mu.Unlock()
}

// resetLocked empties the ring, keeping its memory; j.mu is held.
func (j *journalState) resetLocked() {
	clear(j.ring)
	j.ring = j.ring[:0]
	j.next, j.n = 0, 0
}

// journalEvents returns the journal's events, oldest first (Events; for
// Snapshot).
func (e *Engine) journalEvents() []Event {
	j := &e.journal
	j.mu.Lock()
	entries := make([]journalEntry, 0, j.n)
	for i := 0; i < j.n; i++ {
		// The oldest entry is at 0 until the ring is full, then at next.
		entries = append(entries, j.ring[(j.next-j.n+len(j.ring)+i)%len(j.ring)])
	}
	j.mu.Unlock()
	if len(entries) == 0 {
		return nil
	}
	evs := make([]Event, len(entries))
	for i := range entries {
		evs[i] = entries[i].event()
	}
	return evs
}

// restoreJournal replaces the journal with evs (oldest first), keeping the
// newest the journal's capacity allows (for Restore). The events are
// copied.
func (e *Engine) restoreJournal(evs []Event) {
	j := &e.journal
	capacity := j.capacity()
	if len(evs) > capacity {
		evs = evs[len(evs)-capacity:]
	}
	entries := make([]journalEntry, len(evs))
	for i := range evs {
		entries[i] = entryOf(evs[i])
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.resetLocked()
	for i := range entries {
		j.addLocked(entries[i], capacity)
	}
}

// event returns the entry's event with its maps decoded afresh.
func (en *journalEntry) event() Event {
	ev := en.ev
	ev.UserIdentity = en.ev.UserIdentity.clone()
	ev.Resources = en.resources()
	if ev.EventID == "" {
		ev.EventID = formatID(en.eventID)
	}
	if ev.RequestID == "" {
		ev.RequestID = formatID(en.requestID)
	}
	ev.RequestParameters = decodeObject(part(en.data[:en.reqEnd]))
	ev.ResponseElements = decodeObject(part(en.data[en.reqEnd:en.respEnd]))
	ev.AdditionalEventData = decodeObject(part(en.data[en.respEnd:]))
	return ev
}

// entryOf is the journal entry of an event given back by Restore.
func entryOf(ev Event) journalEntry {
	en := journalEntry{ev: ev}
	en.setData(encodeObject(ev.RequestParameters), encodeObject(ev.ResponseElements), encodeObject(ev.AdditionalEventData))
	en.ev.RequestParameters, en.ev.ResponseElements, en.ev.AdditionalEventData, en.ev.Resources = nil, nil, nil, nil
	en.ev.UserIdentity = ev.UserIdentity.clone()
	for _, r := range ev.Resources {
		en.addResource(r)
	}
	return en
}

// clone returns a deep copy of the identity.
func (u UserIdentity) clone() UserIdentity {
	if u.SessionContext != nil {
		sc := *u.SessionContext
		if sc.SessionIssuer != nil {
			si := *sc.SessionIssuer
			sc.SessionIssuer = &si
		}
		if sc.WebIDFederationData != nil {
			w := *sc.WebIDFederationData
			w.Attributes = make(map[string]string, len(w.Attributes))
			for k, v := range sc.WebIDFederationData.Attributes {
				w.Attributes[k] = v
			}
			sc.WebIDFederationData = &w
		}
		u.SessionContext = &sc
	}
	return u
}

// decodeObject decodes a JSON object the journal wrote; nil stays nil.
func decodeObject(b []byte) map[string]any {
	if b == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		// The journal wrote b itself: it always decodes.
		panic("fakests: journal entry does not decode: " + err.Error())
	}
	return m
}

// encodeObject encodes m for the journal; nil stays nil. Values that JSON
// cannot hold (a function, a channel) make the object null.
func encodeObject(m map[string]any) []byte {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}

// add appends entries, dropping the oldest beyond the journal's capacity.
func (j *journalState) add(entries ...journalEntry) {
	capacity := j.capacity()
	j.mu.Lock()
	for i := range entries {
		j.addLocked(entries[i], capacity)
	}
	j.mu.Unlock()
}

// addLocked appends one entry; j.mu is held. The ring grows with use up
// to capacity (an engine that sees few calls holds few entries), then the
// newest entry overwrites the oldest.
func (j *journalState) addLocked(en journalEntry, capacity int) {
	if capacity == 0 {
		return
	}
	if len(j.ring) < capacity {
		j.ring = append(j.ring, en)
		j.n = len(j.ring)
		j.next = j.n % capacity
		return
	}
	j.ring[j.next] = en
	j.next = (j.next + 1) % capacity
	j.n = capacity
}

// Values CloudTrail writes for every STS event (behaviour §21).
const (
	ctEventVersion   = "1.08"
	ctEventSourceSTS = "sts.amazonaws.com"
	ctEventType      = "AwsApiCall"
	ctEventCategory  = "Management"
	// ctInProcessIP and ctTypedUserAgent stand for the client of calls
	// that never crossed a network (fakests' choice, behaviour §21).
	ctInProcessIP    = "127.0.0.1"
	ctTypedUserAgent = "fakests"
	// ctTimeLayout is eventTime's and creationDate's form.
	ctTimeLayout = "2006-01-02T15:04:05Z"
)

// noResponseElements lists the operations whose events carry no
// responseElements although they succeed (behaviour §21).
var noResponseElements = map[string]bool{
	opGetCallerIdentity:          true,
	opGetAccessKeyInfo:           true,
	opDecodeAuthorizationMessage: true,
}

// resourceMembers names, per operation, the input members that name the
// resources of its events and their CloudTrail types (behaviour §21).
var resourceMembers = map[string][]struct{ member, typ string }{
	opAssumeRole:                {{"RoleArn", "AWS::IAM::Role"}},
	opAssumeRoleWithSAML:        {{"RoleArn", "AWS::IAM::Role"}, {"PrincipalArn", "AWS::IAM::SAMLProvider"}},
	opAssumeRoleWithWebIdentity: {{"RoleArn", "AWS::IAM::Role"}},
}

// record journals the finished call c: its input, its output out on
// success, else err.
func (e *Engine) record(ctx context.Context, c *apiCall, out any, err error) {
	j := &e.journal
	if j.capacity() == 0 {
		return
	}
	region := c.region
	if region == "" {
		region, _ = resolveRegion(e.region)
	}
	var en journalEntry
	source, readOnly := ctEventSourceSTS, true
	if isIAMOp(c.op) { // IAM's control plane (iam_wire.go)
		source, readOnly = iamEventSource, iamReadOnly(c.op)
	}
	en.ev = Event{
		EventVersion: ctEventVersion, EventSource: source, EventName: c.op, EventType: ctEventType,
		EventCategory: ctEventCategory, ManagementEvent: true, ReadOnly: readOnly,
		EventTime: e.now().UTC().Truncate(time.Second), AWSRegion: region,
		RequestID: c.requestID, SourceIPAddress: ctInProcessIP, UserAgent: ctTypedUserAgent,
	}
	ev := &en.ev
	en.eventID = drawID()
	if ev.RequestID == "" {
		if err != nil {
			ev.RequestID = c.ID() // the typed error carries it
		} else {
			en.requestID = drawID()
		}
	}
	if c.req != nil {
		ev.UserAgent = c.req.UserAgent()
		if c.req.RemoteAddr != "" { // the adapter's request has none
			if host, _, err := net.SplitHostPort(c.req.RemoteAddr); err == nil {
				ev.SourceIPAddress = host
			}
		}
	}

	// The JSON parts, written into a scratch buffer and kept in one
	// allocation.
	scratch := scratchPool.Get().(*[]byte)
	buf, reqOK := appendMembers((*scratch)[:0], c.in)
	reqEnd := len(buf)
	if err != nil {
		ae := apierror.From(err)
		ev.ErrorCode, ev.ErrorMessage = ae.Code, ae.Message
	} else if !noResponseElements[c.op] {
		buf, _ = appendMembers(buf, out)
	}
	if !reqOK {
		reqEnd = 0
	}
	en.setData(buf[:reqEnd], buf[reqEnd:], nil)
	if cap(buf) <= 64<<10 { // a huge request's buffer is not kept
		*scratch = buf
		scratchPool.Put(scratch)
	}

	if specs := resourceMembers[c.op]; len(specs) > 0 {
		if v := inputStruct(c.in); v.IsValid() {
			for _, s := range specs {
				if r, ok := resourceOf(v, s.member, s.typ); ok {
					en.addResource(r)
				}
			}
		}
	}
	p := c.principal
	signed := p != nil && p.Type != Anonymous
	switch {
	case signed:
		ev.UserIdentity = identityOf(p)
		ev.RecipientAccountID = p.Account
	case unsignedOp(c.op):
		ev.UserIdentity = federatedIdentity(c.op, out)
	default:
		ev.UserIdentity = UserIdentity{Type: "Unknown", AccessKeyID: attemptedKeyID(ctx, c)}
	}
	if ev.RecipientAccountID == "" {
		ev.RecipientAccountID = e.account
		if en.nres > 0 {
			ev.RecipientAccountID = en.res[0].AccountID
		}
	}
	// A call on another account's resource is delivered to both accounts,
	// joined by sharedEventID; the resource account sees the caller as
	// AWSAccount (behaviour §21).
	if signed && en.nres > 0 && en.res[0].AccountID != p.Account {
		ev.SharedEventID = newRequestID()
		other := en
		other.eventID = drawID()
		other.ev.RecipientAccountID = en.res[0].AccountID
		other.ev.UserIdentity = UserIdentity{Type: "AWSAccount", PrincipalID: p.UserID, AccountID: p.Account}
		j.add(en, other)
		return
	}
	j.add(en)
}

// scratchPool holds buffers that record writes JSON into before copying it
// to its one allocation.
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// resourcesOf returns the resources the input of op names, in the order of
// resourceMembers.
func resourcesOf(op string, in any) []Resource {
	specs := resourceMembers[op]
	v := inputStruct(in)
	if len(specs) == 0 || !v.IsValid() {
		return nil
	}
	var rs []Resource
	for _, s := range specs {
		if r, ok := resourceOf(v, s.member, s.typ); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// inputStruct returns the struct in points to, or an invalid Value.
func inputStruct(in any) reflect.Value {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem()
}

// resourceOf returns the resource that member of the input struct v names:
// none unless it is an ARN with an account.
func resourceOf(v reflect.Value, member, typ string) (Resource, bool) {
	f := v.FieldByName(member)
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
		return Resource{}, false
	}
	a := f.Elem().String()
	parsed, ok := arn.Parse(a)
	if !ok || parsed.Account == "" {
		return Resource{}, false
	}
	return Resource{ARN: a, AccountID: parsed.Account, Type: typ}, true
}

// identityOf returns the userIdentity of a signed caller (behaviour §21).
func identityOf(p *Principal) UserIdentity {
	id := UserIdentity{PrincipalID: p.UserID, ARN: p.ARN, AccountID: p.Account, AccessKeyID: p.AccessKeyID}
	switch p.Type {
	case Root:
		id.Type = "Root"
	case IAMUser:
		id.Type = "IAMUser"
		if p.user != nil {
			id.UserName = p.user.name
		}
	case AssumedRole:
		id.Type = "AssumedRole"
	case FederatedUser:
		id.Type = "FederatedUser"
	}
	if !p.Temporary {
		return id
	}
	sc := &SessionContext{SourceIdentity: p.SourceIdentity,
		Attributes: SessionAttributes{CreationDate: p.IssuedAt.UTC().Truncate(time.Second), MFAAuthenticated: "false"}}
	if s := p.sess; s != nil {
		if !s.mfaAt.IsZero() {
			sc.Attributes.MFAAuthenticated = "true"
		}
		if s.root && s.origin == opAssumeRoot {
			sc.AssumedRoot = "true"
		}
		if s.federated != "" {
			sc.WebIDFederationData = &WebIDFederationData{FederatedProvider: s.federated, Attributes: map[string]string{}}
		}
	}
	switch {
	case p.Type == AssumedRole && p.role != nil:
		r := p.role
		sc.SessionIssuer = &SessionIssuer{Type: "Role", PrincipalID: r.id, ARN: r.arn, AccountID: r.account, UserName: r.name}
	case p.Type == FederatedUser && p.user != nil:
		u := p.user
		sc.SessionIssuer = &SessionIssuer{Type: "IAMUser", PrincipalID: u.id, ARN: u.arn, AccountID: u.account, UserName: u.name}
	default:
		// GetSessionToken and root sessions: CloudTrail writes both
		// elements empty.
		sc.SessionIssuer = &SessionIssuer{}
		if sc.WebIDFederationData == nil {
			sc.WebIDFederationData = &WebIDFederationData{Attributes: map[string]string{}}
		}
	}
	id.SessionContext = sc
	return id
}

// federatedIdentity returns the userIdentity of an unsigned call, from what
// its answer says of the identity provider's user (behaviour §21): a
// SAMLUser is "<name qualifier>:<subject>", a WebIdentityUser
// "<provider>:<audience>:<subject>". A call that failed says only the type.
func federatedIdentity(op string, out any) UserIdentity {
	switch o := out.(type) {
	case *sts.AssumeRoleWithSAMLOutput:
		if o != nil {
			q, sub := deref(o.NameQualifier), deref(o.Subject)
			return UserIdentity{Type: "SAMLUser", PrincipalID: q + ":" + sub, UserName: sub, IdentityProvider: q}
		}
	case *sts.AssumeRoleWithWebIdentityOutput:
		if o != nil {
			prov, aud, sub := deref(o.Provider), deref(o.Audience), deref(o.SubjectFromWebIdentityToken)
			return UserIdentity{Type: "WebIdentityUser", PrincipalID: prov + ":" + aud + ":" + sub, UserName: sub, IdentityProvider: prov}
		}
	}
	if op == opAssumeRoleWithSAML {
		return UserIdentity{Type: "SAMLUser"}
	}
	return UserIdentity{Type: "WebIdentityUser"}
}

// attemptedKeyID returns the access key ID a call that failed
// authentication presented, if any: the signature's on the wire, the
// credentials' on the typed path.
func attemptedKeyID(ctx context.Context, c *apiCall) string {
	if c.req != nil {
		if sig, err := sigv4.Parse(c.req); err == nil && sig != nil {
			return sig.AccessKeyID
		}
		return ""
	}
	if c.creds != nil {
		return strings.TrimSpace(c.creds.AccessKeyID)
	}
	if creds, ok := callerCreds(ctx); ok {
		return strings.TrimSpace(creds.AccessKeyID)
	}
	return ""
}

// recordAuthorize journals an Authorize decision d on principal p
// (WithAuthorizeEvents, behaviour §21): an event of the action's service,
// failed with AccessDenied when denied, whose additionalEventData says
// which statement decided.
func (e *Engine) recordAuthorize(ctx context.Context, p *Principal, d *Decision) {
	if e.journal.capacity() == 0 {
		return
	}
	service, name, ok := strings.Cut(d.Action, ":")
	if !ok {
		service, name = "", d.Action
	}
	region := p.region
	if region == "" {
		region, _ = resolveRegion(e.region)
	}
	ev := Event{
		EventVersion: ctEventVersion, EventSource: strings.ToLower(service) + ".amazonaws.com", EventName: name,
		EventType: ctEventType, EventCategory: ctEventCategory, ManagementEvent: true,
		EventTime: e.now().UTC().Truncate(time.Second), AWSRegion: region,
		RequestID: newRequestID(), EventID: newRequestID(),
		SourceIPAddress: ctInProcessIP, UserAgent: ctTypedUserAgent,
		UserIdentity: identityOf(p), RecipientAccountID: p.Account,
	}
	if p.Type == Anonymous {
		ev.UserIdentity = UserIdentity{Type: "AWSAccount", AccountID: "anonymous"} // as CloudTrail writes anonymous callers
	}
	if acct := resourceAccount(d.Resource, d.Context); acct != "" {
		ev.RecipientAccountID = acct
	}
	if ri, ok := requestInfoFrom(ctx); ok {
		ev.UserAgent = ri.userAgent
		if ri.sourceIP != "" {
			ev.SourceIPAddress = ri.sourceIP
		}
	} else if p.via != nil {
		ev.UserAgent = p.via.userAgent
		if p.via.sourceIP != "" {
			ev.SourceIPAddress = p.via.sourceIP
		}
	}
	auth := authorizationRecord{Action: d.Action, Resource: d.Resource, Decision: "Deny", Reasons: d.Reasons}
	if d.Allowed {
		auth.Decision = "Allow"
	} else {
		ev.ErrorCode = apierror.CodeAccessDenied
		ev.ErrorMessage = fmt.Sprintf(msgNotAuthorized, p.ARN, d.Action, d.Resource)
	}
	if m := decidingStatement(d); m != nil {
		auth.DecidingStatement = &statementRecord{Policy: m.Policy, Sid: m.Sid, Index: m.Index, Effect: string(m.Effect)}
	}
	extra, err := json.Marshal(map[string]any{"authorization": auth})
	if err != nil {
		extra = nil
	}
	en := journalEntry{ev: ev}
	en.setData(nil, nil, extra)
	e.journal.add(en)
}

// authorizationRecord is what an Authorize event's additionalEventData
// holds under "authorization".
type authorizationRecord struct {
	Action            string           `json:"action"`
	Resource          string           `json:"resource"`
	Decision          string           `json:"decision"` // "Allow" or "Deny"
	DecidingStatement *statementRecord `json:"decidingStatement,omitempty"`
	Reasons           []string         `json:"reasons,omitempty"`
}

// statementRecord names a policy statement.
type statementRecord struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
}

// decidingStatement returns the statement that decided d: the first Deny
// that applied when one did, else the first Allow of an allowed request;
// nil for an implicit deny and for root, which no statement decides.
func decidingStatement(d *Decision) *policy.Match {
	want := policy.Allow
	switch {
	case d.ExplicitDeny:
		want = policy.Deny
	case !d.Allowed:
		return nil
	}
	for i := range d.Matched {
		if d.Matched[i].Effect == want {
			return &d.Matched[i]
		}
	}
	return nil
}
