// Command exithub is the hub's one binary: one subcommand per task (serve,
// migrate, seed, token, keys, policy, org, db, export, audit, retention:
// the usage text and run's table below), with flags that fall back to
// environment variables.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `exithub: the Exit Hub.

Usage:
  exithub serve [--addr 127.0.0.1:8080] [--dev] [--migrate]
  exithub migrate
  exithub seed demo | seed national [--scale 1.0]
  exithub token --org CODE --role ROLE [--sub NAME] [--ttl 1h]
  exithub keys rotate | keys list | keys retire KID
  exithub policy explain --role R --resource X --action A
  exithub org add --code CODE --name NAME --kind KIND [--population N]
  exithub db stop | db url
  exithub audit verify | audit prune --before DATE
  exithub retention run [--keep 43800h] [--before DATE]
  exithub export statistics --as-of DATE --format csv|json --token T [--group-by DIM,...]

Every subcommand that needs the database uses DATABASE_URL, or the
project-managed development cluster in .data/ when it is unset.
`

const subcommands = "serve, migrate, seed, token, keys, policy, org, db, audit, retention, export"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if code := report(os.Stderr, run(ctx, os.Args[1:], os.Stdout, os.Stderr)); code != 0 {
		os.Exit(code)
	}
}

// run dispatches to a subcommand; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no subcommand; the subcommands are %s", subcommands)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve":     runServe,
		"migrate":   runMigrate,
		"seed":      runSeed,
		"token":     runToken,
		"keys":      runKeys,
		"policy":    runPolicy,
		"org":       runOrg,
		"db":        runDB,
		"export":    runExport,
		"audit":     runAudit,
		"retention": runRetention,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown subcommand %q; the subcommands are %s (exithub --help says more)", args[0], subcommands)
	}
	return cmd(ctx, args[1:], stdout, stderr)
}
