package scalar

import (
	"math"

	"github.com/99designs/gqlgen/graphql"

	"exithub"
)

// MarshalInt writes a whole number as GraphQL's Int does.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads GraphQL's Int, which the specification bounds to 32
// bits: a larger value is bad input, refused here, not a number that fails
// later where a column holds 32 bits.
func UnmarshalInt(v any) (int, error) {
	i, err := graphql.UnmarshalInt(v)
	if err != nil {
		return 0, exithub.Invalid("Int", "an Int is a whole number")
	}
	if i < math.MinInt32 || i > math.MaxInt32 {
		return 0, exithub.Invalid("Int", "an Int lies between %d and %d", math.MinInt32, math.MaxInt32)
	}
	return i, nil
}
