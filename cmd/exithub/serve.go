package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/auth"
	"exithub/db"
	"exithub/policy"
	"exithub/server"
)

// Main is the server process: parse flags, run, close. End-to-end tests
// reuse it to start real servers.
type Main struct {
	Config      server.Config
	DatabaseURL string
	AppURL      string
	ListenURL   string // direct to PostgreSQL, for LISTEN, when the pool goes through PgBouncer
	ExecMode    string
	Migrate     bool
	KeysDir     string
	PolicyDir   string // an operator's model.conf and policy.csv; the embedded ones when empty
	JWKS        string
	Issuer      string
	Audience    string
	StmtTimeout time.Duration
	// MaxTokenLifetime bounds a token's exp after its iat.
	MaxTokenLifetime time.Duration
	AuditBatch       db.AuditBatchConfig
	ReplicaURL       string          // optional streaming replica for statistics and organisational reads
	ReplicaLag       time.Duration   // the replica is used while it lags less
	Retention        time.Duration   // 0: no scheduled retention runs
	Tracer           pgx.QueryTracer // optional: sees every query of the pool
	Log              *slog.Logger
	Stdout           io.Writer

	Tracing     string    // "", "stdout" or "otlp"
	TraceOut    io.Writer // where stdout tracing writes; os.Stderr when nil
	stopTracing func(context.Context) error

	DB       *db.DB
	Server   *server.Server
	cancel   context.CancelFunc
	listener *db.Listener
}

// NewMain returns a Main with defaults from the environment.
func NewMain() *Main {
	cfg := server.DefaultConfig()
	return &Main{Config: cfg, Log: server.NewLogger(os.Stderr, slog.LevelInfo), Stdout: os.Stdout}
}

