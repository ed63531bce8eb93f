// Package policy is who may do what: Casbin decides, from model.conf and
// policy.csv, in what scope a role of a kind of organisation may take an
// action on a resource. The database layer turns the scope into SQL.
//
// Every possible question is decided once, when the policy is loaded: the
// questions are roles × kinds × resources × actions, never users, so a
// request is answered by one map lookup and never by one Casbin call per row.
package policy

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"exithub"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Policy answers scopes. It is immutable once loaded, so it is safe for
// concurrent use without locks.
type Policy struct {
	// allowed holds the decisions that allow something; a missing key is
	// the default deny, so the map stays as small as policy.csv.
	allowed map[key]Decision
}

// Decision is a scope and the policy line that granted it: role, kind,
// resource, action, scope; nil for the default deny.
type Decision struct {
	Scope exithub.Scope
	Rule  []string
}

// key is one question the policy answers.
type key struct {
	role exithub.Role
	kind exithub.OrganisationKind
	res  exithub.Resource
	act  exithub.Action
}

func (k key) String() string {
	return fmt.Sprintf("%s@%s %s %s", k.role, k.kind, k.res, k.act)
}

// New loads the embedded model and policy. Asking Casbin every question
// takes some 50 ms, and a Policy never changes, so the embedded one is
// built once per process.
func New() (*Policy, error) { return embedded() }

var embedded = sync.OnceValues(func() (*Policy, error) {
	return build(source{"model.conf (embedded)", modelText}, source{"policy.csv (embedded)", policyText})
})

// Load reads the model and policy from files, so an operator can override
// the embedded ones; they are checked exactly as strictly.
func Load(modelPath, policyPath string) (*Policy, error) {
	m, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	csv, err := os.ReadFile(policyPath)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return build(source{modelPath, string(m)}, source{policyPath, string(csv)})
}

// LoadDir loads an operator's model.conf and policy.csv from one
// directory: `serve --policy DIR`.
func LoadDir(dir string) (*Policy, error) {
	return Load(filepath.Join(dir, "model.conf"), filepath.Join(dir, "policy.csv"))
}

// source is a text and the name its errors are reported under.
type source struct{ name, text string }

// build lets Casbin load the model and the policy, checks that it loaded
// every line as written, asks Casbin every question once and checks that
// every line allows at least its own question.
func build(model, csv source) (*Policy, error) {
	c, err := newCasbinDecider(model, csv)
	if err != nil {
		return nil, err
	}
	rules, err := c.rules()
	if err != nil {
		return nil, err
	}
	lines, err := checkLoaded(csv, rules)
	if err != nil {
		return nil, err
	}
	allowed, err := c.decideAll()
	if err != nil {
		return nil, err
	}
	if err := checkReached(model, csv, lines, allowed); err != nil {
		return nil, err
	}
	return &Policy{allowed: allowed}, nil
}
