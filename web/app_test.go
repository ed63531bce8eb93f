package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func getApp(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	AppHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://hub"+path, nil))
	return w
}

func TestAppIndexAndAssetsAreServed(t *testing.T) {
	for path, ct := range map[string]string{"": "text/html", "/": "text/html", "/app.js": "text/javascript",
		"/app.css": "text/css", "/vendor/graphql-ws.min.js": "text/javascript"} {
		if w := getApp(t, path); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), ct) {
			t.Errorf("%q: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	for _, path := range []string{"/nope.js", "/app/app.js", "/vendor", "/../web.go"} {
		if w := getApp(t, path); w.Code == http.StatusOK {
			t.Errorf("%s answers 200", path)
		}
	}
}

// Every module the app imports and every file index.html names is embedded,
// and nothing is loaded from another host.
func TestAppReferencesOnlyItsOwnFiles(t *testing.T) {
	checkReferences(t, AppFiles(), AppPath)
}

// TestVendoredLibrariesAreTheLockedBuilds checks, without npm, that the
// committed library files are those `make web-vendor` copied (their sums in
// npm/vendored.sha256) and that package.json pins exact versions which the
// lock file resolves to. `make web-vendor-check` rebuilds them from npm.
func TestVendoredLibrariesAreTheLockedBuilds(t *testing.T) {
	sums, err := os.Open("npm/vendored.sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer sums.Close()
	n := 0
	for s := bufio.NewScanner(sums); s.Scan(); n++ {
		want, path, ok := strings.Cut(s.Text(), "  ")
		if !ok {
			t.Fatalf("malformed line %q", s.Text())
		}
		b, err := os.ReadFile(filepath.Join("..", path))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != want {
			t.Errorf("%s is not the file `make web-vendor` copied from the locked package", path)
		}
	}
	if n != 2 {
		t.Errorf("vendored.sha256 lists %d files, want graphql-ws and axe-core", n)
	}
	var pkg struct{ Dependencies, DevDependencies map[string]string }
	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	for file, v := range map[string]any{"npm/package.json": &pkg, "npm/package-lock.json": &lock} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, version := range deps {
			if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(version) {
				t.Errorf("%s is not pinned to one version: %q", name, version)
			}
			if got := lock.Packages["node_modules/"+name].Version; got != version {
				t.Errorf("package-lock.json has %s %s, package.json %s", name, got, version)
			}
		}
	}
}
