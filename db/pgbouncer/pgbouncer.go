// Package pgbouncer runs Debian's PgBouncer in transaction-pooling mode in
// front of a PostgreSQL server, as operators put it between many hub
// instances and the database: for the tests and the benchmark.
package pgbouncer

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Bouncer is a running PgBouncer.
type Bouncer struct {
	// Port is where it listens, at 127.0.0.1.
	Port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// ErrMissing says PgBouncer is not installed.
var ErrMissing = errors.New("pgbouncer is not installed: it is Debian's package pgbouncer")

// Bin finds the pgbouncer program.
func Bin() (string, error) {
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/pgbouncer"); err == nil {
		return "/usr/sbin/pgbouncer", nil
	}
	return "", ErrMissing
}

// config is transaction pooling with trust authentication for the owner
// and the app role: the servers it fronts here trust loopback connections.
func config(dir, host string, serverPort, port int) string {
	return fmt.Sprintf(`[databases]
* = host=%s port=%d
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = %s/pgbouncer.log
pidfile = %s/pgbouncer.pid
`, host, serverPort, port, dir, dir, dir)
}

// Start runs bin in front of the server at host:serverPort and waits until
// it listens. Its files go in a new directory under parent ("": os.TempDir()),
// which PgBouncer, run as postgres, must be able to reach: a test passes its
// own t.TempDir() opened up (pgtest.TempDir).
func Start(bin, host string, serverPort int, parent string) (*Bouncer, error) {
	dir, err := os.MkdirTemp(parent, "exithub-pgbouncer-")
	if err != nil {
		return nil, err
	}
	b := &Bouncer{dir: dir, done: make(chan struct{})}
	if b.Port, err = freePort(); err == nil {
		err = b.start(bin, host, serverPort)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return b, nil
}

func (b *Bouncer) start(bin, host string, serverPort int) error {
	ini := filepath.Join(b.dir, "pgbouncer.ini")
	if err := os.WriteFile(ini, []byte(config(b.dir, host, serverPort, b.Port)), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.dir, "users.txt"), []byte(`"postgres" ""`+"\n"+`"exithub_app" ""`+"\n"), 0o644); err != nil {
		return err
	}
	b.cmd = exec.Command(bin, ini)
	if err := asPostgres(b.cmd, b.dir, ini, filepath.Join(b.dir, "users.txt")); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(b.dir, "stderr"))
	if err != nil {
		return err
	}
	b.cmd.Stdout, b.cmd.Stderr = out, out
	if err := b.cmd.Start(); err != nil {
		return err
	}
	go func() { b.cmd.Wait(); out.Close(); close(b.done) }()
	if !b.listening(10 * time.Second) {
		b.Stop()
		return fmt.Errorf("pgbouncer did not start listening:\n%s", b.Log())
	}
	return nil
}

// Log is what PgBouncer wrote, for a failure's message. A file it did not
// write, or that cannot be read, adds nothing.
func (b *Bouncer) Log() string {
	log, _ := os.ReadFile(filepath.Join(b.dir, "pgbouncer.log"))
	errs, _ := os.ReadFile(filepath.Join(b.dir, "stderr"))
	return string(log) + string(errs)
}

// Stop ends PgBouncer and removes its files.
func (b *Bouncer) Stop() {
	if b.cmd != nil && b.cmd.Process != nil {
		b.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-b.done:
		case <-time.After(5 * time.Second):
			b.cmd.Process.Kill()
			<-b.done
		}
	}
	os.RemoveAll(b.dir)
}

func (b *Bouncer) listening(within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", b.Port)); err == nil {
			c.Close()
			return true
		}
		select {
		case <-b.done:
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	return false
}

// asPostgres runs PgBouncer as user postgres when we are root: it refuses
// to run as root, as PostgreSQL does.
func asPostgres(cmd *exec.Cmd, dir string, files ...string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return err
	}
	// A failed parse must not leave 0, which is root's id.
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return fmt.Errorf("pgbouncer: uid of postgres: %w", err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return fmt.Errorf("pgbouncer: gid of postgres: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	for _, p := range append([]string{dir}, files...) {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
