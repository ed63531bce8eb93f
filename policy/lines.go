package policy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"exithub"
)

// line is one policy line Casbin loaded, with its number for error
// messages.
type line struct {
	n    int
	key  key
	rule []string // role, kind, resource, action, scope: what Casbin stores
}

// checkLoaded holds what Casbin loaded to the text it was given. Casbin's
// adapter skips a line it cannot use, and keeps one of two equal lines,
// without an error; here every policy line of the text must have become
// exactly one of Casbin's rules, and every rule must name a role, kind,
// resource, action and scope the hub knows, once: a mistyped line must stop
// the load, not quietly deny.
func checkLoaded(csv source, rules [][]string) ([]line, error) {
	var out []line
	seen := map[key]int{}
	for n, text := range policyLines(csv.text) {
		l, err := loadedLine(n, text, rules)
		if err == nil && seen[l.key] != 0 {
			err = fmt.Errorf("repeats line %d's role, kind, resource and action", seen[l.key])
		}
		if err != nil {
			return nil, fmt.Errorf("policy: %s:%d: %w: %s", csv.name, n, err, text)
		}
		seen[l.key] = n
		out = append(out, l)
	}
	if len(out) == 0 {
		// An empty policy denies everything: surely the wrong file.
		return nil, fmt.Errorf("policy: %s: no policy lines", csv.name)
	}
	if len(out) != len(rules) {
		return nil, fmt.Errorf("policy: %s: Casbin loaded %d rules from %d lines", csv.name, len(rules), len(out))
	}
	return out, nil
}

// policyLines yields the lines Casbin's loader reads as policy, numbered
// from 1: not blank, not a comment.
func policyLines(text string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, raw := range strings.Split(text, "\n") {
			s := strings.TrimSpace(raw)
			if s == "" || strings.HasPrefix(s, "#") {
				continue
			}
			if !yield(i+1, s) {
				return
			}
		}
	}
}

// loadedLine finds the rule Casbin made of a line, splitting it as Casbin's
// loader does (CSV, leading spaces trimmed), and checks its values.
func loadedLine(n int, text string, rules [][]string) (line, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.TrimLeadingSpace = true
	f, err := r.Read()
	if err != nil || len(f) != 6 || f[0] != "p" {
		return line{}, errors.New(`want "p, role, kind, resource, action, scope"`)
	}
	if !slices.ContainsFunc(rules, func(rule []string) bool { return slices.Equal(rule, f[1:]) }) {
		return line{}, errors.New("Casbin did not load this line")
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
