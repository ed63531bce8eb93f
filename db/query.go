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

// whereClause is the conditions joined, for after WHERE.
func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return "true"
	}
	return strings.Join(q.where, " AND ")
}
