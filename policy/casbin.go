package policy

import (
	"fmt"
	"iter"
	"slices"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"

	"exithub"
)

// casbinDecider is a Casbin enforcer that has loaded model.conf, and
// policy.csv through Casbin's own adapter. Casbin tries a policy's lines
// one after another, at some 250 ns each on top of a few µs per call, so a
// question costs tens of µs (BenchmarkDecideUncached); requests never pay
// it: Policy asks every question once, at load.
type casbinDecider struct{ e *casbin.Enforcer }

// newCasbinDecider builds the model from its text and lets Casbin's
// string adapter load the policy text (the embedded file, or an operator's
// file read whole). The adapter skips a line it cannot use without saying
// so; checkLoaded refuses the policy then.
func newCasbinDecider(conf, csv source) (casbinDecider, error) {
	m, err := model.NewModelFromString(conf.text)
	if err != nil {
		return casbinDecider{}, fmt.Errorf("policy: %s: %w", conf.name, err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		return casbinDecider{}, fmt.Errorf("policy: %s: %w", conf.name, err)
	}
	e.SetAdapter(stringadapter.NewAdapter(csv.text))
	if err := e.LoadPolicy(); err != nil {
		return casbinDecider{}, fmt.Errorf("policy: %s: %w", csv.name, err)
	}
	return casbinDecider{e}, nil
}

// rules is the policy as Casbin loaded it.
func (c casbinDecider) rules() ([][]string, error) {
	r, err := c.e.GetPolicy()
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return r, nil
}

// decide asks Casbin one question. EnforceEx names the matched line, and
// the scope is read from it.
func (c casbinDecider) decide(k key) (Decision, error) {
	deny := Decision{Scope: exithub.ScopeNone}
	ok, rule, err := c.e.EnforceEx(string(k.role), string(k.kind), string(k.res), string(k.act))
	switch {
	case err != nil:
		return deny, fmt.Errorf("policy: deciding %s: %w", k, err)
	case !ok:
		return deny, nil
	case len(rule) != 5:
		return deny, fmt.Errorf("policy: %s was allowed without a policy line to name its scope", k)
	}
	// EnforceEx hands out the enforcer's own slice of the line, not a copy.
	return Decision{Scope: exithub.Scope(rule[4]), Rule: slices.Clone(rule)}, nil
}

// decideAll asks every question a principal could ask, and keeps the
// answers that allow something.
func (c casbinDecider) decideAll() (map[key]Decision, error) {
	allowed := map[key]Decision{}
	for k := range heldKeys() {
		d, err := c.decide(k)
		if err != nil {
			return nil, err
		}
		if d.Scope.Allowed() {
			allowed[k] = d
		}
	}
	return allowed, nil
}

// heldKeys yields every question for every role of every kind that can
// hold it; any other question is denied without asking.
func heldKeys() iter.Seq[key] {
	return func(yield func(key) bool) {
		for _, h := range holders() {
			for _, res := range exithub.Resources {
				for _, act := range exithub.Actions {
					if !yield(key{h.role, h.kind, res, act}) {
						return
					}
				}
			}
		}
	}
}

// checkReached refuses a policy line whose own question the model denies:
// such a line is dead text that `policy explain` and the README's table
// would still show. A matcher looser than equality is fine: every question
// is decided here, at load, and each Decision names the line that matched.
func checkReached(conf, csv source, lines []line, allowed map[key]Decision) error {
	for _, l := range lines {
		if _, ok := allowed[l.key]; !ok {
			return fmt.Errorf("policy: %s: the line %s:%d is never matched", conf.name, csv.name, l.n)
		}
	}
	return nil
}
