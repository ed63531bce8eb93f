// Package db is the PostgreSQL storage of the hub: embedded migrations, the
// pgx implementation of the domain's services, and the transaction helper
// that tells PostgreSQL who is asking, so that row-level security holds even
// where Go code forgets a WHERE.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"

	"exithub"
)

// Config says how to reach PostgreSQL.
type Config struct {
	// URL is the database URL; it may name the owner, a superuser or the app role.
	URL string
	// AppURL names the restricted app role explicitly; derived from URL when empty.
	AppURL string
	// ListenURL reaches PostgreSQL directly (not through a transaction-pooling
	// PgBouncer), for LISTEN, which needs a session of its own; the app
	// role's URL is derived from it as from URL. Empty: the pool's URL.
	ListenURL string
	// ExecMode is pgx's query execution mode: "cache_statement" (default),
	// "cache_describe", "describe_exec", "exec" or "simple_protocol". Behind a
	// transaction-pooling PgBouncer use one that keeps no named statements.
	ExecMode string
	// StatementTimeout bounds every statement of a request transaction.
	StatementTimeout time.Duration
	// MaxConns bounds the pool; 0 leaves pgx's default.
	MaxConns int32
	// Tracer, if set, sees every query (tests count queries per request with it).
	Tracer pgx.QueryTracer
	// ReplicaURL, if set, is a streaming replica of the database that
	// statistics and organisational reads go to while it is reachable and
	// within ReplicaMaxLag (default 5s) of the primary.
	ReplicaURL    string
	ReplicaMaxLag time.Duration
	// AuditBatch tunes the group commit of read audit records.
	AuditBatch AuditBatchConfig
	// Log receives what the database layer must report but cannot return.
	Log *slog.Logger
}

// DB is the hub's database: a pool of connections of the restricted app role.
type DB struct {
	pool      *pgxpool.Pool
	authz     exithub.Authorizer
	timeout   string
	appURL    string
	listenURL string
	log       *slog.Logger
	// PseudonymKey is the HMAC key turning CPR numbers into pseudonyms.
	pseudonymKey []byte
	queries      *QueryCounter
	dir          directory
	// callTimeout is the hub's deadline on one call: the statement
	// timeout and a margin.
	callTimeout time.Duration
	diskFullAt  diskFullMark
	audit       *auditBatcher
	replica     *replica // nil without one
	releases    *releases
}

