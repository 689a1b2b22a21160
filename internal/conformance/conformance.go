// Package conformance runs the conformance cases of testdata/<profile>/
// against a profile over any Store: the root package runs them over a
// MemoryStore, the sqlstore module over SQLite and PostgreSQL, so that
// every store answers every case alike.
package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
)

// Profiles maps each folder of cases to the profile its cases run under.
func Profiles() map[string]*cp.Profile {
	return map[string]*cp.Profile{
		"default":    cp.Default(),
		"leadlex":    profiles.Leadlex(),
		"gomry":      profiles.Gomry(),
		"callaidan":  profiles.Callaidan(),
		"hubspot":    profiles.HubSpot(),
		"limits":     SmallLimits,
		"extensions": Extensions,
	}
}

// NewStore makes the empty store a case runs through Profile.Update
// over; the case inserts its stored contact into cp.DefaultTenant.
type NewStore func(t *testing.T) cp.Store

// Case is one conformance case as it is written in testdata/<profile>/.
// A file holds one case or an array of them.
type Case struct {
	Rules []string `json:"rules"` // rule IDs (docs/semantics.md) the case checks
	Title string   `json:"title"`

	Stored json.RawMessage `json:"stored"` // canonical Contact JSON
	// The request body: Body is used verbatim as it stands in the file
	// (duplicate keys and key order included); Raw is a string body for
	// bodies that are not JSON objects; RawLatin1 maps each character
	// below U+0100 to one byte, to write invalid UTF-8 readably.
	Body      json.RawMessage `json:"body"`
	Raw       *string         `json:"raw"`
	RawLatin1 *string         `json:"raw_latin1"`

	Options struct {
		Now          string            `json:"now"`
		CustomFields []string          `json:"custom_fields"`
		EmailOwners  map[string]string `json:"email_owners"`
		IfMatch      string            `json:"if_match"`
		// ByEmail addresses the contact by this email, looked up in the
		// store as an idProperty=email request is (H8).
		ByEmail string `json:"by_email"`
	} `json:"options"`

	// Absent runs the case against a store that does not hold the
	// contact, through Profile.Update only.
	Absent bool `json:"absent"`

	Want  *Want  `json:"want"`
	Error *Error `json:"error"`
}

// Want is what a case that succeeds must give.
type Want struct {
	Contact   json.RawMessage `json:"contact"`
	Unchanged bool            `json:"unchanged"` // R7: the result says nothing changed
	Changes   []Change        `json:"changes"`
	Warnings  []cp.Warning    `json:"warnings"`
	Response  json.RawMessage `json:"response"` // compared byte for byte once compacted
	// ResponseFields, if set, renders Response as a sparse view of these
	// names (Profile.RenderOnly, H10).
	ResponseFields []string `json:"response_fields"`
}

// Change matches a Change by name; Old and New are compared when given.
type Change struct {
	Name string          `json:"name"`
	Old  json.RawMessage `json:"old"`
	New  json.RawMessage `json:"new"`
}

// Error is what a case that fails must give.
type Error struct {
	Status int               `json:"status"`
	Fields map[string]string `json:"fields"` // JSON Pointer, or "body" for the body as a whole -> code, exactly
	// Envelope is the body of the profile's error view, compared byte for
	// byte once compacted; the problem's instance and correlation id are
	// left empty.
	Envelope json.RawMessage `json:"envelope"`
}

// defaultNow is the clock of every case that does not set one.
const defaultNow = "2026-02-24T15:00:00Z"

// SmallLimits is a test profile with tiny limits, so that the cases that
// pass a limit stay readable.
var SmallLimits = cp.MustProfile(cp.Schema{
	Name: "limits",
	Fields: []cp.FieldSpec{
		{Name: "job_title", Field: cp.FieldJobTitle},
		{Name: "notes", Field: cp.FieldNotes, Policy: cp.Append("\n")},
		{Name: "tags", Field: cp.FieldTags},
		{Name: "custom_fields", Field: cp.FieldCustomFields, Policy: cp.CustomFields(cp.RejectUnknown)},
	},
	Limits: cp.Limits{Body: 200, Depth: 3, Keys: 4, Text: 10, LongText: 30, Tags: 3, Tag: 5,
		CustomFields: 2, CustomFieldName: 5, CustomFieldValue: 12},
})

