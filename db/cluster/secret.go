package cluster

import (
	"fmt"
	"os"
	"strings"
)

// writeSecret writes a password file only its owner may read; the owner is
// the server's user, since initdb reads the file as that user.
func writeSecret(path, secret string, owner *account) error {
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := owner.chown(path); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// readSecret reads a password file written by writeSecret.
func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
