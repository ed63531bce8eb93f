package exithub

// Permission is one thing a principal may do: an action on a resource, and
// in which scope. The list is what a client offers its user; the policy
// still decides every request on its own.
type Permission struct {
	Resource Resource
	Action   Action
	Scope    Scope
}

// Permissions asks the authorizer every question for the principal and keeps
// the allowed answers, in the order of Resources and Actions. It holds no
// rule of its own: whatever policy is loaded is what it reports.
func Permissions(authz Authorizer, p *Principal) []Permission {
	var out []Permission
	for _, res := range Resources {
		for _, act := range Actions {
			if s := authz.Scope(p, res, act); s.Allowed() {
				out = append(out, Permission{Resource: res, Action: act, Scope: s})
			}
		}
	}
	return out
}
