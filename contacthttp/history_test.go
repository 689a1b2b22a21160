package contacthttp_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// E3: a GET that names fields in Lifecycle.HistoryParam gets their
// values from the change events, newest first, non-text values as JSON
// text and a cleared value as ""; unknown names are ignored.
func TestHistoryFromEvents(t *testing.T) {
	h, _ := defaultHandler(t)
	h.Lifecycle.HistoryParam = "history"
	mux := h.Mux("/contacts/{id}")
	for _, body := range []string{`{"job_title": "Counsel", "tags": ["a"]}`, `{"job_title": null}`, `{"job_title": "CLO"}`} {
		require.Equal(t, 200, do(t, mux, http.MethodPatch, "/contacts/c1", body).status)
	}
	a := do(t, mux, http.MethodGet, "/contacts/c1?history=job_title,tags,nope", "")
	require.Equal(t, 200, a.status, a.body)
	var got struct {
		ID      string
		History map[string][]struct{ Value string } `json:"history"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &got))
	assert.Equal(t, "c1", got.ID)
	var titles []string
	for _, e := range got.History["job_title"] {
		titles = append(titles, e.Value)
	}
	assert.Equal(t, []string{"CLO", "", "Counsel"}, titles)
	require.Len(t, got.History["tags"], 1)
	assert.JSONEq(t, `["a"]`, got.History["tags"][0].Value)
	assert.NotContains(t, got.History, "nope")
	assert.Equal(t, `"v4"`, a.header.Get("ETag"))
}
