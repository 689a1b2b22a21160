package contactpatch_test

import (
	"testing"

	"github.com/contactpatch/contactpatch/internal/conformance"
)

// TestConformance runs every folder of testdata/<profile>/ under its
// profile, through ApplyJSON and through Update over a MemoryStore.
func TestConformance(t *testing.T) {
	for dir, prof := range conformance.Profiles() {
		t.Run(dir, func(t *testing.T) { conformance.RunFolder(t, ".", dir, prof, conformance.MemoryStore) })
	}
}
