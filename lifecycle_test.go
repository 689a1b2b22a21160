package contactpatch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lifeProfile requires an email, which is unique, and gives a new contact
// a status and a tag when its body names none.
var lifeProfile = cp.MustProfile(cp.Schema{Name: "life", Fields: []cp.FieldSpec{
	{Name: "id", Field: cp.FieldID, ReadOnly: true},
	{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), Lowercase: true, Unique: true, Required: true},
	{Name: "phone", Field: cp.FieldPhone, Policy: cp.PhoneE164(""), Nullable: true},
	{Name: "status", Field: cp.FieldStatus, Policy: cp.OneOf("new", "active"), Default: `"new"`},
	{Name: "tags", Field: cp.FieldTags, Default: `["inbound"]`},
	{Name: "notes", Field: cp.FieldNotes, Policy: cp.Append("\n")},
	{Name: "score", Kind: cp.KindNumber, Nullable: true},
	{Name: "created_at", Field: cp.FieldCreatedAt, ReadOnly: true},
}})

var lifeNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func lifeOptions(id string) cp.Options {
	return cp.Options{Now: func() time.Time { return lifeNow }, NewID: func() string { return id }}
}

// W1: a create takes the defaults, gets version 1 and its times, and is
// stored with its unique key.
func TestCreateAppliesDefaultsAndStores(t *testing.T) {
	var s cp.MemoryStore
	res, err := lifeProfile.Create(context.Background(), &s, "t1", []byte(`{"email": "Ada@Example.com", "notes": "met at a fair"}`), lifeOptions("c1"))
	require.NoError(t, err)
	c := res.Contact
	assert.Equal(t, "c1", c.ID)
	assert.Equal(t, cp.Value("ada@example.com"), c.Email)
	assert.Equal(t, cp.Value("new"), c.Status, "the default")
	assert.Equal(t, []string{"inbound"}, c.Tags, "the default")
	assert.Equal(t, uint64(1), c.Version)
	assert.Equal(t, lifeNow, c.CreatedAt)
	assert.Equal(t, lifeNow, c.UpdatedAt)
	stored, err := s.Get(context.Background(), "t1", "c1")
	require.NoError(t, err)
	assert.Equal(t, c.Email, stored.Email)
	_, err = lifeProfile.Create(context.Background(), &s, "t1", []byte(`{"email": "ada@example.com"}`), lifeOptions("c2"))
	var ce *cp.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "c1", ce.OwnerID)
	assert.Equal(t, []string{"c1"}, s.IDs("t1"), "a create that conflicts stores nothing")
	_, err = lifeProfile.Create(context.Background(), &s, "t2", []byte(`{"email": "ada@example.com"}`), lifeOptions("c2"))
	assert.NoError(t, err, "another tenant may hold the same email (T3)")
}

// W1: every refusal of a create body comes in one error, the missing
// required field among them, with the same codes and pointers as PATCH.
func TestCreateReportsEveryProblemTogether(t *testing.T) {
	var s cp.MemoryStore
	_, err := lifeProfile.Create(context.Background(), &s, "t1", []byte(`{"phone": "12", "status": "gone", "score": "x", "id": "mine"}`), lifeOptions("c1"))
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	codes := map[string]cp.Code{}
	for _, f := range ve.Fields {
		codes[f.Pointer] = f.Code
	}
	assert.Equal(t, map[string]cp.Code{"/email": cp.CodeRequired, "/phone": cp.CodeInvalidFormat, "/status": cp.CodeInvalidEnum,
		"/score": cp.CodeInvalidType, "/id": cp.CodeReadOnly}, codes)
	assert.Empty(t, s.IDs("t1"))
	_, err = lifeProfile.Create(context.Background(), &s, "t1", []byte(`{"email": "  "}`), lifeOptions("c1"))
	assert.ErrorIs(t, err, cp.ErrValidation, "a blank value does not satisfy required")
}

// W1: a default that the field's policy refuses fails NewProfile, not
// every create.
func TestNewProfileRefusesABadDefault(t *testing.T) {
	for _, spec := range []cp.FieldSpec{
		{Name: "status", Field: cp.FieldStatus, Policy: cp.OneOf("new"), Default: `"old"`},
		{Name: "status", Field: cp.FieldStatus, Default: `42`},
		{Name: "id", Field: cp.FieldID, ReadOnly: true, Required: true},
	} {
		_, err := cp.NewProfile(cp.Schema{Name: "bad", Fields: []cp.FieldSpec{spec}})
		assert.Error(t, err, "%+v", spec)
	}
}

