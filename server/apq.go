package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// persistedQueries is Apollo's automatic persisted queries protocol with
// the error codes its clients act on: PERSISTED_QUERY_NOT_FOUND (send the
// query with its hash), PERSISTED_QUERY_NOT_SUPPORTED (stop hashing), and
// BAD_USER_INPUT for a hash that does not match its query or is not one.
type persistedQueries struct {
	cache    *lru.LRU[string]
	maxBytes int // a query longer than Bounds allows is never remembered
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = persistedQueries{}

func (persistedQueries) ExtensionName() string                   { return "AutomaticPersistedQueries" }
func (persistedQueries) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters fills in the query of a known hash and
// remembers the hash of a query sent with one.
func (q persistedQueries) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	ext, ok := p.Extensions["persistedQuery"].(map[string]any)
	if !ok {
		if p.Extensions["persistedQuery"] != nil {
			return apqError("BAD_USER_INPUT", "extensions.persistedQuery must be an object")
		}
		return nil
	}
	if v, _ := asInt(ext["version"]); v != 1 {
		return apqError("PERSISTED_QUERY_NOT_SUPPORTED", "only version 1 of persisted queries is supported")
	}
	hash, _ := ext["sha256Hash"].(string)
	if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
		return apqError("BAD_USER_INPUT", "sha256Hash must be 64 hexadecimal digits")
	}
	if p.Query == "" {
		if p.Query, ok = q.cache.Get(ctx, hash); !ok {
			return apqError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
		}
		return nil
	}
	sum := sha256.Sum256([]byte(p.Query))
	if hex.EncodeToString(sum[:]) != hash {
		return apqError("BAD_USER_INPUT", "provided sha does not match query")
	}
	if q.maxBytes <= 0 || len(p.Query) <= q.maxBytes {
		q.cache.Add(ctx, hash, p.Query)
	}
	return nil
}

func apqError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code, "field": "extensions.persistedQuery"}}
}
