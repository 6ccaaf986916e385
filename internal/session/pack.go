package session

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"sync"
)

// PackedCapacity is the allotment, in compressed bytes, that session
// policies and tags share inside a session token. It is fakests' model, not
// a published AWS number, calibrated on the one recorded answer that pins a
// percentage for a known policy (behaviour §6): LocalStack's AWS-validated
// test_assume_role_with_policy, whose one-statement policy AWS packed to
// 16 %. Its 138 compressed bytes give 16 % for any capacity from 863 to 919
// bytes; fakests takes 896 (7/8 of 1 KiB).
const PackedCapacity = 896

// Packed is the packed size of a request's session policies and tags.
type Packed struct {
	// Bytes is the compressed size of policies, policy ARNs and tags.
	Bytes int
	// Percent is Bytes as a percentage of PackedCapacity, rounded up: the
	// PackedPolicySize STS reports. Over 100 the request fails.
	Percent int
	// TagsPercent is the share of the tags alone, so a failure can say
	// whether the tags or the policies are too large.
	TagsPercent int
}

var flatePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// compressedSize returns the DEFLATE size of b.
func compressedSize(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	var out bytes.Buffer
	w := flatePool.Get().(*flate.Writer)
	w.Reset(&out)
	w.Write(b)
	w.Close()
	flatePool.Put(w)
	return out.Len()
}

// Pack models how STS packs session policies and tags: each policy is
// compacted (whitespace outside strings removed), then policies with policy
// ARNs, and separately the tags, are compressed. The percentage grows with
// the compressed size, as AWS's does. Tags are given as key, value pairs.
func Pack(policies []string, policyARNs []string, tagPairs [][2]string) Packed {
	var pol bytes.Buffer
	for _, p := range policies {
		if json.Compact(&pol, []byte(p)) != nil {
			pol.WriteString(p)
		}
	}
	for _, a := range policyARNs {
		pol.WriteString(a)
		pol.WriteByte(0)
	}
	var tg bytes.Buffer
	for _, t := range tagPairs {
		tg.WriteString(t[0])
		tg.WriteByte(0)
		tg.WriteString(t[1])
		tg.WriteByte(0)
	}
	pb, tb := compressedSize(pol.Bytes()), compressedSize(tg.Bytes())
	return Packed{Bytes: pb + tb, Percent: percent(pb + tb), TagsPercent: percent(tb)}
}

func percent(n int) int {
	return (n*100 + PackedCapacity - 1) / PackedCapacity
}
