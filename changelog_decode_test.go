package fakests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// TestDecodeChangeRecordAsJSON pins that decodeChangeRecord, which reads a
// record's sessions by hand, makes of every record of a full world's log
// what encoding/json makes of it (the format's reference reading), and
// refuses what encoding/json refuses.
func TestDecodeChangeRecordAsJSON(t *testing.T) {
	_, log := loggedWorld(t, 7)
	br := bufio.NewReader(bytes.NewReader(log.Bytes()))
	kinds := map[string]int{}
	for {
		kind, payload, _, err := readRecord(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if kind != recordChange {
			continue
		}
		var want changeRecord
		if err := strictUnmarshal(payload, &want); err != nil {
			t.Fatalf("encoding/json refuses a record the engine wrote: %v\n%s", err, payload)
		}
		got, err := decodeChangeRecord(payload)
		if err != nil {
			t.Fatalf("decodeChangeRecord: %v\n%s", err, payload)
		}
		wantJSON, _ := json.Marshal(&want)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("decodeChangeRecord made\n%s\nof\n%s\nencoding/json makes\n%s", gotJSON, payload, wantJSON)
		}
		if got.Put != nil && len(got.Put.Sessions) > 0 {
			kinds["sessions"]++
		}
		if got.Put != nil && (len(got.Put.Users) > 0 || len(got.Put.Roles) > 0) {
			kinds["identities"]++
		}
		if got.Delete != nil || len(got.MFAUsed) > 0 {
			kinds["other"]++
		}
	}
	if kinds["sessions"] == 0 || kinds["identities"] == 0 {
		t.Fatalf("the log holds too few kinds of record to compare: %v", kinds)
	}

	session := `{"accessKeyId":"ASIAX","secretAccessKey":"s"}`
	for _, bad := range []string{
		`{"put":{"sessions":[],"nope":1}}`,
		`{"nope":1}`,
		`{"put":{"sessions":[{"nope":1}]}}`,
		`{"put":{"sessions":[` + session + `]},"mfaUsed":5}`,
		`{"put":5}`,
		`{"put":{"sessions":5}}`,
		`{"put":{}} {}`,
		`[]`,
		`{"put":{"sessions":[]}`,
	} {
		if _, err := decodeChangeRecord([]byte(bad)); err == nil {
			t.Errorf("decodeChangeRecord accepted %s", bad)
		}
		var c changeRecord
		if strictUnmarshal([]byte(bad), &c) == nil {
			t.Errorf("encoding/json accepts %s: not a refusal to compare", bad)
		}
	}
	// Members given twice are refused, as in snapshots (encoding/json
	// would keep the last).
	for _, twice := range []string{
		`{"put":{},"put":{}}`,
		`{"put":{"sessions":[],"sessions":[]}}`,
	} {
		if _, err := decodeChangeRecord([]byte(twice)); err == nil {
			t.Errorf("decodeChangeRecord accepted %s", twice)
		}
	}
	for _, ok := range []string{`{}`, `{"put":null}`, `{"put":{"sessions":null}}`, ` { "put" : { } } `} {
		got, err := decodeChangeRecord([]byte(ok))
		var want changeRecord
		if werr := strictUnmarshal([]byte(ok), &want); werr != nil || err != nil {
			t.Errorf("%s: decodeChangeRecord %v, encoding/json %v", ok, err, werr)
			continue
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(&want)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Errorf("%s: decodeChangeRecord made %s, encoding/json %s", ok, gotJSON, wantJSON)
		}
	}
}
