package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
)

// TestVerifyRealSDKClient: a request signed by a real sts.Client (content-length and amz-sdk-*
// headers signed) verifies both as the client built it and as a server reads it off the wire.
func TestVerifyRealSDKClient(t *testing.T) {
	for _, tc := range []struct{ name, region, token string }{
		{"long-term key, regional endpoint", "us-east-1", ""},
		{"session token, opt-in region", "ap-east-1", testToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, body := realSDKRequest(t, tc.region, tc.token)
			srv, srvBody := serverSide(t, req)
			for _, side := range []struct {
				name string
				r    *http.Request
				body []byte
			}{{"client side", req, body}, {"server side", srv, srvBody}} {
				s, err := Parse(side.r)
				if err != nil || s == nil {
					t.Fatalf("%s: Parse = %v, %v", side.name, s, err)
				}
				if s.SecurityToken != tc.token || s.AccessKeyID != testAKID || s.Presigned {
					t.Errorf("%s: parsed %+v", side.name, s)
				}
				if !strings.Contains(strings.Join(s.SignedHeaders, ";"), "content-length") {
					t.Errorf("%s: SDK request should sign content-length: %v", side.name, s.SignedHeaders)
				}
				v := NewVerifier()
				now := s.Date.Add(time.Minute)
				if err := v.Validate(s, now, "sts", tc.region); err != nil {
					t.Errorf("%s: Validate: %v", side.name, err)
				}
				if err := v.Verify(side.r, side.body, s, testSecret, now); err != nil {
					t.Errorf("%s: Verify: %v", side.name, err)
				}
			}
		})
	}
}