// ParseFlags reads flags, each falling back to its environment variable.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := &m.Config
	fs.StringVar(&c.Addr, "addr", env("EXITHUB_ADDR", c.Addr), "listen address (EXITHUB_ADDR)")
	fs.BoolVar(&c.Dev, "dev", envBool("EXITHUB_DEV", false), "GraphiQL, introspection and suggestions; implies --migrate (EXITHUB_DEV)")
	fs.BoolVar(&c.Introspection, "introspection", envBool("EXITHUB_INTROSPECTION", false), "allow introspection without --dev (EXITHUB_INTROSPECTION)")
	fs.StringVar(&m.Tracing, "tracing", env("EXITHUB_TRACING", ""), "OpenTelemetry tracing: stdout or otlp (OTEL_EXPORTER_OTLP_* configure it); off when empty (EXITHUB_TRACING)")
	fs.BoolVar(&m.Migrate, "migrate", envBool("EXITHUB_MIGRATE", false), "apply migrations at start (EXITHUB_MIGRATE)")
	fs.StringVar(&m.KeysDir, "keys", keysDir(), "directory of trusted public keys and the signing key (EXITHUB_KEYS)")
	fs.StringVar(&m.PolicyDir, "policy", env("EXITHUB_POLICY", ""), "directory of an operator's model.conf and policy.csv; the built-in policy when empty (EXITHUB_POLICY)")
	fs.StringVar(&m.JWKS, "jwks", env("EXITHUB_JWKS", ""), "also trust the keys of this JWKS file or URL (EXITHUB_JWKS)")
	fs.StringVar(&m.Issuer, "issuer", env("EXITHUB_ISSUER", "exithub"), "required token issuer (EXITHUB_ISSUER)")
	fs.StringVar(&m.Audience, "audience", env("EXITHUB_AUDIENCE", "exithub"), "required token audience (EXITHUB_AUDIENCE)")
	fs.StringVar(&m.ExecMode, "exec-mode", env("EXITHUB_EXEC_MODE", "cache_statement"), "pgx query exec mode; simple_protocol or exec behind PgBouncer (EXITHUB_EXEC_MODE)")
	fs.DurationVar(&m.Retention, "retention", envDuration("EXITHUB_RETENTION", defaultRetention), "erase a citizen's data this long after the last activity, daily; 0 to not schedule; in --dev only when given (EXITHUB_RETENTION)")
	fs.DurationVar(&m.StmtTimeout, "statement-timeout", envDuration("EXITHUB_STATEMENT_TIMEOUT", 5*time.Second), "per-request statement timeout (EXITHUB_STATEMENT_TIMEOUT)")
	fs.DurationVar(&m.AuditBatch.Linger, "audit-linger", envDuration("EXITHUB_AUDIT_LINGER", 0), "how long the audit writer waits to fill a batch of read records (EXITHUB_AUDIT_LINGER)")
	fs.DurationVar(&m.ReplicaLag, "replica-max-lag", envDuration("EXITHUB_REPLICA_MAX_LAG", 5*time.Second), "statistics and organisational reads leave the replica for the primary while it lags more (EXITHUB_REPLICA_MAX_LAG)")
	fs.IntVar(&m.AuditBatch.MaxRecords, "audit-batch", envInt("EXITHUB_AUDIT_BATCH", 256), "most read audit records per INSERT (EXITHUB_AUDIT_BATCH)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body", int64(envInt("EXITHUB_MAX_BODY", int(c.MaxBodyBytes))), "request body limit in bytes (EXITHUB_MAX_BODY)")
	fs.IntVar(&c.MaxDepth, "max-depth", envInt("EXITHUB_MAX_DEPTH", c.MaxDepth), "query depth limit (EXITHUB_MAX_DEPTH)")
	fs.IntVar(&c.MaxAliases, "max-aliases", envInt("EXITHUB_MAX_ALIASES", c.MaxAliases), "alias limit (EXITHUB_MAX_ALIASES)")
	fs.Float64Var(&c.RatePerSecond, "rate-limit", envFloat("EXITHUB_RATE_LIMIT", c.RatePerSecond), "requests per second per organisation, 0 for none (EXITHUB_RATE_LIMIT)")
	fs.IntVar(&c.RateBurst, "rate-burst", envInt("EXITHUB_RATE_BURST", c.RateBurst), "burst above the rate per organisation (EXITHUB_RATE_BURST)")
	fs.IntVar(&c.MaxComplexity, "max-complexity", envInt("EXITHUB_MAX_COMPLEXITY", c.MaxComplexity), "query complexity limit (EXITHUB_MAX_COMPLEXITY)")
	threshold := fs.Int("suppression-threshold", envInt("EXITHUB_SUPPRESSION_THRESHOLD", exithub.DefaultThreshold),
		"statistics: noisy release cells below this read as under threshold; at least 3 (EXITHUB_SUPPRESSION_THRESHOLD)")
	corsOrigins := fs.String("cors-origins", env("EXITHUB_CORS_ORIGINS", ""), "comma-separated origins whose browser apps may call /graphql, e.g. https://app.example.dk; none when empty (EXITHUB_CORS_ORIGINS)")
	allowList := fs.String("allow-list", env("EXITHUB_ALLOW_LIST", ""), "admit only the operations in these .graphql files (a file or folder) (EXITHUB_ALLOW_LIST)")
	finishLimits := m.limitFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := finishLimits(); err != nil {
		return err
	}
	var err error
	if *allowList != "" {
		if c.AllowList, err = server.LoadAllowList(*allowList); err != nil {
			return err
		}
	}
	if c.CORSOrigins, err = server.ParseOrigins(*corsOrigins); err != nil {
		return err
	}
	if c.Privacy, err = exithub.NewPrivacy(*threshold); err != nil {
		return err
	}
	m.AppURL = os.Getenv("EXITHUB_APP_DATABASE_URL")
	m.ListenURL = os.Getenv("EXITHUB_LISTEN_DATABASE_URL")
	m.ReplicaURL = os.Getenv("EXITHUB_REPLICA_DATABASE_URL")
	if c.Dev {
		m.Migrate = true
		m.Retention = devRetention(fs, m.Retention)
	}
	return nil
}

// devRetention is the retention period in --dev: none unless --retention or
// EXITHUB_RETENTION gives one. The demo is dated 2014-15, and the default
// five years would erase its citizens a minute after `make run` starts.
func devRetention(fs *flag.FlagSet, retention time.Duration) time.Duration {
	explicit := os.Getenv("EXITHUB_RETENTION") != ""
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "retention" })
	if explicit {
		return retention
	}
	return 0
}

