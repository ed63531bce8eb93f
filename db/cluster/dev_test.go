package cluster

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// devCheckout makes a fake checkout that the postgres user can reach, and
// removes its development cluster, which outlives processes by design,
// when the test ends.
func devCheckout(t *testing.T) string {
	t.Helper()
	checkout := t.TempDir()
	openUp(t, checkout)
	checkout, err := filepath.EvalSymlinks(checkout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := OpenDev(testContext(t), checkout)
		if err != nil {
			t.Errorf("open the development cluster to remove it: %v", err)
			return
		}
		if err := c.Remove(); err != nil {
			t.Errorf("remove the development cluster: %v", err)
		}
	})
	return checkout
}

// ensureDev calls EnsureDev and checks that the password is enforced.
func ensureDev(t *testing.T, checkout string) *Cluster {
	t.Helper()
	ctx := testContext(t)
	c, err := EnsureDev(ctx, checkout)
	if err != nil {
		t.Fatal(err)
	}
	if got := queryString(ctx, t, c.URL(DevDatabase), "SELECT current_database()"); got != DevDatabase {
		t.Fatalf("connected to %s", got)
	}
	wrong := Cluster{User: c.User, Password: "wrong", Port: c.Port}
	if conn, err := pgx.Connect(ctx, wrong.URL(DevDatabase)); err == nil {
		conn.Close(ctx)
		t.Fatal("a wrong password was accepted")
	}
	return c
}

func TestEnsureDevReusesClusterAndPort(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	checkout := devCheckout(t)
	first := ensureDev(t, checkout)
	if want := filepath.Join(checkout, ".data", "postgres"); first.DataDir != want {
		t.Fatalf("data dir %s, want %s", first.DataDir, want)
	}
	if err := first.Stop(ctx, "fast"); err != nil {
		t.Fatal(err)
	}
	second := ensureDev(t, checkout)
	if second.DataDir != first.DataDir || second.Port != first.Port || second.Password != first.Password {
		t.Fatalf("not reused: %+v then %+v", first, second)
	}
	if again := ensureDev(t, checkout); again.Port != first.Port {
		t.Fatalf("running cluster moved from port %d to %d", first.Port, again.Port)
	}
}

func TestEnsureDevMovesOffTakenPort(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	checkout := devCheckout(t)
	first := ensureDev(t, checkout)
	if err := first.Stop(ctx, "fast"); err != nil {
		t.Fatal(err)
	}
	squatter, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(first.Port))
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	second := ensureDev(t, checkout)
	if second.Port == first.Port {
		t.Fatal("kept a taken port")
	}
	if got := readPortFile(filepath.Join(checkout, ".data", devPortName)); got != second.Port {
		t.Errorf("remembered port %d, want %d", got, second.Port)
	}
	if err := second.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(second.DataDir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("data dir still there after Remove: %v", err)
	}
}
