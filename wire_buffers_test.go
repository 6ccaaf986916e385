package fakests

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestAppendBody pins appendBody to io.ReadAll of an io.LimitReader: what
// the reader yields, up to the limit, after what the buffer held, whatever
// the reader's chunk size; a read error is returned with what came before.
func TestAppendBody(t *testing.T) {
	text := strings.Repeat("Action=GetCallerIdentity&", 400) // 10,000 bytes, past a pooled buffer
	for _, tc := range []struct {
		name  string
		r     io.Reader
		limit int
		want  string
	}{
		{"whole", strings.NewReader(text), len(text) + 1, text},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader(text)), len(text) + 1, text},
		{"cut at the limit", strings.NewReader(text), 100, text[:100]},
		{"empty", strings.NewReader(""), 10, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := io.ReadAll(io.LimitReader(strings.NewReader(tc.want), int64(tc.limit)))
			got, err := appendBody([]byte("prefix:"), tc.r, tc.limit)
			if err != nil || string(got) != "prefix:"+string(want) {
				t.Errorf("appendBody = %.40q (%d bytes), %v; want prefix:%.40q (%d bytes)", got, len(got), err, want, len(want))
			}
		})
	}
	boom := errors.New("boom")
	got, err := appendBody(nil, io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(boom)), 10)
	if !errors.Is(err, boom) || string(got) != "ab" {
		t.Errorf("appendBody of a failing reader = %q, %v; want \"ab\", boom", got, err)
	}
}

// TestResponseBodyClose: the adapter's answer body reads the encoded
// document until it is closed, then reads as empty; closing twice is
// harmless.
func TestResponseBodyClose(t *testing.T) {
	var w response
	w.start("req-1", false)
	w.body = append((*w.buf)[:0], "<doc/>"...)
	var b responseBody
	b.Reset(w.body)
	b.w = &w
	if got, err := io.ReadAll(&b); err != nil || string(got) != "<doc/>" {
		t.Fatalf("body reads %q, %v; want <doc/>", got, err)
	}
	b.Reset(w.body)
	for i := 0; i < 2; i++ {
		if err := b.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if n, err := b.Read(make([]byte, 8)); n != 0 || err != io.EOF {
		t.Errorf("a closed body reads %d bytes, %v; want 0, EOF", n, err)
	}
	if w.buf != nil || w.body != nil {
		t.Error("closing the body did not release the answer's buffer")
	}
	var out bytes.Buffer
	if n, _ := b.WriteTo(&out); n != 0 {
		t.Errorf("a closed body writes %d bytes", n)
	}
}
