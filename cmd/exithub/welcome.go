package main

import (
	"context"
	"fmt"
	"io"
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
	printAppLinks(w, url)
	fmt.Fprintln(w)
}

// printAppLinks prints the web app's sign-in links: one for a caseworker of
// Copenhagen (101) and one for an NGO worker of Reden, the two sides of a
// referral. The token is in the fragment, which the browser never sends.
func printAppLinks(w io.Writer, url string) {
	fmt.Fprintf(w, "\nWeb app (%s/app):\n", url)
	for _, p := range []struct {
		label, org string
		role       exithub.Role
	}{{"caseworker (101):", "101", exithub.RoleCaseworker}, {"NGO worker (reden):", "reden", exithub.RoleNGOWorker}} {
		t, err := mint(p.org, p.role, string(p.role)+"@"+p.org, 12*time.Hour)
		if err != nil {
			fmt.Fprintf(w, "  %s %v\n", p.label, err)
			continue
		}
		fmt.Fprintf(w, "  %-20s %s/app#token=%s\n", p.label, url, t)
	}
}
