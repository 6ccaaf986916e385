package fakests

import (
	"bytes"
	"slices"
)

// This file is the journal's part of a snapshot (behaviour §23): its
// entries as the journal keeps them (copied as they are, with their JSON
// parts shared: an entry's bytes never change once written), and as
// CloudTrail records in the snapshot's JSON.

// journalList is a snapshot's journal, oldest first.
type journalList []journalEntry

// entries returns a copy of the journal's entries, oldest first.
func (j *journalState) entries() journalList {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.n == 0 {
		return nil
	}
	out := make(journalList, j.n)
	for i := range out {
		// The oldest entry is at 0 until the ring is full, then at next.
		out[i] = j.ring[(j.next-j.n+len(j.ring)+i)%len(j.ring)]
	}
	return out
}

// replace makes entries the journal, keeping the newest its capacity
// allows.
func (j *journalState) replace(entries journalList) {
	capacity := j.capacity()
	if len(entries) > capacity {
		entries = entries[len(entries)-capacity:]
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.resetLocked()
	for i := range entries {
		j.addLocked(entries[i], capacity)
	}
}

// MarshalJSON writes the journal as an array of CloudTrail records.
func (l journalList) MarshalJSON() ([]byte, error) { return l.appendJSON(nil) }

// appendJSON appends the journal's records.
func (l journalList) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, '[')
	for i := range l {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = l[i].appendJSON(buf); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// appendJSON appends the entry's CloudTrail record: its members in
// Event's order, named and left out as Event's struct tags say, its maps
// as the JSON the journal holds.
func (en *journalEntry) appendJSON(buf []byte) ([]byte, error) {
	ev := &en.ev
	var err error
	buf = append(buf, '{')
	buf = appendStringMember(buf, "eventVersion", ev.EventVersion, false)
	if buf, err = appendUserIdentity(appendKey(buf, "userIdentity"), &ev.UserIdentity); err != nil {
		return nil, err
	}
	if buf, err = appendTime(appendKey(buf, "eventTime"), ev.EventTime); err != nil {
		return nil, err
	}
	buf = appendStringMember(buf, "eventSource", ev.EventSource, false)
	buf = appendStringMember(buf, "eventName", ev.EventName, false)
	buf = appendStringMember(buf, "awsRegion", ev.AWSRegion, false)
	buf = appendStringMember(buf, "sourceIPAddress", ev.SourceIPAddress, false)
	buf = appendStringMember(buf, "userAgent", ev.UserAgent, false)
	buf = appendStringMember(buf, "errorCode", ev.ErrorCode, true)
	buf = appendStringMember(buf, "errorMessage", ev.ErrorMessage, true)
	buf = appendRaw(appendKey(buf, "requestParameters"), en.data[:en.reqEnd])
	buf = appendRaw(appendKey(buf, "responseElements"), en.data[en.reqEnd:en.respEnd])
	if extra := en.data[en.respEnd:]; len(extra) > 0 {
		buf = append(appendKey(buf, "additionalEventData"), extra...)
	}
	requestID, eventID := ev.RequestID, ev.EventID
	if requestID == "" {
		requestID = formatID(en.requestID)
	}
	if eventID == "" {
		eventID = formatID(en.eventID)
	}
	buf = appendStringMember(buf, "requestID", requestID, false)
	buf = appendStringMember(buf, "eventID", eventID, false)
	buf = appendBoolMember(buf, "readOnly", ev.ReadOnly, false)
	if en.nres > 0 {
		buf = append(appendKey(buf, "resources"), '[')
		for i, r := range en.resources() {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '{')
			buf = appendStringMember(buf, "ARN", r.ARN, false)
			buf = appendStringMember(buf, "accountId", r.AccountID, false)
			buf = appendStringMember(buf, "type", r.Type, false)
			buf = append(buf, '}')
		}
		buf = append(buf, ']')
	}
	buf = appendStringMember(buf, "eventType", ev.EventType, false)
	buf = appendBoolMember(buf, "managementEvent", ev.ManagementEvent, false)
	buf = appendStringMember(buf, "recipientAccountId", ev.RecipientAccountID, false)
	buf = appendStringMember(buf, "sharedEventID", ev.SharedEventID, true)
	buf = appendStringMember(buf, "eventCategory", ev.EventCategory, false)
	return append(buf, '}'), nil
}

