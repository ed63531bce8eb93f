package gqlhttp

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// requestError is a request refused before execution.
type requestError struct {
	// status is the HTTP status; zero means that of a GraphQL request
	// error, which depends on the media type (see requestErrorStatus).
	status int
	msg    string
	// allow, when set, is the Allow header a 405 must carry.
	allow string
}

var (
	errNotAcceptable = &requestError{status: http.StatusNotAcceptable,
		msg: "the response can be application/graphql-response+json or application/json; the Accept header allows neither"}
	errGetNotQuery = &requestError{status: http.StatusMethodNotAllowed, allow: http.MethodPost,
		msg: "only queries may be sent with GET; send mutations with POST"}
	errSubscription = &requestError{
		msg: "subscriptions are served over WebSocket, not plain HTTP"}
)

// badRequest is a request that is not well-formed GraphQL over HTTP: 400
// whatever the media type.
func badRequest(msg string) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: msg}
}

// codeBadInput is the extensions code of a refused request: the one the
// hub's resolvers use for bad input, so a client handles both alike.
const codeBadInput = "BAD_USER_INPUT"

// refuse answers a request refused before execution, through the executor
// so that the error presenter and response interceptors still see it.
func refuse(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, media string, e *requestError) {
	status := e.status
	if status == 0 {
		status = requestErrorStatus(media)
	}
	if e.allow != "" {
		w.Header().Set("Allow", e.allow)
	}
	err := &gqlerror.Error{Message: e.msg, Extensions: map[string]any{"code": codeBadInput}}
	write(w, media, status, exec.DispatchError(ctx, gqlerror.List{err}), false)
}

// requestErrorStatus is the status of a well-formed request that failed
// before execution: 400 with the new media type, but 200 with the legacy
// one, as the specification asks for the sake of older clients.
func requestErrorStatus(media string) int {
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// write sends the response: "data" present (even null) exactly when
// execution started, as the specification wants it on the wire. The data
// is written as gqlgen produced it, valid JSON already, rather than
// decoded and encoded again; only the errors and extensions are encoded.
func write(w http.ResponseWriter, media string, status int, resp *graphql.Response, executed bool) {
	if resp == nil {
		resp = &graphql.Response{} // a response interceptor dropped it; the status still tells
	}
	errs, ext, err := encodeParts(resp)
	if err != nil {
		status, executed = http.StatusInternalServerError, false
		errs, ext = []byte(`[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`), nil
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	head := make([]byte, 0, len(errs)+len(`{"errors":,"data":`)+1)
	head = append(head, '{')
	if errs != nil {
		head = append(append(head, `"errors":`...), errs...)
	}
	var data []byte
	if executed {
		if len(head) > 1 {
			head = append(head, ',')
		}
		head = append(head, `"data":`...)
		if data = resp.Data; len(data) == 0 {
			data = []byte("null")
		}
	}
	tail := make([]byte, 0, len(ext)+len(`,"extensions":}`)+1)
	if ext != nil {
		if len(head) > 1 || data != nil {
			tail = append(tail, ',')
		}
		tail = append(append(tail, `"extensions":`...), ext...)
	}
	tail = append(tail, '}', '\n')
	// A failed write means the client left; there is no one to tell.
	for _, b := range [][]byte{head, data, tail} {
		if len(b) == 0 {
			continue
		}
		if _, err := w.Write(b); err != nil {
			return
		}
	}
}

// encodeParts encodes a response's errors and extensions, nil for none.
func encodeParts(resp *graphql.Response) (errs, ext []byte, err error) {
	if len(resp.Errors) > 0 {
		if errs, err = json.Marshal(resp.Errors); err != nil {
			return nil, nil, err
		}
	}
	if len(resp.Extensions) > 0 {
		if ext, err = json.Marshal(resp.Extensions); err != nil {
			return nil, nil, err
		}
	}
	return errs, ext, nil
}
