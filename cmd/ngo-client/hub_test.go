package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub/db/pgtest"
	"exithub/db/seed"
	"exithub/graph/relay"
)

// hub is a real `exithub serve` on its own database with the demo data.
type hub struct {
	t                *testing.T
	bin, keys, dbURL string
	addr             string // host:port
	logs             *syncBuffer
	tokens           map[string]string
}

// startHub starts the server binary on a fresh database with the demo data.
func startHub(t *testing.T) *hub {
	t.Helper()
	bin, _ := binaries(t)
	dbURL := pgtest.NewDatabase(t)
	if err := seed.Demo(context.Background(), dbURL, []byte("k")); err != nil {
		t.Fatal(err)
	}
	h := &hub{t: t, bin: bin, keys: t.TempDir(), dbURL: dbURL, tokens: map[string]string{}}
	h.addr, h.logs = h.serve()
	return h
}

// serve starts one instance on the hub's database and keys, with extra
// flags, and returns its address once it logs that it is serving.
func (h *hub) serve(flags ...string) (string, *syncBuffer) {
	h.t.Helper()
	cmd := exec.Command(h.bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = h.env("DATABASE_URL="+h.dbURL, "EXITHUB_PSEUDONYM_KEY=k")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		h.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { stop(cmd) })
	logs := &syncBuffer{}
	addr := make(chan string, 1)
	go scanLogs(stderr, logs, addr)
	select {
	case a, ok := <-addr:
		if !ok {
			h.t.Fatalf("exithub serve exited:\n%s", logs)
		}
		h.t.Cleanup(func() {
			if h.t.Failed() {
				h.t.Logf("server log:\n%s", logs)
			}
		})
		return a, logs
	case <-time.After(60 * time.Second):
		h.t.Fatalf("exithub serve did not log \"serving\":\n%s", logs)
	}
	return "", nil
}

// env is the test's environment for the server binary, without any setting
// of the developer's own that would change what the server does.
func (h *hub) env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "EXITHUB_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	return append(append(env, "EXITHUB_KEYS="+h.keys), extra...)
}

// scanLogs collects the server's JSON log lines and sends the address of its
// "serving" line; addr is closed if the server exits before.
func scanLogs(r io.Reader, logs *syncBuffer, addr chan<- string) {
	s := bufio.NewScanner(r)
	sent := false
	for s.Scan() {
		fmt.Fprintln(logs, s.Text())
		var rec struct{ Msg, Addr string }
		if !sent && json.Unmarshal(s.Bytes(), &rec) == nil && rec.Msg == "serving" {
			addr <- rec.Addr
			sent = true
		}
	}
	if !sent {
		close(addr)
	}
}

