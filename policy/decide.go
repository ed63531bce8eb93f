package policy

import (
	"slices"

	"exithub"
)

var _ exithub.Authorizer = (*Policy)(nil)

// Scope implements exithub.Authorizer. Without a principal, or for a role
// its kind of organisation cannot hold, the answer is none: no such line
// can be loaded, so the question is never in the table.
func (p *Policy) Scope(pr *exithub.Principal, res exithub.Resource, act exithub.Action) exithub.Scope {
	if pr == nil {
		return exithub.ScopeNone
	}
	return p.lookup(key{pr.Role, pr.Org.Kind, res, act}).Scope
}

// Decide answers one question and names the line that answered it.
func (p *Policy) Decide(role exithub.Role, kind exithub.OrganisationKind, res exithub.Resource, act exithub.Action) Decision {
	d := p.lookup(key{role, kind, res, act})
	// The caller gets its own copy, so it cannot change later answers.
	d.Rule = slices.Clone(d.Rule)
	return d
}

func (p *Policy) lookup(k key) Decision {
	if d, ok := p.allowed[k]; ok {
		return d
	}
	return Decision{Scope: exithub.ScopeNone}
}

// Entitlements lists every question the policy allows, role by role, in the
// order of the README's table.
func (p *Policy) Entitlements() []exithub.Entitlement {
	var out []exithub.Entitlement
	for k := range heldKeys() {
		if d, ok := p.allowed[k]; ok {
			out = append(out, exithub.Entitlement{Role: k.role, Kind: k.kind, Resource: k.res, Action: k.act, Scope: d.Scope})
		}
	}
	return out
}
