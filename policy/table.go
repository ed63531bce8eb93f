package policy

import (
	"fmt"
	"strings"

	"exithub"
)

// holder is a role as held by one kind of organisation: a column of the
// table, and the only pairs the policy can speak of.
type holder struct {
	role exithub.Role
	kind exithub.OrganisationKind
}

// holders lists every role of every kind that can hold it, role by role.
func holders() []holder {
	var out []holder
	for _, r := range exithub.Roles {
		for _, k := range exithub.OrganisationKinds {
			if exithub.CanHold(k, r) {
				out = append(out, holder{r, k})
			}
		}
	}
	return out
}

// MarkdownTable is the README's role/permission table: a row for every
// resource and action that some role may take, a column for every role of
// every kind that can hold it, and in each cell the scope, or – for none.
// Rows nobody may take are left out; the README says they are denied.
func (p *Policy) MarkdownTable() string {
	cols := holders()
	var b strings.Builder
	b.WriteString("| resource | action |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s@%s |", c.role, strings.ToLower(string(c.kind)))
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, res := range exithub.Resources {
		for _, act := range exithub.Actions {
			if cells, ok := p.row(cols, res, act); ok {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", res, act, strings.Join(cells, " | "))
			}
		}
	}
	return b.String()
}

// row is one row's cells, and whether any column may take the action.
func (p *Policy) row(cols []holder, res exithub.Resource, act exithub.Action) ([]string, bool) {
	cells := make([]string, len(cols))
	allowed := false
	for i, c := range cols {
		cells[i] = "–"
		if s := p.lookup(key{c.role, c.kind, res, act}).Scope; s.Allowed() {
			cells[i], allowed = string(s), true
		}
	}
	return cells, allowed
}
