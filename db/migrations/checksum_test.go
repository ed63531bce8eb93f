// Package migrations holds the schema's migration files, which db embeds.
// Its only Go code is the test that keeps applied files frozen.
package migrations

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAppliedMigrationsAreFrozen holds every migration file to the SHA-256
// recorded in SHA256SUMS when it was committed. tern records only a
// database's version, so a database migrated before a file was edited
// would silently keep the old schema: a change is always a new file, and
// a new file gets its line (`sha256sum NNN_name.sql >> SHA256SUMS`).
func TestAppliedMigrationsAreFrozen(t *testing.T) {
	want := readSums(t, "SHA256SUMS")
	files, err := filepath.Glob("*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		sum, ok := want[f]
		if !ok {
			t.Errorf("%s has no line in SHA256SUMS: add one with `sha256sum %s >> SHA256SUMS`", f, f)
			continue
		}
		if got := fileSum(t, f); got != sum {
			t.Errorf("%s was edited after it was recorded (sha256 %s, recorded %s): "+
				"put the change in a new migration and restore the file", f, got, sum)
		}
	}
	for f := range want {
		if !slices.Contains(files, f) {
			t.Errorf("SHA256SUMS names %s, which is gone: an applied migration is never removed", f)
		}
	}
}

// readSums reads sha256sum's format: a hex digest, two spaces, a name.
func readSums(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != sha256.Size*2 {
			t.Fatalf("%s:%d: want `<sha256>  <file>`, got %q", path, n, sc.Text())
		}
		if _, dup := sums[name]; dup {
			t.Fatalf("%s:%d: %s is listed twice", path, n, name)
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
