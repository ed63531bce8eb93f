package gqlhttp

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
)

// fromBody decodes a POST body. Each parameter is kept raw first, so that
// a parameter of the wrong type is told apart from malformed JSON, and keys
// match exactly (encoding/json would take "QUERY" for "query").
func fromBody(body []byte) (*graphql.RawParams, *requestError) {
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD and the
	// resolvers would store it.
	if !utf8.Valid(body) {
		return nil, badRequest("the request body is not valid UTF-8")
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return nil, badRequest("batched requests are not supported: send one operation per request")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, badRequest("the request body is not a JSON object")
	}
	return decodeParams(fields)
}

// fromURL decodes GET parameters: query and operationName are plain text,
// variables and extensions are JSON.
func fromURL(raw map[string]string) (*graphql.RawParams, *requestError) {
	fields := map[string]json.RawMessage{}
	for _, k := range []string{"query", "operationName"} {
		if v, ok := raw[k]; ok {
			fields[k], _ = json.Marshal(v) // a valid UTF-8 string always marshals
		}
	}
	for _, k := range []string{"variables", "extensions"} {
		if v := raw[k]; v != "" {
			fields[k] = json.RawMessage(v)
		}
	}
	return decodeParams(fields)
}

// decodeParams checks each parameter's type; absent and null are alike.
func decodeParams(fields map[string]json.RawMessage) (*graphql.RawParams, *requestError) {
	p := &graphql.RawParams{}
	if !decodeAs(fields["query"], &p.Query) {
		return nil, badRequest("query must be a string")
	}
	if !decodeAs(fields["operationName"], &p.OperationName) {
		return nil, badRequest("operationName must be a string")
	}
	if !decodeAs(fields["variables"], &p.Variables) {
		return nil, badRequest("variables must be a JSON object")
	}
	if !decodeAs(fields["extensions"], &p.Extensions) {
		return nil, badRequest("extensions must be a JSON object")
	}
	// A persisted query sends its hash in extensions instead of the text.
	if isNull(fields["query"]) && p.Extensions["persistedQuery"] == nil {
		return nil, badRequest("the request has no query")
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// decodeAs decodes a present, non-null value into v, which points to a
// string or a map, and reports whether it had that type.
func decodeAs(raw json.RawMessage, v any) bool {
	return isNull(raw) || unmarshal(raw, v) == nil
}
