package server

import (
	"encoding/json"
	"net/http"
	"time"

	"exithub"
	"exithub/auth"
	"exithub/server/gqlhttp"
)

// withRequest gives every request an id (the caller's X-Request-Id when it
// is plain, else a new one), echoes it, and logs the request when it ends.
func (s *Server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		ctx := exithub.NewContextWithRequest(withRequestID(r.Context(), id), exithub.Request{ID: id})
		w.Header().Set("X-Request-Id", id)
		ctx, hint := withRetryHint(ctx)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, hint: hint}
		start := time.Now()
		next.ServeHTTP(rec, r.WithContext(ctx))
		s.log.InfoContext(ctx, "request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// authenticate puts the principal of the bearer token into the context.
// A WebSocket upgrade is let through: browsers cannot set headers on it, so
// its token travels in connection_init and is checked there. A client
// address that keeps failing is refused before its token is looked at.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocket(r) {
			next.ServeHTTP(w, r)
			return
		}
		addr := s.cfg.TrustedProxies.clientAddr(r)
		if s.anon.blocked(addr) {
			s.unauthenticated(w, r, addr, "rate_limited", &exithub.Error{Code: exithub.ERATELIMITED, Message: "too many unauthenticated requests from your address; slow down"})
			return
		}
		token, err := auth.ParseBearer(r.Header.Get("Authorization"))
		if err == nil {
			var p *exithub.Principal
			p, _, err = s.identity.Principal(r.Context(), token)
			if err == nil && !s.limits.allow(p.Org.Code) {
				s.log.WarnContext(r.Context(), "rate limited", "org", p.Org.Code)
				w.Header().Set("Retry-After", "1")
				writeError(w, r, http.StatusTooManyRequests, &exithub.Error{Code: exithub.ERATELIMITED, Message: "too many requests from your organisation; slow down"})
				return
			}
			if err == nil {
				ctx := withCounted(exithub.NewContextWithPrincipal(r.Context(), p))
				next.ServeHTTP(w, r.WithContext(ctx))
				return
			}
		}
		if exithub.ErrorCode(err) != exithub.EUNAUTHENTICATED {
			// Who is asking is unknown for now (the directory could not
			// be read), not refused: the operation runs and every field
			// that needs the principal answers UNAVAILABLE, with the
			// same status as any other field an outage fails.
			next.ServeHTTP(w, r.WithContext(exithub.NewContextWithIdentityError(r.Context(), err)))
			return
		}
		s.log.InfoContext(r.Context(), "unauthenticated", "reason", exithub.ErrorMessage(err))
		s.anon.failed(addr)
		s.unauthenticated(w, r, addr, "refused", err)
	})
}

// unauthenticated answers a request refused before authentication: counted
// in metrics and in the minute's audit record of its address, never a row
// of its own.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, addr, outcome string, err error) {
	s.metrics.unauthenticated.WithLabelValues(outcome).Inc()
	s.refusals.add(addr)
	status := http.StatusUnauthorized
	if outcome == "rate_limited" {
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", "1")
	}
	writeError(w, r, status, err)
}

// noStore marks every /graphql answer as one no cache may keep or
// reinterpret: answers carry personal data.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

func isWebSocket(r *http.Request) bool {
	return r.Method == http.MethodGet && headerHasToken(r.Header, "Connection", "upgrade") &&
		headerHasToken(r.Header, "Upgrade", "websocket")
}

// writeError answers before GraphQL runs, in GraphQL's error shape and in
// the media type the client accepts, like every other answer.
func writeError(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := exithub.ErrorCode(err)
	msg := exithub.ErrorMessage(err)
	if code == exithub.EINTERNAL {
		code, msg = exithub.EUNAVAILABLE, "the service is unavailable; try again"
		status = http.StatusServiceUnavailable
	}
	if code == exithub.EUNAVAILABLE {
		status = http.StatusServiceUnavailable
	}
	ext := map[string]any{"code": code}
	if exithub.Retryable(code) {
		ext["retryable"] = true
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", retryAfterSeconds)
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="exithub"`)
	}
	w.Header().Add("Vary", "Accept")
	w.Header().Set("Content-Type", gqlhttp.MediaType(r.Header)+"; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": msg, "extensions": ext}}})
}

type statusRecorder struct {
	http.ResponseWriter
	status  int
	hint    *retryHint
	written bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.written {
		r.written = true
		setRetryAfter(r.ResponseWriter, r.hint)
	}
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.written {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController (and the WebSocket upgrade) reach the
// underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
