package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"exithub"
	"exithub/auth"
)

// runToken prints a token signed with the local key, and nothing else, so
// that $(exithub token ...) works in a shell.
func runToken(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	org := fs.String("org", "", "organisation code")
	role := fs.String("role", "", "role")
	sub := fs.String("sub", "", "subject (defaults to ROLE@ORG)")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *org == "" || *role == "" {
		return fmt.Errorf("token needs --org and --role")
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

func mint(org string, role exithub.Role, sub string, ttl time.Duration) (string, error) {
	k, err := auth.OpenKeyDir(keysDir())
	if err != nil {
		return "", err
	}
	return k.Mint(auth.Claims{Sub: sub, Org: org, Role: role}, ttl)
}

func runKeys(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 || args[0] != "rotate" {
		return fmt.Errorf("usage: exithub keys rotate")
	}
	k, err := auth.OpenKeyDir(keysDir())
	if err != nil {
		return err
	}
	kid, err := k.Rotate()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new signing key %s; older public keys stay trusted until retired\n", kid)
	return nil
}
