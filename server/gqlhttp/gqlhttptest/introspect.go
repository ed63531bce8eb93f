package gqlhttptest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Schema is what graphql-js made of the server's introspection answer.
type Schema struct {
	Query               string   `json:"query"`
	Types               int      `json:"types"`
	NodeImplementations []string `json:"nodeImplementations"`
}

// Introspect sends graphql-js's getIntrospectionQuery() to url, as GraphiQL
// does, and builds a client schema from the answer with buildClientSchema.
// It fails the test if the server refuses the query or the answer does
// not make a schema.
func Introspect(t testing.TB, url, authorization string) Schema {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "introspect.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "INTROSPECT_URL="+url, "INTROSPECT_AUTH="+authorization)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("graphql-js introspection: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var s Schema
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		t.Fatalf("graphql-js introspection printed %q: %v", stdout.String(), err)
	}
	return s
}
