package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"testing"
)

// TestWelcomePrintsAppLinksForBothSides: `make run` prints a sign-in link to
// the web app for a caseworker and one for an NGO worker, each carrying a
// token of that role in the fragment.
func TestWelcomePrintsAppLinksForBothSides(t *testing.T) {
	t.Setenv("EXITHUB_KEYS", t.TempDir())
	var out bytes.Buffer
	printAppLinks(&out, "http://127.0.0.1:8080")
	links := regexp.MustCompile(`http://127\.0\.0\.1:8080/app#token=([\w-]+\.([\w-]+)\.[\w-]+)`).FindAllStringSubmatch(out.String(), -1)
	var roles []string
	for _, l := range links {
		payload, err := base64.RawURLEncoding.DecodeString(l[2])
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]any
		if err := json.Unmarshal(payload, &c); err != nil {
			t.Fatal(err)
		}
		roles = append(roles, c["role"].(string)+"@"+c["org"].(string))
	}
	if len(roles) != 2 || roles[0] != "caseworker@101" || roles[1] != "ngo_worker@reden" {
		t.Errorf("the welcome's app links are for %v:\n%s", roles, out.String())
	}
}
