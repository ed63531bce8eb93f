package main

import (
	"exithub/db"
	"exithub/graph"
	"exithub/server"
)

// The database implements what the server asks of its backend.
var (
	_ server.Readiness      = (*db.DB)(nil)
	_ server.RefusalAuditor = (*db.DB)(nil)
	_ server.ListenerStatus = (*db.Listener)(nil)
	_ server.PoolStats      = poolStats{}
)

// backend wires the database into the server: the domain's services, each
// its own type over the one pool, and what the transport asks of the
// database itself.
func backend(d *db.DB, l *db.Listener) server.Backend {
	return server.Backend{
		Services:   services(d, l),
		Statistics: db.StatisticsService{DB: d},
		Readiness:  d,
		Refusals:   d,
		Pool:       poolStats{d},
		Listener:   l,
	}
}

// services are the database's implementations of the services the
// resolvers call.
func services(d *db.DB, l *db.Listener) graph.Services {
	return graph.Services{
		Referrals:   db.ReferralService{DB: d},
		Consents:    db.ConsentService{DB: d},
		Citizens:    db.CitizenService{DB: d},
		Dossiers:    db.DossierService{DB: d},
		Courses:     db.CourseService{DB: d},
		Funding:     db.FundingService{DB: d},
		BudgetLines: db.BudgetLineBatch{DB: d},
		Agreements:  db.AgreementService{DB: d},
		Directory:   db.DirectoryService{DB: d},
		Audit:       db.AuditLogService{DB: d},
		Nodes:       db.NodeService{DB: d},
		Replay:      db.ReferralReplay{DB: d},
		Changes:     l,
	}
}

// poolStats reads the pool's use for the server's metrics.
type poolStats struct{ d *db.DB }

func (p poolStats) PoolStat() server.PoolStat {
	s := p.d.Pool().Stat()
	return server.PoolStat{Total: s.TotalConns(), Acquired: s.AcquiredConns(),
		EmptyAcquires: s.EmptyAcquireCount(), Queries: p.d.Queries()}
}
