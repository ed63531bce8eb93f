package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// retryable reports whether the same request may succeed later: the hub
// answered UNAVAILABLE or RATE_LIMITED (or marked its error retryable), or
// gave no GraphQL answer at all because it, or the network to it, was away.
// Every other code is final, as the hub's README says: retrying a
// NOT_FOUND, a CONFLICT or an INTERNAL gets the same answer again.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false // success, or the user stopped the command
	}
	list := graphQLErrors(err)
	if !anyCode(list) {
		return unanswered(err)
	}
	for _, e := range list {
		if !retryableError(e) {
			return false
		}
	}
	return true
}

// final reports whether retrying can never help.
func final(err error) bool {
	return err != nil && !retryable(err)
}

// retryableError is the hub's own verdict on one error.
func retryableError(e *gqlerror.Error) bool {
	if r, _ := e.Extensions["retryable"].(bool); r {
		return true
	}
	code, _ := e.Extensions["code"].(string)
	return code == "UNAVAILABLE" || code == "RATE_LIMITED"
}

func anyCode(list gqlerror.List) bool {
	for _, e := range list {
		if _, ok := e.Extensions["code"].(string); ok {
			return true
		}
	}
	return false
}

// unanswered judges a failure that carries no code of the hub's: no answer
// at all (a refused or cut connection, a timeout) may pass, and so may a
// proxy's own "too many requests" or 5xx page; a 4xx page will not.
func unanswered(err error) bool {
	var h *graphql.HTTPError
	if errors.As(err, &h) {
		return h.StatusCode == http.StatusTooManyRequests || h.StatusCode >= 500
	}
	return true
}
