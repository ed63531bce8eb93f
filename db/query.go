package db

import (
	"strconv"
	"strings"
)

// query builds a statement's WHERE clause from the conditions that apply to
// one call, each value a parameter. A condition left optional in the text
// ("$n IS NULL OR ...") costs more than its evaluation: after a prepared
// statement's fifth run PostgreSQL may keep one generic plan, made without
// the arguments, in which such a condition can neither use an index nor be
// estimated, so the plan kept may read a whole inbox or log to return one
// page. Each combination of conditions is its own statement text instead,
// and pgx prepares each once per connection.
type query struct {
	where []string
	args  []any
}

// param adds v as the next parameter and returns its placeholder.
func (q *query) param(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// and adds a condition the rows must meet.
func (q *query) and(cond string) { q.where = append(q.where, cond) }

// keyset adds the bounds of a keyset page on the key (at, id): older than
// the after cursor and newer than the before cursor, each only when given.
func (q *query) keyset(k keysetBounds, at, id string) {
	key := "(" + at + ", " + id + ")"
	if k.after {
		q.and(key + " < (" + q.param(k.afterAt) + ", " + q.param(k.afterID) + ")")
	}
	if k.before {
		q.and(key + " > (" + q.param(k.beforeAt) + ", " + q.param(k.beforeID) + ")")
	}
}

// limit is the LIMIT of a page of n rows, written as a number, not a
// parameter: the generic plan of a LIMIT $n counts on returning a tenth of
// what the conditions select (a whole inbox's tenth for a page of 21), so
// it looked dearer than the plans made for each call and PostgreSQL went
// on planning the statement anew at every run. With the number in the text
// the generic plan costs what a custom one does and is kept. n comes from
// the server's bounded page size, never from the client's text.
func limit(n int) string { return " LIMIT " + strconv.Itoa(n) }

// whereClause is the conditions joined, for after WHERE.
func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return "true"
	}
	return strings.Join(q.where, " AND ")
}
