package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"exithub/db/cluster"
)

// runDB manages the development cluster that `make run` keeps: `db stop`
// stops it; `db url` prints its URL (starting it if needed).
func runDB(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: exithub db stop|url")
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	switch args[0] {
	case "stop":
		c, err := cluster.OpenDev(ctx, wd)
		if err != nil {
			return err
		}
		if !c.Running() {
			fmt.Fprintln(stdout, "the development cluster is not running")
			return nil
		}
		return c.Stop(ctx, "fast")
	case "url":
		u, err := databaseURL(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u)
		return nil
	}
	return fmt.Errorf("usage: exithub db stop|url")
}
