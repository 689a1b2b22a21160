package contactpatch_test

import (
	"context"
	"errors"
	"fmt"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
)

// A create is checked with every policy and stored with its unique keys
// in one step; a held email is a conflict naming the holder, and nothing
// is stored.
func ExampleProfile_Create() {
	var store cp.MemoryStore
	ctx, prof := context.Background(), profiles.Gomry()
	opts := cp.Options{NewID: func() string { return "c1" }}
	res, err := prof.Create(ctx, &store, "acme", []byte(`{"email": "Ada@Example.com", "first_name": "Ada"}`), opts)
	fmt.Println(res.Contact.ID, res.Contact.Email.Or(""), res.Contact.Version, err)

	opts.NewID = func() string { return "c2" }
	_, err = prof.Create(ctx, &store, "acme", []byte(`{"email": "ada@example.com"}`), opts)
	var conflict *cp.ConflictError
	fmt.Println(errors.As(err, &conflict), conflict.OwnerID, store.IDs("acme"))
	// Output:
	// c1 ada@example.com 1 <nil>
	// true c1 [c1]
}

// An upsert by a unique field creates the contact the first time and
// patches it after.
func ExampleProfile_Upsert() {
	var store cp.MemoryStore
	ctx, prof := context.Background(), profiles.HubSpot()
	opts := cp.Options{NewID: func() string { return "501" }}
	for _, body := range []string{`{"properties": {"firstname": "Grace"}}`, `{"properties": {"jobtitle": "Admiral"}}`} {
		out, err := prof.Upsert(ctx, &store, cp.DefaultTenant, cp.FieldEmail, "grace@example.com", []byte(body), opts)
		if err == nil {
			err = out.Err
		}
		c := out.Result.Contact
		fmt.Println(out.Created, c.ID, c.FirstName.Or(""), c.JobTitle.Or(""), err)
	}
	// Output:
	// true 501 Grace  <nil>
	// false 501 Grace Admiral <nil>
}

// A batch answers each input by itself; errors are located in the
// input's own body.
func ExampleProfile_UpdateMany() {
	var store cp.MemoryStore
	ctx, prof := context.Background(), profiles.Gomry()
	for _, id := range []string{"a", "b"} {
		prof.Insert(ctx, &store, cp.DefaultTenant, cp.Contact{ID: id, Version: 1})
	}
	out, err := prof.UpdateMany(ctx, &store, cp.DefaultTenant, []cp.Input{
		{ID: "a", Body: []byte(`{"job_title": "CTO"}`)},
		{ID: "b", Body: []byte(`{"email": "not an email"}`)},
		{ID: "z", Body: []byte(`{}`)},
	}, cp.BatchOptions{})
	fmt.Println(err)
	for _, o := range out {
		fmt.Println(o.Result.Contact.JobTitle.Or(""), o.Err)
	}
	// Output:
	// <nil>
	// CTO <nil>
	//  contactpatch: invalid request: /email: Invalid email format (invalid_format)
	//  contactpatch: not_found: Contact not found
}