// Extensions is a test profile with an extension field of every kind,
// under several policies, and a field with a rule of the host's own.
var Extensions = cp.MustProfile(cp.Schema{
	Name: "extensions",
	Fields: []cp.FieldSpec{
		{Name: "id", Field: cp.FieldID, ReadOnly: true},
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email()},
		{Name: "plan", Kind: cp.KindText, Policy: cp.OneOf("free", "pro"), Nullable: true},
		{Name: "tier", Kind: cp.KindText, Policy: cp.OneOfOr("basic", "basic", "gold")},
		{Name: "log", Kind: cp.KindText, Policy: cp.Append("\n")},
		{Name: "vat_id", Kind: cp.KindText, Rule: vatID, Nullable: true},
		{Name: "homepage", Kind: cp.KindText, Policy: cp.HTTPURL(), EmptyAsNull: true, Nullable: true},
		{Name: "account", Kind: cp.KindText, ReadOnly: true},
		{Name: "seats", Kind: cp.KindNumber, Nullable: true},
		{Name: "beta", Kind: cp.KindBool},
		{Name: "renewal", Kind: cp.KindDate, Nullable: true},
		{Name: "last_seen", Kind: cp.KindDateTime, Nullable: true},
		{Name: "interests", Kind: cp.KindStrings, Nullable: true},
		{Name: "meta", Kind: cp.KindJSON, Nullable: true},
	},
	Limits: cp.Limits{CustomFieldValue: 32},
})

// vatID is a rule of the host's own (R16): two letters and digits, stored
// in upper case; "UNREACHABLE" stands for a registry the host cannot
// reach, a failure of the host's rather than the client's.
func vatID(_ context.Context, v string) (string, error) {
	v = strings.ToUpper(v)
	switch {
	case v == "UNREACHABLE":
		return "", errors.New("VAT registry unreachable")
	case len(v) < 4 || strings.Trim(v[:2], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" || strings.Trim(v[2:], "0123456789") != "":
		return "", cp.Refuse("invalid_vat_id", "Must be a country code and digits, such as DE123456789")
	}
	return v, nil
}

// RunFolder runs the cases of testdata/<dir> below root under prof:
// each through ApplyJSON, then through Profile.Update over a store that
// newStore makes (Update alone for a case whose contact is absent).
func RunFolder(t *testing.T, root, dir string, prof *cp.Profile, newStore NewStore) {
	files, err := filepath.Glob(filepath.Join(root, "testdata", dir, "*.json"))
	must(t, err)
	expect(t, len(files) > 0, "no cases in testdata/%s", dir)
	for _, file := range files {
		for i, c := range Load(t, file) {
			name := strings.TrimSuffix(filepath.Base(file), ".json")
			if i > 0 || c.Title != "" {
				name += "/" + c.Title
			}
			t.Run(name, func(t *testing.T) { runCase(t, prof, c, newStore) })
		}
	}
}

// Load reads the cases of one file, which holds one case or an array.
func Load(t *testing.T, file string) []Case {
	data, err := os.ReadFile(file)
	must(t, err)
	var cases []Case
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		must(t, json.Unmarshal(data, &cases), file)
	} else {
		var c Case
		must(t, json.Unmarshal(data, &c), file)
		cases = append(cases, c)
	}
	for _, c := range cases {
		expect(t, len(c.Rules) > 0, "%s: a case names the rules it checks", file)
		expect(t, (c.Want == nil) != (c.Error == nil), "%s: a case expects a result or an error", file)
	}
	return cases
}

// runCase runs a case through ApplyJSON, then through Profile.Update over
// a store holding the stored contact, and checks both.
func runCase(t *testing.T, prof *cp.Profile, c Case, newStore NewStore) {
	if !c.Absent {
		runApply(t, prof, c)
	}
	runUpdate(t, prof, c, newStore)
}

// MemoryStore is a NewStore of MemoryStores.
func MemoryStore(*testing.T) cp.Store { return new(cp.MemoryStore) }

