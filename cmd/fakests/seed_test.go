package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/fakests/fakests"
)

// TestSeedErrors pins what a bad seed file says: the file, where in it
// (line and column for bad JSON, the JSON path otherwise) and what is
// wrong.
func TestSeedErrors(t *testing.T) {
	for _, tc := range []struct{ name, seed, want string }{
		{"not JSON", "{\n  \"users\": [\n    {\"name\": \"ci\",}\n  ]\n}",
			`seed file s.json: line 3, column 20 (byte 34): not JSON: invalid character '}' looking for beginning of object key string`},
		{"truncated", `{"users": [`, `seed file s.json: line 1, column 12 (byte 11): not JSON: unexpected EOF`},
		{"two values", `{} {}`, `seed file s.json: line 1, column 4 (byte 3): more JSON after the seed object`},
		{"not an object", `[]`, `seed file s.json: $: must be an object, not an array`},
		{"unknown top-level member", `{"user": []}`,
			`seed file s.json: $: unknown member "user" (allowed: managedPolicies, users, roles, oidcProviders, samlProviders, organizations, regions, $comment)`},
		{"users not an array", `{"users": {"name": "ci"}}`, `seed file s.json: $.users: must be an array, not an object`},
		{"typo in a user", `{"users": [{"name": "ci"}, {"nmae": "cd"}]}`,
			`seed file s.json: $.users[1]: unknown member "nmae" (allowed: account, path, name, policies, managedPolicyArns, tags, accessKeys, mfaDevices)`},
		{"missing name", `{"users": [{"path": "/"}]}`, `seed file s.json: $.users[0].name: missing`},
		{"name not a string", `{"users": [{"name": 7}]}`, `seed file s.json: $.users[0].name: must be a string, not a number`},
		{"missing secret", `{"users": [{"name": "ci", "accessKeys": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE"}]}]}`,
			`seed file s.json: $.users[0].accessKeys[0].secretAccessKey: missing`},
		{"key status", `{"users": [{"name": "ci", "accessKeys": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "s", "status": "On"}]}]}`,
			`seed file s.json: $.users[0].accessKeys[0].status: must be "Active" or "Inactive", not "On"`},
		{"policy a number", `{"roles": [{"name": "r", "policies": [7]}]}`,
			`seed file s.json: $.roles[0].policies[0]: must be a policy document: a JSON object, or a string holding one; not a number`},
		{"trust policy empty", `{"roles": [{"name": "r", "trustPolicy": ""}]}`, `seed file s.json: $.roles[0].trustPolicy: must not be empty`},
		{"max session", `{"roles": [{"name": "r", "maxSessionDuration": "long"}]}`,
			`seed file s.json: $.roles[0].maxSessionDuration: must be a number of seconds or a duration such as "12h", not "long"`},
		{"tag value", `{"roles": [{"name": "r", "tags": {"team": 1}}]}`, `seed file s.json: $.roles[0].tags.team: must be a string, not a number`},
		{"org flag", `{"organizations": [{"managementAccount": "111111111111", "rootSessions": "yes"}]}`,
			`seed file s.json: $.organizations[0].rootSessions: must be true or false, not a string`},
		{"jwks", `{"oidcProviders": [{"url": "https://x", "jwks": 1}]}`,
			`seed file s.json: $.oidcProviders[0].jwks: must be a JSON Web Key Set: an object {"keys":[...]} or a string holding one; not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSeed("s.json", []byte(tc.seed))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error:\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestSeedApplyErrors pins errors the engine finds when the seed is
// applied: they name the entity's path too.
func TestSeedApplyErrors(t *testing.T) {
	for _, tc := range []struct{ name, seed, want string }{
		{"bad user name", `{"users": [{"name": "a b"}]}`, `seed file s.json: $.users[0]: name "a b" must be 1-64 characters of [\w+=,.@-]`},
		{"duplicate user", `{"users": [{"name": "ci"}, {"name": "CI"}]}`, `seed file s.json: $.users[1]: user CI already exists in account 123456789012`},
		{"malformed policy", `{"roles": [{"name": "r", "policies": ["{\"Version\":\"2012-10-17\"}"]}]}`, `seed file s.json: $.roles[0]: `},
		{"short key ID", `{"users": [{"name": "ci", "accessKeys": [{"accessKeyId": "AKIA", "secretAccessKey": "s"}]}]}`,
			`seed file s.json: $.users[0].accessKeys[0].accessKeyId: access key ID "AKIA" must be 16 to 128 letters, digits or underscores`},
		{"key twice", `{"users": [{"name": "a", "accessKeys": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "s"}]}, {"name": "b", "accessKeys": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "secretAccessKey": "t"}]}]}`,
			`seed file s.json: $.users[1].accessKeys[0].accessKeyId: access key ID AKIAIOSFODNN7EXAMPLE is already in use`},
		{"three keys", `{"users": [{"name": "a", "accessKeys": [{"accessKeyId": "AKIAAAAAAAAAAAAAAAA1", "secretAccessKey": "s"}, {"accessKeyId": "AKIAAAAAAAAAAAAAAAA2", "secretAccessKey": "s"}, {"accessKeyId": "AKIAAAAAAAAAAAAAAAA3", "secretAccessKey": "s"}]}]}`,
			`seed file s.json: $.users[0].accessKeys[2]: LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2`},
		{"MFA seed", `{"users": [{"name": "a", "mfaDevices": [{"base32StringSeed": "not base32!"}]}]}`,
			`seed file s.json: $.users[0].mfaDevices[0]: MFA seed of arn:aws:iam::123456789012:user/a is not Base32 (RFC 4648): `},
		{"named policy", `{"roles": [{"name": "r", "policies": [{"name": "p", "document": "{}"}]}]}`, `seed file s.json: $.roles[0].policies[0]: `},
		{"region", `{"regions": [{"enable": ["xx-nowhere-1"]}]}`, `seed file s.json: $.regions[0].enable[0]: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sf, err := parseSeed("s.json", []byte(tc.seed))
			if err != nil {
				t.Fatal(err)
			}
			err = sf.apply(fakests.New())
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.HasSuffix(tc.want, ": ") && err.Error() == tc.want {
				t.Fatalf("error:\n got %v\nwant %s…", err, tc.want)
			}
		})
	}
}

