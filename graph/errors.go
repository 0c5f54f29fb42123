package graph

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers: the API maps each code to one HTTP
// status in a single table, the CLI to an exit status.
type Code string

// Error codes.
const (
	CodeInvalid      Code = "invalid"      // bad input: a parameter, a record, a file
	CodeNotFound     Code = "not_found"    // no entity (or run, or key) with that id
	CodeConflict     Code = "conflict"     // the request contradicts the stored state
	CodeUnavailable  Code = "unavailable"  // Neo4j cannot be reached; retry later
	CodeTimeout      Code = "timeout"      // the operation ran out of time
	CodeUnauthorized Code = "unauthorized" // no or unknown credentials
	CodeForbidden    Code = "forbidden"    // credentials lack the role
	CodeTooLarge     Code = "too_large"    // a body or file over its limit
	// CodeUnsupportedMediaType: a body sent as a media type the operation
	// does not read.
	CodeUnsupportedMediaType Code = "unsupported_media_type"
	CodeRateLimited          Code = "rate_limited" // too many requests
	CodeInternal             Code = "internal"     // a bug or an unexpected database answer
)

// Error is the domain error: a code, the input field it concerns (if any)
// and a message safe to show a user. Err keeps the cause for logs.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WrapError builds an *Error around a cause.
func WrapError(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal for any other non-nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns a message safe to show a user: the domain message for
// an *Error (with its field), a generic text for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "internal error"
}
