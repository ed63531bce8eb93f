package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/seed"
)

func runSeed(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 && args[0] == "national" {
		return runSeedNational(ctx, args[1:], stdout)
	}
	if len(args) != 1 || args[0] != "demo" {
		return fmt.Errorf("usage: exithub seed demo | seed national [--scale 1.0]")
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
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := known("kind", exithub.OrganisationKind(*kind), exithub.OrganisationKinds); err != nil {
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

// runSeedNational loads the synthetic national-scale dataset for load tests.
func runSeedNational(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed national", flag.ContinueOnError)
	scale := fs.Float64("scale", 1.0, "1.0: a million citizens, three million referrals, ten million course events")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	c, err := seed.NationalWithProgress(ctx, u, *scale, func(step string, took time.Duration) {
		fmt.Fprintf(stdout, "  %-13s %s\n", step, took.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "national data at scale %g in %s: %d municipalities, %d NGOs, %d citizens, %d consents, %d referrals, %d courses, %d course events\n",
		*scale, time.Since(start).Round(time.Millisecond), c.Municipalities, c.NGOs, c.Citizens, c.Consents, c.Referrals, c.Courses, c.CourseEvents)
	return nil
}
