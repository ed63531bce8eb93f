package exithub

import (
	"context"
	"time"
)

// AuditObject names one object an audited action touched.
type AuditObject struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// AuditRecord is one entry of the audit trail.
type AuditRecord struct {
	ID             int64
	At             time.Time
	RequestID      string
	Sub            string
	OrgID          *string
	Role           string
	Operation      string
	Objects        []AuditObject
	CitizenRefs    []string // keyed hashes of the citizens concerned
	MunicipalityID *string
	Outcome        string
	Sealed         bool
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	Since, Until *time.Time
	OrgCode      string
	CitizenID    string
}

// Request is what the transport knows of a request: its id and the
// operation's name, for the audit trail.
type Request struct {
	ID        string
	Operation string
}

type requestKey struct{}

// NewContextWithRequest returns a context carrying the request's details.
func NewContextWithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFromContext returns the request's details, zero if unknown.
func RequestFromContext(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
