package cluster

import (
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestProcessesAreThePostmasterAndItsChildren(t *testing.T) {
	ctx := testContext(t)
	c := startTemp(t, TempOptions{})
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		t.Fatal(err)
	}
	pm, _, err := readPostmasterPid(c.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := c.Processes()
	if err != nil {
		t.Fatal(err)
	}
	if len(pids) < 3 || pids[0] != pm || !slices.Contains(pids, backend) || slices.Contains(pids, os.Getpid()) {
		t.Fatalf("processes %v: want the postmaster %d first, its backend %d and its background processes, and not this test's", pids, pm, backend)
	}
}
