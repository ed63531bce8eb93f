package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/auth"
)

// exithubCLI runs the command line as main does and returns stdout, what
// main prints on stderr, and the exit code.
func exithubCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := report(&stderr, run(context.Background(), args, &stdout, &stderr))
	return stdout.String(), stderr.String(), code
}

// TestTokenRefusesTokensTheServerWouldRefuse: exithub token refuses, with
// the reason and a non-zero exit, every token the server refuses (checked
// by minting the same claims directly), and mints the others.
func TestTokenRefusesTokensTheServerWouldRefuse(t *testing.T) {
	h := startHub(t)
	t.Setenv("DATABASE_URL", h.dbURL)
	t.Setenv("EXITHUB_KEYS", h.keys.Dir())
	for _, c := range []struct {
		org, role, why string
	}{
		{"nosuchorg", "caseworker", `no organisation has the code "nosuchorg"`},
		{"ministry", "caseworker", "cannot hold the role caseworker, so the server would refuse the token; it can hold analyst"},
		{"reden", "wizard", `unknown role "wizard"; the roles are caseworker, ngo_worker, analyst`},
	} {
		out, errOut, code := exithubCLI(t, "token", "--org", c.org, "--role", c.role)
		if code == 0 || out != "" || !strings.Contains(errOut, c.why) {
			t.Errorf("token %s/%s: exit %d, stdout %q, stderr %q; want the reason %q", c.org, c.role, code, out, errOut, c.why)
		}
		if c.role == "wizard" {
			continue // Mint refuses an unknown role itself
		}
		tok, err := h.keys.Mint(auth.Claims{Sub: "x", Org: c.org, Role: exithub.Role(c.role)}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if r := h.do(tok, meQuery, nil); r.code() != exithub.EUNAUTHENTICATED {
			t.Errorf("the server does not refuse %s/%s: %s", c.org, c.role, r.raw)
		}
	}
	out, errOut, code := exithubCLI(t, "token", "--org", "ministry", "--role", "analyst")
	if code != 0 || errOut != "" {
		t.Fatalf("token ministry/analyst: exit %d: %s", code, errOut)
	}
	if r := h.do(strings.TrimSpace(out), meQuery, nil); len(r.Errors) > 0 {
		t.Fatalf("the server refuses the token exithub token made: %s", r.raw)
	}
}

// TestPolicyExplainRefusesUnknownNames: an unknown role, resource or
// action is an error that lists the valid names, not a decision of "none".
func TestPolicyExplainRefusesUnknownNames(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--role", "caseworker", "--resource", "citizens", "--action", "read"},
			[]string{`unknown resource "citizens"; the resources are organisation, citizen, consent`}},
		{[]string{"--role", "caseworker", "--resource", "citizen", "--action", "fly"},
			[]string{`unknown action "fly"; the actions are read, create`}},
		{[]string{"--role", "mayor", "--resource", "citizen"},
			[]string{`unknown role "mayor"; the roles are caseworker`, "--action is missing; the actions are read"}},
	} {
		out, errOut, code := exithubCLI(t, append([]string{"policy", "explain"}, c.args...)...)
		if code == 0 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: %q lacks %q", c.args, errOut, w)
			}
		}
	}
	out, _, code := exithubCLI(t, "policy", "explain", "--role", "caseworker", "--resource", "citizen", "--action", "read")
	if code != 0 || !strings.HasPrefix(out, "caseworker@MUNICIPALITY citizen read -> own") {
		t.Errorf("a known question: exit %d, %q", code, out)
	}
}

// TestKeysListAndRetire: the commands --help and the README promise.
func TestKeysListAndRetire(t *testing.T) {
	t.Setenv("EXITHUB_KEYS", t.TempDir())
	help, _, code := exithubCLI(t, "--help")
	if code != 0 || !strings.Contains(help, "keys rotate | keys list | keys retire KID") {
		t.Fatalf("--help: exit %d, %q", code, help)
	}
	first := keyLines(t)
	if len(first) != 1 || !strings.HasSuffix(first[0], "current (signs new tokens)") {
		t.Fatalf("keys list in a new directory: %q", first)
	}
	old := strings.Fields(first[0])[0]
	if _, errOut, code := exithubCLI(t, "keys", "retire", old); code == 0 || !strings.Contains(errOut, "is the current signing key; run exithub keys rotate first") {
		t.Errorf("retiring the current key: exit %d, %q", code, errOut)
	}
	if _, errOut, code := exithubCLI(t, "keys", "rotate"); code != 0 {
		t.Fatalf("keys rotate: %s", errOut)
	}
	if got := keyLines(t); len(got) != 2 || !slicesContainsLine(got, old+"\ttrusted") {
		t.Fatalf("keys list after a rotation: %q", got)
	}
	if _, errOut, code := exithubCLI(t, "keys", "retire", "nosuchkey"); code == 0 || !strings.Contains(errOut, "no key nosuchkey; the keys that can be retired are "+old) {
		t.Errorf("retiring an unknown key: exit %d, %q", code, errOut)
	}
	if _, errOut, code := exithubCLI(t, "keys", "retire", old); code != 0 {
		t.Fatalf("keys retire %s: %s", old, errOut)
	}
	if got := keyLines(t); len(got) != 1 || strings.HasPrefix(got[0], old) {
		t.Fatalf("keys list after retiring %s: %q", old, got)
	}
}

func keyLines(t *testing.T) []string {
	t.Helper()
	out, errOut, code := exithubCLI(t, "keys", "list")
	if code != 0 {
		t.Fatalf("keys list: exit %d, %s", code, errOut)
	}
	return strings.Split(strings.TrimSpace(out), "\n")
}

func slicesContainsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// TestCLIErrorsSayTheirPrefixOnceAndListValidValues: every refused command
// line says "exithub:" at most once, a usage line and a flag error carry
// no prefix and come once, and where the valid values are few the message
// lists them.
func TestCLIErrorsSayTheirPrefixOnceAndListValidValues(t *testing.T) {
	t.Setenv("EXITHUB_KEYS", t.TempDir())
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"keys"}, "usage: exithub keys rotate | keys list | keys retire KID", 1},
		{[]string{"db", "start"}, "usage: exithub db stop|url", 1},
		{[]string{"frobnicate"}, `exithub: unknown subcommand "frobnicate"; the subcommands are serve, migrate, seed, token, keys`, 1},
		{[]string{"token", "--bogus"}, "flag provided but not defined: -bogus\nUsage of token:", 2},
		{[]string{"retention", "run", "--keep", "soon"}, `invalid value "soon" for flag -keep`, 2},
		{[]string{"policy", "explain", "--role", "caseworker", "--resource", "citizen", "--action", "fly"}, "exithub: unknown action", 1},
		{[]string{"org", "add", "--code", "x", "--name", "X", "--kind", "CHURCH"}, `exithub: unknown kind "CHURCH"; the kinds are MUNICIPALITY, NGO, MINISTRY, AGENCY, EVALUATOR, OPERATOR`, 1},
	} {
		_, errOut, code := exithubCLI(t, c.args...)
		if code != c.code || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and a message starting %q", c.args, code, errOut, c.code, c.want)
		}
		if strings.Count(errOut, "exithub:") > 1 || strings.Contains(errOut, "exithub: usage") {
			t.Errorf("%v repeats its prefix: %q", c.args, errOut)
		}
		first, _, _ := strings.Cut(errOut, "\n")
		if strings.Count(errOut, first) > 1 {
			t.Errorf("%v says %q twice: %q", c.args, first, errOut)
		}
	}
}
