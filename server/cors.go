package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/cors"
)

// withCORS lets browser apps served from the allowed origins call next.
// Preflights are answered here, before authentication: a browser sends
// them without the Authorization header it is asking permission for. With
// no origins allowed (the default) no origin is, rather than every one, which
// is what the library would take an empty list to mean.
func withCORS(origins []string, next http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, o := range origins {
		allowed[o] = true
	}
	return cors.New(cors.Options{
		AllowOriginFunc: func(origin string) bool { return allowed[strings.ToLower(origin)] },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:  []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"},
		ExposedHeaders:  []string{"X-Request-Id", "Retry-After", "WWW-Authenticate"},
		MaxAge:          int((10 * time.Minute).Seconds()),
	}).Handler(next)
}

// ParseOrigins reads a comma-separated list of origins such as
// "https://app.example.dk,http://localhost:5173": a scheme and a host, with
// no path, as browsers send them in the Origin header.
func ParseOrigins(s string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(s, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("CORS origin %q is not of the form https://host[:port]", o)
		}
		out = append(out, strings.ToLower(o))
	}
	return out, nil
}
