package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"exithub"
	"exithub/policy"
)

const policyUsage = "usage: exithub policy explain --role R --resource X --action A"

func runPolicy(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "explain" {
		return errors.New(policyUsage)
	}
	fs := flag.NewFlagSet("policy explain", flag.ContinueOnError)
	role := fs.String("role", "", "role: "+names(exithub.Roles))
	res := fs.String("resource", "", "resource: "+names(exithub.Resources))
	act := fs.String("action", "", "action: "+names(exithub.Actions))
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	r, x, a := exithub.Role(*role), exithub.Resource(*res), exithub.Action(*act)
	if err := errors.Join(known("role", r, exithub.Roles), known("resource", x, exithub.Resources),
		known("action", a, exithub.Actions)); err != nil {
		return err
	}
	p, err := policy.New()
	if err != nil {
		return err
	}
	for _, line := range policy.ExplainText(r, x, a, p.Explain(r, x, a)) {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// known refuses a name that is not one of valid, listing them: an unknown
// name would otherwise be explained as "none", which reads like an answer.
func known[T ~string](what string, name T, valid []T) error {
	if slices.Contains(valid, name) {
		return nil
	}
	if name == "" {
		return fmt.Errorf("--%s is missing; the %ss are %s", what, what, names(valid))
	}
	return fmt.Errorf("unknown %s %q; the %ss are %s", what, name, what, names(valid))
}

func names[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
