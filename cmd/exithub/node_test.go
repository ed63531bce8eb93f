package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"exithub"
	"exithub/db/seed"
	"exithub/graph"
)

// readers lists, per type implementing Node, the query through which a
// principal reads objects of that type the ordinary way, and where the ids
// are in its answer. What a principal reads that way, node(id) must answer;
// what it does not, node(id) must not.
var readers = map[string]struct {
	query string
	ids   func(data map[string]any) []string
}{
	"Organisation":            {`{ organisations { id } }`, listIDs("organisations")},
	"Citizen":                 {`{ citizens(first: 100) { edges { node { id } } } }`, edgeIDs("citizens", "")},
	"Consent":                 {`{ citizens(first: 100) { edges { node { consents { id } } } } }`, edgeIDs("citizens", "consents")},
	"Course":                  {`{ citizens(first: 100) { edges { node { courses { id } } } } }`, edgeIDs("citizens", "courses")},
	"Referral":                {`{ referrals(first: 100) { edges { node { id } } } }`, edgeIDs("referrals", "")},
	"CooperationAgreement":    {`{ cooperationAgreements { id } }`, listIDs("cooperationAgreements")},
	"CrossMunicipalAgreement": {`{ crossMunicipalAgreements { id } }`, listIDs("crossMunicipalAgreements")},
	"Grant": {`{ programme(code: "EXIT_PROSTITUTION") { grants { id } } }`, func(d map[string]any) []string {
		return listIDs("grants")(get(d, "programme").(map[string]any))
	}},
}

func listIDs(field string) func(map[string]any) []string {
	return func(d map[string]any) []string {
		var out []string
		for _, o := range get(d, field).([]any) {
			out = append(out, get(o, "id").(string))
		}
		return out
	}
}

// edgeIDs reads the nodes' ids of a connection, or the ids of a list field
// of each node.
func edgeIDs(conn, list string) func(map[string]any) []string {
	return func(d map[string]any) []string {
		var out []string
		for _, e := range get(d, conn, "edges").([]any) {
			if list == "" {
				out = append(out, get(e, "node", "id").(string))
				continue
			}
			for _, o := range get(e, "node", list).([]any) {
				out = append(out, get(o, "id").(string))
			}
		}
		return out
	}
}

// TestNodeRoundTripsEveryNodeTypeForEveryReader walks the schema's
// implementations of Node and, for every role of every demo organisation,
// checks that node(id) answers exactly the objects the principal reads
// through the type's own query, and answers them as themselves.
func TestNodeRoundTripsEveryNodeTypeForEveryReader(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	h.must(cw, `mutation { createCooperationAgreement(input: {ngo: "reden", from: "2014-01-01", to: "2014-12-31",
		amount: "100000.00", services: ["counselling"], active: true}) { id } }`, nil)
	newReferral(t, h, "reden")

	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var types []string
	for _, d := range schema.GetPossibleTypes(schema.Types["Node"]) {
		types = append(types, d.Name)
	}
	sort.Strings(types)
	principals := h.demoPrincipals()
	readable := map[string]map[string]bool{} // principal|type → ids
	sample := map[string][]string{}          // type → ids to ask every principal about
	for _, typ := range types {
		r, ok := readers[typ]
		if !ok {
			t.Fatalf("%s implements Node but the test does not know how to read it", typ)
		}
		for _, p := range principals {
			ids := h.readAs(p, r.query, r.ids)
			readable[p.key+"|"+typ] = set(ids)
			sample[typ] = append(sample[typ], ids[:min(2, len(ids))]...)
		}
		if len(sample[typ]) == 0 {
			t.Fatalf("no principal reads any %s: the test proves nothing for it", typ)
		}
	}
	var asked []asked
	for _, typ := range types {
		for _, id := range sample[typ] {
			asked = append(asked, struct{ typ, id string }{typ, id})
		}
	}
	for _, p := range principals {
		for start := 0; start < len(asked); start += 25 {
			batch := asked[start:min(start+25, len(asked))]
			for i, got := range h.nodesAs(p, batch) {
				a := batch[i]
				want := readable[p.key+"|"+a.typ][a.id]
				switch {
				case want && (get(got, "__typename") != a.typ || get(got, "id") != a.id):
					t.Errorf("%s reads %s %s but node answers %v", p.key, a.typ, a.id, got)
				case !want && got != nil:
					t.Errorf("%s may not read %s %s but node answers it", p.key, a.typ, a.id)
				}
			}
		}
	}
}

type asked = struct{ typ, id string }

// nodesAs asks node(id) for each id in one request (aliases), as p, and
// returns the answers in the order asked. FORBIDDEN is the one error allowed.
func (h *hub) nodesAs(p principal, as []asked) []any {
	h.t.Helper()
	var q strings.Builder
	q.WriteString("{")
	for i, a := range as {
		fmt.Fprintf(&q, " n%d: node(id: %q) { __typename id }", i, a.id)
	}
	q.WriteString(" }")
	r := h.do(p.token, q.String(), nil)
	for _, e := range r.Errors {
		if e.Extensions["code"] != exithub.EFORBIDDEN {
			h.t.Fatalf("%s: node answers an error other than FORBIDDEN: %s", p.key, r.raw)
		}
	}
	out := make([]any, len(as))
	for i := range as {
		out[i] = get(r.Data, fmt.Sprintf("n%d", i))
	}
	return out
}

type principal struct{ key, token string }

// demoPrincipals is every role of every demo organisation.
func (h *hub) demoPrincipals() []principal {
	var out []principal
	for _, o := range seed.DemoOrganisations {
		for _, r := range exithub.RolesFor(o.Kind) {
			out = append(out, principal{key: string(r) + "@" + o.Code, token: h.token(o.Code, r)})
		}
	}
	return out
}

func set(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// readAs runs a type's own query as p; FORBIDDEN means it reads none.
func (h *hub) readAs(p principal, query string, ids func(map[string]any) []string) []string {
	h.t.Helper()
	r := h.do(p.token, query, nil)
	if r.code() == exithub.EFORBIDDEN {
		return nil
	}
	if len(r.Errors) > 0 {
		h.t.Fatalf("%s: %s: %s", p.key, query, r.raw)
	}
	return ids(r.Data)
}
