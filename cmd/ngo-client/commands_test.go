package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// inboxRow is one row of `ngo-client inbox`, as id status version from.
func inboxRows(t *testing.T, out string) []string {
	t.Helper()
	all := strings.Split(strings.TrimSpace(out), "\n")
	if len(all) == 0 || !strings.HasPrefix(all[0], "ID ") {
		t.Fatalf("inbox printed no header:\n%s", out)
	}
	var rows []string
	for _, l := range all[1:] {
		f := strings.Fields(l)
		if len(f) != 6 {
			t.Fatalf("inbox row %q has %d columns, want 6", l, len(f))
		}
		rows = append(rows, strings.Join(f[:4], " "))
	}
	return rows
}

// directInbox is the same list read with a plain GraphQL query.
func directInbox(h *hub, first int, filter map[string]any) []string {
	d := h.gql(h.token("reden", "ngo_worker"), `query($first: Int, $filter: ReferralFilter) {
		referrals(first: $first, filter: $filter) { edges { node { id status version from { code } } } } }`,
		map[string]any{"first": first, "filter": filter})
	var rows []string
	for _, e := range d["referrals"].(map[string]any)["edges"].([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		rows = append(rows, fmt.Sprintf("%s %s %v %s", n["id"], n["status"], n["version"], n["from"].(map[string]any)["code"]))
	}
	return rows
}

func TestInboxListsTheDemoReferralsNewestFirst(t *testing.T) {
	h := startHub(t)
	cases := []struct {
		args   []string
		first  int
		filter map[string]any
	}{
		{[]string{"inbox", "--first", "100"}, 100, nil},
		{[]string{"inbox"}, 20, nil},
		{[]string{"inbox", "--first", "2"}, 2, nil},
		{[]string{"inbox", "--status", "requested", "--first", "100"}, 100, map[string]any{"status": "REQUESTED"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			defer func(n int) { pageSize = n }(pageSize)
			pageSize = 3 // the demo has too few referrals to fill the server's pages
			out, errOut, err := h.ngo(c.args...)
			if err != nil {
				t.Fatalf("%v: %s", err, errOut)
			}
			got, want := inboxRows(t, out), directInbox(h, c.first, c.filter)
			if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("inbox printed\n%s\nthe server lists\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestReferralGoesFromReceivedToCompleted(t *testing.T) {
	h := startHub(t)
	id := h.refer(h.citizen())
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"receive", id}, id + " RECEIVED v2"},
		{[]string{"accept", id, "--expected-version", "2"}, id + " ACCEPTED v3"},
		{[]string{"start", id}, id + " IN_PROGRESS v4"},
		{[]string{"note", id, "Viewing", "a", "flat", "on", "Monday"}, id + " note by "},
		{[]string{"complete", id, "--outcome", "housed"}, id + " COMPLETED v5"},
	}
	for _, s := range steps {
		out, errOut, err := h.ngo(s.args...)
		if err != nil || !strings.HasPrefix(out, s.want) {
			t.Fatalf("%v: printed %q, want %q (%v: %s)", s.args, out, s.want, err, errOut)
		}
	}
	d := h.gql(h.token("101", "caseworker"), `query($id: ID!) { referral(id: $id) { status outcome notes { text } } }`, map[string]any{"id": id})
	r := d["referral"].(map[string]any)
	if r["status"] != "COMPLETED" || r["outcome"] != "housed" || fmt.Sprint(r["notes"]) != "[map[text:Viewing a flat on Monday]]" {
		t.Fatalf("the municipality sees %v", r)
	}
}

func TestRefusalsExitNonZeroWithTheirCode(t *testing.T) {
	h := startHub(t)
	_, client := binaries(t)
	id := h.refer(h.citizen())
	cases := []struct {
		name  string
		args  []string
		token string
		exit  int
		code  string
	}{
		{"accept before receive", []string{"accept", id}, h.token("reden", "ngo_worker"), 1, "CONFLICT"},
		{"stale version", []string{"receive", id, "--expected-version", "7"}, h.token("reden", "ngo_worker"), 1, "CONFLICT"},
		{"another NGO's referral", []string{"receive", id}, h.token("kirkens-korshaer", "ngo_worker"), 1, "NOT_FOUND"},
		{"bad token", []string{"inbox"}, "nonsense", 1, "UNAUTHENTICATED"},
		{"complete without an outcome", []string{"complete", id}, h.token("reden", "ngo_worker"), 2, "--outcome is required"},
		{"reject without a reason", []string{"reject", id}, h.token("reden", "ngo_worker"), 2, "--reason is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(client, append(c.args, "--endpoint", h.endpoint())...)
			cmd.Env = append(h.env(), "EXITHUB_TOKEN="+c.token)
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != c.exit || !strings.Contains(stderr.String(), c.code) {
				t.Fatalf("got %v, stderr %q; want exit code %d and %s", err, stderr.String(), c.exit, c.code)
			}
		})
	}
	d := h.gql(h.token("101", "caseworker"), `query($id: ID!) { referral(id: $id) { status version } }`, map[string]any{"id": id})
	if fmt.Sprint(d["referral"]) != "map[status:REQUESTED version:1]" {
		t.Fatalf("refused commands changed the referral: %v", d)
	}
}

func TestWatchGivesUpWhenRetryingCannotHelp(t *testing.T) {
	h := startHub(t)
	// A refused WebSocket, which watch meets only after its read of the
	// inbox succeeded, is TestWatchAsksOverHTTPWhyAWebSocketWasRefused's.
	cases := []struct {
		name, token, code string
		flags             []string
	}{
		{"bad token", "nonsense", "UNAUTHENTICATED", nil},
		{"role without referrals", h.token("ministry", "analyst"), "FORBIDDEN", nil},
		{"role without referrals, printing the inbox since", h.token("ministry", "analyst"), "FORBIDDEN", []string{"--since", "2014-01-01T00:00:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := startWatch(t, h.endpoint(), c.token, append([]string{"--retry-min", "10ms", "--retry-max", "20ms"}, c.flags...)...)
			w.wantErr = true
			waitFor(t, 15*time.Second, "watch to give up", w.ended)
			if w.err == nil || !strings.Contains(w.log.String(), c.code) {
				t.Fatalf("watch ended with %v, stderr %q; want %s", w.err, w.log, c.code)
			}
		})
	}
}

// The client's operations are the first entries of the production
// allow-list: an instance serving with --allow-list on this folder admits
// every one of them, and nothing else.
func TestOperationsPassTheAllowList(t *testing.T) {
	h := startHub(t)
	id := h.refer(h.citizen())
	addr, _ := h.serve("--allow-list", ".")
	endpoint := "http://" + addr + "/graphql"
	tok := h.token("reden", "ngo_worker")
	for _, args := range [][]string{{"inbox"}, {"receive", id}, {"note", id, "hello"}, {"reject", id, "--reason", "full"}} {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), append(args, "--endpoint", endpoint, "--token", tok), &out, &errOut); err != nil {
			t.Fatalf("%v through the allow-list: %s", args, errOut.String())
		}
	}
	w := startWatch(t, endpoint, tok)
	waitFor(t, 20*time.Second, "watch to connect through the allow-list", func() bool { return strings.Contains(w.log.String(), "connected") })
	if code := post(t, endpoint, tok, `{ me { role } }`); code != "FORBIDDEN" {
		t.Fatalf("a query outside the allow-list got %q, want FORBIDDEN: is the list in force?", code)
	}
}
