package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"exithub"
	"exithub/db/pgtest"
)

// startPgBouncer runs Debian's PgBouncer in transaction-pooling mode in
// front of the test cluster, as operators run it in front of PostgreSQL.
func startPgBouncer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("pgbouncer is needed for this test: install Debian's package pgbouncer (CI does)")
		}
	}
	c := pgtest.Cluster()
	// Not t.TempDir: its parents are private to us, and PgBouncer runs as postgres.
	dir, err := os.MkdirTemp("", "exithub-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	port := freePort(t)
	conf := fmt.Sprintf(`[databases]
* = host=127.0.0.1 port=%d
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/users.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
ignore_startup_parameters = extra_float_digits
logfile = %s/pgbouncer.log
pidfile = %s/pgbouncer.pid
`, c.Port, port, dir, dir, dir)
	os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(conf), 0o644)
	os.WriteFile(filepath.Join(dir, "users.txt"), []byte(`"postgres" ""`+"\n"+`"exithub_app" ""`+"\n"), 0o644)
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	asPostgres(t, cmd, dir)
	out, _ := os.Create(filepath.Join(dir, "stderr"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	if !waitPort(port) {
		log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
		errs, _ := os.ReadFile(filepath.Join(dir, "stderr"))
		t.Fatalf("pgbouncer did not start listening:\n%s\n%s", log, errs)
	}
	return strconv.Itoa(port)
}

// asPostgres runs PgBouncer as user postgres when we are root: it refuses
// to run as root, as PostgreSQL does.
func asPostgres(t *testing.T, cmd *exec.Cmd, dir string) {
	if os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	os.Chmod(dir, 0o755)
	os.Chown(dir, uid, gid)
	for _, f := range []string{"pgbouncer.ini", "users.txt"} {
		os.Chown(filepath.Join(dir, f), uid, gid)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitPort(port int) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func TestReferralFlowAndSubscriptionThroughPgBouncer(t *testing.T) {
	port := startPgBouncer(t)
	h := startHub(t, func(m *Main) {
		direct := m.DatabaseURL
		m.ListenURL = direct
		m.DatabaseURL = strings.Replace(direct, fmt.Sprintf(":%d/", pgtest.Cluster().Port), ":"+port+"/", 1)
		m.ExecMode = "simple_protocol"
	})
	ngo := dialWS(t, h.url, h.token("reden", exithub.RoleNGOWorker))
	ngo.subscribe("1", eventsSubscription)
	time.Sleep(300 * time.Millisecond)
	f := newReferral(t, h, "reden")
	if m := ngo.read(10 * time.Second); get(m, "payload", "data", "referralEvents", "referral", "id") != f.referral {
		t.Fatalf("subscription through PgBouncer: %v", m)
	}
	for _, a := range []string{"receive", "accept", "start"} {
		if r := f.transition(f.ngo, a, nil); len(r.Errors) != 0 {
			t.Fatalf("%s through PgBouncer: %s", a, r.raw)
		}
	}
	if !strings.Contains(h.main.DB.Pool().Config().ConnString(), ":"+port+"/") {
		t.Fatal("the hub's pool did not go through PgBouncer")
	}
}
