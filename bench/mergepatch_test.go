package bench

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	jsonpatch "github.com/evanphx/json-patch/v5"
)

func workload(b *testing.B, name string) []byte {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "bench", name+".json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// onBodies runs op on each named body of the workload as a sub-benchmark.
func onBodies(b *testing.B, op func(body []byte) error) {
	for _, name := range []string{"default_8", "default_20"} {
		b.Run(name, func(b *testing.B) {
			body := workload(b, name)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := op(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBaselineMergePatch is baseline (c): a generic merge-patch
// library applying the same body to the stored contact's JSON, with no
// validation or field policies at all.
func BenchmarkBaselineMergePatch(b *testing.B) {
	stored := workload(b, "stored")
	onBodies(b, func(body []byte) error {
		_, err := jsonpatch.MergePatch(stored, body)
		return err
	})
}

// BenchmarkDecodeApply repeats the root package's benchmark of that name
// on the same bytes, so that baseline (c) is compared within one run.
func BenchmarkDecodeApply(b *testing.B) {
	var stored cp.Contact
	if err := json.Unmarshal(workload(b, "stored"), &stored); err != nil {
		b.Fatal(err)
	}
	opts := cp.Options{Now: func() time.Time { return time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC) }}
	onBodies(b, func(body []byte) error {
		_, err := cp.Default().ApplyJSON(context.Background(), stored, body, opts)
		return err
	})
}
