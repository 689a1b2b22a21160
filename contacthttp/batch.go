package contacthttp

// The batch routes (rules W4, H16), in the shapes of HubSpot's batch API,
// the one batch API among the reference APIs:
//
//	POST <collection>/batch/update  {"inputs": [{"id": "1", "properties": {...}}, ...]}
//	POST <collection>/batch/upsert  {"inputs": [{"idProperty": "email", "id": "a@b.c", "properties": {...}}]}
//	POST <collection>/batch/read    {"inputs": [{"id": "1"}], "properties": [...]}
//	POST <collection>/batch/archive {"inputs": [{"id": "1"}]}
//
// answered {"status": "COMPLETE", "results": [...], "startedAt",
// "completedAt"}, with "numErrors" and "errors" (each in the profile's
// error view, its pointers naming the input: /inputs/3/properties/email)
// and status 207 when some inputs failed; an archive answers 204 when
// every input succeeded. An all-or-nothing batch with a failed input is
// one error instead.

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/wire"
)

// batchOp is one batch route.
type batchOp struct {
	name   string
	write  bool
	bodies bool // its inputs carry patches
}

var batchOps = []batchOp{
	{name: "read"},
	{name: "update", write: true, bodies: true},
	{name: "upsert", write: true, bodies: true},
	{name: "archive", write: true},
}

// batchInput is one input of a batch request.
type batchInput struct {
	id, idProperty string
	patch          []byte // the raw value under the profile's envelope; nil if absent
}

func (h *Handler) batch(c *call, op batchOp) error {
	body, err := h.admitBody(c, op.write)
	if err != nil {
		return err
	}
	env := h.Profile.Schema().Envelope
	inputs, err := parseBatch(body, env, h.Profile.Limits(), h.maxBatch())
	if err != nil {
		return err
	}
	opts := h.options(c)
	opts.IfMatch = ""
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	started := now()
	r, cancel := h.withDeadline(c.r)
	defer cancel()
	c.r = r
	outs, err := h.runBatch(c, op, env, inputs, cp.BatchOptions{Options: opts, AllOrNothing: h.Lifecycle.AllOrNothing})
	if err != nil {
		return storeError(err)
	}
	return h.answerBatch(c, op, outs, started, now())
}

func (h *Handler) maxBatch() int {
	if h.Lifecycle.MaxBatch > 0 {
		return h.Lifecycle.MaxBatch
	}
	return DefaultMaxBatch
}

// runBatch resolves the inputs' ids and runs the batch.
func (h *Handler) runBatch(c *call, op batchOp, env string, inputs []batchInput, o cp.BatchOptions) ([]cp.Outcome, error) {
	ctx, tenant := c.r.Context(), c.who.Tenant
	in := make([]cp.Input, len(inputs))
	for i, b := range inputs {
		in[i].ID = b.id
		if op.bodies {
			in[i].Body = envelope(env, b.patch)
		}
	}
	switch field, err := h.keyField(inputs, op.name == "upsert"); {
	case err != nil:
		return nil, err
	case op.name == "upsert":
		return h.Profile.UpsertMany(ctx, h.Store, tenant, field, in, o)
	case op.name == "read" && field != 0:
		values := make([]string, len(in))
		for i := range in {
			values[i] = in[i].ID
		}
		return h.Profile.ReadManyBy(ctx, h.Store, tenant, field, values, h.showArchived(c.r))
	}
	resolved, failed := make([]cp.Input, 0, len(in)), map[int]error{}
	for i := range in {
		id, err := h.contactIn(c, in[i].ID)
		if err != nil {
			failed[i] = err
			continue
		}
		in[i].ID = id
		resolved = append(resolved, in[i])
	}
	var outs []cp.Outcome
	var err error
	switch op.name {
	case "read":
		ids := make([]string, len(resolved))
		for i := range resolved {
			ids[i] = resolved[i].ID
		}
		outs, err = h.Profile.ReadMany(ctx, h.Store, tenant, ids, h.showArchived(c.r))
	case "update":
		outs, err = h.Profile.UpdateMany(ctx, h.Store, tenant, resolved, o)
	default:
		outs, err = h.Profile.ArchiveMany(ctx, h.Store, tenant, resolved, o)
	}
	if err != nil {
		return nil, err
	}
	all := make([]cp.Outcome, len(in))
	for i, j := 0, 0; i < len(in); i++ {
		if e, ok := failed[i]; ok {
			all[i].Err = e
			continue
		}
		all[i] = outs[j]
		j++
	}
	return all, nil
}

