package cluster

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

var (
	binMu  sync.Mutex
	binDir string // cached once found
)

// errNoServer says what to install when PostgreSQL's server programs are
// missing. Installing is scripts/prerequisites' job (make run and make test
// call it), not a library's.
var errNoServer = errors.New("cluster: PostgreSQL server programs (initdb, pg_ctl, postgres) not found: " +
	"run scripts/prerequisites run, or install the Debian package postgresql (sudo apt-get install -y postgresql), or put its pg_config on PATH")

// BinDir returns the directory of PostgreSQL's server programs: pg_config's
// bindir, else the directory of an initdb on PATH, else the newest
// /usr/lib/postgresql/*/bin.
func BinDir(ctx context.Context) (string, error) {
	binMu.Lock()
	defer binMu.Unlock()
	if binDir != "" {
		return binDir, nil
	}
	dir := findBinDir(ctx)
	if dir == "" {
		return "", errNoServer
	}
	binDir = dir
	return dir, nil
}

// findBinDir tries the candidate directories in order of preference.
func findBinDir(ctx context.Context) string {
	candidates := []string{pgConfigBinDir(ctx)}
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	candidates = append(candidates, debianBinDirs()...)
	for _, dir := range candidates {
		if dir != "" && hasServer(dir) {
			return dir
		}
	}
	return ""
}

// pgConfigBinDir asks pg_config. Debian ships pg_config with the client
// library too, so its answer may lack the server: callers check.
func pgConfigBinDir(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// debianBinDirs lists /usr/lib/postgresql/*/bin, newest major version first.
func debianBinDirs() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin") // fails only on a bad pattern
	major := func(dir string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64) // not a version: 0, tried last
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	return dirs
}

// hasServer reports whether dir holds the programs we run.
func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}
