package server

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// clientOperations are the names of the operations the hub's own clients
// send (the NGO client's operations.graphql, the web app's
// web/operations.graphql, the dashboard's queries.js);
// a test keeps the list in step with those files. Metrics use these names
// and the allow-list's; any other name a client chooses is "other", so
// that no client-chosen string becomes a label.
var clientOperations = []string{
	"Me", "Inbox", "WatchInbox", "ReceiveReferral", "AcceptReferral", "RejectReferral", "StartReferral",
	"CompleteReferral", "FailReferral", "AddReferralNote", "ReferralEvents",
	"DashboardMe", "DashboardTable", "DashboardMunicipalities", "DashboardFunding", "DashboardTrend",
	"Log", "Agreements", "CreateAgreement", "Citizen", "WithdrawConsent", "GiveConsent", "Citizens",
	"Register", "StartCourse", "StartCoursePhase", "AddPlanItem", "ChangeSupportPerson", "EndCourse",
	"Events", "Refer", "Referral", "CancelReferral", "AddNote", "Referrals",
}

// operationNames is the set of names metrics may show.
func operationNames(a *AllowList) map[string]bool {
	names := map[string]bool{}
	for _, n := range clientOperations {
		names[n] = true
	}
	if a == nil {
		return names
	}
	for canonical := range a.allowed {
		doc, err := parser.ParseQuery(&ast.Source{Input: canonical})
		if err != nil {
			continue // it parsed when it was loaded; canonical printing keeps it valid
		}
		for _, op := range doc.Operations {
			if op.Name != "" {
				names[op.Name] = true
			}
		}
	}
	return names
}

// label is the metrics label of an operation name.
func label(names map[string]bool, name string) string {
	switch {
	case name == "":
		return "anonymous"
	case names[name]:
		return name
	}
	return "other"
}
