// Package web holds the hub's browser pages: the analysts' dashboard and the
// web app for caseworkers and NGO workers. Both are plain HTML, CSS and
// JavaScript modules, embedded in the binary so that a deployment is still
// one file.
//
// The files are static and hold no data. The page reads /graphql with the
// user's own bearer token like any other client, so serving the files needs
// no authentication and grants nothing.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// Path is where the dashboard is mounted. index.html names its stylesheet
// and entry module under it; the modules import each other relatively.
const Path = "/dashboard"

//go:embed static
var static embed.FS

// Files are the dashboard's files, index.html at the root.
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	return sub
}

// Handler serves the dashboard's files for request paths relative to Path.
func Handler() http.Handler { return serve(Files()) }

// serve serves files for request paths relative to a mount point ("" or
// "/" is index.html). It answers index.html itself rather than through
// http.FileServer, which would redirect "" to "./" and so off the mount
// point, and it lists no directory.
func serve(files fs.FS) http.Handler {
	assets := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" || name == "index.html" {
			http.ServeFileFS(w, r, files, "index.html")
			return
		}
		if info, err := fs.Stat(files, name); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		assets.ServeHTTP(w, r)
	})
}
