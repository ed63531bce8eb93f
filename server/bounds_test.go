package server

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// A text found within bounds is remembered and not checked again; a
// refused one, or one too long to remember, is checked every time.
func TestBoundsRememberWhatPassed(t *testing.T) {
	ctx := context.Background()
	b := &Bounds{MaxBytes: 16 << 10, MaxTokens: 5000, MaxFields: 3}
	ok, over := "{ a b }", "{ a b c d }"
	long := "{ a " + strings.Repeat(" ", boundsCacheBytes) + "}"
	for range 2 {
		for _, q := range []string{ok, long} {
			if err := b.MutateOperationParameters(ctx, &graphql.RawParams{Query: q}); err != nil {
				t.Fatalf("%.20q refused: %v", q, err)
			}
		}
		if err := b.MutateOperationParameters(ctx, &graphql.RawParams{Query: over}); err == nil || err.Extensions["code"] != codeTooLarge {
			t.Fatalf("%q: %v, want %s", over, err, codeTooLarge)
		}
	}
	// The bounds never change in a server; here they do, to tell a text
	// remembered from one checked again.
	b.MaxFields = 1
	if err := b.MutateOperationParameters(ctx, &graphql.RawParams{Query: ok}); err != nil {
		t.Fatalf("a remembered text was checked again: %v", err)
	}
	b.MaxBytes = 10
	if err := b.MutateOperationParameters(ctx, &graphql.RawParams{Query: long}); err == nil {
		t.Fatal("a text too long to remember was not checked again")
	}
}
