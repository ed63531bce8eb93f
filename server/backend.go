package server

import (
	"context"
	"time"

	"exithub"
	"exithub/graph"
)

// Backend is what the server asks of the hub's storage, each part through
// an interface the domain or this package declares: the binary wires the
// database's implementations in, and tests give fakes. Refusals is
// required; a part a test leaves nil must be one its requests never reach.
type Backend struct {
	// Services are the domain's services the resolvers call.
	Services graph.Services
	// Statistics is the source of the gate every aggregate figure passes
	// through.
	Statistics exithub.StatisticsService
	// Readiness says whether requests can be served (/readyz).
	Readiness Readiness
	// Refusals records refused requests in the audit trail.
	Refusals RefusalAuditor
	// Pool reports the database pool's use (/metrics); none when nil.
	Pool PoolStats
	// Listener reports the connection that feeds subscriptions (/metrics);
	// none when nil.
	Listener ListenerStatus
}

// Readiness says whether the hub can serve: its database answers, with the
// schema this binary expects.
type Readiness interface {
	Ready(ctx context.Context) error
}

// RefusalAuditor records refusals in the audit trail: an authenticated
// principal's (the policy or a guard said no, with the error code as
// outcome), and the unauthenticated requests of one client address over
// one minute, as a count.
type RefusalAuditor interface {
	AuditRefusal(ctx context.Context, p *exithub.Principal, outcome string)
	AuditUnauthenticated(ctx context.Context, addr string, minute time.Time, n int)
}

// PoolStat is the database pool's use at one moment.
type PoolStat struct {
	Total, Acquired int32
	// EmptyAcquires counts the acquires that had to wait for a connection;
	// Queries the statements sent, BEGIN and COMMIT included.
	EmptyAcquires, Queries int64
}

// PoolStats reports the database pool's use.
type PoolStats interface {
	PoolStat() PoolStat
}

// ListenerStatus reports the LISTEN connection that feeds subscriptions.
type ListenerStatus interface {
	Listening() bool
	Losses() int64
	Reconnects() int64
}
