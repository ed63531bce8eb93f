package graph

import (
	"context"

	"exithub"
	"exithub/graph/model"
)

func (r *Resolver) auditLog(ctx context.Context, f exithub.AuditFilter, first *int, after *string, last *int, before *string) (*model.AuditConnection, error) {
	p, err := page(first, after, last, before)
	if err != nil {
		return nil, err
	}
	rows, info, err := r.Services.Audit.AuditLog(ctx, f, p)
	if err != nil {
		return nil, err
	}
	c := &model.AuditConnection{Edges: make([]*model.AuditEdge, len(rows)), PageInfo: &info}
	for i, a := range rows {
		c.Edges[i] = &model.AuditEdge{Node: a, Cursor: info.Cursors[i]}
	}
	return c, nil
}

func (r *Resolver) dossierCourses(ctx context.Context, d *exithub.Dossier) ([]*exithub.Course, error) {
	out := make([]*exithub.Course, 0, len(d.CourseIDs))
	for _, id := range d.CourseIDs {
		c, err := r.Services.Courses.FindCourse(ctx, id, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// dossierAccessLog is the citizen's access log: the latest entries, as
// many as the database layer bounds it to.
func (r *Resolver) dossierAccessLog(ctx context.Context, d *exithub.Dossier) ([]*exithub.AuditRecord, error) {
	return r.Services.Audit.AccessLog(ctx, d.Citizen.ID)
}
