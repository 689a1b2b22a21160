package clienttest_test

// Each generated client against its server: a read, a change, a field
// cleared with null where the API lets one be (the tri-state through
// nullable.Nullable), and a refusal, every answer validated against the
// document.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch/clienttest/callaidan"
	"github.com/contactpatch/contactpatch/clienttest/gomry"
	"github.com/contactpatch/contactpatch/clienttest/hubspot"
	"github.com/contactpatch/contactpatch/clienttest/leadlex"
	"github.com/oapi-codegen/nullable"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// L's fields cannot be cleared, so its client sends values only.
func TestLeadlexClient(t *testing.T) {
	s := start(t, "leadlex")
	c, err := leadlex.NewClientWithResponses(s.URL, leadlex.WithHTTPClient(checked{t, s}), leadlex.WithRequestEditorFn(bearer))
	must(t, err)
	ctx, id := context.Background(), "123e4567-e89b-12d3-a456-426614174000"
	got, err := c.GetContactWithResponse(ctx, id, nil)
	must(t, err)
	if got.JSON200 == nil {
		t.Fatalf("GET: %d %s", got.StatusCode(), got.Body)
	}
	title, note := "Chief Legal Officer", "Promoted"
	up, err := c.UpdateContactWithResponse(ctx, id, nil, leadlex.PatchBody{JobTitle: &title, Notes: &note})
	must(t, err)
	if up.JSON200 == nil || up.JSON200.Data.JobTitle.MustGet() != title || !strings.HasSuffix(up.JSON200.Data.Notes.MustGet(), "\nPromoted") {
		t.Fatalf("PATCH: %d %s", up.StatusCode(), up.Body)
	}
	// The generated client checks an email itself; a raw body reaches
	// the server's refusal.
	refused, err := c.UpdateContactWithBodyWithResponse(ctx, id, nil, "application/json", strings.NewReader(`{"email": "jane at example"}`))
	must(t, err)
	if refused.StatusCode() != 400 {
		t.Fatalf("PATCH of a bad email: %d %s", refused.StatusCode(), refused.Body)
	}
}

// G's client clears gender with null, leaves the omitted fields alone.
func TestGomryClient(t *testing.T) {
	s := start(t, "gomry")
	c, err := gomry.NewClientWithResponses(s.URL, gomry.WithHTTPClient(checked{t, s}), gomry.WithRequestEditorFn(header("X-API-KEY")))
	must(t, err)
	ctx, id := context.Background(), "AbCdEfGhIjKlMnOpQrSt"
	set, err := c.UpdateContactWithResponse(ctx, id, nil, gomry.PatchBody{Gender: nullable.NewNullableWithValue("female")})
	must(t, err)
	if set.JSON200 == nil || set.JSON200.Data.Gender.MustGet() != "female" {
		t.Fatalf("PATCH gender: %d %s", set.StatusCode(), set.Body)
	}
	before := set.JSON200.Data
	cleared, err := c.UpdateContactWithResponse(ctx, id, nil, gomry.PatchBody{Gender: nullable.NewNullNullable[string]()})
	must(t, err)
	if cleared.JSON200 == nil || !cleared.JSON200.Data.Gender.IsNull() {
		t.Fatalf("PATCH gender null: %d %s", cleared.StatusCode(), cleared.Body)
	}
	if after := cleared.JSON200.Data; after.Email.MustGet() != before.Email.MustGet() || after.FirstName.MustGet() != before.FirstName.MustGet() {
		t.Fatalf("fields left out changed: %+v -> %+v", before, after)
	}
	sent, _ := json.Marshal(gomry.PatchBody{Gender: nullable.NewNullNullable[string]()})
	if string(sent) != `{"gender":null}` {
		t.Fatalf("the client sends %s for a cleared gender", sent)
	}
}

// C's client clears the profile picture with null.
func TestCallaidanClient(t *testing.T) {
	s := start(t, "callaidan")
	c, err := callaidan.NewClientWithResponses(s.URL, callaidan.WithHTTPClient(checked{t, s}), callaidan.WithRequestEditorFn(header("Authorization")))
	must(t, err)
	ctx, id := context.Background(), "3c90c3cc-0d44-4b50-8888-8dd25736052a"
	got, err := c.GetContactWithResponse(ctx, id, nil)
	must(t, err)
	if got.JSON200 == nil {
		t.Fatalf("GET: %d %s", got.StatusCode(), got.Body)
	}
	cleared, err := c.UpdateContactWithResponse(ctx, id, nil, callaidan.PatchBody{ProfilePictureUrl: nullable.NewNullNullable[string]()})
	must(t, err)
	if cleared.JSON200 == nil || cleared.JSON200.ProfilePictureUrl.IsSpecified() && !cleared.JSON200.ProfilePictureUrl.IsNull() {
		t.Fatalf("PATCH profile_picture_url null: %d %s", cleared.StatusCode(), cleared.Body)
	}
}

// HubSpot's client clears jobtitle with null, meets HubSpot's refusal of
// an unknown property in HubSpot's shape, creates a contact and archives
// it.
func TestHubSpotClient(t *testing.T) {
	s := start(t, "hubspot")
	c, err := hubspot.NewClientWithResponses(s.URL, hubspot.WithHTTPClient(checked{t, s}), hubspot.WithRequestEditorFn(bearer))
	must(t, err)
	ctx, id := context.Background(), "101"
	var body hubspot.PatchBody
	body.Properties.Jobtitle = nullable.NewNullableWithValue("VP of Sales")
	set, err := c.UpdateContactWithResponse(ctx, id, nil, body)
	must(t, err)
	if set.JSON200 == nil || set.JSON200.Properties.Jobtitle.MustGet() != "VP of Sales" {
		t.Fatalf("PATCH jobtitle: %d %s", set.StatusCode(), set.Body)
	}
	body.Properties.Jobtitle = nullable.NewNullNullable[string]()
	cleared, err := c.UpdateContactWithResponse(ctx, id, nil, body)
	must(t, err)
	if cleared.JSON200 == nil || !cleared.JSON200.Properties.Jobtitle.IsNull() {
		t.Fatalf("PATCH jobtitle null: %d %s", cleared.StatusCode(), cleared.Body)
	}
	refused, err := c.UpdateContactWithBodyWithResponse(ctx, id, nil, "application/json", strings.NewReader(`{"properties": {"favorite_color": "blue"}}`))
	must(t, err)
	if refused.JSON400 == nil {
		t.Fatalf("PATCH of an unknown property: %d %s", refused.StatusCode(), refused.Body)
	}
	var create hubspot.PatchBody
	create.Properties.Email = nullable.NewNullableWithValue("new.contact@example.com")
	created, err := c.CreateContactWithResponse(ctx, nil, create)
	must(t, err)
	if created.JSON201 == nil || created.HTTPResponse.Header.Get("Location") == "" {
		t.Fatalf("POST: %d %s", created.StatusCode(), created.Body)
	}
	gone, err := c.DeleteContactWithResponse(ctx, created.JSON201.Id, nil)
	must(t, err)
	if gone.StatusCode() != 204 {
		t.Fatalf("DELETE: %d %s", gone.StatusCode(), gone.Body)
	}
	if missing, err := c.GetContactWithResponse(ctx, created.JSON201.Id, nil); err != nil || missing.JSON404 == nil {
		t.Fatalf("GET after DELETE: %v %d", err, missing.StatusCode())
	}
}
