//go:build unix

package gqlhttptest

import (
	"os"
	"syscall"
	"testing"
)

// lockFile holds an exclusive lock on path until the returned func runs;
// the kernel drops it if the process dies, so it never goes stale.
func lockFile(t testing.TB, path string) (unlock func()) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("gqlhttptest: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("gqlhttptest: lock %s: %v", path, err)
	}
	return func() { f.Close() } // closing the file releases the lock
}
