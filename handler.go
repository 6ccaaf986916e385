package fakests

import (
	"io"
	"net/http"

	"github.com/fakests/fakests/internal/awsquery"
)

// Handler returns an http.Handler that speaks the STS wire protocol (the
// awsquery form, SigV4 in the Authorization header or a presigned query
// string) on the same code path as the client adapter. Serve it with
// net/http/httptest or any server, and point other SDKs, the aws CLI or
// presigned GetCallerIdentity URLs at it.
func (e *Engine) Handler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var w *response
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			// An unreadable body is still answered with an STS error
			// document, which botocore can parse; the code is our choice
			// (unverified): the form could not be read.
			w = (&response{requestID: newRequestID()}).fail(&awsquery.Error{
				Code: awsquery.CodeMalformedQueryString, Message: "fakests: reading the request body: " + err.Error()})
		} else {
			w = e.serveWire(r.Context(), r, body)
		}
		for k, v := range w.header() {
			rw.Header()[k] = v
		}
		rw.WriteHeader(w.status)
		rw.Write(w.body)
	})
}
