package policy

import (
	"fmt"
	"strings"

	"exithub"
)

// KindDecision is the decision for one kind of organisation that can hold a
// role.
type KindDecision struct {
	Kind exithub.OrganisationKind
	Decision
}

// Explain decides for every kind of organisation that can hold the role:
// the answer to `exithub policy explain --role R --resource X --action A`.
// It is empty for a role no kind can hold.
func (p *Policy) Explain(role exithub.Role, res exithub.Resource, act exithub.Action) []KindDecision {
	var out []KindDecision
	for _, k := range exithub.OrganisationKinds {
		if exithub.CanHold(k, role) {
			out = append(out, KindDecision{Kind: k, Decision: p.Decide(role, k, res, act)})
		}
	}
	return out
}

// ExplainText renders Explain's decisions one line each, naming the rule
// that made each one, e.g.
//
//	ngo_worker@NGO referral accept -> addressed (rule: p, ngo_worker, NGO, referral, accept, addressed)
//	caseworker@MUNICIPALITY referral accept -> none (default deny: no rule)
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
