package fakests

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/session"
	"github.com/fakests/fakests/tags"
)

// This file handles what a credential-issuing request passes to limit and
// label its session: session policies (inline Policy and managed PolicyArns)
// and their packed size with the session tags (facts §6).

// maxPolicyARNs is the documented limit on PolicyArns (facts §6).
const maxPolicyARNs = 10

// msgPolicyNotAttachable answers a PolicyArns entry that names no managed
// policy the engine knows (unverified: modelled on IAM's text).
const msgPolicyNotAttachable = "Policy %s does not exist or is not attachable."

// checkPolicyARNs validates the PolicyArns list's shape.
func (v *violations) checkPolicyARNs(arns []types.PolicyDescriptorType) {
	if len(arns) > maxPolicyARNs {
		v.add(policyARNsValue(arns), "policyArns", sprintf(msgMaxLength, maxPolicyARNs))
	}
	for i := range arns {
		r := rulePolicyARN
		r.field = "policyArns." + strconv.Itoa(i+1) + ".member.arn"
		v.require(r, arns[i].Arn)
	}
}

// policyARNsValue renders the list for a validation message.
func policyARNsValue(arns []types.PolicyDescriptorType) string {
	s := "["
	for i, a := range arns {
		if i > 0 {
			s += ", "
		}
		s += "PolicyDescriptorType(arn=" + deref(a.Arn) + ")"
	}
	return s + "]"
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// sessionPolicies parses the inline session policy and resolves the managed
// ones. It returns MalformedPolicyDocument for a bad inline document or an
// unknown managed policy.
func (e *Engine) sessionPolicies(op string, inline *string, arns []types.PolicyDescriptorType) ([]*policy.Policy, error) {
	var out []*policy.Policy
	if inline != nil {
		p, err := policy.Parse(*inline, policy.Identity)
		if err != nil {
			return nil, newError(op, codeMalformedPolicyDocument, err.Error())
		}
		p.Name = "session-policy"
		out = append(out, p)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	for _, a := range arns {
		mp := e.managedLocked(deref(a.Arn))
		if mp == nil {
			return nil, errorf(op, codeMalformedPolicyDocument, msgPolicyNotAttachable, deref(a.Arn))
		}
		out = append(out, mp)
	}
	return out, nil
}

// packSession computes the packed size of a request's session policies and
// tags, failing with PackedPolicyTooLarge over 100 %.
func packSession(op string, inline *string, arns []types.PolicyDescriptorType, ts []tags.Tag) (session.Packed, error) {
	var docs, arnList []string
	if inline != nil {
		docs = []string{*inline}
	}
	for _, a := range arns {
		arnList = append(arnList, deref(a.Arn))
	}
	pairs := make([][2]string, len(ts))
	for i, t := range ts {
		pairs[i] = [2]string{t.Key, t.Value}
	}
	pk := session.Pack(docs, arnList, pairs)
	switch {
	case pk.TagsPercent > 100:
		return pk, errorf(op, codePackedPolicyTooLarge, msgPackedTagsTooLarge, pk.TagsPercent)
	case pk.Percent > 100:
		return pk, errorf(op, codePackedPolicyTooLarge, msgPackedPolicyTooLarge, pk.Percent)
	}
	return pk, nil
}

// requestTags converts the SDK's tags (already checked for nil members).
func requestTags(in []types.Tag) []tags.Tag {
	if len(in) == 0 {
		return nil
	}
	out := make([]tags.Tag, len(in))
	for i, t := range in {
		out[i] = tags.Tag{Key: deref(t.Key), Value: deref(t.Value)}
	}
	return out
}

// tagError maps a tags package error to the engine's catalogue.
func tagError(op string, err error) error {
	if te, ok := err.(*tags.Error); ok {
		return newError(op, lookupCode(te.Code), te.Message)
	}
	return err
}