// keyField is the unique field the inputs' idProperty names, one for
// the whole batch: required of an upsert; for the others, none or the
// id's own field means the inputs' ids, and 0 is returned.
func (h *Handler) keyField(inputs []batchInput, required bool) (cp.Field, error) {
	name := ""
	for i, in := range inputs {
		switch {
		case in.idProperty == "" && required:
			return 0, batchError(i, "idProperty", cp.CodeRequired, "An upsert names its unique property")
		case i > 0 && in.idProperty != name:
			return 0, batchError(i, "idProperty", cp.CodeInvalidFormat, "Every input of one batch names the same idProperty")
		}
		name = in.idProperty
	}
	if name == "" {
		return 0, nil
	}
	for _, spec := range h.Profile.Schema().Fields {
		switch {
		case spec.Name != name:
		case spec.Field == cp.FieldID && !required:
			return 0, nil
		case spec.Unique:
			return spec.Field, nil
		}
	}
	return 0, batchError(0, "idProperty", cp.CodeInvalidEnum, "Not a unique property: "+name)
}

// batchError is a validation error of one input's member.
func batchError(i int, member string, code cp.Code, msg string) error {
	return &cp.ValidationError{Fields: []cp.FieldError{{Field: "inputs", Pointer: wire.Pointer("inputs", strconv.Itoa(i), member), Code: code, Message: msg}}}
}

// envelope is the PATCH body of one input: its patch under the envelope.
func envelope(env string, patch []byte) []byte {
	if patch == nil {
		return []byte("{}")
	}
	b := append(wire.AppendString([]byte{'{'}, env), ':')
	return append(append(b, patch...), '}')
}

