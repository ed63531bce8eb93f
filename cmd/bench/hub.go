package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// hub is one running `exithub serve`.
type hub struct {
	*child
	url string // http://127.0.0.1:port, without a path
}

// hubConfig is how a hub instance reaches its database.
type hubConfig struct {
	DatabaseURL string // the pool's: direct, or through PgBouncer
	ListenURL   string // direct, for LISTEN behind PgBouncer; "" for the pool's
	ExecMode    string // "" for the hub's default
}

// buildHub compiles the hub once into dir: the measured process must be
// the server itself, not `go run` wrapping it.
func buildHub(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "exithub")
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "exithub/cmd/exithub")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the hub: %w\n%s", err, out)
	}
	return bin, nil
}

// goTool is $GO or go, as the Makefile has it.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// startHub serves with the rate limit off (it is per organisation and would
// cap the load) and no scheduled retention run, logging to a file in dir.
func startHub(bin, keys, dir, name string, cfg hubConfig) (*hub, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", addr, "--rate-limit", "0", "--retention", "0"}
	if cfg.ExecMode != "" {
		args = append(args, "--exec-mode", cfg.ExecMode)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+cfg.DatabaseURL, "EXITHUB_KEYS="+keys,
		"EXITHUB_LISTEN_DATABASE_URL="+cfg.ListenURL, "EXITHUB_APP_DATABASE_URL=")
	c, err := startChild(name, cmd, filepath.Join(dir, name+".log"))
	if err != nil {
		return nil, err
	}
	h := &hub{child: c, url: "http://" + addr}
	if err := c.waitReady(time.Minute, httpOK(h.url+"/readyz")); err != nil {
		return nil, err
	}
	return h, nil
}

// measuredHubs is what a run through these hubs is charged with.
func measuredHubs(hs ...*hub) measured {
	var m measured
	for _, h := range hs {
		m.pids = append(m.pids, h.pid())
		m.metrics = append(m.metrics, h.url+"/metrics")
	}
	return m
}

func stopHubs(hs ...*hub) {
	for _, h := range hs {
		h.stop()
	}
}
