package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"exithub/db/cluster"
)

// env returns the environment variable's value or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(name)); err == nil {
		return b
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return f
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// keysDir is where keys and secrets live: $EXITHUB_KEYS or .data/keys.
func keysDir() string { return env("EXITHUB_KEYS", filepath.Join(".data", "keys")) }

// databaseURL returns DATABASE_URL, or starts (or reuses) the development
// cluster that the project manages under .data/ and returns its URL.
func databaseURL(ctx context.Context) (string, error) {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	c, err := cluster.EnsureDev(ctx, wd)
	if err != nil {
		return "", fmt.Errorf("DATABASE_URL is unset and the development cluster did not start: %w", err)
	}
	return c.URL("exithub"), nil
}
