package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"exithub"
)

// Bad input of every kind gets a clear error and changes nothing.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	h := startHub(t)
	tok := h.token("101", exithub.RoleCaseworker)
	count := func() int {
		d := h.must(tok, `{ citizens(first: 100) { edges { cursor } } }`, nil)
		return len(get(d, "citizens", "edges").([]any))
	}
	before := count()
	raw := func(body []byte) (int, string) {
		req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	reg := `mutation($in: RegisterCitizenInput!) { registerCitizen(input: $in) { id } }`
	cases := []struct {
		name string
		body string
		code string
	}{
		{"malformed JSON", `{"query": "mutation { registerCitizen(`, "BAD_USER_INPUT"},
		{"wrong type of a variable", `{"query": "` + reg + `", "variables": {"in": {"alias": 42}}}`, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown enum value", `{"query": "` + reg + `", "variables": {"in": {"alias": "a", "gender": "ROBOT"}}}`, "GRAPHQL_VALIDATION_FAILED"},
		{"huge string", `{"query": "` + reg + `", "variables": {"in": {"alias": "` + strings.Repeat("x", 5000) + `"}}}`, "BAD_USER_INPUT"},
		{"invalid UTF-8", "{\"query\": \"" + reg + "\", \"variables\": {\"in\": {\"alias\": \"\xff\xfe\"}}}", "BAD_USER_INPUT"},
		{"query not a string", `{"query": {"a": 1}}`, "BAD_USER_INPUT"},
		{"bad CPR", `{"query": "` + reg + `", "variables": {"in": {"alias": "a", "cpr": "999999-9999"}}}`, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := raw([]byte(c.body))
			if !strings.Contains(body, `"errors"`) || !strings.Contains(body, c.code) {
				t.Fatalf("%d %s", status, body)
			}
			if strings.Contains(body, `"registerCitizen":{`) {
				t.Fatalf("a bad request registered a citizen: %s", body)
			}
		})
	}
	if after := count(); after != before {
		t.Fatalf("bad input changed the data: %d citizens before, %d after", before, after)
	}
}
