package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
)

// selects reports whether the current field's selection asks, down path
// (field names, fragments included), for any of the fields named last. A
// list resolver asks it to read the relations asked for in its own
// transaction instead of a loader's each.
func selects(ctx context.Context, path []string, last ...string) bool {
	oc := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFieldsCtx(ctx, nil)
	for _, step := range path {
		var next []graphql.CollectedField
		for _, f := range fields {
			if f.Name == step {
				next = append(next, graphql.CollectFields(oc, f.Selections, nil)...)
			}
		}
		fields = next
	}
	return slices.ContainsFunc(fields, func(f graphql.CollectedField) bool { return slices.Contains(last, f.Name) })
}