// appendRaw appends a JSON part the journal holds, null when empty.
func appendRaw(buf, raw []byte) []byte {
	if len(raw) == 0 {
		return append(buf, "null"...)
	}
	return append(buf, raw...)
}

// appendUserIdentity appends a userIdentity element.
func appendUserIdentity(buf []byte, u *UserIdentity) ([]byte, error) {
	buf = append(buf, '{')
	buf = appendStringMember(buf, "type", u.Type, false)
	buf = appendStringMember(buf, "principalId", u.PrincipalID, true)
	buf = appendStringMember(buf, "arn", u.ARN, true)
	buf = appendStringMember(buf, "accountId", u.AccountID, true)
	buf = appendStringMember(buf, "accessKeyId", u.AccessKeyID, true)
	buf = appendStringMember(buf, "userName", u.UserName, true)
	if sc := u.SessionContext; sc != nil {
		buf = append(appendKey(buf, "sessionContext"), '{')
		if si := sc.SessionIssuer; si != nil {
			buf = append(appendKey(buf, "sessionIssuer"), '{')
			buf = appendStringMember(buf, "type", si.Type, true)
			buf = appendStringMember(buf, "principalId", si.PrincipalID, true)
			buf = appendStringMember(buf, "arn", si.ARN, true)
			buf = appendStringMember(buf, "accountId", si.AccountID, true)
			buf = appendStringMember(buf, "userName", si.UserName, true)
			buf = append(buf, '}')
		}
		if w := sc.WebIDFederationData; w != nil {
			buf = append(appendKey(buf, "webIdFederationData"), '{')
			buf = appendStringMember(buf, "federatedProvider", w.FederatedProvider, true)
			buf = appendKey(buf, "attributes")
			if w.Attributes == nil {
				buf = append(buf, "null"...)
			} else {
				buf = append(buf, '{')
				keys := make([]string, 0, len(w.Attributes))
				for k := range w.Attributes {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					buf = appendJSONString(appendEscapedKey(buf, k), w.Attributes[k])
				}
				buf = append(buf, '}')
			}
			buf = append(buf, '}')
		}
		buf = append(appendKey(buf, "attributes"), '{')
		var err error
		if buf, err = appendTime(appendKey(buf, "creationDate"), sc.Attributes.CreationDate); err != nil {
			return nil, err
		}
		buf = appendStringMember(buf, "mfaAuthenticated", sc.Attributes.MFAAuthenticated, false)
		buf = append(buf, '}')
		buf = appendStringMember(buf, "sourceIdentity", sc.SourceIdentity, true)
		buf = appendStringMember(buf, "assumedRoot", sc.AssumedRoot, true)
		buf = append(buf, '}')
	}
	buf = appendStringMember(buf, "identityProvider", u.IdentityProvider, true)
	return append(buf, '}'), nil
}

// UnmarshalJSON reads the records MarshalJSON wrote. Each map must be a
// JSON object or null, as the journal writes them.
func (l *journalList) UnmarshalJSON(b []byte) error {
	r := jsonReader{b: b}
	*l = r.journal()
	if r.ws(); r.err == nil && r.i != len(b) {
		r.fail("data after the journal")
	}
	return r.err
}

// journal reads a journal's records.
func (r *jsonReader) journal() journalList {
	if r.null() {
		return nil
	}
	out := journalList{}
	r.array(func() {
		var en journalEntry
		var parts [3][]byte
		ev := &en.ev
		r.object(func(key string) {
			switch key {
			case "eventVersion":
				ev.EventVersion = r.str()
			case "userIdentity":
				ev.UserIdentity = r.userIdentity()
			case "eventTime":
				ev.EventTime = r.time()
			case "eventSource":
				ev.EventSource = r.str()
			case "eventName":
				ev.EventName = r.str()
			case "awsRegion":
				ev.AWSRegion = r.str()
			case "sourceIPAddress":
				ev.SourceIPAddress = r.str()
			case "userAgent":
				ev.UserAgent = r.str()
			case "errorCode":
				ev.ErrorCode = r.str()
			case "errorMessage":
				ev.ErrorMessage = r.str()
			case "requestParameters":
				parts[0] = r.objectOrNull()
			case "responseElements":
				parts[1] = r.objectOrNull()
			case "additionalEventData":
				parts[2] = r.objectOrNull()
			case "requestID":
				ev.RequestID = r.str()
			case "eventID":
				ev.EventID = r.str()
			case "readOnly":
				ev.ReadOnly = r.boolean()
			case "resources":
				if r.null() {
					return
				}
				r.array(func() {
					var res Resource
					r.object(func(key string) {
						switch key {
						case "ARN":
							res.ARN = r.str()
						case "accountId":
							res.AccountID = r.str()
						case "type":
							res.Type = r.str()
						default:
							r.unknown(key)
						}
					})
					en.addResource(res)
				})
			case "eventType":
				ev.EventType = r.str()
			case "managementEvent":
				ev.ManagementEvent = r.boolean()
			case "recipientAccountId":
				ev.RecipientAccountID = r.str()
			case "sharedEventID":
				ev.SharedEventID = r.str()
			case "eventCategory":
				ev.EventCategory = r.str()
			default:
				r.unknown(key)
			}
		})
		en.setData(parts[0], parts[1], parts[2])
		out = append(out, en)
	})
	return out
}

