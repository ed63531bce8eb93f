//go:build !unix

package gqlhttptest

import (
	"sync"
	"testing"
)

var installMu sync.Mutex

// lockFile serialises installs within this process only: without flock,
// packages tested in parallel may still race; run them with -p 1 there.
func lockFile(t testing.TB, _ string) (unlock func()) {
	installMu.Lock()
	return installMu.Unlock
}
