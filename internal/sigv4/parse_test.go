package sigv4

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
)

const goodAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20220127/us-east-1/sts/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date, Signature=abc123"

func headerRequest(auth string, hdr map[string]string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	return r
}

var withDate = map[string]string{"X-Amz-Date": "20220127T001427Z"}

// TestParseHeader pins what Parse reads from an Authorization header and each malformation's
// *apierror.Error, with AWS's texts.
func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		auth string
		hdr  map[string]string
		want *Signature
		err  *apierror.Error
	}{{
		name: "no Authorization, no query: nil, nil (caller decides)",
	}, {
		name: "botocore-style header parses",
		auth: goodAuth, hdr: map[string]string{"X-Amz-Date": "20220127T001427Z", "X-Amz-Security-Token": "tok"},
		want: &Signature{AccessKeyID: "AKIDEXAMPLE", SecurityToken: "tok", Date: signTime,
			Scope: Scope{"20220127", "us-east-1", "sts", "aws4_request"}, SignedHeaders: []string{"content-type", "host", "x-amz-date"},
			Signature: "abc123"},
	}, {
		name: "components separated by commas without spaces; trailing slash in credential ignored",
		auth: "AWS4-HMAC-SHA256 Credential=AKID/20220127/us-east-1/sts/aws4_request/,SignedHeaders=host,Signature=ff",
		hdr:  map[string]string{"Date": "Thu, 27 Jan 2022 00:14:27 GMT"},
		want: &Signature{AccessKeyID: "AKID", Date: signTime, Scope: Scope{"20220127", "us-east-1", "sts", "aws4_request"},
			SignedHeaders: []string{"host"}, Signature: "ff"},
	}, {
		name: "not AWS4: MissingAuthenticationToken (AWS auth layer)",
		auth: "Bearer eyJhbGciOi", hdr: withDate,
		err: wantErr("MissingAuthenticationToken", 403, "Request is missing Authentication Token"),
	}, {
		name: "component without '=' (behaviour §10 text)",
		auth: "AWS4-HMAC-SHA256 AKID/20200128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x", hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "'AKID/20200128/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) "+
			"in Authorization header: 'AWS4-HMAC-SHA256 AKID/20200128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x'."),
	}, {
		name: "every part missing, no date: one message listing all",
		auth: "AWS4-HMAC-SHA256 Foo=bar",
		err: wantErr("IncompleteSignature", 400, "Authorization header requires 'Credential' parameter. "+
			"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "+
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Foo=bar"),
	}, {
		name: "empty Signature counts as missing",
		auth: "AWS4-HMAC-SHA256 Credential=A/20220127/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=", hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "Authorization header requires 'Signature' parameter. "+
			"Authorization=AWS4-HMAC-SHA256 Credential=A/20220127/us-east-1/sts/aws4_request, SignedHeaders=host, Signature="),
	}, {
		name: "X-Amz-Date not ISO-8601 basic",
		auth: goodAuth, hdr: map[string]string{"X-Amz-Date": "2022-01-27T00:14:27Z"},
		err: wantErr("IncompleteSignature", 400, "Date must be in ISO-8601 'basic format'. Got '2022-01-27T00:14:27Z'. See http://en.wikipedia.org/wiki/ISO_8601"),
	}, {
		name: "X-Amz-Date with an impossible month",
		auth: goodAuth, hdr: map[string]string{"X-Amz-Date": "20221327T001427Z"},
		err: wantErr("IncompleteSignature", 400, "Date must be in ISO-8601 'basic format'. Got '20221327T001427Z'. See http://en.wikipedia.org/wiki/ISO_8601"),
	}, {
		name: "SigV4A is not supported (documented choice)",
		auth: strings.Replace(goodAuth, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1), hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). "),
	}, {
		name: "credential with four elements",
		auth: "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x", hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'"),
	}, {
		name: "credential with six elements",
		auth: "AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=host, Signature=x", hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d/e/f'"),
	}, {
		name: "oversized header (our limit)",
		auth: goodAuth + strings.Repeat(" ", MaxAuthorizationLength), hdr: withDate,
		err: wantErr("IncompleteSignature", 400, "The Authorization header or query string is too long."),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(headerRequest(tc.auth, tc.hdr))
			if tc.err != nil {
				if s != nil {
					t.Errorf("Parse returned %+v with an error", s)
				}
				if diff := cmp.Diff(tc.err, asError(t, err)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, s); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseQuery pins presigned parsing and its errors.
func TestParseQuery(t *testing.T) {
	const base = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKID%2F20220127%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20220127T001427Z" +
		"&X-Amz-SignedHeaders=host&X-Amz-Signature=ab"
	tests := []struct {
		name  string
		query string
		auth  string
		want  *Signature
		err   *apierror.Error
	}{{
		name: "presigned with expiry and token", query: base + "&X-Amz-Expires=60&X-Amz-Security-Token=t%2Bk",
		want: &Signature{AccessKeyID: "AKID", SecurityToken: "t+k", Date: signTime, Scope: Scope{"20220127", "us-east-1", "sts", "aws4_request"},
			SignedHeaders: []string{"host"}, Signature: "ab", Presigned: true, Expires: time.Minute},
	}, {
		name: "X-Amz-Algorithm alone: every other parameter listed (AWS text)", query: "X-Amz-Algorithm",
		err: wantErr("IncompleteSignature", 400, "AWS query-string parameters must include 'X-Amz-Algorithm'. "+
			"AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. "+
			"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. "+
			"Re-examine the query-string parameters."),
	}, {
		name: "both query and header auth", query: base, auth: goodAuth,
		err: wantErr("SignatureDoesNotMatch", 403, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."),
	}, {
		name: "X-Amz-Expires not a number (S3 text)", query: base + "&X-Amz-Expires=soon",
		err: wantErr("IncompleteSignature", 400, "X-Amz-Expires should be a number"),
	}, {
		name: "X-Amz-Expires negative (S3 text)", query: base + "&X-Amz-Expires=-5",
		err: wantErr("IncompleteSignature", 400, "X-Amz-Expires must be non-negative"),
	}, {
		name: "X-Amz-Expires over a week (S3 text)", query: base + "&X-Amz-Expires=604801",
		err: wantErr("IncompleteSignature", 400, "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
	}, {
		name: "X-Amz-Expires zero (our text)", query: base + "&X-Amz-Expires=0",
		err: wantErr("IncompleteSignature", 400, "X-Amz-Expires must be greater than zero"),
	}, {
		name: "wrong algorithm", query: strings.Replace(base, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", 1),
		err: wantErr("IncompleteSignature", 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). "),
	}, {
		name: "bad date", query: strings.Replace(base, "20220127T001427Z", "201", 1),
		err: wantErr("IncompleteSignature", 400, "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"),
	}, {
		name: "oversized query (our limit)", query: base + "&pad=" + strings.Repeat("x", MaxQueryLength),
		err: wantErr("IncompleteSignature", 400, "The Authorization header or query string is too long."),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := headerRequest(tc.auth, nil)
			r.URL.RawQuery = tc.query
			s, err := Parse(r)
			if tc.err != nil {
				if diff := cmp.Diff(tc.err, asError(t, err)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, s); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyNil: a nil signature is MissingAuthenticationToken, not a panic.
func TestVerifyNil(t *testing.T) {
	r := headerRequest("", nil)
	want := wantErr("MissingAuthenticationToken", 403, "Request is missing Authentication Token")
	if diff := cmp.Diff(want, asError(t, NewVerifier().Verify(r, nil, nil, "x", signTime))); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff(want, asError(t, NewVerifier().Validate(nil, signTime, "sts"))); diff != "" {
		t.Error(diff)
	}
}

// TestCanonicalQuery: pairs are decoded, RFC 3986 re-encoded ('+' and space become %20), and
// sorted after encoding; X-Amz-Signature is dropped only for presigned requests.
func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		name, raw string
		presigned bool
		want      string
	}{
		{"sorted after encoding: a-b before a%2Fb", "k=a%2Fb&k=a-b", false, "k=a%2Fb&k=a-b"},
		{"plus and space are %20", "b=x+y&a=x%20y", false, "a=x%20y&b=x%20y"},
		{"key without value", "Action&b=", false, "Action=&b="},
		{"broken escape taken literally", "a=%zz", false, "a=%25zz"},
		{"signature dropped when presigned", "X-Amz-Signature=ab&a=1", true, "a=1"},
		{"signature kept for header auth", "X-Amz-Signature=ab&a=1", false, "X-Amz-Signature=ab&a=1"},
		{"unreserved kept, others encoded", "n=~._-!*'()", false, "n=~._-%21%2A%27%28%29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendCanonicalQuery(nil, tc.raw, tc.presigned)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCanonicalHeaderValues: values are trimmed, inner space runs collapsed, repeats joined by ','.
func TestCanonicalHeaderValues(t *testing.T) {
	r := headerRequest("", nil)
	r.Header["X-Multi"] = []string{"  a   b ", "\tc"}
	r.Header["lower-case-key"] = []string{"v"} // a key a client left uncanonical
	s := &Signature{SignedHeaders: []string{"x-multi", "lower-case-key", "absent"}}
	got := string(appendCanonicalRequest(nil, r, nil, s, []byte("H")))
	want := "POST\n/\n\nx-multi:a b,c\nlower-case-key:v\nabsent:\n\nx-multi;lower-case-key;absent\nH"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
