package tags

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fakests/fakests/apierror"
)

// decodeFuzz turns two strings into a request: tags are lines of
// "key<TAB>value" (a line without a tab is a key with an empty value) and
// transitive keys are lines. Tab and newline are outside the tag pattern, so
// every character the pattern accepts can still appear.
func decodeFuzz(tagBlob, keyBlob string) ([]Tag, []string) {
	var tags []Tag
	if tagBlob != "" {
		for line := range strings.SplitSeq(tagBlob, "\n") {
			k, v, _ := strings.Cut(line, "\t")
			tags = append(tags, Tag{Key: k, Value: v})
		}
	}
	var keys []string
	if keyBlob != "" {
		keys = strings.Split(keyBlob, "\n")
	}
	return tags, keys
}

var validationPrefix = regexp.MustCompile(`^(1 validation error|[0-9]+ validation errors) detected: Value '`)

// The InvalidParameterValue texts (behaviour §7), typed out rather than taken
// from the package's constants.
const (
	fuzzMsgDuplicate  = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
	fuzzMsgTransitive = "The specified transitive tag key must be included in the requested tags."
	fuzzMsgReserved   = "Tag keys can't begin with the reserved prefix 'aws:'."
	fuzzMsgConflict   = "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
)

func FuzzValidate(f *testing.F) {
	f.Add("Project\tblue\nTeam\tx", "project")
	f.Add("A\t1\na\t2", "")
	f.Add("aws:x\ty", "")
	f.Add("\t", "missing")
	f.Add("Zürich\t東京 ٣", "ZÜRICH")
	f.Add("K\tkelvin\n\u212a\tsign", "")
	f.Add("k\xff\tv\xfe", "\xff")
	f.Add(strings.Repeat("x", 129)+"\t"+strings.Repeat("y", 257), strings.Repeat("z", 200))
	f.Fuzz(func(t *testing.T, tagBlob, keyBlob string) {
		tags, keys := decodeFuzz(tagBlob, keyBlob)
		err := Validate(tags, keys)
		if err != nil {
			var te *apierror.Error
			if !errors.As(err, &te) {
				t.Fatalf("error %v is %T, want *tags.Error", err, err)
			}
			if te.Status != 400 {
				t.Fatalf("status %d, want 400", te.Status)
			}
			switch te.Code {
			case "ValidationError":
				if !validationPrefix.MatchString(te.Message) {
					t.Fatalf("ValidationError message %q does not follow the §3 template", te.Message)
				}
			case "InvalidParameterValue":
				switch te.Message {
				case fuzzMsgDuplicate, fuzzMsgTransitive, fuzzMsgReserved:
				default:
					t.Fatalf("InvalidParameterValue with an unknown message %q", te.Message)
				}
			default:
				t.Fatalf("unexpected code %q", te.Code)
			}
		} else {
			checkAccepted(t, tags, keys)
		}

		// Chain with the first half as inherited tags must agree with Validate
		// on the request half and never panic.
		half := len(tags) / 2
		inherited, req := tags[:half], tags[half:]
		session, transitive, cerr := Chain(inherited, req, keys)
		if verr := Validate(req, keys); verr != nil {
			if cerr == nil || cerr.Error() != verr.Error() {
				t.Fatalf("Chain error %v, want Validate's %v", cerr, verr)
			}
			return
		}
		if cerr != nil {
			var te *apierror.Error
			if !errors.As(cerr, &te) || te.Code != "InvalidParameterValue" || te.Message != fuzzMsgConflict {
				t.Fatalf("Chain on a valid request failed with %v, want only the conflict error", cerr)
			}
			return
		}
		if len(session) != len(inherited)+len(req) || len(transitive) < len(inherited) || len(transitive) > len(session) {
			t.Fatalf("Chain sizes: session %d, transitive %d from %d inherited + %d requested", len(session), len(transitive), len(inherited), len(req))
		}
	})
}

// checkAccepted asserts what an accepted request guarantees.
func checkAccepted(t *testing.T, tags []Tag, keys []string) {
	t.Helper()
	if len(tags) > MaxTags || len(keys) > MaxTransitiveKeys {
		t.Fatalf("accepted %d tags and %d transitive keys", len(tags), len(keys))
	}
	for i, tg := range tags {
		if n := utf8.RuneCountInString(tg.Key); n < 1 || n > MaxKeyLength || !utf8.ValidString(tg.Key) {
			t.Fatalf("accepted key %q", tg.Key)
		}
		if n := utf8.RuneCountInString(tg.Value); n > MaxValueLength || !utf8.ValidString(tg.Value) {
			t.Fatalf("accepted value %q", tg.Value)
		}
		for _, other := range tags[:i] {
			if strings.EqualFold(tg.Key, other.Key) {
				t.Fatalf("accepted duplicate keys %q and %q", other.Key, tg.Key)
			}
		}
	}
	for _, k := range keys {
		if _, ok := Lookup(tags, k); !ok {
			t.Fatalf("accepted transitive key %q missing from the tags", k)
		}
	}
}

// FuzzFoldHash checks the property the duplicate checks rely on: keys equal
// under strings.EqualFold hash alike.
func FuzzFoldHash(f *testing.F) {
	f.Add("Key", "kEY")
	f.Add("K", "\u212a")
	f.Add("ſ", "S")
	f.Add("ΣΑΣ", "σας")
	f.Add("\xff", "\xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []string{b, strings.ToUpper(a), strings.ToLower(a)} {
			if strings.EqualFold(a, s) && foldHash(a) != foldHash(s) {
				t.Fatalf("EqualFold(%q, %q) but hashes differ", a, s)
			}
		}
	})
}
