package gqlhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
)

// params reads the request's GraphQL parameters. A non-zero status means
// the request is refused with that status and message.
func (t Transport) params(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, int, string) {
	if r.Method == http.MethodGet {
		return getParams(r)
	}
	return t.postParams(w, r)
}

func getParams(r *http.Request) (*graphql.RawParams, int, string) {
	q := r.URL.Query()
	for _, vs := range q {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, http.StatusBadRequest, "the request is not valid UTF-8"
			}
		}
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if err := unmarshal([]byte(v), &p.Variables); err != nil || p.Variables == nil {
			return nil, http.StatusBadRequest, "variables must be a JSON object"
		}
	}
	if v := q.Get("extensions"); v != "" {
		if err := unmarshal([]byte(v), &p.Extensions); err != nil || p.Extensions == nil {
			return nil, http.StatusBadRequest, "extensions must be a JSON object"
		}
	}
	return p, 0, ""
}

// postParams accepts only application/json in UTF-8: a form or text/plain
// POST is what a cross-site page can send without a preflight, so refusing
// them is what keeps the endpoint safe from CSRF.
func (t Transport) postParams(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, int, string) {
	mt, ps, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, http.StatusUnsupportedMediaType, "send the request as application/json"
	}
	if cs, ok := ps["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, http.StatusUnsupportedMediaType, "send the request in UTF-8"
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.opts.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, http.StatusRequestEntityTooLarge, "the request body is larger than the server accepts"
	}
	if err != nil {
		return nil, http.StatusBadRequest, "the request body could not be read"
	}
	return decodeBody(body)
}

// rawBody keeps each parameter raw, so that a wrong type is told apart from
// malformed JSON.
type rawBody struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func decodeBody(body []byte) (*graphql.RawParams, int, string) {
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD and store it.
	if !utf8.Valid(body) {
		return nil, http.StatusBadRequest, "the request body is not valid UTF-8"
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return nil, http.StatusBadRequest, "batched requests are not supported: send one operation per request"
	}
	var raw rawBody
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, http.StatusBadRequest, "the request body is not a JSON object"
	}
	p := &graphql.RawParams{}
	if !decodeAs(raw.Query, &p.Query) || !decodeAs(raw.OperationName, &p.OperationName) {
		return nil, paramStatus, "query and operationName must be strings"
	}
	if !decodeAs(raw.Variables, &p.Variables) || !decodeAs(raw.Extensions, &p.Extensions) {
		return nil, paramStatus, "variables and extensions must be JSON objects"
	}
	return p, 0, ""
}

// paramStatus marks well-formed JSON with parameters of the wrong type;
// Do turns it into the status the response's media type calls for.
const paramStatus = -1

// decodeAs decodes a present, non-null value into v, reporting a type error.
func decodeAs(raw json.RawMessage, v any) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	if raw[0] != '"' && raw[0] != '{' {
		return false
	}
	return unmarshal(raw, v) == nil
}

// unmarshal decodes numbers exactly and gives them their JSON kind: an
// integer becomes int64 and any other number float64. A json.Number would
// pass GraphQL's validation as a String (it is a string underneath), and a
// float64 for every number would lose large integers and fail Int.
func unmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if m, ok := v.(*map[string]any); ok {
		for k, x := range *m {
			(*m)[k] = typedNumbers(x)
		}
	}
	return nil
}

func typedNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = typedNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = typedNumbers(e)
		}
	}
	return v
}
