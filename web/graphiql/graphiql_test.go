package graphiql

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestAssetsAreWhatVendorMakesFromTheLockFile runs vendor.sh on a copy of
// package.json and package-lock.json and checks that the embedded assets
// are byte for byte what it makes: the files come from the pinned packages
// and nowhere else.
func TestAssetsAreWhatVendorMakesFromTheLockFile(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatal("vendoring GraphiQL needs npm (Debian packages nodejs and npm; scripts/prerequisites installs them)")
	}
	dir := t.TempDir()
	for _, name := range []string{"package.json", "package-lock.json", "vendor.sh"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "vendor.sh")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vendor.sh: %v\n%s", err, out)
	}
	made := os.DirFS(filepath.Join(dir, "assets"))
	want := map[string]bool{}
	err := fs.WalkDir(made, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want[name] = true
		a, err := fs.ReadFile(made, name)
		if err != nil {
			return err
		}
		b, err := fs.ReadFile(Assets(), name)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("embedded %s differs from what vendor.sh makes (%v): run make graphiql", name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(Assets(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[name] {
			t.Errorf("embedded %s is not made by vendor.sh", name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
