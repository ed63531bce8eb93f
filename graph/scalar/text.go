package scalar

import (
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"exithub"
)

// MarshalString writes text as GraphQL's String does.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString reads GraphQL's String and refuses the NUL character,
// which PostgreSQL cannot store in text: refused here, it is bad input
// with a clear message, not a database error.
func UnmarshalString(v any) (string, error) {
	s, err := graphql.UnmarshalString(v)
	if err != nil {
		return "", exithub.Invalid("String", "a String is text")
	}
	if strings.ContainsRune(s, 0) {
		return "", exithub.Invalid("String", "text may not contain the NUL character")
	}
	return s, nil
}
