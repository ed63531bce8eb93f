package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stranger is an account that owns nothing here and is in none of its
// groups, like the postgres user facing root's files.
var stranger = &account{uid: 54321, gid: 54321}

// openUp makes dir and its parent searchable by everyone, undoing the 0700
// that t.TempDir gives its parent.
func openUp(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChooseDevHome(t *testing.T) {
	if got := chooseDevHome("/src/exithub", true); got != "/src/exithub/.data" {
		t.Errorf("reachable: got %s", got)
	}
	a := chooseDevHome("/root/exithub", false)
	b := chooseDevHome("/root/other", false)
	if !strings.HasPrefix(a, fallbackRoot+"/") || a == b {
		t.Errorf("unreachable: got %s and %s, want distinct dirs under %s", a, b, fallbackRoot)
	}
	if a != chooseDevHome("/root/exithub", false) {
		t.Error("fallback dir is not stable")
	}
}

func TestCanSearch(t *testing.T) {
	open := t.TempDir()
	openUp(t, open)
	if !canSearch(filepath.Join(open, "missing", "dirs"), stranger) {
		t.Error("open path judged unreachable")
	}
	locked := filepath.Join(t.TempDir(), "home")
	if err := os.Mkdir(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	openUp(t, filepath.Dir(locked))
	if canSearch(filepath.Join(locked, "checkout"), stranger) {
		t.Error("path under a 0700 dir judged reachable by a stranger")
	}
	if !canSearch(filepath.Join(locked, "checkout"), me()) {
		t.Error("path under our own 0700 dir judged unreachable by us")
	}
}

func TestDevHomeFallsBackWhenCheckoutUnreachable(t *testing.T) {
	parent := t.TempDir()
	openUp(t, parent)
	if err := os.Chmod(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	checkout := filepath.Join(parent, "exithub")
	home, err := devHome(checkout, stranger)
	if err != nil {
		t.Fatal(err)
	}
	if want := chooseDevHome(checkout, false); home != want {
		t.Errorf("got %s, want %s", home, want)
	}
	if home, err := devHome(checkout, nil); err != nil || home != filepath.Join(checkout, ".data") {
		t.Errorf("as the checkout's own user: got %s, %v", home, err)
	}
}

// me is this process's own account.
func me() *account { return &account{uid: os.Geteuid(), gid: os.Getegid()} }