// answerBatch writes the batch's answer.
func (h *Handler) answerBatch(c *call, op batchOp, outs []cp.Outcome, started, completed time.Time) error {
	failed := 0
	for _, o := range outs {
		if o.Err != nil {
			failed++
		}
	}
	if failed > 0 && h.Lifecycle.AllOrNothing && op.write {
		return wholeBatchError(outs)
	}
	if op.name == "archive" && failed == 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return nil
	}
	b := []byte(`{"status":"COMPLETE","results":[`)
	first := true
	for _, o := range outs {
		if o.Err != nil {
			continue
		}
		if op.name == "archive" {
			continue
		}
		out, err := h.Profile.Render(o.Result.Contact)
		if err != nil {
			return err
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		if op.name == "upsert" && len(out) > 2 {
			b = append(append(b, `{"new":`+strconv.FormatBool(o.Created)+`,`...), out[1:]...)
			continue
		}
		b = append(b, out...)
	}
	b = append(b, ']')
	if failed > 0 {
		b = append(b, `,"numErrors":`+strconv.Itoa(failed)+`,"errors":[`...)
		first = true
		for i, o := range outs {
			if o.Err == nil {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			pr := cp.ProblemOf(inInput(o.Err, i))
			pr.Instance = c.r.URL.Path
			_, item := h.Profile.RenderError(pr)
			b = append(b, item...)
		}
		b = append(b, ']')
	}
	b = appendTime(append(b, `,"startedAt":`...), started)
	b = appendTime(append(b, `,"completedAt":`...), completed)
	b = append(b, '}')
	c.w.Header().Set("Content-Type", "application/json")
	if failed > 0 {
		c.w.WriteHeader(http.StatusMultiStatus)
	}
	c.w.Write(b)
	return nil
}

func appendTime(b []byte, t time.Time) []byte {
	return wire.AppendString(b, t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// wholeBatchError is the one error of an all-or-nothing batch that wrote
// nothing: every input's field errors together when they are all
// validation errors, else the first failure, located in its input.
func wholeBatchError(outs []cp.Outcome) error {
	var fields []cp.FieldError
	var first error
	for i, o := range outs {
		if o.Err == nil || errors.Is(o.Err, cp.ErrNotWritten) {
			continue
		}
		err := inInput(o.Err, i)
		if first == nil {
			first = err
		}
		var ve *cp.ValidationError
		if !errors.As(err, &ve) {
			return first
		}
		fields = append(fields, ve.Fields...)
	}
	if fields == nil {
		return first
	}
	return &cp.ValidationError{Fields: fields}
}

// inInput locates err's fields inside input i of the batch body.
func inInput(err error, i int) error {
	prefix := wire.Pointer("inputs", strconv.Itoa(i))
	var ve *cp.ValidationError
	var ce *cp.ConflictError
	switch {
	case errors.As(err, &ve):
		fields := make([]cp.FieldError, len(ve.Fields))
		for j, f := range ve.Fields {
			f.Pointer = prefix + f.Pointer
			fields[j] = f
		}
		return &cp.ValidationError{Fields: fields}
	case errors.As(err, &ce):
		located := *ce
		if located.Pointer == "" {
			located.Pointer = wire.Pointer(ce.Field)
		}
		located.Pointer = prefix + located.Pointer
		return &located
	}
	return err
}

// parseBatch reads a batch body: its inputs, at most max of them, each
// an object of id, idProperty and the patch under the envelope, other
// members (objectWriteTraceId, associations) skipped; at the top level,
// the read's properties and propertiesWithHistory are skipped too.
func parseBatch(body []byte, env string, l cp.Limits, max int) ([]batchInput, error) {
	p := batchParser{s: wire.New(body, wire.Limits{Depth: l.Depth, Keys: l.Keys}), env: env, max: max}
	stop := p.s.Document(p.member)
	switch {
	case stop != nil:
		return nil, &cp.ValidationError{Fields: []cp.FieldError{scanError(stop)}}
	case p.err != nil:
		return nil, &cp.ValidationError{Fields: []cp.FieldError{*p.err}}
	case !p.sawInputs:
		return nil, &cp.ValidationError{Fields: []cp.FieldError{{Field: "inputs", Pointer: "/inputs", Code: cp.CodeRequired, Message: "A batch holds its inputs in an array"}}}
	}
	for i := range p.inputs {
		if p.inputs[i].idProperty == "" {
			p.inputs[i].idProperty = p.idProperty
		}
	}
	return p.inputs, nil
}

// batchParser reads a batch body; its methods follow the body's grammar.
type batchParser struct {
	s          wire.Scanner
	env        string
	max        int
	inputs     []batchInput
	idProperty string
	sawInputs  bool
	err        *cp.FieldError // the first problem; the scan goes on to judge the syntax
}

func (p *batchParser) fail(pointer string, code cp.Code, msg string) {
	if p.err == nil {
		p.err = &cp.FieldError{Field: "inputs", Pointer: pointer, Code: code, Message: msg}
	}
}

func (p *batchParser) member(key []byte) *wire.Error {
	switch string(key) {
	case "idProperty": // a read's, for every input that names none
		return p.text("/idProperty", &p.idProperty)
	case "inputs":
	default:
		return p.s.Skip()
	}
	if p.sawInputs {
		p.fail("/inputs", cp.CodeDuplicateKey, "Duplicate key")
		return p.s.Skip()
	}
	p.sawInputs = true
	if p.s.Peek() != '[' {
		p.fail("/inputs", cp.CodeInvalidType, "Must be an array")
		return p.s.Skip()
	}
	return p.s.Array(p.input)
}

func (p *batchParser) input(i int) *wire.Error {
	at := wire.Pointer("inputs", strconv.Itoa(i))
	switch {
	case i >= p.max:
		if i == p.max { // this error outranks any other
			p.err = nil
			p.fail("/inputs", cp.CodeTooMany, "At most "+strconv.Itoa(p.max)+" inputs in one batch")
			p.err.Limit = p.max
		}
		return p.s.Skip()
	case p.s.Peek() != '{':
		p.fail(at, cp.CodeInvalidType, "Must be an object")
		return p.s.Skip()
	}
	var in batchInput
	seen := map[string]bool{}
	stop := p.s.Object(func(key []byte) *wire.Error {
		k := string(key)
		if seen[k] {
			p.fail(at+wire.Pointer(k), cp.CodeDuplicateKey, "Duplicate key")
			return p.s.Skip()
		}
		seen[k] = true
		switch k {
		case "id":
			return p.text(at+"/id", &in.id)
		case "idProperty":
			return p.text(at+"/idProperty", &in.idProperty)
		case p.env:
			p.s.Peek()
			start := p.s.Pos()
			stop := p.s.Skip()
			in.patch = p.s.Bytes(start)
			return stop
		}
		return p.s.Skip()
	})
	if stop == nil && in.id == "" && p.err == nil {
		p.fail(at+"/id", cp.CodeRequired, "Each input names its contact")
	}
	p.inputs = append(p.inputs, in)
	return stop
}

func (p *batchParser) text(at string, dst *string) *wire.Error {
	if p.s.Peek() != '"' {
		p.fail(at, cp.CodeInvalidType, "Must be a string")
		return p.s.Skip()
	}
	v, stop := p.s.Text()
	*dst = v
	return stop
}

// scanError is the field error of broken JSON in a batch body.
func scanError(err *wire.Error) cp.FieldError {
	return cp.FieldError{Field: "body", Pointer: err.Pointer, Code: cp.Code(err.Kind.Code()), Message: err.Message}
}
