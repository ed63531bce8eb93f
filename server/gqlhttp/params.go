package gqlhttp

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
)

// params reads the request's GraphQL parameters.
func (t Transport) params(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *requestError) {
	if r.Method == http.MethodGet {
		return getParams(r)
	}
	return t.postParams(w, r)
}

// getParams reads the parameters from the URL; variables and extensions
// are JSON there, as in a POST body.
func getParams(r *http.Request) (*graphql.RawParams, *requestError) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("the URL's query string is malformed")
	}
	raw := map[string]string{}
	for _, k := range []string{"query", "operationName", "variables", "extensions"} {
		if vs, ok := q[k]; ok && len(vs) > 0 {
			if !utf8.ValidString(vs[0]) {
				return nil, badRequest("the request is not valid UTF-8")
			}
			raw[k] = vs[0]
		}
	}
	return fromURL(raw)
}

// postParams accepts only application/json in UTF-8: a form or text/plain
// POST is what a cross-site page can send without a CORS preflight, so
// refusing them keeps the endpoint safe from CSRF.
func (t Transport) postParams(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *requestError) {
	mt, ps, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, msg: "send the request as application/json"}
	}
	if cs, ok := ps["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, msg: "send the request in UTF-8"}
	}
	body, rerr := t.readBody(w, r)
	if rerr != nil {
		return nil, rerr
	}
	return fromBody(body)
}

// readBody reads at most MaxBodyBytes, so a huge body costs the server no
// more than that.
func (t Transport) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *requestError) {
	tooLarge := &requestError{status: http.StatusRequestEntityTooLarge,
		msg: "the request body is larger than the server accepts"}
	if r.ContentLength > t.opts.MaxBodyBytes {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.opts.MaxBodyBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge
	case err != nil:
		return nil, badRequest("the request body could not be read")
	}
	return body, nil
}
