package contactpatch

// The errors a patch can end in (rules R6, L5, G4, R14): field errors
// with their codes and JSON Pointers, the sentinels, and the HTTP status
// of any error.

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Code is a stable, machine-readable reason attached to a [FieldError] or a
// [Warning]. The error-code table of docs/guide.md lists every code and
// when it is used; codes never change meaning once released.
type Code string

// Codes of field errors: each makes the request fail with 400.
const (
	CodeMalformedJSON    Code = "malformed_json"    // not a single JSON object, or broken syntax
	CodeInvalidUTF8      Code = "invalid_utf8"      // bytes or \u escapes that are not valid UTF-8
	CodeDuplicateKey     Code = "duplicate_key"     // the same key twice in one object
	CodeInvalidType      Code = "invalid_type"      // a JSON type the field does not take
	CodeUnknownField     Code = "unknown_field"     // a key the profile does not know, when it rejects such keys
	CodeNotNullable      Code = "not_nullable"      // null for a field that cannot be cleared
	CodeReadOnly         Code = "read_only"         // a read-only field sent with a value other than the stored one
	CodeInvalidFormat    Code = "invalid_format"    // a value the field's policy does not accept (email, phone, URL, timestamp, empty tag)
	CodeInvalidCharacter Code = "invalid_character" // a control character in text
	CodeInvalidEnum      Code = "invalid_enum"      // a value outside the field's allowed set
	CodeTooLong          Code = "too_long"          // text or a value over its length limit; appends included
	CodeTooMany          Code = "too_many"          // more tags, custom fields or keys than the limit
	CodeTooDeep          Code = "too_deep"          // JSON nested deeper than the limit
	CodeTooLarge         Code = "too_large"         // a body over the byte limit
	CodeRequired         Code = "required"          // a member the body must hold is missing, such as its envelope
)

// Codes of warnings: the patch succeeded but something was adjusted.
const (
	CodeCoerced      Code = "coerced"      // an enum value outside the set was replaced by the default
	CodeDropped      Code = "dropped"      // a custom field not among the tenant's names was not stored
	CodeIgnored      Code = "ignored"      // an unknown key was ignored
	CodeDeduplicated Code = "deduplicated" // repeated tags were stored once
)

