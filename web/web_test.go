package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://hub"+path, nil))
	return w
}

func TestIndexIsServedAtTheMountPointItself(t *testing.T) {
	for _, path := range []string{"", "/"} {
		w := get(t, path)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(w.Body.String(), `<script type="module" src="/dashboard/app.js">`) {
			t.Fatalf("%q: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

func TestAssetsHaveTheirTypesAndNothingElseIsServed(t *testing.T) {
	for path, ct := range map[string]string{"/app.js": "text/javascript", "/dashboard.css": "text/css"} {
		if w := get(t, path); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), ct) {
			t.Errorf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	for _, path := range []string{"/nope.js", "/static/app.js", "/web.go", "/..%2fweb.go"} {
		if w := get(t, path); w.Code == http.StatusOK {
			t.Errorf("%s answers 200", path)
		}
	}
}

// Every module a module imports, and every file index.html names, is embedded:
// a typo would otherwise show only as a blank page.
func TestEveryReferencedFileIsEmbedded(t *testing.T) {
	checkReferences(t, Files(), Path)
	checkReferences(t, LibFiles(), LibPath)
}

// checkReferences checks that every file a tree mounted at mount refers to
// (relatively, under its own mount, or under LibPath) is embedded, and that
// nothing is loaded from another host.
func checkReferences(t *testing.T, files fs.FS, mount string) {
	t.Helper()
	trees := []struct {
		ref   *regexp.Regexp
		files fs.FS
	}{
		{regexp.MustCompile(`from '\./([\w./-]+)'`), files},
		{regexp.MustCompile(`(?:href|src)="` + mount + `/([\w./-]+)"`), files},
		{regexp.MustCompile(`from '` + LibPath + `/([\w./-]+)'`), LibFiles()},
	}
	foreign := regexp.MustCompile(`(?:src|href)="(?:https?:)?//|import\(|from '(?:https?:)?//`)
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(name, "vendor/") {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		if foreign.Match(b) {
			t.Errorf("%s loads something from another host", name)
		}
		for _, tr := range trees {
			for _, m := range tr.ref.FindAllStringSubmatch(string(b), -1) {
				if _, err := fs.Stat(tr.files, m[1]); err != nil {
					t.Errorf("%s refers to %s, which is not embedded", name, m[0])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
