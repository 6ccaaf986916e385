package fakests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// FuzzJournalEncode writes request members holding any string as the
// journal does and checks that the JSON decodes to what encoding/json makes
// of the same string (invalid UTF-8 as U+FFFD), in every position.
func FuzzJournalEncode(f *testing.F) {
	for _, s := range []string{"", "arn:aws:iam::123456789012:role/r", `"\`, "\x00\x1f\x7f", "é\xff\xfe", "\u2028<&>", strings.Repeat("\\n", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := &sts.AssumeRoleInput{RoleArn: &s, Policy: &s, Tags: []types.Tag{{Key: &s, Value: &s}}, TransitiveTagKeys: []string{s, s}}
		b := encodeMembers(in)
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q: the journal wrote %s: %v", s, b, err)
		}
		ref, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		tag := got["tags"].([]any)[0].(map[string]any)
		keys := got["transitiveTagKeys"].([]any)
		if got["roleArn"] != want || got["policy"] != want || tag["key"] != want || tag["value"] != want || keys[1] != want {
			t.Fatalf("%q: decoded %v, want every string %q", s, got, want)
		}
	})
}
