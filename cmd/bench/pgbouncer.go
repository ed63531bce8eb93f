package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"time"

	"exithub/db/pgbouncer"
)

// pgbouncerBin finds Debian's PgBouncer; as root it installs the package
// when missing, as .ci/run does. "" means there is none.
func pgbouncerBin(ctx context.Context, log func(string, ...any)) string {
	if p, err := pgbouncer.Bin(); err == nil || os.Geteuid() != 0 {
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
	p, _ := pgbouncer.Bin() // its only error is ErrMissing, which p "" says
	return p
}

// startPgBouncer runs PgBouncer in front of the database at ownerURL and
// returns the owner's URL through it.
func startPgBouncer(bin, ownerURL string) (string, func(), error) {
	u, err := url.Parse(ownerURL)
	if err != nil || u.Port() == "" {
		return "", nil, fmt.Errorf("pgbouncer needs DATABASE_URL as a postgres:// URL with a port")
	}
	serverPort, err := strconv.Atoi(u.Port())
	if err != nil {
		return "", nil, fmt.Errorf("pgbouncer: the port of DATABASE_URL: %w", err)
	}
	b, err := pgbouncer.Start(bin, u.Hostname(), serverPort, "")
	if err != nil {
		return "", nil, err
	}
	u.Host = fmt.Sprintf("127.0.0.1:%d", b.Port)
	return u.String(), b.Stop, nil
}
