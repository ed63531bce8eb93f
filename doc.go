// Package exithub is the domain of the Exit Hub: the types and rules of the
// Exit Prostitution programme's data exchange that hold whatever the transport
// (GraphQL) or the storage (PostgreSQL) is. It imports neither.
package exithub
