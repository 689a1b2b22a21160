package contactpatch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// R14: 8 writers append 100 notes each to one contact at once; every note
// survives, and the version counts every write.
func TestUpdateKeepsEveryConcurrentAppend(t *testing.T) {
	var store cp.MemoryStore
	put(t, &store, cp.Contact{ID: "c1"})
	const writers, appends = 8, 100
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range appends {
				body := fmt.Sprintf(`{"notes": "w%d-n%d"}`, w, i)
				_, err := profiles.Leadlex().Update(context.Background(), &store, cp.DefaultTenant, "c1", []byte(body), cp.Options{})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	got, err := store.Get(context.Background(), cp.DefaultTenant, "c1")
	require.NoError(t, err)
	lines := strings.Split(got.Notes.Or(""), "\n")
	assert.Len(t, lines, writers*appends)
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l] = true
	}
	for w := range writers {
		for i := range appends {
			assert.True(t, seen[fmt.Sprintf("w%d-n%d", w, i)], "note w%d-n%d lost", w, i)
		}
	}
	assert.Equal(t, uint64(writers*appends), got.Version)
}

// racingStore lets another writer in between the first read and write.
type racingStore struct {
	cp.MemoryStore
	once sync.Once
}

func (s *racingStore) Write(ctx context.Context, w cp.Write) error {
	s.once.Do(func() {
		other, _ := s.MemoryStore.Get(ctx, w.Tenant, w.Contact.ID)
		other.JobTitle = cp.Value("set by another request")
		other.Version++
		s.MemoryStore.Write(ctx, cp.Write{Tenant: w.Tenant, Op: cp.Swap, Contact: other, Version: other.Version - 1, KeepKeys: true})
	})
	return s.MemoryStore.Write(ctx, w)
}

func TestUpdateRetriesALostRace(t *testing.T) {
	s := &racingStore{}
	put(t, &s.MemoryStore, cp.Contact{ID: "c1", Notes: cp.Value("a")})
	res, err := profiles.Leadlex().Update(context.Background(), s, cp.DefaultTenant, "c1", []byte(`{"notes":"b"}`), cp.Options{})
	require.NoError(t, err)
	assert.Equal(t, "a\nb", res.Contact.Notes.Or(""))
	assert.Equal(t, cp.Value("set by another request"), res.Contact.JobTitle, "the retry builds on the other write")
	assert.Equal(t, uint64(2), res.Contact.Version)
}

// neverMatchingStore is a store whose compare-and-swap never matches, as a
// version column that disagrees with the stored body makes one.
type neverMatchingStore struct {
	cp.MemoryStore
	swaps atomic.Int64
}

func (s *neverMatchingStore) Write(context.Context, cp.Write) error {
	s.swaps.Add(1)
	return cp.ErrVersionMismatch
}

// O4: a compare-and-swap that never matches ends in a 503 after
// MaxUpdateAttempts rounds instead of spinning for ever.
func TestUpdateGivesUpAfterBoundedAttempts(t *testing.T) {
	s := &neverMatchingStore{}
	put(t, &s.MemoryStore, cp.Contact{ID: "c1"})
	_, err := profiles.Leadlex().Update(context.Background(), s, cp.DefaultTenant, "c1", []byte(`{"notes":"b"}`), cp.Options{})
	assert.ErrorIs(t, err, cp.ErrContended)
	assert.Equal(t, 503, cp.HTTPStatus(err))
	assert.Equal(t, int64(cp.MaxUpdateAttempts), s.swaps.Load())
}

// With If-Match, losing the race is a 412, not a retry.
func TestUpdateWithIfMatchFailsALostRace(t *testing.T) {
	s := &racingStore{}
	put(t, &s.MemoryStore, cp.Contact{ID: "c1", Notes: cp.Value("a")})
	_, err := profiles.Leadlex().Update(context.Background(), s, cp.DefaultTenant, "c1", []byte(`{"notes":"b"}`), cp.Options{IfMatch: `"v0"`})
	assert.ErrorIs(t, err, cp.ErrPreconditionFailed)
	got, _ := s.Get(context.Background(), cp.DefaultTenant, "c1")
	assert.Equal(t, "a", got.Notes.Or(""), "nothing written")
}

