package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"exithub"
	"exithub/auth"
	"exithub/db"
)

// runToken prints a token signed with the local key, and nothing else, so
// that $(exithub token ...) works in a shell. It refuses a token the server
// would refuse: an unknown role or organisation, or a role the
// organisation's kind cannot hold.
func runToken(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	org := fs.String("org", "", "organisation code")
	role := fs.String("role", "", "role: "+names(exithub.Roles))
	sub := fs.String("sub", "", "subject (defaults to ROLE@ORG)")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *org == "" || *role == "" {
		return fmt.Errorf("token needs --org and --role")
	}
	if err := checkHolder(ctx, *org, exithub.Role(*role)); err != nil {
		return err
	}
	if *sub == "" {
		*sub = *role + "@" + *org
	}
	t, err := mint(*org, exithub.Role(*role), *sub, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, t)
	return nil
}

// checkHolder applies the server's rule (server.Identity) before signing:
// the organisation is in the directory and its kind can hold the role.
func checkHolder(ctx context.Context, org string, role exithub.Role) error {
	if !slices.Contains(exithub.Roles, role) {
		return fmt.Errorf("unknown role %q; the roles are %s", role, names(exithub.Roles))
	}
	u, err := databaseURL(ctx)
	if err != nil {
		return err
	}
	o, err := db.OrganisationAt(ctx, u, org)
	if exithub.ErrorCode(err) == exithub.ENOTFOUND {
		return fmt.Errorf("no organisation has the code %q, so the server would refuse the token (exithub org add creates one)", org)
	}
	if err != nil {
		return err
	}
	if !exithub.CanHold(o.Kind, role) {
		return fmt.Errorf("%s is a %s, which cannot hold the role %s, so the server would refuse the token; it can hold %s",
			org, o.Kind, role, names(exithub.RolesFor(o.Kind)))
	}
	return nil
}

func mint(org string, role exithub.Role, sub string, ttl time.Duration) (string, error) {
	k, err := auth.OpenKeyDir(keysDir())
	if err != nil {
		return "", err
	}
	return k.Mint(auth.Claims{Sub: sub, Org: org, Role: role}, ttl)
}
