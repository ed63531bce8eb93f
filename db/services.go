package db

import "exithub"

// Each service is its own type over the shared pool and transaction
// helper, so that a caller holds only the service it needs.
type (
	ReferralService   struct{ *DB }
	ConsentService    struct{ *DB }
	CitizenService    struct{ *DB }
	DossierService    struct{ *DB }
	CourseService     struct{ *DB }
	FundingService    struct{ *DB }
	AgreementService  struct{ *DB }
	StatisticsService struct{ *DB }
	DirectoryService  struct{ *DB }
	AuditLogService   struct{ *DB }
	NodeService       struct{ *DB }
	BudgetLineBatch   struct{ *DB }
	ReferralReplay    struct{ *DB }
)

var (
	_ exithub.ReferralService   = ReferralService{}
	_ exithub.ConsentService    = ConsentService{}
	_ exithub.CitizenService    = CitizenService{}
	_ exithub.DossierService    = DossierService{}
	_ exithub.CourseService     = CourseService{}
	_ exithub.FundingService    = FundingService{}
	_ exithub.AgreementService  = AgreementService{}
	_ exithub.StatisticsService = StatisticsService{}
	_ exithub.DirectoryService  = DirectoryService{}
	_ exithub.AuditLogService   = AuditLogService{}
	_ exithub.NodeService       = NodeService{}
	_ exithub.BudgetLineBatch   = BudgetLineBatch{}
	_ exithub.ReferralReplay    = ReferralReplay{}
	_ exithub.ChangeListener    = (*Listener)(nil)
)
