// Package server is the hub's HTTP transport: GraphQL over HTTP and
// WebSocket at /graphql, health checks, identity, request ids and JSON logs,
// and a graceful shutdown.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"

	"exithub"
	"exithub/db"
	"exithub/graph"
)

// Config is what the server is told at start.
type Config struct {
	Addr string
	Dev  bool // GraphiQL, introspection and suggestions
	// Introspection allows __schema and __type without --dev.
	Introspection bool
	MaxBodyBytes  int64
	MaxDepth      int
	MaxAliases    int
	MaxDirectives int
	MaxComplexity int
	// RatePerSecond and RateBurst bound each organisation's requests (0: off).
	RatePerSecond float64
	RateBurst     int
	// AllowList, if set, admits only its operations (production clients).
	AllowList *AllowList
	// Disclosure is the statistics' disclosure control (suppression threshold).
	Disclosure exithub.Disclosure
	// ShutdownGrace bounds how long in-flight requests may take to finish.
	ShutdownGrace time.Duration
}

// DefaultConfig returns the safe defaults.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", MaxBodyBytes: 1 << 20, MaxDepth: 10, MaxAliases: 30,
		MaxDirectives: 5, MaxComplexity: 5000, ShutdownGrace: 20 * time.Second, RatePerSecond: 50, RateBurst: 100,
		Disclosure: exithub.Disclosure{Threshold: exithub.DefaultThreshold}}
}

// Server serves the hub over HTTP.
type Server struct {
	cfg      Config
	log      *slog.Logger
	db       *db.DB
	listener *db.Listener
	identity *Identity
	authz    exithub.Authorizer
	http     *http.Server
	ln       net.Listener
	limits   *rateLimits
	metrics  *metrics
}

// New builds a server; Open starts listening.
func New(cfg Config, log *slog.Logger, d *db.DB, l *db.Listener, id *Identity, authz exithub.Authorizer) *Server {
	s := &Server{cfg: cfg, log: log, db: d, listener: l, identity: id, authz: authz,
		limits: newRateLimits(cfg.RatePerSecond, cfg.RateBurst), metrics: newMetrics(d)}
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("/graphql", s.authenticate(graph.WithLoaders(s.db, s.graphQL())))
	mountDashboard(mux)
	mountApp(mux)
	if s.cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("Exit Hub", "/graphql"))
	}
	return traced(s.withRequest(mux))
}

// graphQL builds gqlgen's server with explicit transports and extensions.
func (s *Server) graphQL() http.Handler {
	es := graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{DB: s.db, Listener: s.listener, Disclosure: s.cfg.Disclosure, Authz: s.authz},
		Directives: graph.Directives(s.authz, s.db.AuditRefusal),
	})
	srv := handler.New(es)
	srv.AddTransport(s.websocket())
	for _, t := range httpTransports(s.cfg) {
		srv.AddTransport(t)
	}
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(graph.ErrorPresenter(s.log, RequestID))
	srv.SetRecoverFunc(graph.RecoverFunc(s.log))
	srv.SetDisableSuggestion(!s.cfg.Dev)
	introspection := s.cfg.Dev || s.cfg.Introspection
	if introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.FixedComplexityLimit(s.cfg.MaxComplexity))
	srv.Use(s.metrics.extension())
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if s.cfg.AllowList != nil {
		srv.Use(s.cfg.AllowList)
	}
	srv.Use(Limits{MaxDepth: s.cfg.MaxDepth, MaxAliases: s.cfg.MaxAliases, MaxDirectives: s.cfg.MaxDirectives,
		Introspection: introspection})
	return srv
}

// Open listens on the configured address; Addr tells where.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops accepting requests and lets those in flight finish, up to the
// grace period.
func (s *Server) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownGrace)
	defer cancel()
	return s.http.Shutdown(ctx)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"ok"}`))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := s.db.Ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable"}`))
		return
	}
	w.Write([]byte(`{"status":"ready"}`))
}