// W2: an upsert creates when no contact holds the value, and patches the
// holder when one does, case of the email aside.
func TestUpsertCreatesThenPatches(t *testing.T) {
	var s cp.MemoryStore
	ctx := context.Background()
	out, err := lifeProfile.Upsert(ctx, &s, "t1", cp.FieldEmail, "Grace@Example.com", []byte(`{"notes": "first"}`), lifeOptions("c1"))
	require.NoError(t, err)
	require.NoError(t, out.Err)
	assert.True(t, out.Created)
	assert.Equal(t, cp.Value("grace@example.com"), out.Result.Contact.Email)
	out, err = lifeProfile.Upsert(ctx, &s, "t1", cp.FieldEmail, "grace@example.com", []byte(`{"notes": "second"}`), lifeOptions("c2"))
	require.NoError(t, err)
	require.NoError(t, out.Err)
	assert.False(t, out.Created)
	assert.Equal(t, "c1", out.Result.Contact.ID)
	assert.Equal(t, cp.Value("first\nsecond"), out.Result.Contact.Notes)
	out, err = lifeProfile.Upsert(ctx, &s, "t1", cp.FieldEmail, "not an email", []byte(`{}`), lifeOptions("c3"))
	require.NoError(t, err)
	assert.ErrorIs(t, out.Err, cp.ErrValidation)
	_, err = lifeProfile.Upsert(ctx, &s, "t1", cp.FieldPhone, "+15550100", []byte(`{}`), lifeOptions("c3"))
	assert.Error(t, err, "phone is not unique")
}

// W3: an archived contact keeps its data and key but is gone to patches
// and upserts; delete erases it and frees its key; both honour If-Match.
func TestArchiveHidesAndDeleteErases(t *testing.T) {
	var s cp.MemoryStore
	ctx := context.Background()
	_, err := lifeProfile.Create(ctx, &s, "t1", []byte(`{"email": "ada@example.com"}`), lifeOptions("c1"))
	require.NoError(t, err)
	_, err = lifeProfile.Archive(ctx, &s, "t1", "c1", cp.Options{IfMatch: `"v9"`})
	assert.ErrorIs(t, err, cp.ErrPreconditionFailed)
	archived, err := lifeProfile.Archive(ctx, &s, "t1", "c1", cp.Options{IfMatch: `"v1"`, Now: func() time.Time { return lifeNow }})
	require.NoError(t, err)
	assert.True(t, archived.Archived())
	assert.Equal(t, lifeNow, archived.ArchivedAt)
	assert.Equal(t, uint64(2), archived.Version)
	again, err := lifeProfile.Archive(ctx, &s, "t1", "c1", cp.Options{})
	require.NoError(t, err, "archiving twice is no error")
	assert.Equal(t, uint64(2), again.Version, "and changes nothing")

	_, err = lifeProfile.Update(ctx, &s, "t1", "c1", []byte(`{"notes": "x"}`), cp.Options{})
	assert.ErrorIs(t, err, cp.ErrNotFound)
	out, err := lifeProfile.Upsert(ctx, &s, "t1", cp.FieldEmail, "ada@example.com", []byte(`{}`), lifeOptions("c2"))
	require.NoError(t, err)
	assert.ErrorIs(t, out.Err, cp.ErrConflict, "the archived contact still holds its email")
	stored, err := s.Get(ctx, "t1", "c1")
	require.NoError(t, err)
	assert.Equal(t, cp.Value("ada@example.com"), stored.Email, "archive keeps the data")

	assert.ErrorIs(t, lifeProfile.Delete(ctx, &s, "t1", "c1", cp.Options{IfMatch: `"v1"`}), cp.ErrPreconditionFailed)
	require.NoError(t, lifeProfile.Delete(ctx, &s, "t1", "c1", cp.Options{IfMatch: `"v2"`}))
	assert.ErrorIs(t, lifeProfile.Delete(ctx, &s, "t1", "c1", cp.Options{}), cp.ErrNotFound)
	_, err = lifeProfile.Create(ctx, &s, "t1", []byte(`{"email": "ada@example.com"}`), lifeOptions("c3"))
	assert.NoError(t, err, "delete freed the email")
}

