package cluster

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// The development cluster's files, all in its home directory (see devHome).
const (
	devDataName     = "postgres"          // the data directory
	devPortName     = "postgres.port"     // the remembered port
	devPasswordName = "postgres.password" // the superuser's password, 0600
	devLogName      = "postgres.log"      // the server log
	devLockName     = "postgres.lock"     // serializes EnsureDev calls
)

// DevDatabase is the database EnsureDev creates for the hub.
const DevDatabase = "exithub"

// EnsureDev returns the checkout's development cluster, running: it creates
// it on first use (in <checkoutDir>/.data/postgres, or under
// /var/lib/exithub when we are root and the postgres user cannot reach the
// checkout), starts it if it is not running, and creates the database
// DevDatabase if missing. The server keeps running after this process
// exits; later calls reuse it, its port and its password.
func EnsureDev(ctx context.Context, checkoutDir string) (*Cluster, error) {
	c, home, err := openDev(ctx, checkoutDir)
	if err != nil {
		return nil, err
	}
	if err := ensureHome(home, c.runAs); err != nil {
		return nil, err
	}
	unlock, err := lockFile(filepath.Join(home, devLockName))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := c.initOnce(ctx, home); err != nil {
		return nil, err
	}
	if err := c.choosePort(filepath.Join(home, devPortName)); err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	if err := c.ensureDatabase(ctx, DevDatabase); err != nil {
		return nil, err
	}
	return c, nil
}

// OpenDev returns the checkout's development cluster as it is, creating and
// starting nothing: for stopping it or removing it. Port and Password are
// zero if it was never created.
func OpenDev(ctx context.Context, checkoutDir string) (*Cluster, error) {
	c, _, err := openDev(ctx, checkoutDir)
	return c, err
}

// openDev builds the development cluster's handle from its files.
func openDev(ctx context.Context, checkoutDir string) (*Cluster, string, error) {
	bin, err := BinDir(ctx)
	if err != nil {
		return nil, "", err
	}
	runAs, err := serverAccount()
	if err != nil {
		return nil, "", err
	}
	home, err := devHome(checkoutDir, runAs)
	if err != nil {
		return nil, "", fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{
		DataDir: filepath.Join(home, devDataName), User: "postgres",
		LogFile: filepath.Join(home, devLogName), bin: bin, runAs: runAs, daemon: true,
		owned: devFiles(home),
	}
	// A missing password file is a cluster never created: Password stays "".
	if c.Password, err = readSecret(filepath.Join(home, devPasswordName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("cluster: %w", err)
	}
	c.Port = readPortFile(filepath.Join(home, devPortName))
	// A running server's own record of its port beats our note of it.
	if _, port, err := readPostmasterPid(c.DataDir); err == nil && port > 0 && c.Running() {
		c.Port = port
	}
	return c, home, nil
}

// devFiles lists what Remove deletes: the cluster's files in .data, which
// may hold other things, or the whole home under fallbackRoot, which is the
// cluster's alone.
func devFiles(home string) []string {
	if strings.HasPrefix(home, fallbackRoot+string(filepath.Separator)) {
		return []string{home}
	}
	var files []string
	for _, name := range []string{devDataName, devDataName + ".init", devPortName, devPasswordName, devLogName, devLockName} {
		files = append(files, filepath.Join(home, name))
	}
	return files
}
