package fakests

import (
	"encoding/hex"
	"slices"

	"github.com/fakests/fakests/tags"
)

// This file is the hand-written JSON of a session (sessionJSON): the same
// members as its struct tags say, which stay the format's definition
// (TestSessionCodecMatchesTags holds the two together). A change record
// of one session goes through it too, on the hot path of a logged
// AssumeRole.

// MarshalJSON writes the session.
func (j sessionJSON) MarshalJSON() ([]byte, error) { return j.appendJSON(make([]byte, 0, 600)) }

// UnmarshalJSON reads a session MarshalJSON wrote.
func (j *sessionJSON) UnmarshalJSON(b []byte) error {
	r := jsonReader{b: b}
	j.read(&r)
	if r.ws(); r.err == nil && r.i != len(b) {
		r.fail("data after the session")
	}
	return r.err
}

// appendJSON appends the session's JSON.
func (j *sessionJSON) appendJSON(buf []byte) ([]byte, error) {
	var err error
	buf = append(buf, '{')
	buf = appendStringMember(buf, "accessKeyId", j.AccessKeyID, false)
	buf = appendStringMember(buf, "secretAccessKey", j.SecretAccessKey, false)
	buf = append(appendKey(buf, "sessionTokenSha256"), '"')
	buf = append(hex.AppendEncode(buf, j.TokenSHA256[:]), '"')
	if buf, err = appendTime(appendKey(buf, "issuedAt"), j.IssuedAt); err != nil {
		return nil, err
	}
	if buf, err = appendTime(appendKey(buf, "expiration"), j.Expiration); err != nil {
		return nil, err
	}
	buf = appendStringMember(buf, "type", j.Type, false)
	buf = appendStringMember(buf, "operation", j.Operation, false)
	buf = appendStringMember(buf, "account", j.Account, false)
	buf = appendStringMember(buf, "arn", j.ARN, false)
	buf = appendStringMember(buf, "userId", j.UserID, false)
	buf = appendStringMember(buf, "sessionName", j.SessionName, true)
	buf = appendStringMember(buf, "user", j.User, true)
	buf = appendStringMember(buf, "role", j.Role, true)
	buf = appendBoolMember(buf, "root", j.Root, true)
	buf = appendStringMember(buf, "sourceIdentity", j.SourceIdentity, true)
	if len(j.Tags) > 0 {
		buf = appendTags(appendKey(buf, "tags"), j.Tags)
	}
	if len(j.TransitiveTags) > 0 {
		buf = appendTags(appendKey(buf, "transitiveTags"), j.TransitiveTags)
	}
	if len(j.Policies) > 0 {
		buf = append(appendKey(buf, "policies"), '[')
		for i, p := range j.Policies {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '{')
			buf = appendStringMember(buf, "name", p.Name, false)
			buf = appendStringMember(buf, "document", p.Document, false)
			buf = append(buf, '}')
		}
		buf = append(buf, ']')
	}
	if len(j.PolicyARNs) > 0 {
		buf = append(appendKey(buf, "policyArns"), '[')
		for i, a := range j.PolicyARNs {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, a)
		}
		buf = append(buf, ']')
	}
	buf = appendBoolMember(buf, "hasSessionPolicy", j.HasPolicy, true)
	if j.MFAAuthenticated != nil {
		if buf, err = appendTime(appendKey(buf, "mfaAuthenticatedAt"), *j.MFAAuthenticated); err != nil {
			return nil, err
		}
	}
	buf = appendStringMember(buf, "federatedProvider", j.FederatedProvider, true)
	if len(j.Context) > 0 {
		buf = append(appendKey(buf, "context"), '{')
		keys := make([]string, 0, len(j.Context))
		for k := range j.Context {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			buf = appendEscapedKey(buf, k)
			vs := j.Context[k]
			if vs == nil {
				buf = append(buf, "null"...)
				continue
			}
			buf = append(buf, '[')
			for i, v := range vs {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = appendJSONString(buf, v)
			}
			buf = append(buf, ']')
		}
		buf = append(buf, '}')
	}
	buf = appendStringMember(buf, "taskPolicyArn", j.TaskPolicyARN, true)
	return append(buf, '}'), nil
}

