package graph

import (
	"context"
	"sort"

	"exithub"
	"exithub/graph/model"
	"exithub/graph/relay"
)

// courseKey asks for a citizen's courses as of a day ("" for now).
type courseKey struct {
	CitizenID string
	AsOf      string
}

// loadCourses batches course lookups per as-of day.
func (r *Resolver) loadCourses(ctx context.Context, keys []courseKey) (map[courseKey][]*exithub.Course, error) {
	byDay := map[string][]string{}
	for _, k := range keys {
		byDay[k.AsOf] = append(byDay[k.AsOf], k.CitizenID)
	}
	out := map[courseKey][]*exithub.Course{}
	for day, ids := range byDay {
		var asOf *exithub.Date
		if day != "" {
			d, err := exithub.ParseDate(day)
			if err != nil { // keys are made from a Date, so this is a bug
				return nil, err
			}
			asOf = &d
		}
		m, err := r.Services.Courses.CoursesOfCitizens(ctx, ids, asOf)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[courseKey{id, day}] = m[id]
		}
	}
	return out, nil
}

func (r *Resolver) coursesOf(ctx context.Context, citizenID string, asOf *exithub.Date) ([]*exithub.Course, error) {
	k := courseKey{CitizenID: citizenID}
	if asOf != nil {
		k.AsOf = asOf.String()
	}
	cs, err := r.loaders(ctx).Courses().Load(ctx, k)
	if cs == nil {
		cs = []*exithub.Course{}
	}
	return cs, err
}

func phases(c *exithub.Course) []*model.CoursePhase {
	out := make([]*model.CoursePhase, 0, len(c.PhaseStarts))
	for p, on := range c.PhaseStarts {
		out = append(out, &model.CoursePhase{Phase: p, StartedOn: on})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Phase < out[j].Phase })
	return out
}

func planItems(c *exithub.Course) []*exithub.PlanItem {
	out := make([]*exithub.PlanItem, len(c.Plan))
	for i := range c.Plan {
		out[i] = &c.Plan[i]
	}
	return out
}

func (r *Resolver) courseEvents(_ context.Context, c *exithub.Course) ([]*exithub.CourseEvent, error) {
	out := make([]*exithub.CourseEvent, len(c.Events))
	for i := range c.Events {
		out[i] = &c.Events[i]
	}
	return out, nil
}

// courseEvent records a dated event of a course.
func (r *Resolver) courseEvent(ctx context.Context, gid string, version *int, kind exithub.CourseEventKind, on exithub.Date, data exithub.CourseEventData) (*exithub.Course, error) {
	return r.Services.Courses.RecordCourseEvent(ctx, relay.IDOf(typeCourse, gid), version, exithub.CourseEvent{Kind: kind, On: on, Data: data})
}
