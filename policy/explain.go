package policy

import (
	"fmt"
	"strings"

	"exithub"
)

// KindDecision is a decision for one kind of organisation that can hold a role.
type KindDecision struct {
	Kind exithub.OrganisationKind
	Decision
}

// Explain decides for every kind of organisation that can hold the role:
// the answer to `exithub policy explain`.
func (p *Policy) Explain(role exithub.Role, res exithub.Resource, act exithub.Action) []KindDecision {
	var out []KindDecision
	for _, k := range exithub.OrganisationKinds {
		if exithub.CanHold(k, role) {
			out = append(out, KindDecision{Kind: k, Decision: p.Decide(role, k, res, act)})
		}
	}
	return out
}

// ExplainText renders decisions one line each, naming the rule that made
// each one.
func ExplainText(role exithub.Role, res exithub.Resource, act exithub.Action, ds []KindDecision) []string {
	if len(ds) == 0 {
		return []string{fmt.Sprintf("%s: no kind of organisation can hold this role -> none", role)}
	}
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		why := "default deny: no rule"
		if d.Rule != nil {
			why = "rule: p, " + strings.Join(d.Rule, ", ")
		}
		out = append(out, fmt.Sprintf("%s@%s %s %s -> %s (%s)", role, d.Kind, res, act, d.Scope, why))
	}
	return out
}

// MarkdownTable is the README's role/permission table: a row for every
// resource and action that some role may take, a column for every role of
// every kind that can hold it.
func (p *Policy) MarkdownTable() string {
	type col struct {
		role exithub.Role
		kind exithub.OrganisationKind
	}
	var cols []col
	for _, r := range exithub.Roles {
		for _, k := range exithub.OrganisationKinds {
			if exithub.CanHold(k, r) {
				cols = append(cols, col{r, k})
			}
		}
	}
	var b strings.Builder
	b.WriteString("| resource | action |")
	for _, c := range cols {
		fmt.Fprintf(&b, " %s@%s |", c.role, strings.ToLower(string(c.kind)))
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
	for _, res := range exithub.Resources {
		for _, act := range exithub.Actions {
			cells := make([]string, len(cols))
			any := false
			for i, c := range cols {
				cells[i] = "–"
				if s := p.Decide(c.role, c.kind, res, act).Scope; s.Allowed() {
					cells[i], any = string(s), true
				}
			}
			if any {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", res, act, strings.Join(cells, " | "))
			}
		}
	}
	return b.String()
}
