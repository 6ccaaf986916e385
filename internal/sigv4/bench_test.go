package sigv4

import (
	"testing"
	"time"
)

// BenchmarkVerify measures Verify alone on a request a real sts.Client signed (six signed
// headers, session token), as a server reads it, with the derived key cached.
func BenchmarkVerify(b *testing.B) {
	req, _ := realSDKRequest(b, "us-east-1", testToken)
	r, body := serverSide(b, req)
	s, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	v := NewVerifier()
	now := s.Date.Add(time.Second)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Verify(r, body, s, testSecret, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseValidateVerify is the whole per-request path an engine runs.
func BenchmarkParseValidateVerify(b *testing.B) {
	req, _ := realSDKRequest(b, "us-east-1", testToken)
	r, body := serverSide(b, req)
	v := NewVerifier()
	s0, _ := Parse(r)
	now := s0.Date.Add(time.Second)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Validate(s, now, "sts", "us-east-1"); err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(r, body, s, testSecret, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel measures the key cache's read path under contention.
func BenchmarkVerifyParallel(b *testing.B) {
	req, _ := realSDKRequest(b, "us-east-1", "")
	r, body := serverSide(b, req)
	s, _ := Parse(r)
	v := NewVerifier()
	now := s.Date.Add(time.Second)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := v.Verify(r, body, s, testSecret, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyPresigned measures a presigned URL as aws-iam-authenticator makes it (query
// canonicalization, the empty body's hash, a session token and x-k8s-aws-id).
func BenchmarkVerifyPresigned(b *testing.B) {
	r := presigned(b, "60", testToken, signTime, map[string]string{"X-K8s-Aws-Id": "my-cluster"})
	s, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	v := NewVerifier()
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Verify(r, nil, s, testSecret, signTime); err != nil {
			b.Fatal(err)
		}
	}
}
