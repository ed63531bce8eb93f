package main

import (
	"context"
	"fmt"
	"time"

	"exithub"
)

// printWelcome tells a newcomer where GraphiQL is and gives a ready token for
// one principal of each role, so every view can be tried in a minute.
func printWelcome(_ context.Context, m *Main) {
	w := m.Stdout
	url := "http://" + m.Server.Addr()
	fmt.Fprintf(w, "\nExit Hub is ready.\n  GraphiQL:  %s/\n  GraphQL:   %s/graphql\n\nTokens (valid 12h; send as Authorization: Bearer <token>):\n", url, url)
	principals := []struct {
		org  string
		role exithub.Role
	}{
		{"101", exithub.RoleCaseworker}, {"reden", exithub.RoleNGOWorker}, {"ministry", exithub.RoleAnalyst},
		{"socialstyrelsen", exithub.RoleGrantAdmin}, {"101", exithub.RoleAuditor}, {"operator", exithub.RoleAuditor},
		{"operator", exithub.RoleAdmin},
	}
	for _, p := range principals {
		t, err := mint(p.org, p.role, string(p.role)+"@"+p.org, 12*time.Hour)
		if err != nil {
			fmt.Fprintf(w, "  %s@%s: %v\n", p.role, p.org, err)
			continue
		}
		fmt.Fprintf(w, "  %-12s %-16s %s\n", p.role, p.org, t)
	}
	if t, err := mint("ministry", exithub.RoleAnalyst, "analyst@ministry", 12*time.Hour); err == nil {
		fmt.Fprintf(w, "\nDashboard (as the ministry's analyst):\n  %s/dashboard#token=%s\n", url, t)
	}
	fmt.Fprintln(w)
}
