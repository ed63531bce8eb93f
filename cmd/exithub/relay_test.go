package main

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"exithub"
)

// connection is a connection field as a client pages through it.
type connection struct {
	name, token, query string
	path               []any // to the connection in the answer
	grows              bool  // reading it adds rows at its start (its own audit records)
}

// relayPage is one page of a connection as a client reads it.
type relayPage struct {
	ids, cursors     []string
	start, end       any
	hasNext, hasPrev bool
}

func (c connection) page(t *testing.T, h *hub, vars map[string]any) relayPage {
	t.Helper()
	d := h.must(c.token, c.query, vars)
	conn := get(d, c.path...)
	var p relayPage
	for _, e := range get(conn, "edges").([]any) {
		p.ids = append(p.ids, get(e, "node", "id").(string))
		p.cursors = append(p.cursors, get(e, "cursor").(string))
	}
	p.start, p.end = get(conn, "pageInfo", "startCursor"), get(conn, "pageInfo", "endCursor")
	p.hasNext, _ = get(conn, "pageInfo", "hasNextPage").(bool)
	p.hasPrev, _ = get(conn, "pageInfo", "hasPreviousPage").(bool)
	if len(p.ids) == 0 && (p.start != nil || p.end != nil) {
		t.Fatalf("%s: an empty page has cursors %v, %v", c.name, p.start, p.end)
	}
	if n := len(p.ids); n > 0 && (p.start != p.cursors[0] || p.end != p.cursors[n-1]) {
		t.Fatalf("%s: startCursor/endCursor %v/%v are not the first and last edges' %v", c.name, p.start, p.end, p.cursors)
	}
	return p
}

const connectionArgs = `first: $first, after: $after, last: $last, before: $before`
const connectionVars = `$first: Int, $after: String, $last: Int, $before: String`
const connectionSelection = `edges { cursor node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage }`

// TestRelayConnectionsBothWays pages through every connection field forwards
// with first/after and backwards with last/before, as the Relay Cursor
// Connections specification describes, and checks its edge cases.
func TestRelayConnectionsBothWays(t *testing.T) {
	h := startHub(t, func(m *Main) { m.Config.RatePerSecond = 0 })
	cw := h.token("101", exithub.RoleCaseworker)
	d := h.must(cw, registerMutation, map[string]any{"in": map[string]any{"alias": "Paged"}})
	citizen := get(d, "registerCitizen", "id").(string)
	for range 7 { // each read is an entry of the citizen's access log
		h.must(cw, `query($id: ID!) { citizen(id: $id) { alias } }`, map[string]any{"id": citizen})
	}
	until := time.Now().UTC().Format(time.RFC3339Nano)
	conns := []connection{
		{name: "citizens", token: cw, path: []any{"citizens"},
			query: `query(` + connectionVars + `) { citizens(` + connectionArgs + `) { ` + connectionSelection + ` } }`},
		{name: "referrals", token: h.token("reden", exithub.RoleNGOWorker), path: []any{"referrals"},
			query: `query(` + connectionVars + `) { referrals(` + connectionArgs + `) { ` + connectionSelection + ` } }`},
		{name: "auditLog", token: h.token("101", exithub.RoleAuditor), path: []any{"auditLog"},
			query: fmt.Sprintf(`query(%s) { auditLog(filter: {citizenId: %q, until: %q}, %s) { %s } }`, connectionVars, citizen, until, connectionArgs, connectionSelection)},
		{name: "Citizen.accessLog", token: cw, path: []any{"citizen", "accessLog"}, grows: true,
			query: fmt.Sprintf(`query(%s) { citizen(id: %q) { accessLog(%s) { %s } } }`, connectionVars, citizen, connectionArgs, connectionSelection)},
	}
	for _, c := range conns {
		forward := c.walk(t, h, "first", "after")
		backward := c.walk(t, h, "last", "before")
		if len(forward) < 5 || len(backward) < len(forward) || !slices.Equal(backward[len(backward)-len(forward):], forward) ||
			!c.grows && len(backward) != len(forward) {
			t.Fatalf("%s: forward %v, backward %v", c.name, forward, backward)
		}
		c.edgeCases(t, h)
		t.Logf("%s: %d rows both ways", c.name, len(forward))
	}
}

// walk reads the whole connection 3 rows at a time, forwards (first/after)
// or backwards (last/before), and returns its ids in the list's order.
func (c connection) walk(t *testing.T, h *hub, size, cursor string) []string {
	t.Helper()
	backward := size == "last"
	var ids []string
	vars := map[string]any{size: 3}
	for range 100 {
		p := c.page(t, h, vars)
		more, other := p.hasNext, p.hasPrev
		if backward {
			more, other = p.hasPrev, p.hasNext
			ids = append(slices.Clone(p.ids), ids...)
		} else {
			ids = append(ids, p.ids...)
		}
		if other {
			t.Fatalf("%s: reading %s, the page says there are rows the other way: %+v", c.name, size, p)
		}
		if !more {
			return ids
		}
		if len(p.ids) != 3 {
			t.Fatalf("%s: a page of %d rows before the end: %+v", c.name, len(p.ids), p)
		}
		vars[cursor] = p.end
		if backward {
			vars[cursor] = p.start
		}
	}
	t.Fatalf("%s: no end after 100 pages", c.name)
	return nil
}

// edgeCases: empty pages, a window between two cursors, and the arguments
// the specification has no page for.
func (c connection) edgeCases(t *testing.T, h *hub) {
	first := c.page(t, h, map[string]any{"first": 5})
	if p := c.page(t, h, map[string]any{"first": 0}); len(p.ids) != 0 || !p.hasNext {
		t.Fatalf("first: 0 on a list with rows: %+v", p)
	}
	if p := c.page(t, h, map[string]any{"last": 0}); len(p.ids) != 0 || !p.hasPrev {
		t.Fatalf("last: 0 on a list with rows: %+v", p)
	}
	window := c.page(t, h, map[string]any{"first": 10, "after": first.cursors[0], "before": first.cursors[4]})
	if !slices.Equal(window.ids, first.ids[1:4]) || window.hasNext {
		t.Fatalf("between the 1st and 5th rows: %v of %v", window.ids, first.ids)
	}
	window = c.page(t, h, map[string]any{"last": 2, "after": first.cursors[0], "before": first.cursors[4]})
	if !slices.Equal(window.ids, first.ids[2:4]) || !window.hasPrev {
		t.Fatalf("the last 2 between the 1st and 5th rows: %v of %v", window.ids, first.ids)
	}
	empty := c.page(t, h, map[string]any{"first": 5, "after": first.cursors[1], "before": first.cursors[2]})
	if len(empty.ids) != 0 || empty.hasNext {
		t.Fatalf("between two neighbours: %+v", empty)
	}
	for _, bad := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"after": ""}, "after"},
		{map[string]any{"before": ""}, "before"},
		{map[string]any{"after": "not-a-cursor"}, "after"},
		{map[string]any{"first": 2, "last": 2}, "last"},
		{map[string]any{"last": 101}, "last"},
		{map[string]any{"first": -1}, "first"},
	} {
		r := h.do(c.token, c.query, bad.vars)
		if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != bad.field {
			t.Fatalf("%s with %v: %s", c.name, bad.vars, r.raw)
		}
	}
}
