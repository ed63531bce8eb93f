// Package graph is the GraphQL layer: gqlgen's generated executor and the
// resolvers that translate between GraphQL and the domain. It holds no SQL,
// no business rules and no policy strings.
package graph

import (
	"exithub"
	"exithub/db"
)

// Resolver is the root of the resolvers: the services they call, the gate
// every aggregate figure passes through, and the loaded policy (read only
// to tell a principal what it may do; the directives enforce it).
type Resolver struct {
	DB       *db.DB
	Listener *db.Listener
	Gate     *exithub.Gate
	Authz    exithub.Authorizer
}