// objectOrNull reads a JSON object and returns its text compacted, or nil
// for null.
func (r *jsonReader) objectOrNull() []byte {
	if r.null() {
		return nil
	}
	if r.peek() != '{' {
		r.fail("expected a JSON object or null")
		return nil
	}
	raw := r.raw()
	if r.err != nil {
		return nil
	}
	return compactJSON(raw)
}

// compactJSON returns a copy of valid JSON without white space outside its
// strings, as json.Compact writes it.
func compactJSON(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	if bytes.IndexAny(raw, " \t\n\r") < 0 {
		return append(out, raw...)
	}
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			out = append(out, c)
			if c == '\\' && i+1 < len(raw) {
				i++
				out = append(out, raw[i])
			} else if c == '"' {
				inString = false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			out = append(out, c)
			inString = c == '"'
		}
	}
	return out
}

// userIdentity reads a userIdentity element.
func (r *jsonReader) userIdentity() UserIdentity {
	var u UserIdentity
	if r.null() {
		return u
	}
	r.object(func(key string) {
		switch key {
		case "type":
			u.Type = r.str()
		case "principalId":
			u.PrincipalID = r.str()
		case "arn":
			u.ARN = r.str()
		case "accountId":
			u.AccountID = r.str()
		case "accessKeyId":
			u.AccessKeyID = r.str()
		case "userName":
			u.UserName = r.str()
		case "identityProvider":
			u.IdentityProvider = r.str()
		case "sessionContext":
			if r.null() {
				u.SessionContext = nil
				return
			}
			sc := &SessionContext{}
			r.object(func(key string) {
				switch key {
				case "sessionIssuer":
					if r.null() {
						sc.SessionIssuer = nil
						return
					}
					si := &SessionIssuer{}
					r.object(func(key string) {
						switch key {
						case "type":
							si.Type = r.str()
						case "principalId":
							si.PrincipalID = r.str()
						case "arn":
							si.ARN = r.str()
						case "accountId":
							si.AccountID = r.str()
						case "userName":
							si.UserName = r.str()
						default:
							r.unknown(key)
						}
					})
					sc.SessionIssuer = si
				case "webIdFederationData":
					if r.null() {
						sc.WebIDFederationData = nil
						return
					}
					w := &WebIDFederationData{}
					r.object(func(key string) {
						switch key {
						case "federatedProvider":
							w.FederatedProvider = r.str()
						case "attributes":
							if r.null() {
								w.Attributes = nil
								return
							}
							w.Attributes = make(map[string]string)
							r.object(func(key string) { w.Attributes[key] = r.str() })
						default:
							r.unknown(key)
						}
					})
					sc.WebIDFederationData = w
				case "attributes":
					if r.null() {
						return
					}
					r.object(func(key string) {
						switch key {
						case "creationDate":
							sc.Attributes.CreationDate = r.time()
						case "mfaAuthenticated":
							sc.Attributes.MFAAuthenticated = r.str()
						default:
							r.unknown(key)
						}
					})
				case "sourceIdentity":
					sc.SourceIdentity = r.str()
				case "assumedRoot":
					sc.AssumedRoot = r.str()
				default:
					r.unknown(key)
				}
			})
			u.SessionContext = sc
		default:
			r.unknown(key)
		}
	})
	return u
}
