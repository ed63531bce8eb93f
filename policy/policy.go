// Package policy is who may do what: Casbin decides, from model.conf and
// policy.csv, in what scope a role of a kind of organisation may take an
// action on a resource. The database layer turns the scope into SQL.
package policy

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"

	"exithub"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Policy answers scopes. Decisions are cached by (role, kind, resource,
// action): rules grow with roles × resources, never with users, so the
// cache is small and one decision serves a whole request.
type Policy struct {
	enforcer *casbin.Enforcer
	mu       sync.Mutex // casbin's enforcer is not safe for concurrent use
	cache    sync.Map   // key → Decision
}

// Decision is a scope and the policy line that granted it (nil for the
// default deny).
type Decision struct {
	Scope exithub.Scope
	Rule  []string
}

type key struct {
	role exithub.Role
	kind exithub.OrganisationKind
	res  exithub.Resource
	act  exithub.Action
}

// New loads the embedded model and policy.
func New() (*Policy, error) { return fromText(modelText, policyText) }

func fromText(modelConf, csv string) (*Policy, error) {
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("policy: model: %w", err)
	}
	e, err := casbin.NewEnforcer(m, stringadapter.NewAdapter(csv))
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	p := &Policy{enforcer: e}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// validate refuses a policy that names an unknown role, kind, resource,
// action or scope, or gives a role to a kind that cannot hold it.
func (p *Policy) validate() error {
	rules, err := p.enforcer.GetPolicy()
	if err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	for _, r := range rules {
		if len(r) != 5 {
			return fmt.Errorf("policy: line %v has %d fields, want 5", r, len(r))
		}
		role, kind := exithub.Role(r[0]), exithub.OrganisationKind(r[1])
		switch {
		case !slices.Contains(exithub.Roles, role):
			return fmt.Errorf("policy: unknown role in %v", r)
		case !kind.Valid():
			return fmt.Errorf("policy: unknown kind in %v", r)
		case !exithub.CanHold(kind, role):
			return fmt.Errorf("policy: %s cannot hold role %s in %v", kind, role, r)
		case !slices.Contains(exithub.Resources, exithub.Resource(r[2])):
			return fmt.Errorf("policy: unknown resource in %v", r)
		case !slices.Contains(exithub.Actions, exithub.Action(r[3])):
			return fmt.Errorf("policy: unknown action in %v", r)
		case !slices.Contains(exithub.Scopes, exithub.Scope(r[4])) || r[4] == string(exithub.ScopeNone):
			return fmt.Errorf("policy: unknown scope in %v", r)
		}
	}
	return nil
}

// Scope implements exithub.Authorizer.
func (p *Policy) Scope(pr *exithub.Principal, res exithub.Resource, act exithub.Action) exithub.Scope {
	if pr == nil {
		return exithub.ScopeNone
	}
	return p.Decide(pr.Role, pr.Org.Kind, res, act).Scope
}

// Decide asks Casbin once per distinct question and remembers the answer.
func (p *Policy) Decide(role exithub.Role, kind exithub.OrganisationKind, res exithub.Resource, act exithub.Action) Decision {
	k := key{role, kind, res, act}
	if d, ok := p.cache.Load(k); ok {
		return d.(Decision)
	}
	d := p.decide(k)
	p.cache.Store(k, d)
	return d
}

func (p *Policy) decide(k key) Decision {
	if !exithub.CanHold(k.kind, k.role) {
		return Decision{Scope: exithub.ScopeNone}
	}
	p.mu.Lock()
	ok, rule, err := p.enforcer.EnforceEx(string(k.role), string(k.kind), string(k.res), string(k.act))
	p.mu.Unlock()
	if err != nil || !ok || len(rule) != 5 {
		return Decision{Scope: exithub.ScopeNone}
	}
	return Decision{Scope: exithub.Scope(rule[4]), Rule: rule}
}

// Load reads the model and policy from files, so an operator can override
// the embedded ones.
func Load(modelPath, policyPath string) (*Policy, error) {
	m, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	csv, err := os.ReadFile(policyPath)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return fromText(string(m), string(csv))
}
