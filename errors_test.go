package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorsMatchTheirSentinels(t *testing.T) {
	ve := &cp.ValidationError{Fields: []cp.FieldError{{Field: "email", Code: cp.CodeInvalidFormat, Message: "Invalid email format"}}}
	ce := &cp.ConflictError{Field: "email", OwnerID: "other"}
	wrapped := fmt.Errorf("handler: %w", ve)

	assert.ErrorIs(t, wrapped, cp.ErrValidation)
	assert.ErrorIs(t, fmt.Errorf("x: %w", ce), cp.ErrConflict)
	assert.NotErrorIs(t, ve, cp.ErrConflict)
	assert.Equal(t, 400, cp.HTTPStatus(wrapped))
	assert.Equal(t, 409, cp.HTTPStatus(ce))
	assert.Equal(t, 200, cp.HTTPStatus(nil))
	assert.Equal(t, 500, cp.HTTPStatus(errors.New("boom")))
	assert.Equal(t, "contactpatch: email is already used by contact other", ce.Error())
	assert.Equal(t, "contactpatch: not_found: Contact not found", cp.ErrNotFound.Error())
	assert.Equal(t, "email: Invalid email format (invalid_format)", ve.Fields[0].Error())

	var got *cp.ValidationError
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, ve, got)
}

// A failing email lookup is returned wrapped, and nothing is applied.
func TestEmailOwnerLookupError(t *testing.T) {
	dbDown := errors.New("db down")
	opts := cp.Options{EmailOwner: func(context.Context, string) (string, error) { return "", dbDown }}
	_, err := profiles.Gomry().ApplyJSON(context.Background(), cp.Contact{ID: "a"}, []byte(`{"email":"new@example.com"}`), opts)
	assert.ErrorIs(t, err, dbDown)
	assert.Equal(t, 500, cp.HTTPStatus(err))
	assert.JSONEq(t, `{"error":{"code":"internal_error","message":"Internal error"}}`, string(cp.ErrorJSON(err)))
}

// The lookup is not consulted when the email does not change or is cleared.
func TestEmailOwnerLookupOnlyOnChange(t *testing.T) {
	calls := 0
	opts := cp.Options{EmailOwner: func(context.Context, string) (string, error) { calls++; return "other", nil }}
	stored := cp.Contact{ID: "a", Email: cp.Value("jane@example.com")}
	_, err := cp.Default().ApplyJSON(context.Background(), stored, []byte(`{"email":"jane@example.com"}`), opts)
	require.NoError(t, err)
	_, err = cp.Default().ApplyJSON(context.Background(), stored, []byte(`{"email":null}`), opts)
	require.NoError(t, err)
	assert.Zero(t, calls)
}

func TestApplyUsesTheWallClockByDefault(t *testing.T) {
	before := time.Now().UTC()
	res, err := cp.Default().ApplyJSON(context.Background(), cp.Contact{}, []byte(`{"job_title":"CTO"}`), cp.Options{})
	require.NoError(t, err)
	assert.False(t, res.Contact.UpdatedAt.Before(before))
	assert.Equal(t, time.UTC, res.Contact.UpdatedAt.Location())
}

// R2: the result shares no slice or map with the inputs, and Changes keeps
// the old values even when the caller reuses its stored contact.
func TestApplySharesNothingWithItsInputs(t *testing.T) {
	stored := cp.Contact{Tags: []string{"a"}, CustomFields: map[string]json.RawMessage{"k": json.RawMessage(`1`)}}
	patchTags := []string{"b"}
	res, err := cp.Default().Apply(context.Background(), stored, cp.Patch{Tags: cp.Value(patchTags), JobTitle: cp.Value("x")}, cp.Options{})
	require.NoError(t, err)
	res.Contact.Tags[0] = "mutated"
	assert.Equal(t, []string{"b"}, patchTags)
	stored.Tags[0] = "reused"
	assert.Equal(t, []string{"a"}, res.Changes()[1].Old)

	unchanged, err := cp.Default().Apply(context.Background(), stored, cp.Patch{}, cp.Options{})
	require.NoError(t, err)
	unchanged.Contact.Tags[0] = "mutated"
	unchanged.Contact.CustomFields["k"][0] = '2'
	assert.Equal(t, "reused", stored.Tags[0])
	assert.Equal(t, json.RawMessage(`1`), stored.CustomFields["k"])
}

func TestRenderEscapesAndRefusesInvalidCustomJSON(t *testing.T) {
	c := cp.Contact{JobTitle: cp.Value("a\"b\\c\n\r\t\x01<>&\u2028\u2029é\xff")}
	out, err := profiles.Leadlex().Render(c)
	require.NoError(t, err)
	assert.Equal(t, `{"data":{"job_title":"a\"b\\c\n\r\t\u0001<>&\u2028\u2029é\ufffd"}}`, string(out))

	_, err = cp.Default().Render(cp.Contact{CustomFields: map[string]json.RawMessage{"k": json.RawMessage("{bad")}})
	assert.Error(t, err)
}

func TestHTTPStatusOfHostErrors(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer stop()
	for _, c := range []struct {
		err    error
		status int
		code   string
	}{
		{&http.MaxBytesError{Limit: 10}, 413, "payload_too_large"},
		{fmt.Errorf("read body: %w", &http.MaxBytesError{Limit: 10}), 413, "payload_too_large"},
		{canceled.Err(), 499, "client_closed_request"},
		{fmt.Errorf("store: %w", canceled.Err()), 499, "client_closed_request"},
		{expired.Err(), 503, "timeout"},
		{cp.NewStatusError(402, "payment_required", "Pay first"), 402, "payment_required"},
		{errors.New("disk on fire"), 500, "internal_error"},
	} {
		assert.Equal(t, c.status, cp.HTTPStatus(c.err), "%v", c.err)
		assert.Contains(t, string(cp.ErrorJSON(c.err)), `"code":"`+c.code+`"`, "%v", c.err)
		assert.NotContains(t, string(cp.ErrorJSON(c.err)), "fire", "an unknown error's text never leaks")
	}
}

// Update stops on a canceled context, and the error is no internal one.
func TestUpdateHonoursContext(t *testing.T) {
	var store cp.MemoryStore
	put(t, &store, cp.Contact{ID: "a"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cp.Default().Update(ctx, &store, cp.DefaultTenant, "a", []byte(`{"job_title":"CTO"}`), cp.Options{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 499, cp.HTTPStatus(err))
}

// The email owner lookup gets the context Apply was given.
func TestEmailOwnerGetsTheContext(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "tenant-7")
	var got any
	opts := cp.Options{EmailOwner: func(ctx context.Context, _ string) (string, error) {
		got = ctx.Value(key{})
		return "", nil
	}}
	_, err := profiles.Gomry().ApplyJSON(ctx, cp.Contact{ID: "a"}, []byte(`{"email":"new@example.com"}`), opts)
	require.NoError(t, err)
	assert.Equal(t, "tenant-7", got)
}
