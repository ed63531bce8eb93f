package model

import "exithub"

// StatisticsRow is the schema's StatisticsRow: the domain's row, and beside
// it its municipalities from the in-memory directory, filled by the
// resolver that read the rows when the operation asks for them. As plain
// fields they resolve in the goroutine gqlgen starts for the row, not in
// one more each: a month by municipality has some 800 rows.
type StatisticsRow struct {
	*exithub.StatisticsRow
	Municipality     *exithub.Organisation
	HomeMunicipality *exithub.Organisation
}
