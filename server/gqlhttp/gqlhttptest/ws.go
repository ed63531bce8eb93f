package gqlhttptest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Subscribe starts the graphql-ws reference client on wsURL with
// authorization in connection_init and returns once it has connected; wait
// returns the first event it received, as JSON.
func Subscribe(t testing.TB, wsURL, authorization, query string) (wait func() string) {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, "node", "ws.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "WS_URL="+wsURL, "WS_AUTH="+authorization, "WS_QUERY="+query)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	lines := make(chan string, 4)
	go readLines(stdout, lines)
	awaitConnected(t, ctx, cancel, lines, &stderr)
	return func() string {
		defer cancel()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("graphql-ws client ended without an event: %s", stderr.String())
			}
			// The client exits by itself, successfully, after its first event.
			if err := cmd.Wait(); err != nil {
				t.Fatalf("graphql-ws client: %v; stderr: %s", err, stderr.String())
			}
			return l
		case <-ctx.Done():
			t.Fatalf("graphql-ws client got no event: %s", stderr.String())
			return ""
		}
	}
}

func awaitConnected(t testing.TB, ctx context.Context, cancel func(), lines <-chan string, stderr *lockedBuffer) {
	t.Helper()
	select {
	case l := <-lines:
		if l != "connected" {
			cancel()
			t.Fatalf("graphql-ws client: %q %s", l, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("graphql-ws client did not connect: %s", stderr.String())
	}
}