func TestUpdateErrors(t *testing.T) {
	var s cp.MemoryStore
	put(t, &s, cp.Contact{ID: "c1", Version: 3})
	ctx := context.Background()

	_, err := cp.Default().Update(ctx, &s, cp.DefaultTenant, "nope", []byte(`{"job_title":"x"}`), cp.Options{})
	assert.ErrorIs(t, err, cp.ErrNotFound)
	_, err = cp.Default().Update(ctx, &s, cp.DefaultTenant, "c1", []byte(`{`), cp.Options{})
	assert.ErrorIs(t, err, cp.ErrValidation)
	_, err = cp.Default().Update(ctx, &s, cp.DefaultTenant, "c1", []byte(`{"tags":"x"}`), cp.Options{})
	assert.ErrorIs(t, err, cp.ErrValidation)

	res, err := cp.Default().Update(ctx, &s, cp.DefaultTenant, "c1", []byte(`{}`), cp.Options{})
	require.NoError(t, err)
	assert.False(t, res.Changed())

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = cp.Default().Update(cancelled, &s, cp.DefaultTenant, "c1", []byte(`{"job_title":"x"}`), cp.Options{})
	assert.True(t, errors.Is(err, context.Canceled))

	assert.ErrorIs(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: cp.Contact{ID: "ghost"}}), cp.ErrNotFound)
	assert.ErrorIs(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: cp.Contact{ID: "c1"}, Version: 2}), cp.ErrVersionMismatch)
	assert.Equal(t, []string{"c1"}, s.IDs(cp.DefaultTenant))
}

// Rendering then parsing a contact under a profile gives back every field
// the view shows.
func TestParseContactInvertsRender(t *testing.T) {
	for _, prof := range []*cp.Profile{profiles.Leadlex(), profiles.Gomry(), profiles.Callaidan(), cp.Default()} {
		t.Run(prof.Name(), func(t *testing.T) {
			var c cp.Contact
			require.NoError(t, jsonUnmarshal(`{"id":"c1","full_name":"Dr. Jane van Dyke","first_name":"Jane","last_name":"van Dyke",
				"email":"jane@example.com","phone":"+1 555 0100","job_title":"CTO","company":"Acme","notes":"a\nb",
				"status":"active","lead_source":"api","tags":["x","y"],"is_dnd":true,"custom_fields":{"plan":"gold"},
				"linkedin":"https://linkedin.com/in/jane","created_at":"2025-03-01T00:00:00Z","updated_at":"2025-07-15T10:30:00Z"}`, &c))
			out, err := prof.Render(c)
			require.NoError(t, err)
			back, err := prof.ParseContact(out)
			require.NoError(t, err)
			again, err := prof.Render(back)
			require.NoError(t, err)
			assert.Equal(t, string(out), string(again))
		})
	}
	c, err := profiles.Callaidan().ParseContact([]byte(`{"id":"c1","name":"Dr. Jane van Dyke"}`))
	require.NoError(t, err)
	assert.Equal(t, cp.Value("Jane"), c.FirstName)
	assert.Equal(t, cp.Value("van Dyke"), c.LastName)
}

func TestParseContactRejects(t *testing.T) {
	for name, in := range map[string]string{
		"no envelope":    `{"id":"c1"}`,
		"unknown key":    `{"data":{"id":"c1","nope":1}}`,
		"duplicate key":  `{"data":{"id":"c1","id":"c2"}}`,
		"wrong type":     `{"data":{"id":"c1","notes":5}}`,
		"malformed":      `{"data":`,
		"bad timestamp":  `{"data":{"updated_date":"yesterday"}}`,
		"envelope twice": `{"data":{},"data":{}}`,
	} {
		_, err := profiles.Leadlex().ParseContact([]byte(in))
		assert.ErrorIs(t, err, cp.ErrValidation, name)
	}
}

