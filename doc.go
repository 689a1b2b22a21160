// Package contactpatch gives a Go service the exact semantics of
// PATCH /contacts/{id}: it turns a request body into a validated,
// normalized change of a stored contact, as a contact API promises it.
//
// A [Profile] describes one API: each field's wire name, whether null
// may clear it, and its [Policy] (notes appended, tags replaced, full
// names parsed, enumerations coerced, email and phone normalized), what
// happens to unknown keys, size limits and the response shape. Build one
// from a [Schema] with [NewProfile], use [Default] for the canonical
// fields, or take a ready-made one from the profiles subpackage (L, G, C
// and HubSpot's CRM v3).
//
// The model is open: a [FieldSpec] with a [Kind] declares an extension
// field the canonical [Contact] has no place for, whose value lives in
// Contact.Extensions; a [Rule] adds a check of the host's own;
// Schema.Envelope reads the fields from under a key such as
// "properties"; a [View] nests objects and writes values as strings; and
// an [ErrorView] renders errors as the API does, RFC 9457 problem details
// ([ProblemJSON]) unless the profile names another.
//
// # Omitted, null and value
//
// A PATCH body distinguishes three states of every field, and an
// [Optional] keeps them apart: omitted (the zero Optional) leaves the
// field unchanged, [Null] clears it where the profile allows, and [Value]
// sets it through the field's policy.
//
// # Quick start
//
// The safe path reads the contact, applies the patch and writes it back
// only if nobody else wrote in between, retrying when someone did, so
// that no update is lost. A whole handler:
//
//	var store contactpatch.Store = &contactpatch.MemoryStore{} // your database, as a Store
//
//	func handlePatch(w http.ResponseWriter, r *http.Request) {
//		prof := contactpatch.Default()
//		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//		if err == nil {
//			var res contactpatch.Result
//			res, err = prof.Update(r.Context(), store, contactpatch.DefaultTenant, r.PathValue("id"), body, contactpatch.Options{})
//			if err == nil {
//				var out []byte
//				if out, err = prof.Render(res.Contact); err == nil {
//					w.Header().Set("Content-Type", "application/json")
//					w.Header().Set("ETag", contactpatch.ETag(res.Contact))
//					w.Write(out)
//					return
//				}
//			}
//		}
//		ct, out := prof.RenderError(contactpatch.ProblemOf(err))
//		w.Header().Set("Content-Type", ct)
//		w.WriteHeader(contactpatch.HTTPStatus(err)) // 400, 404, 409, 412, 413, ...
//		w.Write(out)
//	}
//
// The contacthttp subpackage does all of this, and authentication,
// conditional requests and logging, as an http.Handler.
//
// # Where to look next
//
// [Profile.ApplyJSON] and [Profile.Apply] are the pure core, for code
// that manages storage itself; [ValidationError] lists every bad field
// with its JSON Pointer and code; [Result.Changes] and [Result.Warnings]
// say what a patch did. The rules themselves, by ID, are in
// docs/semantics.md in the repository, and the README maps each to the
// test that proves it.
package contactpatch
