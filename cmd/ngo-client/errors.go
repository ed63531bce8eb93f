package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// describe renders an error for a person: each GraphQL error with its
// extensions.code first, since the code, not the message, says what to do.
func describe(err error) string {
	list := graphQLErrors(err)
	if len(list) == 0 {
		return err.Error()
	}
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = describeOne(e)
	}
	s := strings.Join(parts, "; ")
	var h *graphql.HTTPError
	if errors.As(err, &h) {
		s = fmt.Sprintf("HTTP %d: %s", h.StatusCode, s)
	}
	return s
}

func describeOne(e *gqlerror.Error) string {
	code, _ := e.Extensions["code"].(string)
	if code == "" {
		code = "ERROR"
	}
	s := code + ": " + e.Message
	if len(e.Path) > 0 {
		s += " (at " + e.Path.String() + ")"
	}
	// The other extensions (field, requestId, ...) are what a report to
	// the hub's operators needs.
	var extra []string
	for k, v := range e.Extensions {
		if k != "code" {
			extra = append(extra, fmt.Sprintf("%s=%v", k, v))
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		s += " [" + strings.Join(extra, " ") + "]"
	}
	return s
}

// graphQLErrors digs the server's errors out of what genqlient returns: the
// list itself for a 200 answer, or inside an HTTPError (e.g. a 401).
func graphQLErrors(err error) gqlerror.List {
	var list gqlerror.List
	if errors.As(err, &list) {
		return list
	}
	var h *graphql.HTTPError
	if errors.As(err, &h) {
		return h.Response.Errors
	}
	return nil
}

// errorCode is the first error's extensions.code, or "" when the server gave
// none (or was not reached).
func errorCode(err error) string {
	for _, e := range graphQLErrors(err) {
		if c, ok := e.Extensions["code"].(string); ok {
			return c
		}
	}
	return ""
}

// final reports whether retrying can never help: the token, the permission
// or the document is wrong. Anything else (a dropped connection, a server
// that is down, overloaded or failing) may pass.
func final(err error) bool {
	switch errorCode(err) {
	case "UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED":
		return true
	}
	return false
}
