package policy

import (
	"os"
	"strings"
	"testing"
)

// The README's role/permission table is generated, and this keeps it from
// drifting from the policy.
func TestREADMECarriesThePolicyTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- policy-table:begin -->\n", "<!-- policy-table:end -->"
	s := string(b)
	i := strings.Index(s, begin)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the policy table markers")
	}
	want := mustNew(t).MarkdownTable()
	if got := s[i+len(begin) : j]; got != want {
		t.Fatalf("README.md's policy table is stale; between the markers it should read:\n%s", want)
	}
}
