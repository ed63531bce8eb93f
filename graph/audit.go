package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
)

func (r *Resolver) auditLog(ctx context.Context, f exithub.AuditFilter, first *int, after *string) (*model.AuditConnection, error) {
	rows, info, err := r.DB.AuditLog(ctx, f, page(first, after))
	if err != nil {
		return nil, err
	}
	c := &model.AuditConnection{Edges: make([]*model.AuditEdge, len(rows)), PageInfo: &info}
	for i, a := range rows {
		c.Edges[i] = &model.AuditEdge{Node: a, Cursor: info.Cursors[i]}
	}
	return c, nil
}
