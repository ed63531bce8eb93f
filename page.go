package exithub

// MaxPageSize is the most rows one list returns; asking for more is invalid.
const MaxPageSize = 100

// DefaultPageSize is the page a client gets when it gives neither first nor last.
const DefaultPageSize = 20

// Page asks for a keyset page of a list, in the list's order (newest first),
// as the Relay Cursor Connections specification describes: the Size rows
// right after the cursor After, or with Backward the Size rows right before
// the cursor Before. Both cursors narrow the list whichever way is read.
type Page struct {
	Size     int
	After    string // "": from the start of the list
	Before   string // "": to its end
	Backward bool   // last/before: the rows closest to Before (or the end)
}

// PageInfo tells a client whether there is more either way, and where to
// go on from. Cursors are nil on an empty page.
type PageInfo struct {
	StartCursor     *string
	EndCursor       *string
	HasNextPage     bool
	HasPreviousPage bool
	Cursors         []string // one per row returned
}

// NewPage reads the connection arguments. A cursor must be one the server
// gave out, so an empty one is refused rather than read as no cursor; first
// and last together are refused, since they make no single page.
func NewPage(first, last *int, after, before *string) (Page, error) {
	p := Page{Size: DefaultPageSize}
	switch {
	case first != nil && last != nil:
		return Page{}, Invalid("last", "pass first or last, not both")
	case first != nil:
		p.Size = *first
	case last != nil:
		p.Size, p.Backward = *last, true
	}
	field := "first"
	if p.Backward {
		field = "last"
	}
	if p.Size < 0 || p.Size > MaxPageSize {
		return Page{}, Invalid(field, "%s must be between 0 and %d", field, MaxPageSize)
	}
	if after != nil {
		if *after == "" {
			return Page{}, Invalid("after", "an empty cursor; omit after to start from the beginning")
		}
		p.After = *after
	}
	if before != nil {
		if *before == "" {
			return Page{}, Invalid("before", "an empty cursor; omit before to read to the end")
		}
		p.Before = *before
	}
	return p, nil
}

// Trim cuts rows, read in the page's direction with one extra row, to the
// page, and says whether the extra row existed: more rows beyond the page.
// Rows read backward are put back into the list's order.
func Trim[T any](p Page, rows []T) (page []T, more bool) {
	if len(rows) > p.Size {
		rows, more = rows[:p.Size], true
	}
	if p.Backward {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	return rows, more
}

// Info builds a page's PageInfo from its rows' cursors and whether more
// rows lie beyond it in the direction read. Whether rows lie on the other
// side is not looked up: the specification lets a server answer false.
func (p Page) Info(cursors []string, more bool) PageInfo {
	info := PageInfo{Cursors: cursors}
	if p.Backward {
		info.HasPreviousPage = more
	} else {
		info.HasNextPage = more
	}
	if n := len(cursors); n > 0 {
		info.StartCursor, info.EndCursor = &cursors[0], &cursors[n-1]
	}
	return info
}
