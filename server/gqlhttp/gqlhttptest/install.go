// Package gqlhttptest runs the JavaScript ecosystem's reference checks
// against a running server: graphql-http's audits of the GraphQL-over-HTTP
// specification, and the graphql-ws reference client. Node.js must be
// installed; the pinned npm packages come from the npm registry through
// npm ci, once, into the audit folder's node_modules.
package gqlhttptest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// dir is server/gqlhttp/testdata/audit, found from this source file so
// that tests in any package can use it.
func dir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("gqlhttptest: cannot locate the audit scripts")
	}
	return filepath.Join(filepath.Dir(file), "..", "testdata", "audit")
}

// install makes sure node and npm exist and that node_modules holds what
// package-lock.json pins, running npm ci only when it does not, so the
// pinned versions are what runs. A missing Node.js fails rather than skips:
// these checks run in CI and must not pass by not running.
func install(t testing.TB) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("gqlhttptest: %s is not on PATH; the GraphQL-over-HTTP audits need Node.js and npm (Debian packages nodejs and npm)", tool)
		}
	}
	d := dir(t)
	// go test runs packages in parallel processes, and two npm ci in one
	// folder would delete each other's files.
	unlock := lockFile(t, lockPath(d))
	defer unlock()
	if installed(t, d) {
		return d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = d
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gqlhttptest: npm ci in %s: %v\n%s", d, err, out)
	}
	return d
}

// installed tells whether node_modules is at least as new as the lock
// file. npm writes node_modules/.package-lock.json at the end of every
// install, so its time stamps the install as a whole.
func installed(t testing.TB, d string) bool {
	t.Helper()
	lock, err := os.Stat(filepath.Join(d, "package-lock.json"))
	if err != nil {
		t.Fatalf("gqlhttptest: %v", err)
	}
	mods, err := os.Stat(filepath.Join(d, "node_modules", ".package-lock.json"))
	return err == nil && !mods.ModTime().Before(lock.ModTime())
}

// lockPath is outside the work tree, so it never shows up in git, and is
// named after the folder, so that two checkouts do not wait on each other.
func lockPath(d string) string {
	sum := sha256.Sum256([]byte(d))
	return filepath.Join(os.TempDir(), "gqlhttptest-npm-"+hex.EncodeToString(sum[:8])+".lock")
}