// TestSeedStopsTheStart pins that a bad seed stops serve before it prints
// anything, with the file and path in the error.
func TestSeedStopsTheStart(t *testing.T) {
	name := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(name, []byte(`{"users": [{"name": "ci", "accessKeys": [{}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errw strings.Builder
	code := run([]string{"serve", "-addr", "127.0.0.1:0", "-seed", name}, &out, &errw)
	want := "fakests serve: seed file " + name + ": $.users[0].accessKeys[0]: unknown member"
	if code != 1 || out.String() != "" || !strings.HasPrefix(errw.String(), "fakests serve: seed file "+name+": $.users[0].accessKeys[0].accessKeyId: missing") {
		t.Fatalf("exit %d, stdout %q, stderr %q (want it to start %q)", code, out.String(), errw.String(), want)
	}
}

// FuzzParseSeed checks that no seed file makes the parser panic, and that
// every refusal is a seedError naming the file.
func FuzzParseSeed(f *testing.F) {
	for _, s := range []string{`{}`, `{"users":[{"name":"ci","accessKeys":[{"accessKeyId":"AKIA","secretAccessKey":"s"}]}]}`,
		`{"roles":[{"name":"r","trustPolicy":{"Version":"2012-10-17"},"maxSessionDuration":"2h","tags":{"a":"b"}}]}`,
		`{"regions":[{"enable":["af-south-1"]}],"organizations":[{"managementAccount":"111111111111"}]}`, `[`, `{"users":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := parseSeed("f.json", data)
		if err != nil {
			if _, ok := err.(*seedError); !ok || !strings.HasPrefix(err.Error(), "seed file f.json: ") {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if sf == nil {
			t.Fatal("no seed and no error")
		}
	})
}

// TestSeedExample applies testdata/seed.example.json, the documented
// example of every member, to a strict engine and checks what scripts rely
// on: the fixed keys authenticate as their users (the Inactive one does
// not, nor the key CreateUser drew), the seeded MFA device proves MFA, the
// users may assume the roles their policies and the roles' trust allow.
func TestSeedExample(t *testing.T) {
	sf, err := loadSeed("testdata/seed.example.json")
	if err != nil {
		t.Fatal(err)
	}
	e := fakests.New(fakests.Strict())
	if err := sf.apply(e); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	identity := func(id, secret string) (string, error) {
		out, err := sts.NewFromConfig(e.Config(aws.Credentials{AccessKeyID: id, SecretAccessKey: secret})).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.Arn), nil
	}
	for _, k := range []struct{ id, secret, want string }{
		{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "arn:aws:iam::123456789012:user/automation/ci"},
		{"AKIAADMINKEYEXAMPLE1", "adminSecretAccessKeyExample/0123456789ab", "arn:aws:iam::123456789012:user/admin"},
		{"AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "InvalidClientTokenId"},
	} {
		got, err := identity(k.id, k.secret)
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) {
				got = ae.ErrorCode()
			}
		}
		if got != k.want {
			t.Errorf("%s: %s (%v), want %s", k.id, got, err, k.want)
		}
	}
	ci := sts.NewFromConfig(e.Config(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}))
	out, err := ci.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/deployer"), RoleSessionName: aws.String("seeded")})
	if err != nil {
		t.Fatalf("ci assumes deployer: %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/deployer/seeded" {
		t.Errorf("AssumeRole: %s", got)
	}
	// The MFA device's seed is JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP; its code
	// now proves MFA to GetSessionToken (the inline policy ci-extra allows it).
	secret, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	code := totpCode(secret, e.Now())
	if _, err := ci.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/automation/ci-phone"), TokenCode: aws.String(code)}); err != nil {
		t.Errorf("GetSessionToken with the seeded device's code: %v", err)
	}
}

// totpCode is RFC 6238's six-digit code of secret at t (30 s steps,
// HMAC-SHA1), computed here independently of the engine.
func totpCode(secret []byte, t time.Time) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/30))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0xf
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}
