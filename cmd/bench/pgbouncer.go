package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// pgbouncerBin finds Debian's PgBouncer; as root it installs the package
// when missing, as .ci/run does. "" means there is none.
func pgbouncerBin(ctx context.Context, log func(string, ...any)) string {
	find := func() string {
		if p, err := exec.LookPath("pgbouncer"); err == nil {
			return p
		}
		if _, err := os.Stat("/usr/sbin/pgbouncer"); err == nil {
			return "/usr/sbin/pgbouncer"
		}
		return ""
	}
	if p := find(); p != "" || os.Geteuid() != 0 {
		return p
	}
	log("pgbouncer is missing: installing Debian's package")
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "-q", "pgbouncer")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		log("apt-get install pgbouncer: %v\n%s", err, out)
	}
	return find()
}

// pgbouncerConfig is transaction pooling in front of the server at
// host:port, as cmd/exithub's PgBouncer test and operators run it. Trust
// auth suffices: the server trusts loopback connections.
func pgbouncerConfig(dir, host string, port, listen int) string {
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
`, host, port, listen, dir, dir, dir)
}

// startPgBouncer runs PgBouncer in front of the database at ownerURL and
// returns it with the owner's URL through it.
func startPgBouncer(bin, ownerURL string) (*child, string, func(), error) {
	u, err := url.Parse(ownerURL)
	if err != nil || u.Port() == "" {
		return nil, "", nil, fmt.Errorf("pgbouncer needs DATABASE_URL as a postgres:// URL with a port")
	}
	// Not under the harness's own directory: PgBouncer runs as postgres,
	// who may not reach it.
	dir, err := os.MkdirTemp("", "exithub-bench-pgbouncer-")
	if err != nil {
		return nil, "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	addr, err := freeAddr()
	if err != nil {
		cleanup()
		return nil, "", nil, err
	}
	_, listen, _ := splitPort(addr)
	serverPort, _ := strconv.Atoi(u.Port())
	os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(pgbouncerConfig(dir, u.Hostname(), serverPort, listen)), 0o644)
	os.WriteFile(filepath.Join(dir, "users.txt"), []byte(`"postgres" ""`+"\n"+`"exithub_app" ""`+"\n"), 0o644)
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	if err := asPostgres(cmd, dir); err != nil {
		cleanup()
		return nil, "", nil, err
	}
	c, err := startChild("pgbouncer", cmd, filepath.Join(dir, "stderr"))
	if err == nil {
		err = c.waitReady(15*time.Second, listening(addr))
	}
	if err != nil {
		cleanup()
		return nil, "", nil, err
	}
	u.Host = addr
	return c, u.String(), func() { c.stop(); cleanup() }, nil
}

func splitPort(addr string) (string, int, error) {
	u, err := url.Parse("//" + addr)
	if err != nil {
		return "", 0, err
	}
	p, err := strconv.Atoi(u.Port())
	return u.Hostname(), p, err
}

// asPostgres runs PgBouncer as user postgres when we are root: it refuses
// to run as root, as PostgreSQL does.
func asPostgres(cmd *exec.Cmd, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	os.Chmod(dir, 0o755)
	for _, p := range []string{dir, filepath.Join(dir, "pgbouncer.ini"), filepath.Join(dir, "users.txt")} {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return nil
}