// W4: a batch answers each input; a bad input's error is located in its
// own body; reads leave out archived contacts unless asked for them.
func TestBatchesAnswerEachInput(t *testing.T) {
	var s cp.MemoryStore
	ctx := context.Background()
	for _, id := range []string{"c1", "c2", "c3"} {
		_, err := lifeProfile.Create(ctx, &s, "t1", []byte(`{"email": "`+id+`@example.com"}`), lifeOptions(id))
		require.NoError(t, err)
	}
	out, err := lifeProfile.UpdateMany(ctx, &s, "t1", []cp.Input{
		{ID: "c1", Body: []byte(`{"status": "active"}`)},
		{ID: "c2", Body: []byte(`{"phone": "nope"}`)},
		{ID: "c3", Body: []byte(`{"email": "c1@example.com"}`)},
	}, cp.BatchOptions{})
	require.NoError(t, err)
	assert.NoError(t, out[0].Err)
	assert.Equal(t, cp.Value("active"), out[0].Result.Contact.Status)
	var ve *cp.ValidationError
	require.ErrorAs(t, out[1].Err, &ve)
	assert.Equal(t, "/phone", ve.Fields[0].Pointer)
	var ce *cp.ConflictError
	require.ErrorAs(t, out[2].Err, &ce)
	assert.Equal(t, "c1", ce.OwnerID)
	assert.Equal(t, "/email", ce.Pointer)

	arch, err := lifeProfile.ArchiveMany(ctx, &s, "t1", []cp.Input{{ID: "c2"}, {ID: "nobody"}}, cp.BatchOptions{})
	require.NoError(t, err)
	assert.NoError(t, arch[0].Err)
	assert.ErrorIs(t, arch[1].Err, cp.ErrNotFound)
	read, err := lifeProfile.ReadMany(ctx, &s, "t1", []string{"c1", "c2"}, false)
	require.NoError(t, err)
	assert.NoError(t, read[0].Err)
	assert.ErrorIs(t, read[1].Err, cp.ErrNotFound, "archived")
	read, err = lifeProfile.ReadMany(ctx, &s, "t1", []string{"c2"}, true)
	require.NoError(t, err)
	assert.True(t, read[0].Result.Contact.Archived())

	ups, err := lifeProfile.UpsertMany(ctx, &s, "t1", cp.FieldEmail, []cp.Input{
		{ID: "c1@example.com", Body: []byte(`{"notes": "patched"}`)},
		{ID: "new@example.com", Body: []byte(`{"notes": "created"}`)},
		{ID: "NEW@example.com", Body: []byte(`{}`)},
	}, cp.BatchOptions{Options: lifeOptions("c9")})
	require.NoError(t, err)
	assert.False(t, ups[0].Created)
	assert.True(t, ups[1].Created)
	assert.Equal(t, "c9", ups[1].Result.Contact.ID)
	assert.ErrorIs(t, ups[2].Err, cp.ErrDuplicateInput, "the same email, as stored")
}

// W4: all or nothing writes none of a batch with one bad input.
func TestAllOrNothingBatchWritesNothingOnAFailure(t *testing.T) {
	var s cp.MemoryStore
	ctx := context.Background()
	for _, id := range []string{"c1", "c2"} {
		_, err := lifeProfile.Create(ctx, &s, "t1", []byte(`{"email": "`+id+`@example.com"}`), lifeOptions(id))
		require.NoError(t, err)
	}
	in := []cp.Input{{ID: "c1", Body: []byte(`{"status": "active"}`)}, {ID: "c2", Body: []byte(`{"status": "bogus"}`)}}
	out, err := lifeProfile.UpdateMany(ctx, &s, "t1", in, cp.BatchOptions{AllOrNothing: true})
	require.NoError(t, err)
	assert.ErrorIs(t, out[0].Err, cp.ErrNotWritten)
	assert.ErrorIs(t, out[1].Err, cp.ErrValidation)
	c1, _ := s.Get(ctx, "t1", "c1")
	assert.Equal(t, uint64(1), c1.Version)
	in[1].Body = []byte(`{"status": "active"}`)
	out, err = lifeProfile.UpdateMany(ctx, &s, "t1", in, cp.BatchOptions{AllOrNothing: true})
	require.NoError(t, err)
	assert.NoError(t, errors.Join(out[0].Err, out[1].Err))
}

// W1: a contact given whole, as a seed is, is checked as a create of its
// values would be: every policy, the required fields; read-only fields
// and keys are left to the store.
func TestCheckJudgesASeedAsACreate(t *testing.T) {
	ctx := context.Background()
	good := cp.Contact{ID: "s1", Email: cp.Value("ada@example.com"), Status: cp.Value("active"), Tags: []string{"vip"},
		CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Version: 3}
	require.NoError(t, lifeProfile.Check(ctx, good))
	bad := good
	bad.Email = cp.Value("not an email")
	var ve *cp.ValidationError
	require.ErrorAs(t, lifeProfile.Check(ctx, bad), &ve)
	assert.Equal(t, "/email", ve.Fields[0].Pointer)
	assert.Equal(t, cp.CodeInvalidFormat, ve.Fields[0].Code)
	missing := good
	missing.Email = cp.Optional[string]{}
	require.ErrorAs(t, lifeProfile.Check(ctx, missing), &ve)
	assert.Equal(t, cp.CodeRequired, ve.Fields[0].Code)
}
