package server

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"exithub"
)

// Cost counts what a query returns before any resolver runs: every field
// is one, a list multiplies what it holds by its length, nested lists
// multiply, and aliases and fragments count as expanded. A list's length is
// its parent's `first` (or that argument's default), at most MaxPage; a
// list without one is taken to hold ListSize items. Introspection fields
// (__typename, __schema, __type) cost nothing: where introspection is
// allowed it is bounded by depth, and it reads no data.
type Cost struct {
	Max      int
	MaxPage  int // the largest `first` the schema accepts
	ListSize int // the assumed length of a list without `first`
}

// codeCost is the extensions code of a query refused for its cost.
const codeCost = "COMPLEXITY_LIMIT_EXCEEDED"

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Cost{}

// ExtensionName implements graphql.HandlerExtension.
func (Cost) ExtensionName() string { return "CostLimit" }

// Validate implements graphql.HandlerExtension.
func (Cost) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses a validated operation that costs more
// than Max, and says what it cost.
func (c Cost) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	n := c.Of(oc.Operation, oc.Variables)
	if c.Max <= 0 || n <= c.Max {
		return nil
	}
	err := gqlerror.Errorf("the query costs %d, more than the limit of %d: ask for smaller pages or fewer fields", n, c.Max)
	err.Extensions = map[string]any{"code": codeCost, "cost": n, "maxCost": c.Max}
	return err
}

// Of is the cost of a validated operation with its variables. Bounds has
// already capped the expanded size, so walking it expanded is cheap.
func (c Cost) Of(op *ast.OperationDefinition, vars map[string]any) int {
	return c.set(op.SelectionSet, 0, vars)
}

// set costs a selection set; page is the length of the lists in it when
// its field took `first`, else zero.
func (c Cost) set(set ast.SelectionSet, page int, vars map[string]any) int {
	n := 0
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			n = saturate(n + c.field(s, page, vars))
		case *ast.InlineFragment:
			n = saturate(n + c.set(s.SelectionSet, page, vars))
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n = saturate(n + c.set(s.Definition.SelectionSet, page, vars))
			}
		}
	}
	return n
}

func (c Cost) field(f *ast.Field, page int, vars map[string]any) int {
	if len(f.Name) > 1 && f.Name[:2] == "__" {
		return 0
	}
	own := saturate(1 + c.set(f.SelectionSet, c.first(f, vars), vars))
	if f.Definition == nil || f.Definition.Type.Elem == nil {
		return own
	}
	length := c.ListSize
	if page > 0 {
		length = page
	}
	return saturate(own * max(length, 1))
}

// first is the field's page size: its `first` or `last` argument, else the
// domain's default page, capped at MaxPage; zero if it takes neither.
func (c Cost) first(f *ast.Field, vars map[string]any) int {
	if f.Definition == nil {
		return 0
	}
	args := f.ArgumentMap(vars)
	paged := false
	for _, name := range []string{"first", "last"} {
		if f.Definition.Arguments.ForName(name) == nil {
			continue
		}
		paged = true
		if v, ok := asInt(args[name]); ok && v >= 0 {
			return int(min(v, int64(c.MaxPage)))
		}
	}
	if !paged {
		return 0
	}
	return min(exithub.DefaultPageSize, c.MaxPage)
}

// asInt reads an Int argument, a literal or a variable however decoded.
func asInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case float64:
		return int64(v), v == float64(int64(v))
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

// saturate keeps sums and products of costs from overflowing: anything
// beyond a billion is refused anyway.
func saturate(n int) int {
	if n < 0 || n > 1<<30 {
		return 1 << 30
	}
	return n
}

// DefaultMaxCost admits every operation of the hub's own clients at their
// largest pages (the NGO client's inbox of 100 referrals costs about 2,000)
// with room to spare, and refuses a page of 100 citizens each with a page
// of 100 audit records.
const DefaultMaxCost = 10000
