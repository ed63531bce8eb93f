package exithub

// MaxPageSize is the most rows one list returns; asking for more is invalid.
const MaxPageSize = 100

// Page asks for a keyset page: First rows after the opaque cursor After.
type Page struct {
	First int
	After string
}

// PageInfo tells a client whether there is more, and where to go on from.
type PageInfo struct {
	EndCursor   string
	HasNextPage bool
	Cursors     []string // one per row returned
}

// ValidatePage checks a page request.
func ValidatePage(p Page) error {
	if p.First < 0 || p.First > MaxPageSize {
		return Invalid("first", "first must be between 0 and %d", MaxPageSize)
	}
	return nil
}
