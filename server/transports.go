package server

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// httpTransports are GraphQL over HTTP: GET for queries, POST for all.
func httpTransports(cfg Config) []graphql.Transport {
	return []graphql.Transport{transport.GET{}, transport.POST{}}
}
