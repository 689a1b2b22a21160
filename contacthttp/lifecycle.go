package contacthttp

// The routes of a contact's life beyond GET and PATCH (rules W1-W4):
// POST on the collection creates, DELETE archives or erases, GET may show
// an archived contact, and the batch routes of batch.go.

import (
	"net/http"
	"net/url"
	"strings"

	cp "github.com/contactpatch/contactpatch"
)

// Lifecycle declares the routes of a contact's life a Handler serves
// beyond GET and PATCH. The zero Lifecycle serves none of them, so that
// an API whose document shows only PATCH answers the others 405.
type Lifecycle struct {
	// Create serves POST on the collection: the body is checked as a new
	// contact (Profile.Create), answered 201 with Location and ETag.
	Create bool
	// Delete says what DELETE of one contact does, answered 204; the
	// zero value serves no DELETE.
	Delete DeleteMode
	// ArchivedParam names the query parameter with which a GET, or a
	// batch read, shows archived contacts ("archived" for ?archived=true);
	// "" shows none.
	ArchivedParam string
	// FieldsParam names the query parameter with which a GET asks for a
	// sparse view, a comma list, repeatable ("properties" for HubSpot):
	// only those fields, and the ones the view marks Always, are
	// answered (Profile.RenderOnly); unknown names are ignored. ""
	// serves every GET whole.
	FieldsParam string
	// HistoryParam names the query parameter with which a GET asks for
	// the history of some fields, a comma list ("propertiesWithHistory"
	// for HubSpot), answered under a member of the same name: each
	// field's values newest first (History), from the store's Feed; ""
	// serves none.
	HistoryParam string
	// Batch serves POST on <collection>/batch/read, /update, /upsert and
	// /archive, in the shapes of HubSpot's batch API (batch.go). The
	// profile must have an Envelope: each input carries its patch under
	// it.
	Batch bool
	// MaxBatch bounds the inputs of one batch; 0 means DefaultMaxBatch.
	MaxBatch int
	// AllOrNothing writes nothing of a batch unless every input
	// succeeds; the zero value commits each input by itself.
	AllOrNothing bool
}

// DefaultMaxBatch is the most inputs a batch takes by default: HubSpot's
// limit for its contact batches.
const DefaultMaxBatch = 100

// DeleteMode is what DELETE of one contact does.
type DeleteMode uint8

const (
	// Archive keeps the contact and hides it (Profile.Archive).
	Archive DeleteMode = iota + 1
	// Erase removes it and frees its unique keys (Profile.Delete).
	Erase
)

// collectionOf is the path of the collection a contact pattern is in: the
// pattern without the segment of its id wildcard and what follows.
func collectionOf(pattern, param string) string {
	if i := strings.LastIndex(pattern, "/{"+param); i > 0 {
		return pattern[:i]
	}
	return ""
}

// registerCollection serves the collection's routes that Lifecycle
// declares.
func (h *Handler) registerCollection(mux *http.ServeMux, collection string) {
	if collection == "" {
		return
	}
	if h.Lifecycle.Create {
		mux.Handle("POST "+collection, h.serve(h.create))
	}
	if h.Lifecycle.Batch {
		if h.Profile.Schema().Envelope == "" {
			panic("contacthttp: batch routes for profile " + h.Profile.Name() + ", which has no Envelope to carry each input's patch")
		}
		for _, op := range batchOps {
			mux.Handle("POST "+collection+"/batch/"+op.name, h.serve(func(c *call) error { return h.batch(c, op) }))
		}
	}
}

func (h *Handler) create(c *call) error {
	body, err := h.admitBody(c, true)
	if err != nil {
		return err
	}
	opts := h.options(c)
	opts.IfMatch = ""
	r, cancel := h.withDeadline(c.r)
	defer cancel()
	o, done, err := h.admitOnce(r.Context(), c, body)
	if err != nil || done {
		return storeError(err)
	}
	defer o.release()
	location := func(id string) string { return strings.TrimSuffix(c.r.URL.Path, "/") + "/" + url.PathEscape(id) }
	o.answer(&opts, http.StatusCreated, func(ct cp.Contact) http.Header {
		hd := h.headerOf(ct)
		hd.Set("Location", location(ct.ID))
		return hd
	}, h.Profile.Render)
	res, err := h.Profile.Create(r.Context(), h.Store, c.who.Tenant, body, opts)
	if err != nil {
		return storeError(o.settle(r.Context(), err))
	}
	h.committed(c, res)
	c.w.Header().Set("Location", location(res.Contact.ID))
	return h.respondWith(c.w, http.StatusCreated, res.Contact)
}

func (h *Handler) delete(c *call, param string) error {
	id, cancel, err := h.target(c, param, true)
	defer cancel()
	if err != nil {
		return err
	}
	r := c.r
	opts := h.options(c)
	o, done, err := h.admitOnce(r.Context(), c, nil)
	if err != nil || done {
		return storeError(err)
	}
	defer o.release()
	o.answer(&opts, http.StatusNoContent, func(cp.Contact) http.Header { return http.Header{} }, func(cp.Contact) ([]byte, error) { return nil, nil })
	if h.Lifecycle.Delete == Erase {
		err = h.Profile.Delete(r.Context(), h.Store, c.who.Tenant, id, opts)
	} else {
		_, err = h.Profile.Archive(r.Context(), h.Store, c.who.Tenant, id, opts)
	}
	if err != nil {
		return storeError(o.settle(r.Context(), err))
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// showArchived reports whether a read asks for archived contacts too.
func (h *Handler) showArchived(r *http.Request) bool {
	return h.Lifecycle.ArchivedParam != "" && r.URL.Query().Get(h.Lifecycle.ArchivedParam) == "true"
}

// contactIn is one id of a batch as the tenant's store knows it, as the
// path's id is resolved.
func (h *Handler) contactIn(c *call, id string) (string, error) {
	if !plausibleID(id) {
		return "", cp.ErrNotFound
	}
	if h.ContactID != nil {
		return h.ContactID(c.r, c.who, id)
	}
	return canonicalID(id), nil
}
