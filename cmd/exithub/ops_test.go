package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"exithub"
	"exithub/db/pgtest"
	"exithub/db/seed"
)

func TestEveryLogLineOfARequestIsJSONWithItsRequestID(t *testing.T) {
	h := startHub(t)
	for _, tok := range []string{"", h.token("101", exithub.RoleCaseworker)} {
		req, err := http.NewRequest(http.MethodPost, h.url+"/graphql", strings.NewReader(`{"query":"{ me { sub } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Request-Id", "req-under-test-1")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Request-Id") != "req-under-test-1" {
			t.Fatalf("response carries request id %q", resp.Header.Get("X-Request-Id"))
		}
	}
	seen := 0
	for _, line := range h.logs.Lines() {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if strings.Contains(line, "/graphql") || rec["msg"] == "unauthenticated" {
			if rec["request_id"] != "req-under-test-1" {
				t.Fatalf("a request's log line lacks its request id: %s", line)
			}
			seen++
		}
	}
	if seen < 3 { // two request lines and the refusal
		t.Fatalf("saw %d log lines of the requests", seen)
	}
}

func TestSIGTERMLetsAnInFlightRequestFinish(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "exithub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dbURL := pgtest.NewDatabase(t)
	if err := seed.Demo(context.Background(), dbURL, []byte("k")); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	keys := t.TempDir()
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "EXITHUB_KEYS="+keys, "EXITHUB_PSEUDONYM_KEY=k")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitForLog(t, stderr, "serving")
	cmdTok := exec.Command(bin, "token", "--org", "101", "--role", "caseworker")
	cmdTok.Env = append(os.Environ(), "EXITHUB_KEYS="+keys, "DATABASE_URL="+dbURL)
	token, err := cmdTok.Output()
	if err != nil {
		t.Fatal(err)
	}
	// A request whose body is still arriving when the signal comes. It
	// asks for 100-continue, so the server says when its handler has
	// begun reading the body: the request is then in flight.
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	req.Header.Set("Expect", "100-continue")
	reading := make(chan struct{})
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		Got100Continue: func() { close(reading) },
	}))
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
		}
		done <- resp
	}()
	wrote := make(chan error, 1)
	go func() { // taken once the server asks for the body
		_, err := pw.Write([]byte(`{"query":"{ me `))
		wrote <- err
	}()
	select {
	case <-reading:
	case resp := <-done:
		t.Fatalf("the request ended before the server read its body: %v", resp)
	case <-time.After(30 * time.Second):
		t.Fatal("the server never began to read the request's body")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutting down closes the listener first: once a new connection is
	// refused, the server is draining, with our request still open.
	pollUntil(t, 30*time.Second, "the server to stop accepting connections", func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write([]byte(`{ role } }"}`)); err != nil {
		t.Fatal(err)
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	resp := <-done
	if resp == nil {
		t.FailNow()
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("in-flight request's body: %v", err)
	}
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"caseworker"`) {
		t.Fatalf("in-flight request got %d %s", resp.StatusCode, body)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("server did not exit cleanly after SIGTERM: %v", err)
	}
}

// pollUntil polls cond until it holds, failing the test after the deadline:
// waiting for an event the test can only observe by asking.
func pollUntil(t *testing.T, deadline time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("waited %v for %s", deadline, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitForLog(t *testing.T, r io.Reader, msg string) {
	t.Helper()
	found := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			if strings.Contains(s.Text(), `"msg":"`+msg+`"`) {
				found <- true
				io.Copy(io.Discard, r) // only keeps the server from blocking on a full pipe
				return
			}
		}
		found <- false
	}()
	select {
	case ok := <-found:
		if !ok {
			t.Fatalf("server exited before logging %q", msg)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not log %q in time", msg)
	}
}
