package main

import (
	"testing"

	"exithub"
)

// Every transition, allowed and refused, for every role that could try it.
func TestEveryTransitionPerRole(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond = 0 })
	tokens := map[string]string{
		"caseworker": h.token("101", exithub.RoleCaseworker), "ngo": h.token("reden", exithub.RoleNGOWorker),
		"other ngo": h.token("kirkens-korshaer", exithub.RoleNGOWorker), "analyst": h.token("ministry", exithub.RoleAnalyst),
		"grant admin": h.token("socialstyrelsen", exithub.RoleGrantAdmin), "admin": h.token("operator", exithub.RoleAdmin),
	}
	// The path to each state, and who may take each action from it.
	paths := map[string][]string{
		"REQUESTED": {}, "RECEIVED": {"receive"}, "ACCEPTED": {"receive", "accept"}, "IN_PROGRESS": {"receive", "accept", "start"},
	}
	legal := map[string][]string{
		"REQUESTED": {"receive", "cancel"}, "RECEIVED": {"accept", "reject", "cancel"},
		"ACCEPTED": {"start", "cancel"}, "IN_PROGRESS": {"complete", "fail", "cancel"},
	}
	actions := []string{"receive", "accept", "reject", "start", "complete", "fail", "cancel"}
	extra := map[string]any{"reason": "why", "outcome": "done"}
	for state, path := range paths {
		for _, action := range actions {
			for who, tok := range tokens {
				f := newReferral(t, h, "reden")
				for _, step := range path {
					f.transition(f.ngo, step, nil)
				}
				r := f.transition(tok, action, extra)
				want := wantCode(who, action, contains(legal[state], action))
				if r.code() != want {
					t.Errorf("%s: %s %s: got %q, want %q (%s)", state, who, action, r.code(), want, r.raw)
				}
			}
		}
	}
}

func wantCode(who, action string, legal bool) string {
	ngoAction := action != "cancel"
	switch {
	case who == "analyst" || who == "grant admin" || who == "admin":
		return exithub.EFORBIDDEN
	case who == "caseworker" && ngoAction, who == "ngo" && !ngoAction, who == "other ngo" && !ngoAction:
		return exithub.EFORBIDDEN
	case who == "other ngo":
		return exithub.ENOTFOUND
	case !legal:
		return exithub.ECONFLICT
	}
	return ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
