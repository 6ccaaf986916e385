package session

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

func TestAccountFromAccessKeyID(t *testing.T) {
	tests := []struct {
		name, id, account string
		ok                bool
	}{
		{"behaviour §2.4 test vector decodes to its account", "ASIAY34FZKBOKMUTVV7A", "609629065308", true},
		{"old-generation keys carry no account", "AKIAIOSFODNN7EXAMPLE", "", false},
		{"too short to decode", "AKIA1234", "", false},
		{"characters outside base32 are rejected", "AKIAY34FZKBOKMUTVV01", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AccountFromAccessKeyID(tt.id)
			if got != tt.account || ok != tt.ok {
				t.Errorf("AccountFromAccessKeyID(%q) = %q, %v; want %q, %v", tt.id, got, ok, tt.account, tt.ok)
			}
		})
	}
}

func TestAccessKeyIDRoundTrip(t *testing.T) {
	for _, acct := range []string{"000000000000", "000000000001", "123456789012", "999999999999"} {
		for _, prefix := range []string{PrefixLongTermKey, PrefixTemporaryKey} {
			id, err := NewAccessKeyID(prefix, acct, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if len(id) != 20 || !strings.HasPrefix(id, prefix) {
				t.Fatalf("NewAccessKeyID = %q: want 20 characters starting %s", id, prefix)
			}
			if strings.ContainsAny(id, "0189") {
				t.Errorf("%q uses characters outside the base32 alphabet", id)
			}
			if got, ok := AccountFromAccessKeyID(id); !ok || got != acct {
				t.Errorf("AccountFromAccessKeyID(%q) = %q, %v; want %q", id, got, ok, acct)
			}
		}
	}
}

func TestUniqueIDShape(t *testing.T) {
	id, err := NewUniqueID(PrefixRole, "123456789012", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 21 || !strings.HasPrefix(id, "AROA") {
		t.Errorf("NewUniqueID = %q; want 21 characters starting AROA", id)
	}
	if got, ok := AccountFromAccessKeyID(id); !ok || got != "123456789012" {
		t.Errorf("unique ID %q does not carry its account: %q", id, got)
	}
}

func TestBadAccountIsRejected(t *testing.T) {
	for _, acct := range []string{"", "12345", "12345678901a", "1234567890123"} {
		id, err := NewAccessKeyID(PrefixLongTermKey, acct, rand.Reader)
		if want := `session: account ID "` + acct + `" is not 12 digits`; err == nil || err.Error() != want || id != "" {
			t.Errorf("NewAccessKeyID(%q) = %q, %v; want no ID and %q", acct, id, err, want)
		}
	}
}

func TestSameBytesGiveSameMaterial(t *testing.T) {
	seed := bytes.Repeat([]byte{7, 1, 9, 3}, 256)
	mint := func() string {
		r := bytes.NewReader(seed)
		id, _ := NewAccessKeyID(PrefixTemporaryKey, "123456789012", r)
		sec, _ := NewSecretAccessKey(r)
		tok, _ := NewSessionToken(TokenSpec{Payload: 100}, r)
		return id + sec + tok
	}
	if a, b := mint(), mint(); a != b {
		t.Errorf("same randomness gave different material:\n%s\n%s", a, b)
	}
}

func TestSecretShape(t *testing.T) {
	s, err := NewSecretAccessKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != SecretLength {
		t.Errorf("secret %q has %d characters; want 40", s, len(s))
	}
}
