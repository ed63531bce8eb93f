// Package gqlhttptest runs the JavaScript ecosystem's reference checks
// against a running server: graphql-http's audits of the GraphQL-over-HTTP
// specification, and the graphql-ws reference client. Node and the pinned
// npm packages come from the machine and the npm registry.
package gqlhttptest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var installOnce sync.Mutex

// dir is testdata/audit beside this package's parent.
func dir(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the audit scripts")
	}
	return filepath.Join(filepath.Dir(file), "..", "testdata", "audit")
}

// install runs `npm ci` when node_modules is missing or older than the lock
// file, so the pinned versions are what runs.
func install(t testing.TB) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the GraphQL-over-HTTP audits: install Node.js (Debian package nodejs)", tool)
		}
	}
	d := dir(t)
	installOnce.Lock()
	defer installOnce.Unlock()
	lock, err := os.Stat(filepath.Join(d, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if mods, err := os.Stat(filepath.Join(d, "node_modules", ".package-lock.json")); err == nil && !mods.ModTime().Before(lock.ModTime()) {
		return d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = d
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci: %v\n%s", err, out)
	}
	return d
}

// RunAudits runs every graphql-http server audit against url and fails the
// test for every error and every warning; a "notice" (an optional MAY of the
// specification the server chose differently) is logged.
func RunAudits(t testing.TB, url, authorization string) {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "audit.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "AUDIT_URL="+url, "AUDIT_AUTH="+authorization)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var bad []string
	ok, notices := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		switch {
		case strings.Contains(line, `"status":"ok"`):
			ok++
		case strings.Contains(line, `"status":"notice"`):
			notices++
		case line != "":
			bad = append(bad, line)
		}
	}
	if len(bad) > 0 || ok == 0 || (err != nil && notices == 0) {
		t.Fatalf("GraphQL-over-HTTP audits: %d ok, %d errors or warnings (%v)\n%s\n%s", ok, len(bad), err, strings.Join(bad, "\n"), stderr.String())
	}
	t.Logf("GraphQL-over-HTTP audits: %d ok, 0 warnings, 0 errors, %d notices (optional MAYs)", ok, notices)
}

// Subscribe starts the graphql-ws reference client on wsURL with the token
// in connection_init and returns once it has connected; wait returns the
// first event it printed as JSON.
func Subscribe(t testing.TB, wsURL, authorization, query string) (wait func() string) {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, "node", "ws.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "WS_URL="+wsURL, "WS_AUTH="+authorization, "WS_QUERY="+query)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 4)
	go readLines(stdout, lines)
	select {
	case l := <-lines:
		if l != "connected" {
			t.Fatalf("graphql-ws client: %q %s", l, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("graphql-ws client did not connect: %s", stderr.String())
	}
	return func() string {
		defer cancel()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("graphql-ws client ended without an event: %s", stderr.String())
			}
			cmd.Wait()
			return l
		case <-ctx.Done():
			t.Fatalf("graphql-ws client got no event: %s", stderr.String())
			return ""
		}
	}
}