// appendTags appends tags as [{"key":…,"value":…}].
func appendTags(buf []byte, ts tagList) []byte {
	buf = append(buf, '[')
	for i, t := range ts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		buf = appendStringMember(buf, "key", t.Key, false)
		buf = appendStringMember(buf, "value", t.Value, false)
		buf = append(buf, '}')
	}
	return append(buf, ']')
}

// read reads a session.
func (j *sessionJSON) read(r *jsonReader) {
	*j = sessionJSON{}
	r.object(func(key string) {
		switch key {
		case "accessKeyId":
			j.AccessKeyID = r.str()
		case "secretAccessKey":
			j.SecretAccessKey = r.str()
		case "sessionTokenSha256":
			start := r.i
			r.skipString()
			if r.err == nil {
				if err := j.TokenSHA256.UnmarshalJSON(trimSpace(r.b[start:r.i])); err != nil {
					r.fail("%v", err)
				}
			}
		case "issuedAt":
			j.IssuedAt = r.time()
		case "expiration":
			j.Expiration = r.time()
		case "type":
			j.Type = r.str()
		case "operation":
			j.Operation = r.str()
		case "account":
			j.Account = r.str()
		case "arn":
			j.ARN = r.str()
		case "userId":
			j.UserID = r.str()
		case "sessionName":
			j.SessionName = r.str()
		case "user":
			j.User = r.str()
		case "role":
			j.Role = r.str()
		case "root":
			j.Root = r.boolean()
		case "sourceIdentity":
			j.SourceIdentity = r.str()
		case "tags":
			j.Tags = r.tags()
		case "transitiveTags":
			j.TransitiveTags = r.tags()
		case "policies":
			j.Policies = nil
			if r.null() {
				return
			}
			j.Policies = []policyJSON{}
			r.array(func() {
				var p policyJSON
				r.object(func(key string) {
					switch key {
					case "name":
						p.Name = r.str()
					case "document":
						p.Document = r.str()
					default:
						r.unknown(key)
					}
				})
				j.Policies = append(j.Policies, p)
			})
		case "policyArns":
			j.PolicyARNs = nil
			if r.null() {
				return
			}
			j.PolicyARNs = []string{}
			r.array(func() { j.PolicyARNs = append(j.PolicyARNs, r.str()) })
		case "hasSessionPolicy":
			j.HasPolicy = r.boolean()
		case "mfaAuthenticatedAt":
			j.MFAAuthenticated = nil
			if !r.null() {
				t := r.time()
				j.MFAAuthenticated = &t
			}
		case "federatedProvider":
			j.FederatedProvider = r.str()
		case "context":
			j.Context = nil
			if r.null() {
				return
			}
			j.Context = make(map[string][]string)
			r.object(func(key string) {
				if r.null() {
					j.Context[key] = nil
					return
				}
				vs := []string{}
				r.array(func() { vs = append(vs, r.str()) })
				j.Context[key] = vs
			})
		case "taskPolicyArn":
			j.TaskPolicyARN = r.str()
		default:
			r.unknown(key)
		}
	})
}

// tags reads [{"key":…,"value":…}] (null reads as none).
func (r *jsonReader) tags() tagList {
	if r.null() {
		return nil
	}
	out := tagList{}
	r.array(func() {
		var t tags.Tag
		r.object(func(key string) {
			switch key {
			case "key":
				t.Key = r.str()
			case "value":
				t.Value = r.str()
			default:
				r.unknown(key)
			}
		})
		out = append(out, t)
	})
	return out
}

// trimSpace trims JSON white space.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
