// Command bench measures the hub under load on this machine: it starts a
// throwaway PostgreSQL (or uses DATABASE_URL), loads the national synthetic
// dataset, serves it with the real `exithub serve`, drives the NGO inbox,
// caseworkers' writes, the ministry's statistics and a mix of them with
// vegeta, compares the inbox with raw pgx and plain net/http baselines, and
// repeats inbox and mix on two hubs behind PgBouncer. It prints a table and
// writes it as Markdown to bench/results. See bench/README.md.
//
//	go run ./cmd/bench -scale 0.1 -duration 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if addr := os.Getenv(plainEnv); addr != "" {
		if err := servePlain(addr, os.Getenv("DATABASE_URL")); err != nil {
			fmt.Fprintln(os.Stderr, "plain:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runAndReport(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		stop()
		os.Exit(1)
	}
}

// runAndReport runs the benchmark, prints the table and writes the file.
func runAndReport(ctx context.Context, cfg config) error {
	rep, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Println()
	rep.writeText(os.Stdout)
	path, err := rep.save(cfg.OutDir)
	if err != nil {
		return err
	}
	fmt.Printf("\nwritten to %s\n", path)
	return nil
}