// TestVerifyFailures pins the exact *apierror.Error for each way a signed request goes wrong.
func TestVerifyFailures(t *testing.T) {
	now := signTime.Add(time.Minute)
	tests := []struct {
		name   string
		mutate func(r *http.Request) (body string, secret string, now time.Time)
		want   *apierror.Error
	}{{
		name:   "SDK-signed request verifies",
		mutate: func(r *http.Request) (string, string, time.Time) { return gciBody, testSecret, now },
	}, {
		name:   "flipped secret: SignatureDoesNotMatch (behaviour §10)",
		mutate: func(r *http.Request) (string, string, time.Time) { return gciBody, testSecret[:39] + "X", now },
		want:   wantErr("SignatureDoesNotMatch", 403, mismatchText),
	}, {
		name: "changed body: SignatureDoesNotMatch",
		mutate: func(r *http.Request) (string, string, time.Time) {
			return "Action=GetCallerIdentity&Version=2011-06-16", testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403, mismatchText),
	}, {
		name: "changed signed header: SignatureDoesNotMatch",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			return gciBody, testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403, mismatchText),
	}, {
		name: "changed Host: SignatureDoesNotMatch",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Host = "sts.us-west-2.amazonaws.com"
			return gciBody, testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403, mismatchText),
	}, {
		name: "unsigned header changed: still verifies",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("User-Agent", "something else")
			return gciBody, testSecret, now
		},
	}, {
		// Ours: the body's own hash is what is signed; an unsigned claim about it is ignored.
		name: "unsigned X-Amz-Content-Sha256 disagreeing with the body: ignored",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte("other")))
			return gciBody, testSecret, now
		},
	}, {
		name: "16 minutes old: Signature expired (behaviour §10 text)",
		mutate: func(r *http.Request) (string, string, time.Time) {
			return gciBody, testSecret, signTime.Add(16 * time.Minute)
		},
		want: wantErr("SignatureDoesNotMatch", 403,
			"Signature expired: 20220127T001427Z is now earlier than 20220127T001527Z (20220127T003027Z - 15 min.)"),
	}, {
		name: "exactly 15 minutes old: still fresh",
		mutate: func(r *http.Request) (string, string, time.Time) {
			return gciBody, testSecret, signTime.Add(15 * time.Minute)
		},
	}, {
		name: "16 minutes in the future: Signature not yet current (behaviour §10 text)",
		mutate: func(r *http.Request) (string, string, time.Time) {
			return gciBody, testSecret, signTime.Add(-16 * time.Minute)
		},
		want: wantErr("SignatureDoesNotMatch", 403,
			"Signature not yet current: 20220127T001427Z is still later than 20220127T001327Z (20220126T235827Z + 15 min.)"),
	}, {
		name: "scope date is not X-Amz-Date's day",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20220127/", "/20220126/", 1))
			return gciBody, testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20220126' != '20220127', from '20220127T001427Z'."),
	}, {
		name: "wrong terminator",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request", "/aws5_request", 1))
			return gciBody, testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403,
			"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "),
	}, {
		name: "host not signed",
		mutate: func(r *http.Request) (string, string, time.Time) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return gciBody, testSecret, now
		},
		want: wantErr("SignatureDoesNotMatch", 403, "'Host' must be a 'SignedHeader' in the AWS Authorization."),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := sdkRequest(t, gciBody, "", signTime)
			srv, _ := serverSide(t, req)
			body, secret, at := tc.mutate(srv)
			s, err := Parse(srv)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = NewVerifier().Verify(srv, []byte(body), s, secret, at)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if diff := cmp.Diff(tc.want, asError(t, err)); diff != "" {
				t.Errorf("Verify error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckScope pins AWS's combined scope message for region, service, terminator and date.
func TestCheckScope(t *testing.T) {
	s := &Signature{Date: signTime, Scope: Scope{"20220127", "us-east-1", "sts", "aws4_request"}, SignedHeaders: []string{"host"}}
	tests := []struct {
		name    string
		scope   Scope
		service string
		regions []string
		want    string
	}{
		{"matching scope", s.Scope, "sts", []string{"us-east-1"}, ""},
		{"global endpoint accepts us-east-1 among others (behaviour §1.4)", s.Scope, "sts", []string{"aws-global", "us-east-1"}, ""},
		{"no regions given: any region", Scope{"20220127", "eu-west-1", "sts", "aws4_request"}, "sts", nil, ""},
		{"wrong region (text seen from AWS, trailing space included)", Scope{"20220127", "eu-west-1", "sts", "aws4_request"}, "sts", []string{"us-east-1"},
			"Credential should be scoped to a valid region, not 'eu-west-1'. "},
		{"wrong service", Scope{"20220127", "us-east-1", "iam", "aws4_request"}, "sts", []string{"us-east-1"},
			"Credential should be scoped to correct service: 'sts'. "},
		{"everything wrong: one message, AWS's order", Scope{"b", "c", "d", "e"}, "sts", []string{"us-east-1"},
			"Credential should be scoped to a valid region, not 'c'. Credential should be scoped to correct service: 'sts'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20220127', from '20220127T001427Z'."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := *s
			c.Scope = tc.scope
			err := c.CheckScope(tc.service, tc.regions...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckScope: %v", err)
				}
				return
			}
			if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, tc.want), asError(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyPresigned covers query-string auth from the SDK's PresignHTTP: with and without
// X-Amz-Expires, with a session token and an extra signed header.
func TestVerifyPresigned(t *testing.T) {
	k8s := map[string]string{"X-K8s-Aws-Id": "my-cluster"}
	tests := []struct {
		name    string
		expires string
		token   string
		extra   map[string]string
		opts    Options
		now     time.Time
		want    string // "" = verifies
	}{
		{"fresh, no X-Amz-Expires", "", "", nil, Options{}, signTime.Add(time.Minute), ""},
		{"session token in the query, x-k8s-aws-id signed", "60", testToken, k8s, Options{}, signTime.Add(30 * time.Second), ""},
		{"within X-Amz-Expires=3600 after 30 min", "3600", "", nil, Options{}, signTime.Add(30 * time.Minute), ""},
		{"past X-Amz-Expires=60", "60", "", k8s, Options{}, signTime.Add(2 * time.Minute),
			"Signature expired: 20220127T001427Z is now earlier than 20220127T001527Z (20220127T001627Z - 1 min.)"},
		{"STS mode ignores X-Amz-Expires=60: fresh at 2 min", "60", "", nil, Options{IgnorePresignedExpires: true}, signTime.Add(2 * time.Minute), ""},
		{"STS mode: 16 minutes old despite X-Amz-Expires=3600", "3600", "", nil, Options{IgnorePresignedExpires: true}, signTime.Add(16 * time.Minute),
			"Signature expired: 20220127T001427Z is now earlier than 20220127T001527Z (20220127T003027Z - 15 min.)"},
		{"no X-Amz-Expires: 15-minute window", "", "", nil, Options{}, signTime.Add(16 * time.Minute),
			"Signature expired: 20220127T001427Z is now earlier than 20220127T001527Z (20220127T003027Z - 15 min.)"},
		{"future beyond 15 minutes", "900", "", nil, Options{}, signTime.Add(-16 * time.Minute),
			"Signature not yet current: 20220127T001427Z is still later than 20220127T001327Z (20220126T235827Z + 15 min.)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := presigned(t, tc.expires, tc.token, signTime, tc.extra)
			s, err := Parse(r)
			if err != nil || s == nil || !s.Presigned {
				t.Fatalf("Parse = %+v, %v", s, err)
			}
			if s.SecurityToken != tc.token {
				t.Errorf("SecurityToken = %q, want %q", s.SecurityToken, tc.token)
			}
			err = NewVerifierWithOptions(tc.opts).Verify(r, nil, s, testSecret, tc.now)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, tc.want), asError(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("tampered query parameter", func(t *testing.T) {
		r := presigned(t, "900", "", signTime, nil)
		r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "GetCallerIdentity", "GetSessionToken", 1)
		s, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, mismatchText), asError(t, NewVerifier().Verify(r, nil, s, testSecret, signTime))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("signed extra header missing on arrival", func(t *testing.T) {
		r := presigned(t, "60", "", signTime, k8s)
		r.Header.Del("X-K8s-Aws-Id")
		s, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, mismatchText), asError(t, NewVerifier().Verify(r, nil, s, testSecret, signTime))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// referenceSignature is a plain, independent SigV4 computation for tests: canonical headers are
// given already canonical. TestReferenceSignature checks it against the SDK signer.
func referenceSignature(method, canonQuery string, headers [][2]string, payloadHash string, at time.Time, scope Scope, secret string) string {
	var ch, names []string
	for _, h := range headers {
		ch = append(ch, h[0]+":"+h[1]+"\n")
		names = append(names, h[0])
	}
	creq := strings.Join([]string{method, "/", canonQuery, strings.Join(ch, ""), strings.Join(names, ";"), payloadHash}, "\n")
	sts := strings.Join([]string{Algorithm, at.UTC().Format("20060102T150405Z"), scope.String(), sha256Hex([]byte(creq))}, "\n")
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	k := mac(mac(mac(mac([]byte("AWS4"+secret), scope.Date), scope.Region), scope.Service), scope.Terminator)
	return hex.EncodeToString(mac(k, sts))
}

// TestReferenceSignature: the test's reference computation agrees with the SDK signer.
func TestReferenceSignature(t *testing.T) {
	req := sdkRequest(t, gciBody, "", signTime)
	got := referenceSignature("POST", "", [][2]string{
		{"amz-sdk-invocation-id", req.Header.Get("Amz-Sdk-Invocation-Id")},
		{"amz-sdk-request", "attempt=1; max=3"},
		{"content-length", "43"},
		{"content-type", "application/x-www-form-urlencoded"},
		{"host", "sts.us-east-1.amazonaws.com"},
		{"x-amz-date", "20220127T001427Z"},
	}, sha256Hex([]byte(gciBody)), signTime, Scope{"20220127", "us-east-1", "sts", Terminator}, testSecret)
	if !strings.HasSuffix(req.Header.Get("Authorization"), "Signature="+got) {
		t.Fatalf("reference %s disagrees with SDK header %s", got, req.Header.Get("Authorization"))
	}
}

// TestVerifyDateHeader: header auth may carry its time in an HTTP Date header instead of
// X-Amz-Date; the string to sign still uses the ISO-8601 form.
func TestVerifyDateHeader(t *testing.T) {
	date := signTime.Format(http.TimeFormat)
	scope := Scope{"20220127", "us-east-1", "sts", Terminator}
	sig := referenceSignature("POST", "", [][2]string{
		{"content-type", "application/x-www-form-urlencoded"},
		{"date", date},
		{"host", "sts.amazonaws.com"},
	}, sha256Hex([]byte(gciBody)), signTime, scope, testSecret)
	req, _ := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader(gciBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Date", date)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+scope.String()+
		", SignedHeaders=content-type;date;host, Signature="+sig)
	srv, body := serverSide(t, req)
	s, err := Parse(srv)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Date.Equal(signTime) {
		t.Fatalf("Date = %v, want %v", s.Date, signTime)
	}
	if err := NewVerifier().Verify(srv, body, s, testSecret, signTime); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyConcurrent exercises the key cache from many goroutines (run with -race).
func TestVerifyConcurrent(t *testing.T) {
	v := NewVerifierWithOptions(Options{MaxCachedKeys: 4})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := signTime.Add(time.Duration(g) * 24 * time.Hour) // a new scope date each: cache churn
			req := sdkRequest(t, gciBody, "", at)
			srv, body := serverSide(t, req)
			for range 20 {
				s, err := Parse(srv)
				if err != nil {
					t.Error(err)
					return
				}
				if err := v.Verify(srv, body, s, testSecret, at); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := v.keys.len(); n > 4 {
		t.Errorf("cache holds %d keys, bound is 4", n)
	}
}

// TestVerifySDKVariants: other shapes the SDK signer produces: a header-auth GET carrying its
// parameters in the query (canonical query path), a signed X-Amz-Content-Sha256 equal to the
// body's hash, and a signed UNSIGNED-PAYLOAD, which header auth refuses (documented choice).
func TestVerifySDKVariants(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	sign := func(method, url, body string, hdr map[string]string, payloadHash string) (*http.Request, []byte) {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, "sts", "us-east-1", signTime); err != nil {
			t.Fatal(err)
		}
		return serverSide(t, req)
	}
	tests := []struct {
		name    string
		method  string
		url     string
		body    string
		hdr     map[string]string
		payload string
		ok      bool
	}{
		{"GET with an encoded query", http.MethodGet,
			"https://sts.amazonaws.com/?Version=2011-06-15&Action=GetCallerIdentity&Note=a%2Fb+c&Note=a-b&Empty=", "", nil, sha256Hex(nil), true},
		{"signed X-Amz-Content-Sha256 matching the body", http.MethodPost, "https://sts.us-east-1.amazonaws.com/", gciBody,
			map[string]string{"X-Amz-Content-Sha256": sha256Hex([]byte(gciBody)), "Content-Type": "application/x-www-form-urlencoded"},
			sha256Hex([]byte(gciBody)), true},
		{"signed UNSIGNED-PAYLOAD on header auth: refused", http.MethodPost, "https://sts.us-east-1.amazonaws.com/", gciBody,
			map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"}, "UNSIGNED-PAYLOAD", false},
		{"path with characters to escape", http.MethodGet, "https://sts.amazonaws.com/a%20b/c=d", "", nil, sha256Hex(nil), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, body := sign(tc.method, tc.url, tc.body, tc.hdr, tc.payload)
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			err = NewVerifier().Verify(r, body, s, testSecret, signTime)
			if tc.ok && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !tc.ok {
				if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, mismatchText), asError(t, err)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestVerifyValidatedAgrees: after Validate, VerifyValidated gives VerifyBody's answer, for a
// request a real client signed and for the same request with its body or secret wrong.
func TestVerifyValidatedAgrees(t *testing.T) {
	req, body := realSDKRequest(t, "us-east-1", "")
	s, err := Parse(req)
	if err != nil || s == nil {
		t.Fatalf("Parse = %v, %v", s, err)
	}
	v := NewVerifier()
	now := s.Date.Add(time.Minute)
	if err := v.Validate(s, now, "sts", "us-east-1"); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, tc := range []struct {
		name   string
		body   []byte
		secret string
		ok     bool
	}{
		{"as signed", body, testSecret, true},
		{"another body", append([]byte("X"), body...), testSecret, false},
		{"another secret", body, "not-" + testSecret, false},
	} {
		want, wantErr := v.VerifyBody(req, tc.body, s, tc.secret, now)
		got, gotErr := v.VerifyValidated(req, tc.body, s, tc.secret)
		if (gotErr == nil) != tc.ok || got != want {
			t.Errorf("%s: VerifyValidated = %v, %v; want ok %v", tc.name, got, gotErr, tc.ok)
		}
		if gotErr != nil && (wantErr == nil || gotErr.Error() != wantErr.Error()) {
			t.Errorf("%s: VerifyValidated error %q; VerifyBody's %v", tc.name, gotErr, wantErr)
		}
	}
}
