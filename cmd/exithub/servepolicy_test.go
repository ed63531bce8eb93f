package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exithub"
	"exithub/db/pgtest"
)

// policyDir writes an operator's policy directory: the shipped model.conf
// and the given policy lines.
func policyDir(t *testing.T, csv string) string {
	t.Helper()
	model, err := os.ReadFile("../../policy/model.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"model.conf": string(model), "policy.csv": csv} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServeObeysAnOperatorsPolicy(t *testing.T) {
	// Caseworkers may read the directory and nothing else.
	dir := policyDir(t, "p, caseworker, MUNICIPALITY, organisation, read, all\n")
	h := startHub(t, func(m *Main) { m.PolicyDir = dir })
	tok := h.token("101", exithub.RoleCaseworker)
	if r := h.do(tok, `{ citizens(first: 1) { edges { cursor } } }`, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("a caseworker read citizens under a policy without the line: %s", r.raw)
	}
}

func TestServeRefusesAPolicyTheDatabaseRolesCannotServe(t *testing.T) {
	// exithub_ngo holds no privilege on hub.citizens: no row could ever
	// come back, so the policy is a mistake.
	dir := policyDir(t, "p, ngo_worker, NGO, citizen, read, addressed\n")
	m := NewMain()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", t.TempDir(), "--policy", dir}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("EXITHUB_PSEUDONYM_KEY", "e2e test key")
	m.DatabaseURL = pgtest.NewDatabase(t)
	err := m.Run(context.Background())
	t.Cleanup(func() {
		if err := m.Close(context.Background()); err != nil {
			t.Errorf("the hub did not close cleanly: %v", err)
		}
	})
	if err == nil || !strings.Contains(err.Error(), "exithub_ngo has no privilege on [hub.citizens]") {
		t.Fatalf("serve started with a policy its database roles cannot serve: %v", err)
	}
}
