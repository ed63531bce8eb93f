package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"exithub"
	"exithub/policy"
)

func runPolicy(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "explain" {
		return fmt.Errorf("usage: exithub policy explain --role R --resource X --action A")
	}
	fs := flag.NewFlagSet("policy explain", flag.ContinueOnError)
	role := fs.String("role", "", "role")
	res := fs.String("resource", "", "resource")
	act := fs.String("action", "", "action")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	p, err := policy.New()
	if err != nil {
		return err
	}
	r, x, a := exithub.Role(*role), exithub.Resource(*res), exithub.Action(*act)
	for _, line := range policy.ExplainText(r, x, a, p.Explain(r, x, a)) {
		fmt.Fprintln(stdout, line)
	}
	return nil
}
