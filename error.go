package exithub

import (
	"errors"
	"fmt"
)

// Application error codes. They are the values of a GraphQL error's
// extensions.code; anything that is not an *Error is INTERNAL.
const (
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	EFORBIDDEN       = "FORBIDDEN"
	ENOTFOUND        = "NOT_FOUND"
	EINVALID         = "BAD_USER_INPUT"
	ECONFLICT        = "CONFLICT"
	ERATELIMITED     = "RATE_LIMITED"
	EUNAVAILABLE     = "UNAVAILABLE"
	EINTERNAL        = "INTERNAL"
)

// Error is an application error: a code the client may act on, a message fit
// to show it, and for invalid input the field that was wrong.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("exithub error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("exithub error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error naming the field that was wrong.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return "" // before e, which errors.As makes escape: no allocation for no error
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error; any other error's
// details stay internal.
func ErrorMessage(err error) string {
	if err == nil {
		return "" // before e, which errors.As makes escape: no allocation for no error
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field an invalid-input error names, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrNotFound is what a principal gets for a row that does not exist and,
// identically, for one it may not see.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}

// ErrForbidden is what a principal gets for an action its role may never take.
var ErrForbidden = &Error{Code: EFORBIDDEN, Message: "forbidden"}

// Forbidden is FORBIDDEN saying which action on which resource the role may
// not take. It names only the caller's own role and the policy's words,
// never a row, so it tells nothing of what exists.
func Forbidden(role Role, act Action, res Resource) *Error {
	return Errorf(EFORBIDDEN, "the role %s may not %s %s", role, act, res)
}

// ForbiddenUnlessAggregate is FORBIDDEN for a role that may read a resource
// only as aggregates, asking for rows of it.
func ForbiddenUnlessAggregate(role Role, res Resource) *Error {
	return Errorf(EFORBIDDEN, "the role %s may read %s only as aggregates", role, res)
}

// ErrUnauthenticated is what a request without a valid token gets.
var ErrUnauthenticated = &Error{Code: EUNAUTHENTICATED, Message: "authentication required"}

// Retryable reports whether a client may send the same request again, after
// the Retry-After the answer carries: the hub or its database was away or
// overloaded (UNAVAILABLE), or the caller was too fast (RATE_LIMITED).
// A create sent again must carry the same idempotency key.
func Retryable(code string) bool { return code == EUNAVAILABLE || code == ERATELIMITED }
