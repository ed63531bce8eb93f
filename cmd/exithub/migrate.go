package main

import (
	"context"
	"fmt"
	"io"

	"exithub/db"
)

func runMigrate(ctx context.Context, _ []string, stdout, _ io.Writer) error {
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema at version %d\n", db.LatestVersion())
	return nil
}
