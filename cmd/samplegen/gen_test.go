package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedSamples regenerates everything into a temporary directory, verifies it, and
// checks that the files under samples/ are byte-identical to a fresh run (mat-khau.xlsx is
// encrypted with a random salt, so only its decrypted content is checked, by verify).
func TestCommittedSamples(t *testing.T) {
	m := buildModel()
	checkModel(m)
	x := buildExtra(m)
	tmp := t.TempDir()
	generate(m, filepath.Join(tmp, "cho-don"), filepath.Join(tmp, "loi-mau"))
	x.generate(tmp)
	errs := verify(m, filepath.Join(tmp, "cho-don"), filepath.Join(tmp, "loi-mau"))
	if errs = append(errs, x.verify(tmp)...); len(errs) > 0 {
		t.Fatalf("fresh files: %v", errs)
	}
	errs = verify(m, "../../samples/cho-don", "../../samples/loi-mau")
	if errs = append(errs, x.verify("../../samples")...); len(errs) > 0 {
		t.Fatalf("committed files: %v", errs)
	}
	for _, sub := range append([]string{"cho-don", "loi-mau"}, extraDirs...) {
		ents, err := os.ReadDir(filepath.Join(tmp, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name() == loiPassword {
				continue
			}
			fresh, _ := os.ReadFile(filepath.Join(tmp, sub, e.Name()))
			old, err := os.ReadFile(filepath.Join("../../samples", sub, e.Name()))
			if err != nil || !bytes.Equal(fresh, old) {
				t.Errorf("samples/%s/%s differs from a fresh run: run `go run ./cmd/samplegen`", sub, e.Name())
			}
		}
	}
}
