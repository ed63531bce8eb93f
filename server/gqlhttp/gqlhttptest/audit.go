package gqlhttptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Result is one graphql-http audit's outcome as audit.mjs prints it.
type Result struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"` // ok, notice (a MAY), warn (a SHOULD) or error (a MUST)
	Reason string `json:"reason"`
}

// RunAudits runs every graphql-http server audit against url, sending
// authorization (if not empty) as the Authorization header, and fails the
// test listing every audit that is not "ok": errors, warnings and notices
// alike, since the hub means to meet the specification's MAYs too.
func RunAudits(t testing.TB, url, authorization string) {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "audit.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "AUDIT_URL="+url, "AUDIT_AUTH="+authorization)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	results, bad := parseResults(stdout.String())
	switch {
	case len(bad) > 0:
		t.Fatalf("GraphQL-over-HTTP audits: %d of %d not ok:\n%s", len(bad), len(results), strings.Join(bad, "\n"))
	case runErr != nil || len(results) == 0:
		t.Fatalf("GraphQL-over-HTTP audits did not run (%v, %d results):\n%s%s", runErr, len(results), stdout.String(), stderr.String())
	}
	t.Logf("GraphQL-over-HTTP audits: all %d ok", len(results))
}

// parseResults reads audit.mjs's JSON lines; bad describes each result
// that is not ok, and each line that is not a result.
func parseResults(out string) (results []Result, bad []string) {
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r Result
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.ID == "" {
			bad = append(bad, "unexpected output: "+line)
			continue
		}
		results = append(results, r)
		if r.Status != "ok" {
			bad = append(bad, fmt.Sprintf("%s %s [%s]: %s", r.ID, r.Status, r.Name, r.Reason))
		}
	}
	return results, bad
}
