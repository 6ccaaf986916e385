package sigv4

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fakests/fakests/apierror"
)

// FuzzParse feeds hostile Authorization headers, query strings and dates to Parse and, when
// they parse, to Validate and Verify: nothing may panic and every error must be an *apierror.Error.
func FuzzParse(f *testing.F) {
	f.Add(goodAuth, "", "20220127T001427Z")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x", "", "20220127T001427Z")
	f.Add("AWS4-HMAC-SHA256 ,,, ==,=", "", "")
	f.Add("AWS4-", "a=%zz&&=&X-Amz-Signature", "Thu, 27 Jan 2022 00:14:27 GMT")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20220127%2Fus-east-1%2Fsts%2Faws4_request"+
		"&X-Amz-Date=20220127T001427Z&X-Amz-SignedHeaders=host%3B%3B&X-Amz-Signature=ab&X-Amz-Expires=99999999999999999999", "")
	f.Add("", "X%2DAmz-Algorithm=x&X-Amz-Expires=-0", "")
	f.Add("Bearer token", "X-Amz-Algorithm", "")
	f.Fuzz(func(t *testing.T, auth, query, date string) {
		r, err := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.URL.RawQuery = query
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		s, err := Parse(r)
		if err != nil {
			var e *apierror.Error
			if !errors.As(err, &e) || e.Code == "" || e.Status == 0 || e.Message == "" {
				t.Fatalf("Parse error %#v is not a complete *apierror.Error", err)
			}
			if s != nil {
				t.Fatal("Parse returned a signature with an error")
			}
			return
		}
		if s == nil {
			return
		}
		v := NewVerifier()
		for _, check := range []error{
			v.Validate(s, s.Date, "sts", "us-east-1"),
			v.Verify(r, []byte(query), s, "secret", s.Date),
		} {
			var e *apierror.Error
			if check != nil && !errors.As(check, &e) {
				t.Fatalf("error %#v is not *apierror.Error", check)
			}
		}
		_ = v.CheckTime(s, time.Time{})
	})
}

// FuzzNormalizePath feeds arbitrary escaped paths to the canonical URI's
// normalisation: it must not panic, must keep a leading slash, must leave no
// empty, "." or ".." segment inside, must be idempotent, and must return a
// path that needs nothing removed unchanged.
func FuzzNormalizePath(f *testing.F) {
	for _, seed := range []string{"/", "//", "///a//b//", "/a/./b/../c", "/../..", "/a/.", "/%2E/x", "a//b", "", "/a/", "/.", "/.."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := normalizePath(p)
		if normalizePath(got) != got {
			t.Fatalf("normalizePath(%q) = %q is not stable", p, got)
		}
		if strings.HasPrefix(p, "/") != strings.HasPrefix(got, "/") {
			t.Fatalf("normalizePath(%q) = %q changed the leading slash", p, got)
		}
		inner := strings.TrimSuffix(strings.TrimPrefix(got, "/"), "/")
		for _, seg := range strings.Split(inner, "/") {
			if inner != "" && (seg == "" || seg == "." || seg == "..") {
				t.Fatalf("normalizePath(%q) = %q keeps segment %q", p, got, seg)
			}
		}
		if !needsNormalizing(p) && got != p {
			t.Fatalf("normalizePath(%q) = %q changed a clean path", p, got)
		}
	})
}

// FuzzParseAmzDate holds the hand-written X-Amz-Date reader to time.Parse:
// the same values are accepted, as the same instants.
func FuzzParseAmzDate(f *testing.F) {
	for _, v := range []string{"20220127T001427Z", "20240229T235959Z", "20230229T000000Z", "00000101T000000Z",
		"20221331T000000Z", "20220100T000000Z", "20220127T240000Z", "20220127T006000Z", "20220127T000060Z",
		"2022-127T001427Z", "20220127 001427Z", "20220127T001427z", "+0220127T001427Z", "20220431T120000Z"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := parseAmzDate(v)
		want, wantErr := time.Parse(amzDateLayout, v)
		if len(v) != len(amzDateLayout) {
			wantErr = errBadDate // Parse's callers judge only values of the layout's length
		}
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("parseAmzDate(%q) error = %v; time.Parse error = %v", v, err, wantErr)
		}
		if err == nil && !got.Equal(want) {
			t.Fatalf("parseAmzDate(%q) = %v; time.Parse = %v", v, got, want)
		}
	})
}