// FieldError is one problem with one field of a patch. Field is the
// top-level wire name as the client sent it, or "body" for a problem with
// the body as a whole; Pointer is the exact location as an RFC 6901 JSON
// Pointer into the body: "/email", "/tags/2", "/custom_fields/plan/q/0/z",
// or "" for the body as a whole.
type FieldError struct {
	Field   string `json:"field"`
	Pointer string `json:"pointer"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
	// Limit is the limit a too_long or too_many value passed, so that a
	// host can word its own message; 0 for other codes.
	Limit int `json:"limit,omitempty"`
	// Allowed lists the values an invalid_enum field takes.
	Allowed []string `json:"allowed,omitempty"`
}

// Error returns "pointer: message (code)", or "body: message (code)" for
// the body as a whole.
func (e FieldError) Error() string {
	where := e.Pointer
	if where == "" {
		where = e.Field
	}
	return where + ": " + e.Message + " (" + string(e.Code) + ")"
}

// findings collects what one Apply found: the errors that will fail it
// and the warnings of what it adjusted. Pointers given to it are relative
// to the fields' object; prefix, the pointer of a body envelope, makes
// them pointers into the body.
type findings struct {
	errs   errList
	warns  []Warning
	prefix string
}

func (r *findings) fail(field, pointer string, pr *refusal) {
	r.errs.add(FieldError{Field: field, Pointer: r.prefix + pointer, Code: pr.code, Message: pr.msg,
		Limit: pr.limit, Allowed: pr.allowed})
}

func (r *findings) warn(field, pointer string, code Code, msg string) {
	r.warns = append(r.warns, Warning{Field: field, Pointer: r.prefix + pointer, Code: code, Message: msg})
}

// maxFieldErrors bounds how many field errors one ValidationError lists,
// so that a hostile body of a million bad values cannot make the answer,
// or the work of building it, grow without end.
const maxFieldErrors = 100

// errList collects field errors: the first one at each location, at most
// maxFieldErrors of them.
type errList []FieldError

func (l *errList) add(e FieldError) {
	if len(*l) >= maxFieldErrors {
		return
	}
	for _, have := range *l {
		if have.Pointer == e.Pointer && have.Field == e.Field {
			return
		}
	}
	*l = append(*l, e)
}

// bodyField is the Field of a FieldError about the body as a whole.
const bodyField = "body"

// ValidationError reports every invalid field of one patch (rule R6); it
// maps to HTTP 400 and matches [ErrValidation] under errors.Is. Reach it
// with errors.As to read the fields.
type ValidationError struct {
	Fields []FieldError
}

// Error lists every field error, separated by "; ".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("contactpatch: invalid request: ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Error())
	}
	return b.String()
}

// Is reports whether target is ErrValidation.
func (e *ValidationError) Is(target error) bool { return target == error(ErrValidation) }

// Field returns the first error of the field with the given top-level
// wire name, if there is one.
func (e *ValidationError) Field(name string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}

// At returns the error at the given JSON Pointer, if there is one.
func (e *ValidationError) At(pointer string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Pointer == pointer {
			return f, true
		}
	}
	return FieldError{}, false
}

// StatusError is an error that a handler renders as a fixed HTTP status,
// machine code and message. The package's sentinel errors are
// StatusErrors; compare with errors.Is. Its fields cannot be changed once
// made, so that no caller can alter what every later response says.
type StatusError struct {
	status  int
	code    string
	message string
}

// NewStatusError returns a StatusError for a refusal of the host's own,
// rendered like the package's sentinels.
func NewStatusError(status int, code, message string) StatusError {
	return StatusError{status, code, message}
}

// Status returns the HTTP status.
func (e StatusError) Status() int { return e.status }

// Code returns the machine code, as the L envelope writes it.
func (e StatusError) Code() string { return e.code }

// Message returns the human message.
func (e StatusError) Message() string { return e.message }

// Error returns the message prefixed with the code.
func (e StatusError) Error() string { return "contactpatch: " + e.code + ": " + e.message }

// The renderings of failures that are not the caller's sentinels: a body
// over an http.MaxBytesReader's limit (contacthttp exports the same value
// as ErrBodyTooLarge), a client that left, a deadline, anything else.
var (
	bodyTooLarge   = StatusError{http.StatusRequestEntityTooLarge, "payload_too_large", "Request body too large"}
	statusCanceled = StatusError{statusClientClosedRequest, "client_closed_request", "The client closed the request"}
	statusTimeout  = StatusError{http.StatusServiceUnavailable, "timeout", "The request took too long"}
	statusInternal = StatusError{http.StatusInternalServerError, "internal_error", "Internal error"}
)

// statusClientClosedRequest answers a request whose client left before
// the answer: no RFC defines a status for it, and 499 is the common
// convention. Nobody reads it but the host's logs.
const statusClientClosedRequest = 499

// The errors of rules R6, L5, G4 and R14, each with its status and code.
// Hosts return them from their own lookups so that one renderer serves
// every error; the refusals of the HTTP layer (401, 403, 413, 415, 429)
// are contacthttp's.
var (
	// ErrValidation is 400 validation_error: what a *ValidationError matches.
	ErrValidation = StatusError{http.StatusBadRequest, "validation_error", "Invalid request parameters"}
	// ErrNotFound is 404 not_found: what a Store returns for an unknown id.
	ErrNotFound = StatusError{http.StatusNotFound, "not_found", "Contact not found"}
	// ErrConflict is 409 conflict: what a *ConflictError matches.
	ErrConflict = StatusError{http.StatusConflict, "conflict", "Conflict with another contact"}
	// ErrPreconditionFailed is 412 precondition_failed: a stale If-Match.
	ErrPreconditionFailed = StatusError{http.StatusPreconditionFailed, "precondition_failed", "The contact changed since it was read"}
)

// ConflictError reports a value that another contact already holds, such as
// an email address under rule G4. It maps to HTTP 409 and matches
// [ErrConflict] under errors.Is.
type ConflictError struct {
	Field   string // wire name of the field
	OwnerID string // the ID of the contact that holds the value
	// Pointer locates the field in the body, "/email" or
	// "/properties/email"; "" means "/" + Field.
	Pointer string
}

// pointer returns where the conflicting field is in the body.
func (e *ConflictError) pointer() string {
	if e.Pointer != "" {
		return e.Pointer
	}
	return wire.Pointer(e.Field)
}

// RuleError is the refusal of a host's [Rule]: it joins the field errors
// of the patch with the rule's own code and message.
type RuleError struct {
	Code    Code
	Message string
}

// Refuse returns the *RuleError a Rule returns to refuse a value.
func Refuse(code Code, message string) error { return &RuleError{Code: code, Message: message} }

// Error returns the message and the code.
func (e *RuleError) Error() string { return e.Message + " (" + string(e.Code) + ")" }

// Error names the field and the contact that holds the value.
func (e *ConflictError) Error() string {
	return "contactpatch: " + e.Field + " is already used by contact " + e.OwnerID
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == error(ErrConflict) }

func (e *ConflictError) message() string {
	return "Already used by another contact"
}

// HTTPStatus returns the HTTP status for err: 200 for nil, the status of a
// [StatusError], 400 for a [ValidationError], 409 for a [ConflictError],
// 413 for the *http.MaxBytesError of an http.MaxBytesReader, 499 for a
// canceled context (the client left), 503 for an expired deadline, and
// 500 for anything else. Wrapped errors are unwrapped.
func HTTPStatus(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return statusOf(err).status
}

// statusOf finds the StatusError that err stands for.
func statusOf(err error) StatusError {
	var se StatusError
	var ve *ValidationError
	var ce *ConflictError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		return ErrValidation
	case errors.As(err, &ce):
		return ErrConflict
	case errors.As(err, &se):
		return se
	case errors.As(err, &mb):
		return bodyTooLarge
	case errors.Is(err, context.Canceled):
		return statusCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return statusTimeout
	}
	return statusInternal
}
