package apis

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each server answers GET /openapi.json without a key with its OpenAPI
// 3.1 document, whose PATCH body lists every field of the profile, and
// which is the committed docs/openapi/<api>.json but for its examples.
func TestServersServeTheirOpenAPIDocument(t *testing.T) {
	for _, api := range All {
		t.Run(api.Name, func(t *testing.T) {
			w := served(t, api, "/openapi.json")
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			var doc struct {
				OpenAPI    string `json:"openapi"`
				Components struct {
					Schemas struct {
						PatchBody map[string]any
					} `json:"schemas"`
				} `json:"components"`
			}
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc))
			assert.Equal(t, "3.1.0", doc.OpenAPI)
			fields := doc.Components.Schemas.PatchBody
			s := api.Profile.Schema()
			if s.Envelope != "" {
				fields = fields["properties"].(map[string]any)[s.Envelope].(map[string]any)
			}
			props := fields["properties"].(map[string]any)
			for _, spec := range s.Fields {
				assert.Contains(t, props, spec.Name)
				if vals := spec.Policy.Values(); spec.Policy.Name() == "one_of" {
					raw, _ := json.Marshal(props[spec.Name])
					for _, v := range vals {
						assert.Contains(t, string(raw), `"`+v+`"`, "%s lists its values", spec.Name)
					}
				}
			}
			committed, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "openapi", api.Name+".json"))
			require.NoError(t, err)
			var a, b map[string]any
			require.NoError(t, json.Unmarshal(committed, &a))
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &b))
			assert.Equal(t, a["components"], b["components"], "the served schemas are the committed ones")
		})
	}
}

// served is what a server of api answers GET path without a key: 200.
func served(t *testing.T, api server.API, path string) *httptest.ResponseRecorder {
	t.Helper()
	h, err := server.New(server.Config{API: api, Store: &cp.MemoryStore{}, WriteKey: "k"})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	require.Equal(t, 200, w.Code, w.Body.String())
	return w
}

// Each server serves the 3.0.3 rendering at GET /openapi-3.0.json
// without a key: the committed docs/openapi/<api>-3.0.json.
func TestServersServeTheirOpenAPI30Document(t *testing.T) {
	for _, api := range All {
		t.Run(api.Name, func(t *testing.T) {
			w := served(t, api, "/openapi-3.0.json")
			committed, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "openapi", api.Name+"-3.0.json"))
			require.NoError(t, err)
			var a, b map[string]any
			require.NoError(t, json.Unmarshal(committed, &a))
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &b))
			assert.Equal(t, "3.0.3", b["openapi"])
			assert.Equal(t, a["components"], b["components"], "the served schemas are the committed ones")
		})
	}
}
