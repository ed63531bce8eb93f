package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// smallFilesystem mounts a tmpfs of size bytes for PostgreSQL's user, which
// needs root; it is detached when the test ends.
func smallFilesystem(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("making a small filesystem for a full tablespace needs root")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Dir(filepath.Dir(dir)), filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		t.Fatalf("mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatal(err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		t.Fatal(err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fill writes to a file in dir until the filesystem is full.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return path
		}
	}
}

// TestFullTablespaceIsUnavailableAndReadyzRed is issue item 3: referrals
// live in a tablespace on a small filesystem that fills up; a create then
// answers UNAVAILABLE (53100), /readyz goes red, and once space is freed
// the retry lands exactly once and /readyz is green again.
func TestFullTablespaceIsUnavailableAndReadyzRed(t *testing.T) {
	fh := startFaultHub(t)
	dir := smallFilesystem(t, 8<<20)
	f := newReferral(t, fh.hub, "reden")
	ctx := context.Background()
	admin := fh.admin(t)
	for _, stmt := range []string{"CREATE TABLESPACE small LOCATION '" + dir + "'",
		"ALTER TABLE hub.referrals SET TABLESPACE small"} {
		if _, err := admin.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	filler := fill(t, dir)
	var refused answer
	key := ""
	i := 0
	for ; i < 1000 && key == ""; i++ {
		k := fmt.Sprintf("disk-%d", i)
		a, err := post(fh.url, f.cw, referMutation, referInput(f, k))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Errors) > 0 {
			refused, key = a, k
		}
	}
	if key == "" {
		t.Fatal("1000 referrals fitted on a full filesystem")
	}
	checkRetryable(t, "a create on a full tablespace", refused)
	if code := readyStatus(fh.url); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the tablespace full: %d", code)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	freed := time.Now()
	retryUntilDone(t, fh, f, key)
	if code := readyStatus(fh.url); code != http.StatusOK {
		t.Fatalf("/readyz after a write succeeded again: %d", code)
	}
	t.Logf("tablespace full: %d creates fitted, then the client saw UNAVAILABLE; the retry succeeded %v after space was freed",
		i-1, time.Since(freed).Round(time.Millisecond))
}
