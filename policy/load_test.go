package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exithub"
)

func TestLoadRefusesBadLines(t *testing.T) {
	// Each policy starts with a good line, so that only the bad one is refused.
	const good = "p, caseworker, MUNICIPALITY, citizen, read, own\n"
	for name, c := range map[string]struct{ csv, want string }{
		"unknown role":     {good + "p, janitor, MUNICIPALITY, citizen, read, own", `unknown role "janitor"`},
		"unknown kind":     {good + "p, caseworker, PLANET, citizen, read, own", `unknown organisation kind "PLANET"`},
		"kind mismatch":    {good + "p, caseworker, NGO, citizen, read, own", "kind NGO cannot hold role caseworker"},
		"unknown resource": {good + "p, caseworker, MUNICIPALITY, spaceship, read, own", `unknown resource "spaceship"`},
		"unknown action":   {good + "p, caseworker, MUNICIPALITY, citizen, fly, own", `unknown action "fly"`},
		"unknown scope":    {good + "p, caseworker, MUNICIPALITY, citizen, update, galaxy", `unknown scope "galaxy"`},
		"scope none":       {good + "p, caseworker, MUNICIPALITY, citizen, update, none", `scope "none" is the default`},
		"too few fields":   {good + "p, caseworker, MUNICIPALITY, citizen, update", `want "p, role`},
		"not a p line":     {good + "g, caseworker, MUNICIPALITY, citizen, update, own", `want "p, role`},
		"conflict":         {good + "p, caseworker, MUNICIPALITY, citizen, read, all", "repeats line 1"},
		"exact repeat":     {good + good, "repeats line 1"},
		"quoted field":     {good + `p, caseworker, MUNICIPALITY, "citizen, update", own`, `want "p, role`},
		"empty":            {"# nothing but a comment\n", "no policy lines"},
	} {
		_, err := Load(write(t, "model.conf", modelText), write(t, "policy.csv", c.csv))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
}

func TestLoadNamesTheFileAndLine(t *testing.T) {
	path := write(t, "policy.csv", "# header\np, caseworker, MUNICIPALITY, citizen, read, own\np, caseworker, NGO, citizen, read, own\n")
	_, err := Load(write(t, "model.conf", modelText), path)
	if err == nil || !strings.Contains(err.Error(), path+":3:") {
		t.Fatalf("got %v, want the error to name %s:3", err, path)
	}
}

func TestLoadRefusesAModelThatReachesNoLine(t *testing.T) {
	never := strings.Replace(modelText, "r.act == p.act", `r.act == "never"`, 1)
	for name, conf := range map[string]string{"never": never, "broken": "[nothing]\n"} {
		if _, err := Load(write(t, "model.conf", conf), write(t, "policy.csv", policyText)); err == nil {
			t.Errorf("%s model loaded", name)
		}
	}
}

func TestAKeyMatchModelLoadsAndDecidesAsTheLines(t *testing.T) {
	conf := strings.Replace(modelText, "r.obj == p.obj", "keyMatch(r.obj, p.obj)", 1)
	if conf == modelText {
		t.Fatal("model.conf no longer matches r.obj == p.obj")
	}
	p, err := Load(write(t, "model.conf", conf), write(t, "policy.csv", policyText))
	if err != nil {
		t.Fatal(err)
	}
	if p.MarkdownTable() != mustNew(t).MarkdownTable() {
		t.Fatal("keyMatch on exact resources decides otherwise than equality")
	}
}

func TestALooserModelLoadsAndDecidesByTheLineItMatches(t *testing.T) {
	// Without r.act == p.act, a line for one action allows every action on
	// its resource, in its scope.
	conf := strings.Replace(modelText, "r.act == p.act && ", "", 1)
	p, err := Load(write(t, "model.conf", conf), write(t, "policy.csv", "p, caseworker, MUNICIPALITY, citizen, read, own\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := p.Decide(exithub.RoleCaseworker, exithub.KindMunicipality, exithub.ResCitizen, exithub.ActUpdate)
	if d.Scope != exithub.ScopeOwn || strings.Join(d.Rule, ",") != "caseworker,MUNICIPALITY,citizen,read,own" {
		t.Fatalf("update on citizen: %+v", d)
	}
	if s := p.Decide(exithub.RoleCaseworker, exithub.KindMunicipality, exithub.ResReferral, exithub.ActRead).Scope; s != exithub.ScopeNone {
		t.Fatalf("another resource is allowed: %s", s)
	}
}

func TestLoadFromThePackagesFilesEqualsNew(t *testing.T) {
	loaded, err := Load("model.conf", "policy.csv")
	if err != nil {
		t.Fatal(err)
	}
	if loaded.MarkdownTable() != mustNew(t).MarkdownTable() {
		t.Fatal("the files and the embedded policy differ")
	}
	if _, err := Load("model.conf", "missing.csv"); err == nil {
		t.Fatal("a missing file loaded")
	}
}

func TestAnOverridingPolicyIsObeyed(t *testing.T) {
	p, err := Load(write(t, "model.conf", modelText), write(t, "policy.csv", "p, auditor, MUNICIPALITY, audit, read, own\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Decide(exithub.RoleAuditor, exithub.KindMunicipality, exithub.ResAudit, exithub.ActRead).Scope; s != exithub.ScopeOwn {
		t.Fatalf("auditor reads audit in scope %s", s)
	}
	if s := p.Decide(exithub.RoleCaseworker, exithub.KindMunicipality, exithub.ResCitizen, exithub.ActRead).Scope; s != exithub.ScopeNone {
		t.Fatalf("a line left out still allows: %s", s)
	}
}

func write(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
