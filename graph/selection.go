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
	return slices.ContainsFunc(selection(ctx, path), func(f graphql.CollectedField) bool { return slices.Contains(last, f.Name) })
}

// selection is the fields the current field's selection asks for down path
// (field names), fragments of every type condition included: what it tells
// is what an object there may be asked for, never less.
func selection(ctx context.Context, path []string) []graphql.CollectedField {
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
	return fields
}
