package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"exithub"
)

// line is one policy line, with its number for error messages.
type line struct {
	n    int
	key  key
	rule []string // role, kind, resource, action, scope: what Casbin stores
}

// parseLines reads `p, role, kind, resource, action, scope` lines. It is
// stricter than Casbin's own loader, which silently skips a line it cannot
// use: a mistyped line must stop the load, not quietly deny.
func parseLines(csv source) ([]line, error) {
	var out []line
	seen := map[key]int{}
	for i, raw := range strings.Split(csv.text, "\n") {
		s := strings.TrimSpace(raw)
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		l, err := parseLine(i+1, s)
		if err == nil && seen[l.key] != 0 {
			err = fmt.Errorf("repeats line %d's role, kind, resource and action", seen[l.key])
		}
		if err != nil {
			return nil, fmt.Errorf("policy: %s:%d: %w: %s", csv.name, i+1, err, s)
		}
		seen[l.key] = l.n
		out = append(out, l)
	}
	if len(out) == 0 {
		// An empty policy denies everything: surely the wrong file.
		return nil, fmt.Errorf("policy: %s: no policy lines", csv.name)
	}
	return out, nil
}

func parseLine(n int, s string) (line, error) {
	f := strings.Split(s, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	if len(f) != 6 || f[0] != "p" {
		return line{}, errors.New(`want "p, role, kind, resource, action, scope"`)
	}
	k := key{exithub.Role(f[1]), exithub.OrganisationKind(f[2]), exithub.Resource(f[3]), exithub.Action(f[4])}
	if err := checkKey(k); err != nil {
		return line{}, err
	}
	if err := checkScope(exithub.Scope(f[5])); err != nil {
		return line{}, err
	}
	return line{n: n, key: k, rule: f[1:]}, nil
}

// checkKey refuses a value the hub does not know, and a role given to a
// kind of organisation that can never hold it (such a line could never be
// used, so it is a mistake).
func checkKey(k key) error {
	switch {
	case !slices.Contains(exithub.Roles, k.role):
		return fmt.Errorf("unknown role %q", k.role)
	case !k.kind.Valid():
		return fmt.Errorf("unknown organisation kind %q", k.kind)
	case !exithub.CanHold(k.kind, k.role):
		return fmt.Errorf("an organisation of kind %s cannot hold role %s", k.kind, k.role)
	case !slices.Contains(exithub.Resources, k.res):
		return fmt.Errorf("unknown resource %q", k.res)
	case !slices.Contains(exithub.Actions, k.act):
		return fmt.Errorf("unknown action %q", k.act)
	}
	return nil
}

// checkScope refuses an unknown scope, and "none": denial is the default,
// and a line that allows nothing would only mislead its reader.
func checkScope(s exithub.Scope) error {
	switch {
	case s == exithub.ScopeNone:
		return errors.New(`scope "none" is the default: leave the line out`)
	case !slices.Contains(exithub.Scopes, s):
		return fmt.Errorf("unknown scope %q", s)
	}
	return nil
}
