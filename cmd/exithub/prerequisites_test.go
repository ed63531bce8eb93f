package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMakeTestOnAFreshMachineInstallsOrListsWhatIsMissing runs
// scripts/prerequisites, the one script `make test` and `make run` call,
// against an empty machine (an empty root and a PATH of stubs): not root,
// it stops at once with one message naming every missing package and the
// command that installs them; as root it installs them all with apt-get,
// and it announces the Go modules' download before it starts. The Makefile
// calls it before anything else, and .ci/run is just make test.
func TestMakeTestOnAFreshMachineInstallsOrListsWhatIsMissing(t *testing.T) {
	script := freshClone(t)
	all := "postgresql chromium pgbouncer nodejs npm"

	out, calls, err := runPrerequisites(t, script, "1000", "test", true)
	if err == nil || strings.Count(out, "\n") != 2 || calls != "" ||
		!strings.Contains(out, "missing: "+all) || !strings.Contains(out, "install them with: sudo apt-get install -y "+all) {
		t.Errorf("as a user on an empty machine: %v, calls %q, said:\n%s", err, calls, out)
	}
	out, calls, err = runPrerequisites(t, script, "1000", "run", true)
	if err == nil || !strings.Contains(out, "sudo apt-get install -y postgresql\n") {
		t.Errorf("make run as a user on an empty machine: %v, said:\n%s", err, out)
	}

	out, calls, err = runPrerequisites(t, script, "0", "test", true)
	wantCalls := "apt-get update -qq\napt-get install -y -qq " + all + "\ngo mod download\nnpm ci --no-audit --no-fund --loglevel=error\n"
	if err != nil || calls != wantCalls {
		t.Errorf("as root: %v; ran\n%s\nwant\n%s\nsaid:\n%s", err, calls, wantCalls, out)
	}
	if !strings.Contains(out, "downloading the Go modules") {
		t.Errorf("as root, the modules' download was not announced:\n%s", out)
	}

	out, calls, err = runPrerequisites(t, script, "0", "test", false)
	if err == nil || calls != "" || !strings.Contains(out, "needs Go 1.21 or newer on PATH") || !strings.Contains(out, "sudo apt-get install -y "+all) {
		t.Errorf("without Go: %v, calls %q, said:\n%s", err, calls, out)
	}

	for target, want := range map[string]string{"test": "scripts/prerequisites test\n", "run": "scripts/prerequisites run\n"} {
		dry, err := exec.Command("make", "-C", "../..", "-n", "--no-print-directory", target).Output()
		if err != nil || !strings.HasPrefix(string(dry), want) {
			t.Errorf("make -n %s: %v; it begins %.80q, want %q", target, err, dry, want)
		}
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(ci)), "\nexec make test") || strings.Contains(string(ci), "apt-get") {
		t.Errorf(".ci/run does more than make test: %v\n%s", err, ci)
	}
}

// freshClone copies scripts/prerequisites and the audits' lock file into a
// new folder laid out like the repository, without node_modules, and
// returns the script's path there.
func freshClone(t *testing.T) string {
	t.Helper()
	clone := t.TempDir()
	for _, name := range []string{"scripts/prerequisites", "server/gqlhttp/testdata/audit/package-lock.json"} {
		b, err := os.ReadFile(filepath.Join("../..", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(clone, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(clone, name), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(clone, "scripts/prerequisites")
}

// runPrerequisites runs the script as uid (an id stub) with an empty
// PREREQ_SYSROOT and a PATH of stubs that record what they are asked to do:
// apt-get (whose install brings an npm stub), and a go whose offline
// module check fails as on a fresh machine (unless withGo is false: no Go
// at all). It returns what the script said, the calls, and its error.
func runPrerequisites(t *testing.T, script, uid, mode string, withGo bool) (string, string, error) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	calls := filepath.Join(dir, "calls")
	stubs := map[string]string{
		"id": "echo " + uid,
		// Installing brings npm, which then records its calls too.
		"apt-get": `echo "apt-get $*" >> ` + calls + `; [ "$1" = install ] && printf '#!/bin/bash\necho "npm $*" >> ` + calls + `\n' > ` + filepath.Join(bin, "npm") + ` && chmod +x ` + filepath.Join(bin, "npm") + `; exit 0`,
		"go":      `[ "$GOPROXY" = off ] && exit 1; echo "go $*" >> ` + calls,
	}
	if !withGo {
		delete(stubs, "go")
	}
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range stubs {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/bash\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{"bash", "dirname", "chmod"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	// A guard against a script that waits; what it did is in the calls.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "bash"), script, mode)
	cmd.Env = []string{"PATH=" + bin, "PREREQ_SYSROOT=" + dir, "HOME=" + dir}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the script did not stop: %v", ctx.Err())
	}
	recorded, rerr := os.ReadFile(calls)
	if rerr != nil && !os.IsNotExist(rerr) {
		t.Fatal(rerr)
	}
	return string(out), string(recorded), err
}

// TestDevRunsRetentionOnlyWhenGivenExplicitly: `make run` serves the demo
// (dated 2014-15) with --dev, where the default five-year retention would
// erase its citizens; there retention is scheduled only when --retention or
// EXITHUB_RETENTION asks for it. Outside --dev the default stands.
func TestDevRunsRetentionOnlyWhenGivenExplicitly(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  string
		want time.Duration
	}{
		{[]string{"--dev"}, "", 0},
		{[]string{"--dev", "--retention", "1000h"}, "", 1000 * time.Hour},
		{[]string{"--dev"}, "2000h", 2000 * time.Hour},
		{nil, "", defaultRetention},
	} {
		t.Setenv("EXITHUB_RETENTION", c.env)
		m := NewMain()
		if err := m.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		if m.Retention != c.want {
			t.Errorf("serve %v with EXITHUB_RETENTION=%q: retention %v, want %v", c.args, c.env, m.Retention, c.want)
		}
	}
}
