package web

import (
	"embed"
	"io/fs"
	"net/http"
)

// AppPath is where the web app for caseworkers and NGO workers is mounted.
const AppPath = "/app"

// The app's files; vendor/ holds pinned libraries copied from npm by
// `make web-vendor` (see web/npm).
//
//go:embed app
var app embed.FS

// AppFiles are the app's files, index.html at the root.
func AppFiles() fs.FS {
	sub, err := fs.Sub(app, "app")
	if err != nil {
		panic(err) // the embedded tree always has app/
	}
	return sub
}

// AppHandler serves the app's files for request paths relative to AppPath.
func AppHandler() http.Handler { return serve(AppFiles()) }
