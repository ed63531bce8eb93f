package server

import (
	"net/http"

	"exithub/web"
)

// dashboardPolicy confines the page to its own origin: its own scripts and
// styles only (no inline code, so an injected string cannot run), and
// network access only to the same origin's /graphql. The token the page
// holds is worth stealing; this is what keeps a third-party script away from it.
const dashboardPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// mountDashboard serves the analysts' dashboard at /dashboard and its assets
// under /dashboard/. The files are static and public: the page asks
// /graphql with the user's own token, so nothing here is behind
// authentication and nothing here is data.
func mountDashboard(mux *http.ServeMux) {
	h := dashboardHeaders(http.StripPrefix(web.Path, web.Handler()))
	// Both patterns: "/dashboard" itself is served, not redirected, so the
	// #token=… fragment that `make run` prints stays on the page's own URL.
	mux.Handle("GET "+web.Path, h)
	mux.Handle("GET "+web.Path+"/", h)
}

// mountApp serves the web app for caseworkers and NGO workers at /app, under
// the same policy as the dashboard: its files are static and public, and it
// talks only to the same origin's /graphql (over HTTP and WebSocket).
func mountApp(mux *http.ServeMux) {
	h := dashboardHeaders(http.StripPrefix(web.AppPath, web.AppHandler()))
	mux.Handle("GET "+web.AppPath, h)
	mux.Handle("GET "+web.AppPath+"/", h)
}

// mountLib serves the modules the dashboard and the app share, under the
// same policy: they are static, public and hold no data.
func mountLib(mux *http.ServeMux) {
	mux.Handle("GET "+web.LibPath+"/", dashboardHeaders(http.StripPrefix(web.LibPath, web.LibHandler())))
}

// dashboardHeaders adds the headers every dashboard response needs.
func dashboardHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", dashboardPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		// The URL may carry a token in its fragment; browsers never send a
		// fragment, and no-referrer keeps even the path to ourselves.
		h.Set("Referrer-Policy", "no-referrer")
		// Embedded files have no modification time to validate against;
		// revalidating every time keeps a new binary's page consistent.
		h.Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}
