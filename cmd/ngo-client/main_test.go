package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"exithub/db"
	"exithub/db/pgtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m, db.Migrate)
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the real server and this client once per test binary, so
// that the tests run them as an operator and an integrator would.
func binaries(t *testing.T) (exithub, ngoClient string) {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "ngo-client-test-"); buildErr != nil {
			return
		}
		for pkg, name := range map[string]string{"../exithub": "exithub", ".": "ngo-client"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, name), pkg).CombinedOutput()
			if err != nil {
				buildErr = &buildError{pkg: pkg, out: string(out), err: err}
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "exithub"), filepath.Join(binDir, "ngo-client")
}

type buildError struct {
	pkg, out string
	err      error
}

func (b *buildError) Error() string { return "go build " + b.pkg + ": " + b.err.Error() + "\n" + b.out }