// Run connects, checks the schema, and starts serving.
func (m *Main) Run(ctx context.Context) error {
	if m.DatabaseURL == "" && m.AppURL == "" {
		u, err := databaseURL(ctx)
		if err != nil {
			return err
		}
		m.DatabaseURL = u
	}
	if m.Migrate {
		if err := db.Migrate(ctx, m.DatabaseURL); err != nil {
			return err
		}
	}
	var err error
	out := m.TraceOut
	if out == nil {
		out = os.Stderr
	}
	if m.stopTracing, err = server.Tracing(ctx, m.Tracing, out); err != nil {
		return err
	}
	id, authz, key, err := m.identity()
	if err != nil {
		return err
	}
	m.DB, err = db.Open(ctx, db.Config{URL: m.DatabaseURL, AppURL: m.AppURL, ListenURL: m.ListenURL, ExecMode: m.ExecMode, StatementTimeout: m.StmtTimeout, AuditBatch: m.AuditBatch, ReplicaURL: m.ReplicaURL, ReplicaMaxLag: m.ReplicaLag, Tracer: m.Tracer, Log: m.Log}, authz, key)
	if err != nil {
		return err
	}
	if err := m.DB.Ready(ctx); err != nil {
		return fmt.Errorf("%w (run `exithub migrate`, or serve with --migrate)", err)
	}
	if err := m.DB.CheckMigrations(ctx); err != nil {
		return err
	}
	if err := m.DB.CheckEntitlements(ctx, authz.Entitlements()); err != nil {
		return err
	}
	id.Organisation = m.DB.OrganisationByCode
	lctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.listener = db.NewListener(m.DB.ListenURL(), m.Log)
	go m.listener.Run(lctx)
	// Subscriptions are refused until LISTEN is in place, which takes a
	// moment at start; a database that does not let it leaves them
	// refused, and the rest served.
	select {
	case <-m.listener.Ready():
	case <-time.After(5 * time.Second):
		m.Log.Warn("not listening for referral changes yet; subscriptions are refused until the listener connects")
	}
	go m.DB.RunSealer(lctx, time.Second)
	go m.DB.RunCheckpoints(lctx, time.Hour)
	if m.Retention > 0 {
		m.setRetentionPeriod(ctx)
		go m.DB.RunRetentionDaily(lctx)
	} else {
		m.Log.Info("retention is not scheduled; --retention schedules it (in --dev only when given)")
	}
	m.Config.Traced = m.Tracing != ""
	m.Server = server.New(m.Config, m.Log, backend(m.DB, m.listener), id, authz)
	if err := m.Server.Open(); err != nil {
		return err
	}
	m.Log.Info("serving", "addr", m.Server.Addr(), "dev", m.Config.Dev)
	return nil
}

func (m *Main) identity() (*server.Identity, *policy.Policy, []byte, error) {
	if _, err := auth.OpenKeyDir(m.KeysDir); err != nil {
		return nil, nil, nil, err
	}
	v, err := auth.NewVerifier(auth.VerifierOptions{KeyDir: m.KeysDir, JWKS: m.JWKS, Issuer: m.Issuer, Audience: m.Audience,
		MaxLifetime: m.MaxTokenLifetime})
	if err != nil {
		return nil, nil, nil, err
	}
	authz, err := m.policy()
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := pseudonymKey(m.KeysDir)
	if err != nil {
		return nil, nil, nil, err
	}
	return &server.Identity{Verifier: v}, authz, key, nil
}

// policy is the operator's policy from --policy, or the built-in one.
func (m *Main) policy() (*policy.Policy, error) {
	if m.PolicyDir == "" {
		return policy.New()
	}
	return policy.LoadDir(m.PolicyDir)
}

// pseudonymKey is EXITHUB_PSEUDONYM_KEY's bytes as given (a hex string is
// not decoded: its characters are the key), or a secret made on first use
// in the key directory.
func pseudonymKey(dir string) ([]byte, error) {
	if k := os.Getenv("EXITHUB_PSEUDONYM_KEY"); k != "" {
		return []byte(k), nil
	}
	return auth.LoadOrCreateSecret(dir, "pseudonym.key", 32)
}

// Close shuts down gracefully: in-flight requests finish first.
func (m *Main) Close(ctx context.Context) error {
	var err error
	if m.Server != nil {
		err = m.Server.Close(ctx)
	}
	if m.cancel != nil {
		m.cancel()
	}
	if m.DB != nil {
		m.DB.Close()
	}
	if m.stopTracing != nil {
		// Logged, not returned: the hub has stopped cleanly; only the
		// last spans are lost.
		if terr := m.stopTracing(ctx); terr != nil {
			m.Log.Error("tracing: the last spans were not flushed", "err", terr)
		}
	}
	return err
}

func runServe(ctx context.Context, args []string, stdout, _ io.Writer) error {
	m := NewMain()
	m.Stdout = stdout
	if err := m.ParseFlags(args); err != nil {
		return err
	}
	tuneGC()
	if err := m.Run(ctx); err != nil {
		return err
	}
	if m.Config.Dev {
		printWelcome(ctx, m)
	}
	<-ctx.Done()
	m.Log.Info("shutting down")
	return m.Close(context.Background())
}