func runApply(t *testing.T, prof *cp.Profile, c Case) {
	// Two independent decodes: one for Apply, one to compare with after.
	var stored, pristine cp.Contact
	if c.Stored != nil {
		must(t, json.Unmarshal(c.Stored, &stored))
		must(t, json.Unmarshal(c.Stored, &pristine))
	}
	snapshot, err := json.Marshal(stored)
	must(t, err)

	res, err := prof.ApplyJSON(context.Background(), stored, Body(c), Options(t, c))

	after, merr := json.Marshal(stored)
	must(t, merr)
	same(t, string(snapshot), string(after), "R2: the stored contact must not change")
	same(t, pristine, stored, "R2: the stored contact must not change")

	if c.Error != nil {
		expect(t, err != nil, "want an error")
		checkError(t, prof, err, c.Error)
		return
	}
	must(t, err)
	checkResult(t, prof, &res, c.Want)
}

// runUpdate runs the case's body through the read-apply-compare-and-swap
// cycle: the answer must be ApplyJSON's, and the store must hold the new
// contact after a change and the old one after an error or a no-op.
func runUpdate(t *testing.T, prof *cp.Profile, c Case, newStore NewStore) {
	var stored cp.Contact
	if c.Stored != nil {
		must(t, json.Unmarshal(c.Stored, &stored))
	}
	id := stored.ID
	store := newStore(t)
	if c.Absent {
		id = "absent"
	} else {
		must(t, prof.Insert(context.Background(), store, cp.DefaultTenant, stored))
	}
	if c.Options.ByEmail != "" {
		finder, ok := store.(cp.EmailIndex)
		expect(t, ok, "the store finds contacts by email")
		owner, err := finder.EmailOwner(context.Background(), cp.DefaultTenant, c.Options.ByEmail)
		must(t, err)
		sameOrStop(t, stored.ID, owner, "the email finds the stored contact")
		id = owner
	}
	res, err := prof.Update(context.Background(), store, cp.DefaultTenant, id, Body(c), Options(t, c))
	if c.Error != nil {
		expect(t, err != nil, "Update: want an error")
		checkError(t, prof, err, c.Error)
		if !c.Absent {
			kept, gerr := store.Get(context.Background(), cp.DefaultTenant, id)
			must(t, gerr)
			same(t, jsonOf(t, stored), jsonOf(t, kept), "Update: a failed patch must not be written")
		}
		return
	}
	must(t, err, "Update")
	checkResult(t, prof, &res, c.Want)
	kept, err := store.Get(context.Background(), cp.DefaultTenant, id)
	must(t, err)
	same(t, jsonOf(t, res.Contact), jsonOf(t, kept), "Update: the store holds the result")
}

// Body is the request body of a case.
func Body(c Case) []byte {
	switch {
	case c.Raw != nil:
		return []byte(*c.Raw)
	case c.RawLatin1 != nil:
		var b []byte
		for _, r := range *c.RawLatin1 {
			b = append(b, byte(r))
		}
		return b
	}
	return c.Body
}

// Options are the options of a case's call.
func Options(t *testing.T, c Case) cp.Options {
	now := c.Options.Now
	if now == "" {
		now = defaultNow
	}
	clock, err := time.Parse(time.RFC3339Nano, now)
	must(t, err)
	opts := cp.Options{
		Now:          func() time.Time { return clock },
		CustomFields: c.Options.CustomFields,
		IfMatch:      c.Options.IfMatch,
	}
	if c.Options.EmailOwners != nil {
		opts.EmailOwner = func(_ context.Context, email string) (string, error) { return c.Options.EmailOwners[email], nil }
	}
	return opts
}

func checkResult(t *testing.T, prof *cp.Profile, res *cp.Result, want *Want) {
	if want.Contact != nil {
		// Through Contact and back, so that a case lists only set fields.
		var wantContact cp.Contact
		must(t, json.Unmarshal(want.Contact, &wantContact))
		sameJSON(t, jsonOf(t, wantContact), jsonOf(t, res.Contact), "contact after the patch")
	}
	same(t, !want.Unchanged, res.Changed(), "Changed()")
	if want.Unchanged {
		same(t, 0, len(res.Changes()), "changes of a no-op")
	}
	if want.Changes != nil {
		checkChanges(t, res.Changes(), want.Changes)
	}
	if want.Warnings != nil || res.Warnings != nil {
		same(t, want.Warnings, stripMessages(res.Warnings), "warnings")
	}
	if want.Response != nil {
		got, err := prof.Render(res.Contact)
		if want.ResponseFields != nil {
			got, err = prof.RenderOnly(res.Contact, want.ResponseFields)
		}
		must(t, err)
		same(t, string(compactJSON(t, want.Response)), string(got), "rendered response")
	}
}

