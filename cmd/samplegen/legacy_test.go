package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestLegacySamples regenerates samples/legacy into a temporary directory and checks
// that the committed files are byte-identical and decode, cell by cell, to their clean
// twins in samples/kon-tum (run `go run ./cmd/samplegen -legacy` after a change).
func TestLegacySamples(t *testing.T) {
	x := buildExtra(buildModel())
	tmp := t.TempDir()
	files := writeLegacy(tmp, x)
	if len(files) != len(legacySets) {
		t.Fatalf("%d files written", len(files))
	}
	if errs := verifyLegacy(tmp, "../../samples/kon-tum"); len(errs) > 0 {
		t.Fatalf("fresh files: %v", errs)
	}
	if errs := verifyLegacy("../../samples/_doi-chieu/legacy", "../../samples/kon-tum"); len(errs) > 0 {
		t.Fatalf("committed files: %v", errs)
	}
	for _, f := range files {
		fresh, _ := os.ReadFile(filepath.Join(tmp, f))
		old, err := os.ReadFile(filepath.Join("../../samples/_doi-chieu/legacy", f))
		if err != nil || !bytes.Equal(fresh, old) {
			t.Errorf("samples/legacy/%s differs from a fresh run: run `go run ./cmd/samplegen -legacy`", f)
		}
	}
}
