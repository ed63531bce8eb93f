package cluster

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBinDirHasServerPrograms(t *testing.T) {
	dir, err := BinDir(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if !hasServer(dir) {
		t.Errorf("%s lacks initdb, pg_ctl or postgres", dir)
	}
}

func TestHasServerNeedsAllPrograms(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"initdb", "pg_ctl"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if hasServer(dir) {
		t.Error("a directory without postgres passes")
	}
}

func TestURL(t *testing.T) {
	c := &Cluster{User: "postgres", Password: "s3cret", Port: 5433}
	want := "postgres://postgres:s3cret@127.0.0.1:5433/exithub?sslmode=disable"
	if got := c.URL("exithub"); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
