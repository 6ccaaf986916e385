package fakests

import (
	"context"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// This file holds what the conformance_*_test.go files share: a small world
// of principals (users, root, roles in two accounts) and independent checks
// of the shapes AWS gives credentials (behaviour §2). Every expected string in
// these tests is AWS's literal text, never one of the engine's constants.

// The two accounts of the conformance world.
const (
	acctA = "123456789012" // the engine's default account
	acctB = "210987654321" // another account, for cross-account roles
)

// ignoreSecrets leaves out the random credential material so that cmp.Diff
// can compare the rest of an output; checkCredShape checks it instead.
var ignoreSecrets = cmpopts.IgnoreFields(types.Credentials{}, "AccessKeyId", "SecretAccessKey", "SessionToken")

// world is a set of principals for conformance tests.
type world struct {
	e     *Engine
	clk   *manualClock
	bob   *User // arn:aws:iam::123456789012:user/division/Bob, may assume roles and federate
	plain *User // arn:aws:iam::123456789012:user/Plain, no identity policy at all
	root  aws.Credentials
	cross *Role // arn:aws:iam::210987654321:role/service-role/app/Deployer, trusts account A
	long  *Role // arn:aws:iam::123456789012:role/Long, 12 h, trusts account A
	next  *Role // arn:aws:iam::123456789012:role/Next, 12 h, trusts account A (chaining target)
}

// newWorld builds the world on a fresh engine with a manual clock.
func newWorld(t testing.TB, opts ...Option) *world {
	t.Helper()
	e, clk := newTestEngine(t, opts...)
	w := &world{e: e, clk: clk, root: e.RootCredentials("")}
	w.bob = mustUser(t, e, UserSpec{Path: "/division/", Name: "Bob", Policies: []string{allowAssume}})
	w.plain = mustUser(t, e, UserSpec{Name: "Plain"})
	w.cross = mustRole(t, e, RoleSpec{Account: acctB, Path: "/service-role/app/", Name: "Deployer", TrustPolicy: trustAccount(acctA)})
	w.long = mustRole(t, e, RoleSpec{Name: "Long", TrustPolicy: trustAccount(acctA), Policies: []string{allowAssume}, MaxSessionDuration: 12 * time.Hour})
	w.next = mustRole(t, e, RoleSpec{Name: "Next", TrustPolicy: trustAccount(acctA), MaxSessionDuration: 12 * time.Hour})
	return w
}

// typed returns a context for typed engine calls made as creds.
func typed(creds aws.Credentials) context.Context { return WithCaller(context.Background(), creds) }

// assume assumes a role on the typed path as creds, failing the test on error.
func (w *world) assume(t testing.TB, creds aws.Credentials, in *sts.AssumeRoleInput) *sts.AssumeRoleOutput {
	t.Helper()
	out, err := w.e.AssumeRole(typed(creds), in)
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", aws.ToString(in.RoleArn), err)
	}
	return out
}

// roleSession returns the credentials of a fresh session of r for creds.
func (w *world) roleSession(t testing.TB, creds aws.Credentials, r *Role, name string) aws.Credentials {
	t.Helper()
	return credsOf(w.assume(t, creds, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String(name)}).Credentials)
}

// sessionToken returns GetSessionToken credentials for creds.
func (w *world) sessionToken(t testing.TB, creds aws.Credentials) aws.Credentials {
	t.Helper()
	out, err := w.e.GetSessionToken(typed(creds), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatalf("GetSessionToken: %v", err)
	}
	return credsOf(out.Credentials)
}

// federation returns GetFederationToken credentials for creds.
func (w *world) federation(t testing.TB, creds aws.Credentials, name string) aws.Credentials {
	t.Helper()
	out, err := w.e.GetFederationToken(typed(creds), &sts.GetFederationTokenInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("GetFederationToken: %v", err)
	}
	return credsOf(out.Credentials)
}

// base32Alphabet is RFC 4648's alphabet, which AWS key IDs use (§2.3).
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// accountOfKey decodes the account from a new-generation access key ID as
// behaviour §2.4 describes, independently of the engine's own decoder.
func accountOfKey(id string) (string, bool) {
	if len(id) != 20 {
		return "", false
	}
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(id[4:])
	if err != nil || len(b) != 10 || b[0]&0x80 == 0 {
		return "", false
	}
	var z [8]byte
	copy(z[2:], b[:6])
	acct := (binary.BigEndian.Uint64(z[:]) & 0x7fffffffff80) >> 7
	return fmt.Sprintf("%012d", acct), true
}

// checkID checks a 21-character unique ID with prefix (§2.2).
func checkID(t testing.TB, what, id, prefix string) {
	t.Helper()
	if len(id) != 21 || !strings.HasPrefix(id, prefix) || strings.Trim(id, base32Alphabet) != "" {
		t.Errorf("%s %q: want %s + 17 characters of A-Z2-7", what, id, prefix)
	}
}

// checkKeyID checks an access key ID: prefix + 16 base32 characters that
// encode acct (§2.3, §2.4).
func checkKeyID(t testing.TB, id, prefix, acct string) {
	t.Helper()
	if len(id) != 20 || !strings.HasPrefix(id, prefix) || strings.Trim(id, base32Alphabet) != "" {
		t.Errorf("access key ID %q: want %s + 16 characters of A-Z2-7", id, prefix)
		return
	}
	if got, ok := accountOfKey(id); !ok || got != acct {
		t.Errorf("access key ID %q encodes account %q (new generation: %v), want %s", id, got, ok, acct)
	}
}

// checkCredShape checks temporary credentials as AWS shapes them (§2.3):
// an ASIA key of acct, a 40-character secret, a base64 token that starts
// with the regional-token prefix and is hundreds of characters long.
func checkCredShape(t testing.TB, c *types.Credentials, acct string) {
	t.Helper()
	if c == nil {
		t.Fatal("no Credentials")
	}
	checkKeyID(t, aws.ToString(c.AccessKeyId), "ASIA", acct)
	secret := aws.ToString(c.SecretAccessKey)
	if len(secret) != 40 || strings.Trim(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") != "" {
		t.Errorf("secret %q: want 40 characters of the base64 alphabet", secret)
	}
	tok := aws.ToString(c.SessionToken)
	if !strings.HasPrefix(tok, "IQoJb3JpZ2luX2Vj") || len(tok) < 300 || len(tok) > 4096 {
		t.Errorf("session token (%d chars) %.40q…: want IQoJb3JpZ2luX2Vj… of hundreds of characters", len(tok), tok)
	}
	if _, err := base64.StdEncoding.DecodeString(tok); err != nil {
		t.Errorf("session token is not base64: %v", err)
	}
}

// checkTokenFields checks SessionTokenSize and SessionTokenUtilization
// against the token (§2.3): the size in bytes, and the share of the
// 4,096-byte maximum as a whole percentage (rounded either way).
func checkTokenFields(t testing.TB, c *types.Credentials, size, util *int32) {
	t.Helper()
	n := len(aws.ToString(c.SessionToken))
	if size == nil || int(*size) != n {
		t.Errorf("SessionTokenSize = %v, want %d", aws.ToInt32(size), n)
	}
	lo, hi := n*100/4096, (n*100+4095)/4096
	if util == nil || int(*util) < lo || int(*util) > hi {
		t.Errorf("SessionTokenUtilization = %v, want %d%% of 4096 (%d–%d)", aws.ToInt32(util), n, lo, hi)
	}
}
