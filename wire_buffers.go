package fakests

import (
	"bytes"
	"io"
	"sync"
)

// This file holds the wire path's reusable buffers: request bodies are read
// into them and answers encoded into them, so a request allocates neither
// (they are the largest objects a wire call would otherwise allocate).

// bufferPool holds byte buffers for request bodies and encoded answers.
var bufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledBuffer keeps a buffer grown by one huge request or answer (a
// SAML assertion) out of the pool.
const maxPooledBuffer = 64 << 10

// getBuffer returns an empty pooled buffer.
func getBuffer() *[]byte {
	b := bufferPool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// putBuffer returns b to the pool; nothing may use its bytes afterwards.
func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		bufferPool.Put(b)
	}
}

// appendBody appends what r yields to buf, at most limit bytes: io.ReadAll
// of io.LimitReader(r, limit) into a buffer the caller owns.
func appendBody(buf []byte, r io.Reader, limit int) ([]byte, error) {
	start := len(buf)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append choose the growth
		}
		room := buf[len(buf):cap(buf)]
		if left := limit - (len(buf) - start); len(room) > left {
			room = room[:left]
		}
		if len(room) == 0 {
			return buf, nil
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// responseBody is the adapter's answer body. The SDK's deserializers drain
// and close every body once they have read it (behaviour §19); Close then
// returns the encoded answer's buffer to the pool, and the body reads as
// empty from then on, as a drained one did.
type responseBody struct {
	bytes.Reader
	w *response
}

// Close releases the answer's buffer. Closing twice is harmless.
func (b *responseBody) Close() error {
	b.Reset(nil)
	if b.w != nil {
		b.w.release()
		b.w = nil
	}
	return nil
}
