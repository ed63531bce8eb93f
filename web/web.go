// Package web holds the hub's browser pages: the analysts' dashboard and the
// web app for caseworkers and NGO workers, and the modules both import from
// lib/. All are plain HTML, CSS and JavaScript modules, embedded in the
// binary so that a deployment is still one file.
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

// Where each tree is mounted. Each index.html names its stylesheet and
// entry module under its own path; modules import each other relatively
// and the shared ones under LibPath.
const (
	Path    = "/dashboard"
	AppPath = "/app"
	LibPath = "/lib"
)

// The embedded trees; app/vendor holds pinned libraries copied from npm by
// `make web-vendor` (see web/npm).
//
//go:embed static app lib
var embedded embed.FS

// Files are the dashboard's files, index.html at the root.
func Files() fs.FS { return tree("static") }

// AppFiles are the app's files, index.html at the root.
func AppFiles() fs.FS { return tree("app") }

// LibFiles are the modules the dashboard and the app share.
func LibFiles() fs.FS { return tree("lib") }

// Handler serves the dashboard's files for request paths relative to Path.
func Handler() http.Handler { return serve(Files()) }

// AppHandler serves the app's files for request paths relative to AppPath.
func AppHandler() http.Handler { return serve(AppFiles()) }

// LibHandler serves the shared modules for request paths relative to LibPath.
func LibHandler() http.Handler { return serve(LibFiles()) }

func tree(dir string) fs.FS {
	sub, err := fs.Sub(embedded, dir)
	if err != nil {
		panic(err) // the embed directive names every tree
	}
	return sub
}

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
