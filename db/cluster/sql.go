package cluster

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// connect opens a superuser connection to database dbname.
func (c *Cluster) connect(ctx context.Context, dbname string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, c.URL(dbname))
}

// ping connects once to the maintenance database. Each attempt gets its own
// short timeout so that one stuck attempt cannot use up the whole wait.
func (c *Cluster) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// exec runs one statement in the maintenance database.
func (c *Cluster) exec(ctx context.Context, sql string, args ...any) error {
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// CreateDatabase creates database name as a copy of template, or of the
// default template when template is "". PostgreSQL refuses the copy while
// anyone is connected to template, so callers must keep no connection open
// to it.
func (c *Cluster) CreateDatabase(ctx context.Context, name, template string) error {
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer conn.Close(ctx)
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize() + copyStrategy(conn)
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("cluster: create database %s: %w", name, err)
	}
	return nil
}

// copyStrategy picks FILE_COPY where the server has a choice (15 and
// later): for the small databases tests copy it is about twice as fast as
// the default WAL_LOG, which writes every page of the copy to the WAL.
func copyStrategy(conn *pgx.Conn) string {
	version := conn.PgConn().ParameterStatus("server_version")
	major, _ := strconv.Atoi(strings.SplitN(version, ".", 2)[0]) // unparsable: 0, the default strategy
	if major < 15 {
		return ""
	}
	return " STRATEGY FILE_COPY"
}

// DropDatabase drops database name if it exists, disconnecting its sessions
// first (PostgreSQL 13 or later).
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	return c.exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// ensureDatabase creates database name unless it exists.
func (c *Cluster) ensureDatabase(ctx context.Context, name string) error {
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err == nil && !exists {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	}
	if err != nil {
		return fmt.Errorf("cluster: database %s: %w", name, err)
	}
	return nil
}
