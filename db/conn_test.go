package db

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// RawConn is a connection to url as the URL's user, outside the hub's pool
// and roles, closed when the test ends. The package's own tests and its
// external tests (db_test) share it.
func RawConn(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
