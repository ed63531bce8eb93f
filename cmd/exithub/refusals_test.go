package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"exithub"
)

// TestUnauthorizedAndRateLimitedAnswersAreNegotiated: a 401 and a 429 come
// in the media type the client accepts, like every other answer, so that a
// client asking for application/graphql-response+json reads their errors.
func TestUnauthorizedAndRateLimitedAnswersAreNegotiated(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond, m.Config.RateBurst = 0.001, 1 })
	reden := h.token("reden", exithub.RoleNGOWorker)
	const gql, plain = "application/graphql-response+json", "application/json"
	cases := []struct {
		name, token, accept, media string
		status                     int
		code                       string
	}{
		{"401 to a graphql-response+json client", "", gql + ", " + plain + ";q=0.9", gql, 401, exithub.EUNAUTHENTICATED},
		{"401 to a json client", "", plain, plain, 401, exithub.EUNAUTHENTICATED},
		{"401 to a client accepting neither", "not-a-token", "text/html", plain, 401, exithub.EUNAUTHENTICATED},
		{"the one request the burst allows", reden, gql, gql, 200, ""},
		{"429 to a graphql-response+json client", reden, gql, gql, 429, exithub.ERATELIMITED},
		{"429 to a json client", reden, plain, plain, 429, exithub.ERATELIMITED},
	}
	for _, c := range cases {
		status, media, vary, code := postAccept(t, h, c.token, c.accept)
		if status != c.status || media != c.media+"; charset=utf-8" || code != c.code {
			t.Errorf("%s: %d %q %q, want %d %q %q", c.name, status, media, code, c.status, c.media, c.code)
		}
		if !slices.Contains(vary, "Accept") {
			t.Errorf("%s: Vary %q lacks Accept", c.name, vary)
		}
	}
}

// postAccept posts `{ me { sub } }` with an Accept header and returns the
// status, Content-Type, Vary and the first error's code.
func postAccept(t *testing.T, h *hub, token, accept string) (int, string, []string, string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": meQuery})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("not JSON (%d): %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Values("Vary"), r.code()
}
