package storetest

// The property of rules T1-T4: two tenants doing random work on one
// store (patches of emails, notes and custom fields, reads) each see
// exactly what they would see alone.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// tenantProfile has a unique email, appended notes and custom fields:
// every path by which one tenant could meet another's data; and a job
// title, whose changes the event checks follow.
var tenantProfile = cp.MustProfile(cp.Schema{Name: "storetest-tenants", Fields: []cp.FieldSpec{
	{Name: "id", Field: cp.FieldID, ReadOnly: true},
	{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), Lowercase: true, Nullable: true, Unique: true},
	{Name: "notes", Field: cp.FieldNotes, Policy: cp.Append("\n")},
	{Name: "custom_fields", Field: cp.FieldCustomFields, Policy: cp.CustomFields(cp.IgnoreUnknown)},
	{Name: "job_title", Field: cp.FieldJobTitle, Nullable: true},
}})

// tenantOps is how many operations each property run makes.
const tenantOps = 300

// world is one tenant's side of the property: the shared store under
// test and the tenant's own store, which no one else writes.
type world struct {
	tenant string
	alone  *cp.MemoryStore
	custom []string
}

func checkTenantsApart(ctx context.Context, s cp.Store, tenant string) error {
	rng := rand.New(rand.NewPCG(18, 6)) // fixed: the same run every time
	worlds := []*world{
		{tenant: tenant + "-a", alone: new(cp.MemoryStore), custom: []string{"plan", "seats"}},
		{tenant: tenant + "-b", alone: new(cp.MemoryStore), custom: []string{"plan", "tier"}},
	}
	ids := []string{"c1", "c2", "c3"}
	for _, w := range worlds {
		for _, id := range ids {
			c := cp.Contact{ID: id, Email: cp.Value(id + "@example.com"), Version: 1}
			for _, st := range []struct {
				s      cp.Store
				tenant string
			}{{s, w.tenant}, {w.alone, cp.DefaultTenant}} {
				if err := tenantProfile.Insert(ctx, st.s, st.tenant, c); err != nil {
					return err
				}
			}
		}
	}
	for op := range tenantOps {
		w := worlds[rng.IntN(len(worlds))]
		id := ids[rng.IntN(len(ids))]
		body := randomBody(rng)
		shared, err := w.run(ctx, s, w.tenant, id, body)
		if err != nil {
			return err
		}
		alone, err := w.run(ctx, w.alone, cp.DefaultTenant, id, body)
		if err != nil {
			return err
		}
		if shared != alone {
			return fmt.Errorf("op %d, %s patching %s with %s: sharing the store gave\n  %s\nwhere alone it gives\n  %s", op, w.tenant, id, body, shared, alone)
		}
	}
	return nil
}

// randomBody is a patch or, as "", a read.
func randomBody(rng *rand.Rand) string {
	emails := []string{"c1@example.com", "c2@example.com", "shared@example.com", "Shared@Example.com"}
	switch rng.IntN(5) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(`{"email": %q}`, emails[rng.IntN(len(emails))])
	case 2:
		return `{"email": null}`
	case 3:
		return fmt.Sprintf(`{"notes": "n%d"}`, rng.IntN(1000))
	}
	names := []string{"plan", "seats", "tier"}
	return fmt.Sprintf(`{"custom_fields": {%q: "v%d"}}`, names[rng.IntN(len(names))], rng.IntN(10))
}

// run applies body (a read when "") to the tenant's contact id in s and
// reads it back, saying what the tenant saw.
func (w *world) run(ctx context.Context, s cp.Store, tenant, id, body string) (string, error) {
	seen := ""
	if body != "" {
		opts := cp.Options{CustomFields: w.custom, Now: func() time.Time { return time.Unix(1e9, 0) }}
		if idx, ok := s.(cp.EmailIndex); ok {
			opts.EmailOwner = cp.EmailOwnerIn(idx, tenant)
		}
		_, err := tenantProfile.Update(ctx, s, tenant, id, []byte(body), opts)
		seen = fmt.Sprintf("status %d %v; ", cp.HTTPStatus(err), err)
		if cp.HTTPStatus(err) >= 500 {
			return "", fmt.Errorf("%s: %w", tenant, err)
		}
	}
	c, err := s.Get(ctx, tenant, id)
	if err != nil {
		return "", fmt.Errorf("%s: get %s: %w", tenant, id, err)
	}
	out, _ := json.Marshal(c)
	return seen + string(out), nil
}
