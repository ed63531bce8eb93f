package server

import (
	"exithub/db"
	"exithub/graph"
)

// services are the database's implementations of the services the
// resolvers call, each its own type over the one pool.
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
