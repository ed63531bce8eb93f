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
	"github.com/vektah/gqlparser/v2/ast"

	"exithub"
	"exithub/graph"
	"exithub/web/graphiql"
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
	// MaxComplexity bounds a query's cost: the fields it returns, lists
	// weighted by their length (see Cost).
	MaxComplexity int
	// ListSize is the length a list without `first` is assumed to have.
	ListSize int
	// MaxDocumentBytes, MaxTokens and MaxFields bound a document before it
	// is validated (see Bounds).
	MaxDocumentBytes int
	MaxTokens        int
	MaxFields        int
	// MaxResponseBytes bounds one answer's data.
	MaxResponseBytes int
	// MaxAuditObjects bounds the personal objects one operation may touch
	// (and so the audit objects it writes).
	MaxAuditObjects int
	// RatePerSecond and RateBurst bound each organisation's operations,
	// over HTTP and WebSocket alike (0: off).
	RatePerSecond float64
	RateBurst     int
	// AnonRatePerSecond and AnonBurst bound, per client address, requests
	// that fail to authenticate (0: off).
	AnonRatePerSecond float64
	AnonBurst         int
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies TrustedProxies
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the
	// HTTP server's; WriteTimeout outlasts the longest answer the statement
	// timeout allows. WebSockets are exempt, bounded by their token instead.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxWebSockets and MaxWebSocketsPerOrg bound open WebSocket
	// connections per instance and per organisation; WebSocketInitTimeout
	// is how long a socket may wait before connection_init.
	MaxWebSockets, MaxWebSocketsPerOrg int
	WebSocketInitTimeout               time.Duration
	// AllowList, if set, admits only its operations (production clients).
	AllowList *AllowList
	// Privacy is the parameters of the statistics' releases (threshold, ε, k, grace).
	Privacy exithub.Privacy
	// Now is the clock that says which months are released; time.Now when nil.
	Now func() time.Time
	// CORSOrigins are the origins whose browser apps may call /graphql;
	// none by default.
	CORSOrigins []string
	// ShutdownGrace bounds how long in-flight requests may take to finish.
	ShutdownGrace time.Duration
	// Traced wraps every request in an OpenTelemetry span: on when Tracing
	// set a provider; off, no request pays for spans nobody records.
	Traced bool
}

// DefaultConfig returns the safe defaults.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", MaxBodyBytes: 1 << 20, MaxDepth: 10, MaxAliases: 30,
		MaxDirectives: 5, MaxComplexity: DefaultMaxCost, ListSize: 10,
		MaxDocumentBytes: 16 << 10, MaxTokens: 2000, MaxFields: 500, MaxResponseBytes: 8 << 20,
		MaxAuditObjects: 2000, ShutdownGrace: 20 * time.Second, RatePerSecond: 50, RateBurst: 100,
		Privacy:           exithub.DefaultPrivacy,
		AnonRatePerSecond: 1, AnonBurst: 20,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second,
		MaxWebSockets: 1000, MaxWebSocketsPerOrg: 100, WebSocketInitTimeout: 5 * time.Second}
}

// Server serves the hub over HTTP.
type Server struct {
	cfg      Config
	log      *slog.Logger
	backend  Backend
	identity *Identity
	authz    exithub.Authorizer
	http     *http.Server
	ln       net.Listener
	limits   *rateLimits
	anon     *anonymousLimit
	refusals *refusalLog
	ws       *wsGate
	metrics  *metrics
	sockets  *sockets
	stop     context.CancelFunc
	stopped  chan struct{}
}

// New builds a server over the backend it is given; Open starts listening.
func New(cfg Config, log *slog.Logger, b Backend, id *Identity, authz exithub.Authorizer) *Server {
	s := &Server{cfg: cfg, log: log, backend: b, identity: id, authz: authz,
		limits: newRateLimits(cfg.RatePerSecond, cfg.RateBurst), anon: newAnonymousLimit(cfg.AnonRatePerSecond, cfg.AnonBurst),
		ws: newWSGate(cfg), metrics: newMetrics(cfg.AllowList), sockets: newSockets()}
	if b.Pool != nil {
		s.metrics.registry.MustRegister(poolCollector{b.Pool})
	}
	if b.Listener != nil {
		s.metrics.registry.MustRegister(listenerCollector{b.Listener})
	}
	s.refusals = newRefusalLog(b.Refusals.AuditUnauthenticated)
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
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
	mux.Handle("/graphql", withCORS(s.cfg.CORSOrigins, noStore(s.sockets.track(s.ws.admit(s.authenticate(graph.WithLoaders(s.backend.Services, s.graphQL())))))))
	mountDashboard(mux)
	mountApp(mux)
	mountLib(mux)
	if s.cfg.Dev {
		mux.Handle("GET /{$}", graphiql.Page("Exit Hub", "/graphql"))
		mux.Handle("GET "+graphiql.Path, graphiql.AssetHandler())
	}
	if !s.cfg.Traced {
		return s.withRequest(mux)
	}
	return traced(s.withRequest(mux))
}

// graphQL builds gqlgen's server with explicit transports and extensions.
func (s *Server) graphQL() http.Handler {
	es := graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{Services: s.backend.Services, Gate: s.gate(), Authz: s.authz},
		Directives: graph.Directives(s.authz, s.backend.Refusals.AuditRefusal),
	})
	srv := handler.New(es)
	srv.AddTransport(s.websocket())
	for _, t := range httpTransports(s.cfg) {
		srv.AddTransport(t)
	}
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(graph.ErrorPresenter(s.log, RequestID))
	srv.SetRecoverFunc(graph.RecoverFunc(s.log))
	srv.AroundResponses(retryableResponses)
	srv.SetDisableSuggestion(!s.cfg.Dev)
	if !s.cfg.Dev {
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	srv.SetParserTokenLimit(s.cfg.MaxTokens)
	introspection := s.cfg.Dev || s.cfg.Introspection
	if introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(s.metrics.extension())
	srv.Use(operationLimit{limits: s.limits, maxAuditObjects: s.cfg.MaxAuditObjects})
	srv.Use(persistedQueries{cache: lru.New[string](1000)})
	// After the persisted query is looked up, before gqlgen parses it.
	srv.Use(&Bounds{MaxBytes: s.cfg.MaxDocumentBytes, MaxTokens: s.cfg.MaxTokens, MaxFields: s.cfg.MaxFields})
	srv.Use(Cost{Max: s.cfg.MaxComplexity, MaxPage: exithub.MaxPageSize, ListSize: s.cfg.ListSize})
	srv.Use(responseLimit{max: s.cfg.MaxResponseBytes})
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
	ctx, stop := context.WithCancel(context.Background())
	s.stop, s.stopped = stop, make(chan struct{})
	go func() {
		defer close(s.stopped)
		s.refusals.run(ctx, time.Minute, s.anon.sweep)
	}()
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close closes the WebSockets with 1001 Going Away, stops accepting
// requests and lets those in flight finish, up to the grace period.
func (s *Server) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownGrace)
	defer cancel()
	err := errors.Join(s.sockets.closeAll(ctx), s.http.Shutdown(ctx))
	if s.stop != nil {
		s.stop() // writes the last minute's refusals
		<-s.stopped
	}
	return err
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"ok"}`))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := s.backend.Readiness.Ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable"}`))
		return
	}
	w.Write([]byte(`{"status":"ready"}`))
}
