package auth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateSecretReturnsTheSameBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	first, err := LoadOrCreateSecret(dir, "pseudonym.key", 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || bytes.Equal(first, make([]byte, 32)) {
		t.Fatalf("secret = %x", first)
	}
	wantMode(t, filepath.Join(dir, "pseudonym.key"), 0o600)
	second, err := LoadOrCreateSecret(dir, "pseudonym.key", 32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("second call returned other bytes")
	}
	other, err := LoadOrCreateSecret(dir, "other.key", 32)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first, other) {
		t.Fatal("two secrets are equal")
	}
}

func TestLoadOrCreateSecretConcurrentlyAgreesOnOneSecret(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	got := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b, err := LoadOrCreateSecret(dir, "race.key", 32)
			if err != nil {
				t.Error(err)
			}
			got[i] = b
		})
	}
	wg.Wait()
	for i := range got {
		if !bytes.Equal(got[i], got[0]) {
			t.Fatalf("goroutine %d got %x, goroutine 0 %x", i, got[i], got[0])
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

func TestLoadOrCreateSecretRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "short.key"), []byte("abc"))
	cases := []struct {
		name, file string
		size       int
	}{
		{"path in name", "../x", 32},
		{"dot dot", "..", 32},
		{"empty name", "", 32},
		{"zero size", "a.key", 0},
		{"huge size", "a.key", 1 << 20},
		{"stored secret of another size", "short.key", 32},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := LoadOrCreateSecret(dir, tc.file, tc.size); err == nil {
				t.Fatal("no error")
			}
		})
	}
}
