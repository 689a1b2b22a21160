package contacthttp

// Property history on GET (rules E3, H11): the values a contact's
// fields have had, read from the change events its store keeps, newest
// first, in HubSpot's propertiesWithHistory shape.

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	cp "github.com/contactpatch/contactpatch"
)

// HistoryEntry is one value a field has had.
type HistoryEntry struct {
	// Value is the value as text: a string as it is, "" for none, any
	// other value as its JSON text.
	Value      string `json:"value"`
	Timestamp  string `json:"timestamp"`
	SourceType string `json:"sourceType"`
	SourceID   string `json:"sourceId,omitempty"`
}

// historyNames are the fields a GET asks the history of: the names
// HistoryParam lists that are fields of the profile; the others are
// ignored, as HubSpot ignores them.
func (h *Handler) historyNames(r *http.Request) []string {
	names := listed(r, h.Lifecycle.HistoryParam)
	if len(names) == 0 {
		return nil
	}
	fields := h.Profile.Schema().Fields
	return slices.DeleteFunc(names, func(name string) bool {
		return !slices.ContainsFunc(fields, func(s cp.FieldSpec) bool { return s.Name == name })
	})
}

// listed are the names the comma lists of every param in the query
// name, each once.
func listed(r *http.Request, param string) []string {
	if param == "" {
		return nil
	}
	var names []string
	for _, v := range r.URL.Query()[param] {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names
}

// History returns the history of the named fields of a contact from its
// events, newest first; a name that no event changed has none.
func History(evs []cp.Event, names []string) map[string][]HistoryEntry {
	out := make(map[string][]HistoryEntry, len(names))
	for _, name := range names {
		out[name] = []HistoryEntry{}
	}
	for _, ev := range slices.Backward(evs) {
		for _, ch := range ev.Changes {
			if list, ok := out[ch.Name]; ok {
				out[ch.Name] = append(list, HistoryEntry{Value: ch.NewText(), Timestamp: ev.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
					SourceType: "API", SourceID: ev.Principal})
			}
		}
	}
	return out
}

// appendHistory adds the member of the asked fields' history to a
// rendered contact.
func (h *Handler) appendHistory(ctx context.Context, tenant, id string, out []byte, names []string) ([]byte, error) {
	var evs []cp.Event
	if feed, ok := h.Store.(cp.Feed); ok {
		var err error
		if evs, err = feed.History(ctx, tenant, id); err != nil {
			return nil, err
		}
	}
	member, err := json.Marshal(map[string]any{h.Lifecycle.HistoryParam: History(evs, names)})
	if err != nil || len(out) < 2 || out[len(out)-1] != '}' {
		return out, err
	}
	sep := ","
	if strings.TrimSpace(string(out[1:len(out)-1])) == "" {
		sep = ""
	}
	return append(append(out[:len(out)-1], sep...), member[1:]...), nil
}