// stop ends the server as an operator would: SIGTERM, then a kill if it
// does not finish in time.
func stop(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// endpoint is the server's GraphQL URL.
func (h *hub) endpoint() string { return "http://" + h.addr + "/graphql" }

// token mints a token with `exithub token`, as an operator would.
func (h *hub) token(org, role string) string {
	h.t.Helper()
	if tok, ok := h.tokens[org+"/"+role]; ok {
		return tok
	}
	cmd := exec.Command(h.bin, "token", "--org", org, "--role", role)
	cmd.Env = h.env("DATABASE_URL=" + h.dbURL) // token checks the organisation in the directory
	out, err := cmd.Output()
	if err != nil {
		h.t.Fatalf("exithub token --org %s --role %s: %v", org, role, err)
	}
	h.tokens[org+"/"+role] = strings.TrimSpace(string(out))
	return h.tokens[org+"/"+role]
}

// gql posts a GraphQL request as plain HTTP, not through the client under
// test, and fails the test on any error.
func (h *hub) gql(token, query string, vars map[string]any) map[string]any {
	h.t.Helper()
	r := postRaw(h.t, h.endpoint(), token, query, vars)
	if len(r.Errors) > 0 {
		h.t.Fatalf("%s: %s", query, r.raw)
	}
	return r.Data
}

// post sends a query and returns the first error's code, "" for none.
func post(t *testing.T, endpoint, token, query string) string {
	t.Helper()
	r := postRaw(t, endpoint, token, query, nil)
	if len(r.Errors) == 0 {
		return ""
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

type gqlResponse struct {
	Data   map[string]any
	Errors []struct{ Extensions map[string]any }
	raw    []byte
}

func postRaw(t *testing.T, endpoint, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if out.raw, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("%s: reading the response: %v", query, err)
	}
	if err := json.Unmarshal(out.raw, &out); err != nil {
		t.Fatalf("%s: not JSON: %s", query, out.raw)
	}
	return out
}

// citizen registers an anonymous citizen of København who consents to
// share with Reden, and returns the citizen's id.
func (h *hub) citizen() string {
	cw := h.token("101", "caseworker")
	d := h.gql(cw, `mutation($in: RegisterCitizenInput!) { registerCitizen(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"alias": "Maja"}})
	id := d["registerCitizen"].(map[string]any)["id"].(string)
	h.gql(cw, `mutation($in: GiveConsentInput!) { giveConsent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"citizenId": id, "ngo": "reden", "purpose": "exit support",
			"details": []string{"ALIAS", "HOUSING"}, "givenOn": "2026-01-01", "expiresOn": "2099-12-31"}})
	return id
}

// refer sends a referral of the citizen to Reden and returns its id.
func (h *hub) refer(citizen string) string {
	d := h.gql(h.token("101", "caseworker"), `mutation($in: CreateReferralInput!) { createReferral(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"citizenId": citizen, "to": "reden", "needs": []string{"HOUSING"},
			"message": "Needs a place to live", "contact": "cw@kk.dk",
			"sharedDetails": []map[string]any{{"kind": "ALIAS", "value": "Maja"}}}})
	return d["createReferral"].(map[string]any)["id"].(string)
}

// cancel has the referring caseworker cancel a referral.
func (h *hub) cancel(referral string) {
	h.gql(h.token("101", "caseworker"), `mutation($in: ReferralTransitionInput!) { cancelReferral(input: $in) { status } }`,
		map[string]any{"in": map[string]any{"id": referral, "reason": "no longer needed"}})
}

// backdate moves a referral, and what its history records so far, d into
// the past, as if it had been sent then. The test cluster's superuser does
// it: no role of the hub may.
func (h *hub) backdate(referral string, d time.Duration) {
	id := relay.IDOf("Referral", referral)
	h.sql(`UPDATE hub.referrals SET created_at = created_at - $2::interval, updated_at = updated_at - $2::interval
		WHERE id = $1`, id, d.String())
	h.sql(`UPDATE hub.referral_events SET at = at - $2::interval WHERE referral_id = $1`, id, d.String())
}

// addNotes records n notes on a referral, made ago before now, in one
// statement: more changes than the hub replays.
func (h *hub) addNotes(referral string, n int, ago time.Duration) {
	h.sql(`INSERT INTO hub.referral_events (referral_id, municipality_id, ngo_id, kind, text, actor_sub, actor_org_id, at)
		SELECT r.id, r.municipality_id, r.ngo_id, 'NOTE', 'note ' || i, 'test', r.ngo_id, now() - $3::interval
		FROM hub.referrals r, generate_series(1, $2::int) i WHERE r.id = $1`, relay.IDOf("Referral", referral), n, ago.String())
}

// sql runs a statement as the test cluster's superuser (row-level security
// does not bind it) and fails the test unless it changed some row.
func (h *hub) sql(stmt string, args ...any) {
	h.t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		h.t.Fatal(err)
	}
	defer conn.Close(context.Background())
	tag, err := conn.Exec(context.Background(), stmt, args...)
	if err != nil || tag.RowsAffected() == 0 {
		h.t.Fatalf("%s: %v, %d rows", stmt, err, tag.RowsAffected())
	}
}

// syncBuffer collects output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ngo runs the client in-process against the hub as Reden's worker.
func (h *hub) ngo(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	args = append(args, "--endpoint", h.endpoint(), "--token", h.token("reden", "ngo_worker"))
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}
