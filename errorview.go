package contactpatch

// Error views (rules R15, R19): a Problem carries an error to the view
// that renders it, RFC 9457 problem details by default, L's envelope, or
// a view of the host's own.

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Problem is an error as an [ErrorView] renders it: what the error says,
// found without string matching, and what the request adds.
type Problem struct {
	Status  int    // the HTTP status, as HTTPStatus gives it
	Code    string // the machine code of the error as a whole, such as "validation_error"
	Message string // its human message
	// Fields lists every bad field of a validation error, or the field of
	// a conflict (code conflict), each with its pointer into the body.
	Fields []FieldError
	// OwnerID is the id of the contact holding the value of a conflict:
	// always one of the caller's own tenant (rule T3), for views that
	// name it, as HubSpot's does.
	OwnerID string
	// Instance is the path of the request; "" outside one.
	Instance string
	// CorrelationID identifies the request in the host's logs; "" for none.
	CorrelationID string
}

// CodeConflict is the code of the field of a [ConflictError] in a
// Problem: a value another contact already holds (409).
const CodeConflict Code = "conflict"

// ProblemOf describes err as an ErrorView renders it. An error this
// package does not know is internal_error, without its text, so that
// nothing internal reaches a client.
func ProblemOf(err error) Problem {
	se := statusOf(err)
	pr := Problem{Status: se.status, Code: se.code, Message: se.message}
	var ve *ValidationError
	var ce *ConflictError
	switch {
	case errors.As(err, &ve):
		pr.Fields = ve.Fields
	case errors.As(err, &ce):
		pr.Fields = []FieldError{{Field: ce.Field, Pointer: ce.pointer(), Code: CodeConflict, Message: ce.message()}}
		pr.OwnerID = ce.OwnerID
	}
	return pr
}

// ErrorView renders a Problem as one API answers errors: the media type
// and the body. A profile names its own in Schema.Errors; ProblemJSON
// and EnvelopeJSON are ready-made.
type ErrorView func(Problem) (contentType string, body []byte)

// RenderError renders pr in the profile's error view (rule R15).
func (p *Profile) RenderError(pr Problem) (contentType string, body []byte) {
	if p.ready() != nil {
		return ProblemJSON(pr)
	}
	return p.schema.Errors(pr)
}

// ProblemJSON renders pr as RFC 9457 problem details,
// application/problem+json: type about:blank with the status's title,
// the message as detail, the code, and under errors every field error
// with its JSON Pointer, code, message and parameters.
//
//	{"type":"about:blank","title":"Bad Request","status":400,"detail":"Invalid request parameters",
//	 "code":"validation_error","errors":[{"pointer":"/email","field":"email","code":"invalid_format","detail":"Invalid email format"}]}
func ProblemJSON(pr Problem) (string, []byte) {
	b := make([]byte, 0, 256)
	b = append(b, `{"type":"about:blank","title":`...)
	b = wire.AppendString(b, http.StatusText(pr.Status))
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(pr.Status), 10)
	b = appendMember(b, "detail", pr.Message)
	b = appendMember(b, "code", pr.Code)
	if pr.Instance != "" {
		b = appendMember(b, "instance", pr.Instance)
	}
	if pr.CorrelationID != "" {
		b = appendMember(b, "correlation_id", pr.CorrelationID)
	}
	if len(pr.Fields) > 0 {
		b = append(b, `,"errors":[`...)
		for i, f := range pr.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"pointer":`...)
			b = wire.AppendString(b, f.Pointer)
			b = appendMember(b, "field", f.Field)
			b = appendMember(b, "code", string(f.Code))
			b = appendMember(b, "detail", f.Message)
			b = appendParams(b, f)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return "application/problem+json", append(b, '}')
}

// EnvelopeJSON renders pr as the error envelope of rule L4,
// application/json:
//
//	{"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"email":"Invalid email format"}}}}
//
// Field errors are listed under details.fields, keyed by wire name in the
// order found, one message per field.
func EnvelopeJSON(pr Problem) (string, []byte) {
	b := make([]byte, 0, 128)
	b = append(b, `{"error":{"code":`...)
	b = wire.AppendString(b, pr.Code)
	b = appendMember(b, "message", pr.Message)
	if len(pr.Fields) > 0 {
		b = append(b, `,"details":{"fields":{`...)
		for i, f := range pr.Fields {
			if slices.ContainsFunc(pr.Fields[:i], func(g FieldError) bool { return g.Field == f.Field }) {
				continue // one message per field: an object repeats no key
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = wire.AppendString(b, f.Field)
			b = append(b, ':')
			b = wire.AppendString(b, f.Message)
		}
		b = append(b, "}}"...)
	}
	return "application/json", append(b, "}}"...)
}

// ErrorJSON renders err in the envelope of rule L4, as [EnvelopeJSON]
// renders [ProblemOf](err).
func ErrorJSON(err error) []byte {
	_, body := EnvelopeJSON(ProblemOf(err))
	return body
}

// appendMember appends ,"key":"value".
func appendMember(b []byte, key, value string) []byte {
	b = append(b, ',')
	b = wire.AppendString(b, key)
	b = append(b, ':')
	return wire.AppendString(b, value)
}

// appendParams appends a field error's limit and allowed values, if any.
func appendParams(b []byte, f FieldError) []byte {
	if f.Limit != 0 {
		b = append(b, `,"limit":`...)
		b = strconv.AppendInt(b, int64(f.Limit), 10)
	}
	if len(f.Allowed) > 0 {
		b = append(b, `,"allowed":`...)
		b = appendStrings(b, f.Allowed)
	}
	return b
}
