package fakests

import (
	"net/http"
	"strconv"
	"strings"
)

// This file serves the issuers of outbound identity federation through
// Handler (behaviour §16): a request whose Host is an account's issuer host
// (<uuid>.tokens.sts.global.api.aws) and whose path ends in
// /.well-known/openid-configuration or /.well-known/jwks.json gets the
// discovery document or the key set, whatever comes before in the path (so
// a Handler mounted under a prefix serves them too). Every other request is
// an STS request. The key set stays served after the account turns the
// feature off, as AWS's does.

// Paths of the issuer's two documents.
const (
	discoveryPath = "/.well-known/openid-configuration"
	jwksPath      = "/.well-known/jwks.json"
)

// serveIssuer answers r when it is for an issuer's document and reports
// whether it did. GET and HEAD are served; other methods get 405 (fakests'
// choice).
func (e *Engine) serveIssuer(rw http.ResponseWriter, r *http.Request) bool {
	if r.URL == nil {
		return false
	}
	path := r.URL.Path
	isDiscovery := strings.HasSuffix(path, discoveryPath)
	if !isDiscovery && !strings.HasSuffix(path, jwksPath) {
		return false
	}
	a := e.outboundAccountByHost(r.Host)
	if a == nil {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rw.Header().Set("Allow", "GET, HEAD")
		http.Error(rw, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return true
	}
	var doc []byte
	if isDiscovery {
		doc = discoveryDocument(a.issuer)
	} else {
		var err error
		if doc, err = e.keySet(a); err != nil {
			http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return true
		}
	}
	h := rw.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	rw.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		rw.Write(doc)
	}
	return true
}
