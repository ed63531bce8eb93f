// Package graph is the GraphQL layer: gqlgen's generated executor and the
// resolvers that translate between GraphQL and the domain. It holds no SQL,
// no business rules and no policy strings.
package graph

import "exithub"

// Resolver is the root of the resolvers: the services they call, the gate
// every aggregate figure passes through, and the loaded policy (read only
// to tell a principal what it may do; the directives enforce it).
type Resolver struct {
	Services
	Gate  *exithub.Gate
	Authz exithub.Authorizer
}

// Services are the domain's services the resolvers call. The database
// implements them; tests give fakes.
type Services struct {
	Referrals   exithub.ReferralService
	Consents    exithub.ConsentService
	Citizens    exithub.CitizenService
	Dossiers    exithub.DossierService
	Courses     exithub.CourseService
	Funding     exithub.FundingService
	BudgetLines exithub.BudgetLineBatch
	Agreements  exithub.AgreementService
	Directory   exithub.DirectoryService
	Audit       exithub.AuditLogService
	Nodes       exithub.NodeService
	Replay      exithub.ReferralReplay
	Changes     exithub.ChangeListener
}
