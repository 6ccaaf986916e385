package session

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSessionTokenSizes(t *testing.T) {
	tests := []struct {
		name    string
		spec    TokenSpec
		wantLen int
	}{
		{"natural size is header plus payload, base64-encoded", TokenSpec{Payload: 600}, base64.StdEncoding.EncodedLen(612)},
		{"MinimumSize below the natural size changes nothing", TokenSpec{Payload: 600, MinimumSize: 100}, base64.StdEncoding.EncodedLen(612)},
		{"MinimumSize above the natural size pads to it", TokenSpec{Payload: 600, MinimumSize: 2000}, 2000},
		{"MinimumSize that is not a multiple of 4 rounds up", TokenSpec{Payload: 10, MinimumSize: 1001}, 1004},
		{"MinimumSize of the maximum is allowed", TokenSpec{Payload: 10, MinimumSize: MaxTokenSize}, MaxTokenSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := NewSessionToken(tt.spec, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if len(tok) != tt.wantLen {
				t.Errorf("len = %d; want %d", len(tok), tt.wantLen)
			}
			if !strings.HasPrefix(tok, "IQoJb3JpZ2luX2Vj") {
				t.Errorf("token %.20q does not start like an AWS regional token", tok)
			}
			if _, err := base64.StdEncoding.DecodeString(tok); err != nil {
				t.Errorf("token is not base64: %v", err)
			}
		})
	}
}

func TestSessionTokenOverMaximumFails(t *testing.T) {
	tok, err := NewSessionToken(TokenSpec{Payload: 4000}, rand.Reader)
	if want := "session: token of 5352 bytes exceeds 4096"; err == nil || err.Error() != want || tok != "" {
		t.Errorf("NewSessionToken = %.20q, %v; want no token and %q", tok, err, want)
	}
}

func TestUtilization(t *testing.T) {
	for size, want := range map[int]int{0: 0, 1: 1, 4096: 100, 2048: 50, 820: 21} {
		if got := Utilization(size); got != want {
			t.Errorf("Utilization(%d) = %d; want %d", size, got, want)
		}
	}
}

func TestStore(t *testing.T) {
	st := NewStore[string]()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Session[string]{AccessKeyID: "ASIAEXAMPLE", TokenDigest: DigestOf("tok"), Expiration: now.Add(time.Hour), Value: "v"}
	if !st.Insert(s) {
		t.Fatal("Insert refused a session into an empty store")
	}
	got, ok := st.Get("ASIAEXAMPLE")
	if !ok || got.Value != "v" {
		t.Fatalf("Get = %v, %v", got, ok)
	}
	if !got.TokenMatches("tok") || got.TokenMatches("tok2") {
		t.Error("TokenMatches does not tell the right token from a wrong one")
	}
	if got.Expired(now) || !got.Expired(now.Add(time.Hour)) {
		t.Error("Expired: wrong at the boundary")
	}
	if n := st.Sweep(now.Add(2 * time.Hour)); n != 1 || st.Len() != 0 {
		t.Errorf("Sweep removed %d, %d left", n, st.Len())
	}
}

func TestPackGrowsWithCompressedSize(t *testing.T) {
	small := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	spaced := "{ \"Version\" : \"2012-10-17\",\n \"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"
	if got := Pack(nil, nil, nil); got.Percent != 0 || got.Bytes != 0 {
		t.Errorf("nothing packed reports %+v", got)
	}
	p := Pack([]string{small}, nil, nil)
	if p.Percent < 5 || p.Percent > 20 {
		t.Errorf("a one-statement policy packs to %d%%; want 5-20%% (AWS shows about 16%%)", p.Percent)
	}
	if q := Pack([]string{spaced}, nil, nil); q != p {
		t.Errorf("whitespace changed the packed size: %+v vs %+v", q, p)
	}
	var many [][2]string
	for i := 0; i < 50; i++ {
		many = append(many, [2]string{strings.Repeat(string(rune('a'+i%26)), 100) + strconv.Itoa(i), strconv.Itoa(i*7919) + strings.Repeat("v", 200)})
	}
	big := Pack([]string{small}, nil, many)
	if big.Percent <= p.Percent || big.TagsPercent == 0 || big.TagsPercent > big.Percent {
		t.Errorf("adding tags: %+v (policy alone %+v)", big, p)
	}
}

// TestStoreNeverReplaces pins that a key ID already in the store, live or
// expired, is refused rather than overwritten: the first holder keeps its
// session.
func TestStoreNeverReplaces(t *testing.T) {
	st := NewStore[string]()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	first := &Session[string]{AccessKeyID: "ASIAEXAMPLE", TokenDigest: DigestOf("first"), Expiration: now.Add(time.Hour), Value: "first"}
	if !st.Insert(first) {
		t.Fatal("Insert refused the first session")
	}
	second := &Session[string]{AccessKeyID: "ASIAEXAMPLE", TokenDigest: DigestOf("second"), Expiration: now.Add(2 * time.Hour), Value: "second"}
	if st.Insert(second) {
		t.Error("Insert stored a second session under a key ID already held")
	}
	if got, _ := st.Get("ASIAEXAMPLE"); got.Value != "first" || !got.TokenMatches("first") {
		t.Errorf("the first session was replaced: %+v", got)
	}
	expired := &Session[string]{AccessKeyID: "ASIAOLD", Expiration: now.Add(-time.Hour), Value: "old"}
	st.Insert(expired)
	if st.Insert(&Session[string]{AccessKeyID: "ASIAOLD", Expiration: now.Add(time.Hour), Value: "new"}) {
		t.Error("Insert replaced an expired, unswept session")
	}
	if st.Len() != 2 {
		t.Errorf("Len = %d, want 2", st.Len())
	}
}