// failingStore fails every write, as a database that is down would.
type failingStore struct{ cp.MemoryStore }

var errDown = errors.New("database down")

func (*failingStore) Write(context.Context, cp.Write) error { return errDown }

// A failed write returns the store's error and no contact, like every
// other error of Update.
func TestUpdateReturnsNoContactWhenTheWriteFails(t *testing.T) {
	s := &failingStore{}
	put(t, &s.MemoryStore, cp.Contact{ID: "c1"})
	res, err := cp.Default().Update(context.Background(), s, cp.DefaultTenant, "c1", []byte(`{"job_title":"CTO"}`), cp.Options{})
	assert.ErrorIs(t, err, errDown)
	assert.Equal(t, cp.Result{}, res)
}

// G4: two patches racing to give two contacts one email; the store
// enforces the unique email inside its compare-and-swap, so exactly one
// wins, every round. With only the check before the write
// (Options.EmailOwner), both won in 154 of 20,000 rounds when measured.
func TestUniqueEmailHasExactlyOneWinner(t *testing.T) {
	prof := profiles.Gomry()
	body := []byte(`{"email": "Shared@Example.com"}`)
	for round := range 20_000 {
		var store cp.MemoryStore
		put(t, &store, cp.Contact{ID: "a", Email: cp.Value("a@example.com")})
		put(t, &store, cp.Contact{ID: "b", Email: cp.Value("b@example.com")})
		var errs [2]error
		var wg sync.WaitGroup
		for i, id := range []string{"a", "b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The fast pre-check runs too, and cannot see the other write.
				opts := cp.Options{EmailOwner: cp.EmailOwnerIn(&store, cp.DefaultTenant)}
				_, errs[i] = prof.Update(context.Background(), &store, cp.DefaultTenant, id, body, opts)
			}()
		}
		wg.Wait()
		won, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, cp.ErrConflict):
				conflicts++
				assert.Equal(t, 409, cp.HTTPStatus(err))
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d winners and %d conflicts", round, won, conflicts)
		}
	}
}

// The store's conflict names the field and the contact that holds the
// value, and writes nothing.
func TestWriteRefusesAHeldKey(t *testing.T) {
	var s cp.MemoryStore
	put(t, &s, cp.Contact{ID: "a", Email: cp.Value("x@example.com")})
	put(t, &s, cp.Contact{ID: "b", Version: 1})
	keys := []cp.UniqueKey{{Field: cp.FieldEmail, Name: "email", Value: "x@example.com"}}
	ctx := context.Background()
	err := s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: cp.Contact{ID: "b", Email: cp.Value("x@example.com"), Version: 2}, Version: 1, Keys: keys})
	var ce *cp.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, cp.ConflictError{Field: "email", OwnerID: "a"}, *ce)
	b, _ := s.Get(ctx, cp.DefaultTenant, "b")
	assert.Equal(t, uint64(1), b.Version, "nothing was written")
	// A contact may keep its own value.
	require.NoError(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: cp.Contact{ID: "a", Email: cp.Value("x@example.com"), Version: 1}, Keys: keys}))
	// Another tenant may hold it too (T3).
	require.NoError(t, s.Write(ctx, cp.Write{Tenant: "org_b", Op: cp.Insert, Contact: cp.Contact{ID: "b", Email: cp.Value("x@example.com")}, Keys: keys}))
}

// put inserts c into the store's DefaultTenant, with its email as a
// unique key (as G's profile has it).
func put(t testing.TB, s cp.Store, c cp.Contact) {
	t.Helper()
	require.NoError(t, profiles.Gomry().Insert(context.Background(), s, cp.DefaultTenant, c))
}
