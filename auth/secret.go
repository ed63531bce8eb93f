package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// maxSecretSize bounds LoadOrCreateSecret: secrets are keys, not files.
const maxSecretSize = 1 << 10

// LoadOrCreateSecret returns the secret called name in dir, creating it with
// size random bytes (mode 0600, and dir with 0700) on first use. Processes
// racing to create it all end up with the winner's bytes. A stored secret of
// another size is an error rather than silently replaced: what was keyed
// with it (such as the pseudonyms of CPR numbers) would no longer match.
func LoadOrCreateSecret(dir, name string, size int) ([]byte, error) {
	if err := checkName("secret name", name); err != nil {
		return nil, err
	}
	if size <= 0 || size > maxSecretSize {
		return nil, fmt.Errorf("auth: secret size %d out of range 1..%d", size, maxSecretSize)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: key directory: %w", err)
	}
	b, err := readSecret(dir, name, size)
	if !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	if err := createSecret(dir, name, size); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("auth: create secret %s: %w", name, err)
	}
	// Read back rather than return what we made: another process may have won.
	return readSecret(dir, name, size)
}

// readSecret returns the stored secret; fs.ErrNotExist (unwrapped) if
// there is none yet.
func readSecret(dir, name string, size int) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read secret %s: %w", name, err)
	}
	if len(b) != size {
		return nil, fmt.Errorf("auth: secret %s has %d bytes, want %d", name, len(b), size)
	}
	return b, nil
}

// createSecret stores a new random secret unless one exists already.
func createSecret(dir, name string, size int) error {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return createFile(dir, name, b, 0o600)
}
