package server

import (
	"github.com/99designs/gqlgen/graphql"

	"exithub/server/gqlhttp"
)

// httpTransports are GraphQL over HTTP: GET for queries, POST for all.
func httpTransports(cfg Config) []graphql.Transport {
	return []graphql.Transport{gqlhttp.New(gqlhttp.Options{MaxBodyBytes: cfg.MaxBodyBytes})}
}