func checkChanges(t *testing.T, got []cp.Change, want []Change) {
	var names []string
	for _, ch := range got {
		names = append(names, ch.Name)
	}
	var wantNames []string
	for _, w := range want {
		wantNames = append(wantNames, w.Name)
	}
	sameOrStop(t, wantNames, names, "changed fields")
	for i, w := range want {
		if w.Old != nil {
			sameJSON(t, string(w.Old), jsonOf(t, got[i].Old), "old %s", w.Name)
		}
		if w.New != nil {
			sameJSON(t, string(w.New), jsonOf(t, got[i].New), "new %s", w.Name)
		}
	}
}

// stripMessages keeps field and code: messages are for people and may be
// reworded, codes are the contract.
func stripMessages(ws []cp.Warning) []cp.Warning {
	var out []cp.Warning
	for _, w := range ws {
		out = append(out, cp.Warning{Field: w.Field, Pointer: w.Pointer, Code: w.Code})
	}
	return out
}

func checkError(t *testing.T, prof *cp.Profile, err error, want *Error) {
	same(t, want.Status, cp.HTTPStatus(err), "status of %v", err)
	if want.Fields != nil {
		var ve *cp.ValidationError
		var ce *cp.ConflictError
		got := map[string]string{}
		switch {
		case errors.As(err, &ve):
			for _, f := range ve.Fields {
				got[Location(f)] = string(f.Code)
				check(t, f.Message != "", "every field error has a message")
			}
		case errors.As(err, &ce):
			got[ce.Pointer] = "conflict"
		}
		same(t, want.Fields, got, "field errors of %v", err)
	}
	if want.Envelope != nil {
		_, body := prof.RenderError(cp.ProblemOf(err))
		same(t, string(compactJSON(t, want.Envelope)), string(body), "error body")
	}
}

// Location is how a case names where a field error is: its JSON
// Pointer, or "body" for the body as a whole.
func Location(f cp.FieldError) string {
	if f.Pointer == "" {
		return f.Field
	}
	return f.Pointer
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

func compactJSON(t *testing.T, raw []byte) []byte {
	var buf bytes.Buffer
	must(t, json.Compact(&buf, raw))
	return buf.Bytes()
}

// Files lists the conformance case files of every profile folder;
// testdata/bench holds benchmark bodies, not cases of a profile.
func Files(root string) []string {
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "*", "*.json"))
	return slices.DeleteFunc(files, func(f string) bool {
		dir := filepath.Base(filepath.Dir(f))
		return dir == "bench"
	})
}

// must stops the case on an unexpected error.
func must(t testing.TB, err error, context ...any) {
	t.Helper()
	if err != nil {
		t.Fatal(append(context, err)...)
	}
}

// expect stops the case when cond does not hold.
func expect(t testing.TB, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

// check reports, and goes on, when cond does not hold.
func check(t testing.TB, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Errorf(format, args...)
	}
}

// same reports, and goes on, when got is not want.
func same(t testing.TB, want, got any, format string, args ...any) bool {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return true
	}
	t.Errorf("%s:\nwant %#v\n got %#v", fmt.Sprintf(format, args...), want, got)
	return false
}

// sameOrStop stops the case when got is not want.
func sameOrStop(t testing.TB, want, got any, format string, args ...any) {
	t.Helper()
	if !same(t, want, got, format, args...) {
		t.FailNow()
	}
}

// sameJSON reports when two JSON texts differ as values.
func sameJSON(t testing.TB, want, got string, format string, args ...any) {
	t.Helper()
	var w, g any
	must(t, json.Unmarshal([]byte(want), &w), "want is not JSON:", want)
	must(t, json.Unmarshal([]byte(got), &g), "got is not JSON:", got)
	if !reflect.DeepEqual(w, g) {
		t.Errorf("%s:\nwant %s\n got %s", fmt.Sprintf(format, args...), want, got)
	}
}
