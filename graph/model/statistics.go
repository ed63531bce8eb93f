package model

import "exithub"

// StatisticsRow is the schema's StatisticsRow: the domain's row, and beside
// it its municipalities from the in-memory directory, filled by the
// resolver that read the rows when the operation asks for them, each
// organisation once per list. As plain fields they need no resolver per
// row, with gqlgen's bookkeeping for it and a policy check per lookup: a
// month by municipality has some 800 rows.
type StatisticsRow struct {
	*exithub.StatisticsRow
	Municipality     *exithub.Organisation
	HomeMunicipality *exithub.Organisation
}
