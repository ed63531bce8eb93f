// Package graphiql serves GraphiQL, the in-browser GraphQL IDE of --dev,
// from files embedded in the binary: the browser builds of GraphiQL and
// React that package-lock.json pins, copied into assets/ by vendor.sh. The
// page asks nothing of any other host, so it works in a network without
// internet access.
package graphiql

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// Path is where the assets are served; the page names them under it.
const Path = "/graphiql/"

//go:embed assets
var embedded embed.FS

// Assets are the vendored files.
func Assets() fs.FS {
	sub, err := fs.Sub(embedded, "assets")
	if err != nil {
		panic(err) // the embedded tree always has assets/
	}
	return sub
}

// Page is GraphiQL for the GraphQL endpoint at endpoint (a path on this
// host). gqlgen's page is used as it is, with its scripts and stylesheet
// pointed at the embedded copies; their integrity hashes are computed from
// the copies, so a page and its files cannot disagree.
func Page(title, endpoint string) http.Handler {
	files := Assets()
	src := func(name string) (url, integrity string) {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			panic(err) // vendor.sh always copies these four
		}
		sum := sha256.Sum256(b)
		return Path + name, "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	js, jsSRI := src("graphiql.min.js")
	css, cssSRI := src("graphiql.min.css")
	react, reactSRI := src("react.production.min.js")
	reactDOM, reactDOMSRI := src("react-dom.production.min.js")
	return playground.Handler(title, endpoint,
		playground.WithGraphiqlVersion(js, css, jsSRI, cssSRI),
		playground.WithGraphiqlReactVersion(react, reactDOM, reactSRI, reactDOMSRI),
		playground.WithGraphiqlEnablePluginExplorer(false),
	)
}

// AssetHandler serves the files for request paths under Path, and lists
// no directory.
func AssetHandler() http.Handler {
	files := Assets()
	fileServer := http.FileServerFS(files)
	return http.StripPrefix(strings.TrimSuffix(Path, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if info, err := fs.Stat(files, name); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(w, r)
	}))
}
