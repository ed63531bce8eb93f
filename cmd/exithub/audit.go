package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"exithub"
	"exithub/db"
)

// runAudit verifies the audit chain or prunes old records, as the
// database's owner (prune switches to the maintenance role).
func runAudit(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: exithub audit verify | audit prune --before DATE")
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	switch args[0] {
	case "verify":
		res, err := db.VerifyAudit(ctx, u)
		if err != nil {
			return err
		}
		if res.BrokenAt != 0 {
			return fmt.Errorf("the audit chain is broken at seal %d: %s (%d links checked before it)", res.BrokenAt, res.Reason, res.Sealed)
		}
		fmt.Fprintf(stdout, "audit chain intact: %d sealed records, %d not yet sealed\n", res.Sealed, res.Unsealed)
		return nil
	case "prune":
		fs := flag.NewFlagSet("audit prune", flag.ContinueOnError)
		before := fs.String("before", "", "remove sealed records older than this day (YYYY-MM-DD, Copenhagen)")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		d, err := exithub.ParseDate(*before)
		if err != nil {
			return fmt.Errorf("--before: %w", err)
		}
		n, err := db.PruneAudit(ctx, u, d.Time(exithub.Copenhagen))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %d audit records older than %s; the chain now starts at the anchor\n", n, d)
		return nil
	}
	return fmt.Errorf("usage: exithub audit verify | audit prune --before DATE")
}
