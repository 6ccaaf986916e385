package fakests

import (
	"io"
	"net/http"
)

// Handler returns an http.Handler that speaks the STS wire protocol (the
// awsquery form, SigV4 in the Authorization header or a presigned query
// string) on the same code path as the client adapter. Serve it with
// net/http/httptest or any server, and point other SDKs, the aws CLI or
// presigned GetCallerIdentity URLs at it.
func (e *Engine) Handler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			http.Error(rw, "fakests: reading the request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		w := e.serveWire(r.Context(), r, body)
		for k, v := range w.header() {
			rw.Header()[k] = v
		}
		rw.WriteHeader(w.status)
		rw.Write(w.body)
	})
}
