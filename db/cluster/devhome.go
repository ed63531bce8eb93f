package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// fallbackRoot holds the development clusters of checkouts the postgres user
// cannot reach, such as one under root's 0700 home directory.
const fallbackRoot = "/var/lib/exithub"

// devHome returns the directory that holds the development cluster of the
// checkout: its data directory and the files beside it.
func devHome(checkout string, runAs *account) (string, error) {
	abs, err := filepath.Abs(checkout)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	// .data itself need not be searchable yet: ensureHome fixes that.
	return chooseDevHome(abs, runAs == nil || canSearch(abs, runAs)), nil
}

// chooseDevHome keeps the cluster inside the checkout when the server's user
// can reach it there, and otherwise in a directory of its own named after
// the checkout's path, so that each checkout still gets its own cluster.
func chooseDevHome(checkout string, reachable bool) string {
	if reachable {
		return filepath.Join(checkout, ".data")
	}
	sum := sha256.Sum256([]byte(checkout))
	return filepath.Join(fallbackRoot, hex.EncodeToString(sum[:6]))
}

// canSearch reports whether a may traverse every existing directory from
// path up to the root, judged by permission bits (ACLs are ignored).
// Missing directories are skipped: we create them world-searchable.
func canSearch(path string, a *account) bool {
	for p := path; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return false
		case !mayExecute(fi, a):
			return false
		}
		if p == filepath.Dir(p) {
			return true
		}
	}
}

// mayExecute applies the owner, group or other execute bit, whichever
// class a falls in, as the kernel does.
func mayExecute(fi fs.FileInfo, a *account) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	perm := fi.Mode().Perm()
	switch {
	case int(st.Uid) == a.uid:
		return perm&0o100 != 0
	case a.inGroup(int(st.Gid)):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
