package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"exithub"
	"exithub/db"
)

// defaultRetention keeps personal data five years after a citizen's last
// course and referral ended.
const defaultRetention = 5 * 365 * 24 * time.Hour

// runRetention erases what is past the retention period, now.
func runRetention(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return fmt.Errorf("usage: exithub retention run [--keep 43800h] [--before YYYY-MM-DD]")
	}
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	keep := fs.Duration("keep", envDuration("EXITHUB_RETENTION", defaultRetention), "how long after the last activity to keep a citizen's data (EXITHUB_RETENTION)")
	beforeFlag := fs.String("before", "", "erase what ended before this day instead (YYYY-MM-DD)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var before exithub.Date
	if *beforeFlag != "" {
		d, err := exithub.ParseDate(*beforeFlag)
		if err != nil {
			return fmt.Errorf("--before: %w", err)
		}
		before = d
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	if *beforeFlag == "" {
		if before, err = db.RetentionCutoff(ctx, u, *keep); err != nil {
			return err
		}
	}
	n, err := db.RunRetention(ctx, u, before)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "erased %d citizens whose records ended before %s\n", n, before)
	return nil
}
