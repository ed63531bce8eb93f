package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/seed"
)

func runSeed(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 || args[0] != "demo" {
		return fmt.Errorf("usage: exithub seed demo")
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	key, err := pseudonymKey(keysDir())
	if err != nil {
		return err
	}
	if err := seed.Demo(ctx, u, key); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "demo data loaded")
	return nil
}

// runOrg onboards an organisation from the command line, as the database's
// owner, without a redeploy.
func runOrg(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: exithub org add --code CODE --name NAME --kind KIND [--population N]")
	}
	fs := flag.NewFlagSet("org add", flag.ContinueOnError)
	code := fs.String("code", "", "kommunekode or slug")
	name := fs.String("name", "", "name")
	kind := fs.String("kind", "", "MUNICIPALITY, NGO, MINISTRY, AGENCY, EVALUATOR or OPERATOR")
	pop := fs.Int("population", 0, "a municipality's population")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	o := seed.Org{Code: *code, Name: *name, Kind: exithub.OrganisationKind(*kind), Population: *pop}
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return seed.AddOrganisation(ctx, tx, o) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "organisation %s ready\n", *code)
	return nil
}
