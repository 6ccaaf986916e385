package sigv4

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
)

// TestVerifySignedHeadersList: AWS builds the canonical request from the
// lower-cased, sorted header names, so a client that signed a list in another
// order or spelling gets SignatureDoesNotMatch (behaviour §1.4). Each request
// here is signed consistently with the list it sends (the reference signer
// uses the list as given), so only the list itself can make it fail.
func TestVerifySignedHeadersList(t *testing.T) {
	const date = "20220127T001427Z"
	scope := Scope{"20220127", "us-east-1", "sts", Terminator}
	host := [2]string{"host", "sts.us-east-1.amazonaws.com"}
	ctype := [2]string{"content-type", "application/x-www-form-urlencoded"}
	amzDate := [2]string{"x-amz-date", date}
	tests := []struct {
		name    string
		headers [][2]string // as signed: names in the client's order and spelling
		ok      bool
	}{
		{"sorted, lower-case: verifies", [][2]string{ctype, host, amzDate}, true},
		{"unsorted", [][2]string{host, ctype, amzDate}, false},
		{"upper-case name", [][2]string{{"Content-Type", ctype[1]}, host, amzDate}, false},
		{"duplicated name", [][2]string{ctype, host, host, amzDate}, false},
		{"empty name", [][2]string{{"", ""}, ctype, host, amzDate}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig := referenceSignature(http.MethodPost, "", tc.headers, sha256Hex([]byte(gciBody)), signTime, scope, testSecret)
			var names []string
			for _, h := range tc.headers {
				names = append(names, h[0])
			}
			req, err := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/", strings.NewReader(gciBody))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ctype[1])
			req.Header.Set("X-Amz-Date", date)
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+scope.String()+
				", SignedHeaders="+strings.Join(names, ";")+", Signature="+sig)
			srv, body := serverSide(t, req)
			s, err := Parse(srv)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = NewVerifier().Verify(srv, body, s, testSecret, signTime)
			if tc.ok {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, mismatchText), asError(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSecondAuthorization: a second Authorization header is combined
// with the first, as HTTP combines repeated fields (RFC 9110 §5.3), and the
// result is malformed: IncompleteSignature with AWS's missing-equal text,
// whichever of the two is valid (behaviour §1.4).
func TestParseSecondAuthorization(t *testing.T) {
	good := sdkRequest(t, gciBody, "", signTime)
	first := good.Header.Get("Authorization")
	for _, tc := range []struct{ name, second string }{
		{"the same header twice", first},
		{"a forged second signature", strings.Replace(first, "Signature=", "Signature=0", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sdkRequest(t, gciBody, "", signTime)
			r.Header.Add("Authorization", tc.second)
			srv, _ := serverSide(t, r)
			if n := len(srv.Header.Values("Authorization")); n != 2 {
				t.Fatalf("server sees %d Authorization headers, want 2", n)
			}
			s, err := Parse(srv)
			want := wantErr("IncompleteSignature", 400, "'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in Authorization header: '"+
				first+", "+tc.second+"'.")
			if s != nil {
				t.Fatalf("Parse returned a signature: %+v", s)
			}
			if diff := cmp.Diff(want, asError(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyUnsignedSecurityToken: an X-Amz-Security-Token header that is not
// among the signed headers does not change the signature (behaviour §1.4:
// AWS's query services accept it); a presigned URL whose token was appended
// after signing fails, because STS's canonical query string includes every
// parameter but X-Amz-Signature.
func TestVerifyUnsignedSecurityToken(t *testing.T) {
	t.Run("header auth, token not signed: verifies", func(t *testing.T) {
		req := sdkRequest(t, gciBody, "", signTime) // signed without a token
		req.Header.Set("X-Amz-Security-Token", testToken)
		srv, body := serverSide(t, req)
		s, err := Parse(srv)
		if err != nil {
			t.Fatal(err)
		}
		if s.SecurityToken != testToken || strings.Contains(strings.Join(s.SignedHeaders, ";"), "x-amz-security-token") {
			t.Fatalf("parsed %+v", s)
		}
		if err := NewVerifier().Verify(srv, body, s, testSecret, signTime); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
	t.Run("presigned, token appended after signing: SignatureDoesNotMatch", func(t *testing.T) {
		r := presigned(t, "60", "", signTime, nil)
		r.URL.RawQuery += "&X-Amz-Security-Token=" + testToken
		s, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		if s.SecurityToken != testToken {
			t.Fatalf("SecurityToken = %q", s.SecurityToken)
		}
		if diff := cmp.Diff(wantErr("SignatureDoesNotMatch", 403, mismatchText), asError(t, NewVerifier().Verify(r, nil, s, testSecret, signTime))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestVerifyBodyCoverage: VerifyBody reports whether the signature covers
// the body. Only a presigned request verified with UNSIGNED-PAYLOAD while
// carrying a body leaves it uncovered (behaviour §1.4).
func TestVerifyBodyCoverage(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	presign := func(t *testing.T, payloadHash, body string) (*http.Request, []byte) {
		req, err := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, payloadHash, "sts", "us-east-1", signTime)
		if err != nil {
			t.Fatal(err)
		}
		out, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return serverSide(t, out)
	}
	for _, tc := range []struct {
		name, payloadHash, body string
		signed                  bool
	}{
		{"UNSIGNED-PAYLOAD, empty body: nothing to cover", "UNSIGNED-PAYLOAD", "", true},
		{"UNSIGNED-PAYLOAD, a body: not covered", "UNSIGNED-PAYLOAD", "Action=AssumeRole", false},
		{"the body's hash signed: covered", sha256Hex([]byte("Action=AssumeRole")), "Action=AssumeRole", true},
		{"the empty body's hash, empty body: covered", sha256Hex(nil), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, body := presign(t, tc.payloadHash, tc.body)
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			signed, err := NewVerifier().VerifyBody(r, body, s, testSecret, signTime)
			if err != nil {
				t.Fatalf("VerifyBody: %v", err)
			}
			if signed != tc.signed {
				t.Errorf("bodySigned = %v, want %v", signed, tc.signed)
			}
		})
	}
	t.Run("header auth always signs the body", func(t *testing.T) {
		srv, body := serverSide(t, sdkRequest(t, gciBody, "", signTime))
		s, err := Parse(srv)
		if err != nil {
			t.Fatal(err)
		}
		if signed, err := NewVerifier().VerifyBody(srv, body, s, testSecret, signTime); err != nil || !signed {
			t.Errorf("VerifyBody = %v, %v; want true, nil", signed, err)
		}
	})
}