// Open connects as the restricted app role and checks it is one: no
// superuser, no BYPASSRLS.
func Open(ctx context.Context, cfg Config, authz exithub.Authorizer, pseudonymKey []byte) (*DB, error) {
	appURL, err := resolveAppURL(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pcfg, err := pgxpool.ParseConfig(appURL)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	if err := applyExecMode(pcfg.ConnConfig, cfg.ExecMode); err != nil {
		return nil, err
	}
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = cfg.MaxConns
	}
	pcfg.ConnConfig.ConnectTimeout = connectTimeout
	queries := &QueryCounter{}
	pcfg.ConnConfig.Tracer = queries
	if cfg.Tracer != nil {
		pcfg.ConnConfig.Tracer = multitracer.New(queries, cfg.Tracer)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	timeout := cfg.StatementTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	listenURL := appURL
	if cfg.ListenURL != "" {
		if listenURL, err = resolveAppURL(ctx, Config{URL: cfg.ListenURL}); err != nil {
			pool.Close()
			return nil, err
		}
	}
	d := &DB{pool: pool, authz: authz, timeout: fmt.Sprint(timeout.Milliseconds()), appURL: appURL, listenURL: listenURL,
		pseudonymKey: pseudonymKey, log: log, queries: queries, callTimeout: timeout + deadlineMargin, releases: newReleases()}
	if err := d.checkRestricted(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if cfg.ReplicaURL != "" {
		if d.replica, err = openReplica(ctx, cfg, pool, log); err != nil {
			pool.Close()
			return nil, err
		}
	}
	d.audit = newAuditBatcher(pool, cfg.AuditBatch, log, d.classify)
	return d, nil
}

// Queries is the number of SQL statements the pool has sent, for
// /metrics: a benchmark divides it by the requests served.
func (d *DB) Queries() int64 { return d.queries.Count() }

// Close writes the audit records already queued, then closes the pool.
func (d *DB) Close() {
	d.releases.stopping()
	if d.replica != nil {
		d.replica.close()
	}
	d.audit.Close()
	d.pool.Close()
}

// Pool exposes the pool for health checks and tests.
func (d *DB) Pool() *pgxpool.Pool { return d.pool }

// ListenURL is the app role's direct URL, for a listener's own connection.
func (d *DB) ListenURL() string { return d.listenURL }

func (d *DB) checkRestricted(ctx context.Context) error {
	var super, bypass bool
	err := d.pool.QueryRow(ctx, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").Scan(&super, &bypass)
	if err != nil {
		return fmt.Errorf("db: check role: %w", translate(err))
	}
	if super || bypass {
		return errors.New("db: the server's database role must be no superuser and have NOBYPASSRLS")
	}
	return nil
}

// resolveAppURL returns the URL of the app role: given explicitly, the URL
// itself when it already logs in as the app role, or the URL with the app
// role's user and the password the owner keeps for it.
func resolveAppURL(ctx context.Context, cfg Config) (string, error) {
	if cfg.AppURL != "" {
		return cfg.AppURL, nil
	}
	// Behind a transaction-pooling PgBouncer this connection too must
	// leave no prepared statement behind for the next client.
	ccfg, err := pgx.ParseConfig(cfg.URL)
	if err != nil {
		return "", fmt.Errorf("db: %w", err)
	}
	if err := applyExecMode(ccfg, cfg.ExecMode); err != nil {
		return "", err
	}
	conn, err := pgx.ConnectConfig(ctx, ccfg)
	if err != nil {
		return "", fmt.Errorf("db: connect: %w", translate(err))
	}
	defer conn.Close(ctx)
	var user string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&user); err != nil {
		return "", translate(err)
	}
	if user == AppRole {
		return cfg.URL, nil
	}
	var pw string
	err = conn.QueryRow(ctx, "SELECT password FROM hub_private.app_credentials WHERE rolname = $1", AppRole).Scan(&pw)
	if err != nil {
		return "", fmt.Errorf("db: no credentials for %s (run `exithub migrate` first): %w", AppRole, err)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("db: DATABASE_URL must be a postgres:// URL to derive the app role's URL; or set EXITHUB_APP_DATABASE_URL")
	}
	u.User = url.UserPassword(AppRole, pw)
	return u.String(), nil
}

func applyExecMode(c *pgx.ConnConfig, mode string) error {
	modes := map[string]pgx.QueryExecMode{
		"":                pgx.QueryExecModeCacheStatement,
		"cache_statement": pgx.QueryExecModeCacheStatement,
		"cache_describe":  pgx.QueryExecModeCacheDescribe,
		"describe_exec":   pgx.QueryExecModeDescribeExec,
		"exec":            pgx.QueryExecModeExec,
		"simple_protocol": pgx.QueryExecModeSimpleProtocol,
	}
	m, ok := modes[mode]
	if !ok {
		return fmt.Errorf("db: unknown query exec mode %q", mode)
	}
	c.DefaultQueryExecMode = m
	return nil
}

// SchemaVersion reads the schema version of the database.
func (d *DB) SchemaVersion(ctx context.Context) (int32, error) {
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	var v int32
	err := d.pool.QueryRow(ctx, "SELECT version FROM "+versionTable).Scan(&v)
	return v, translate(err)
}

// Ready reports whether the database answers, has room to write, and its
// schema is the one this binary expects.
func (d *DB) Ready(ctx context.Context) error {
	if d.diskFullRecently() {
		return errors.New("db: a write failed for want of disk space")
	}
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != LatestVersion() {
		return fmt.Errorf("db: schema version %d, binary expects %d", v, LatestVersion())
	}
	return nil
}
