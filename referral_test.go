package exithub

import "testing"

func TestReferralStateMachine(t *testing.T) {
	legal := map[ReferralStatus][]Action{
		StatusRequested:  {ActReceive, ActCancel},
		StatusReceived:   {ActAccept, ActReject, ActCancel},
		StatusAccepted:   {ActStart, ActCancel},
		StatusInProgress: {ActComplete, ActFail, ActCancel},
	}
	for _, s := range ReferralStatuses {
		for _, a := range TransitionActions {
			_, err := s.Next(a)
			want := false
			for _, l := range legal[s] {
				want = want || l == a
			}
			if (err == nil) != want {
				t.Errorf("%s --%s-->: %v, want legal=%v", s, a, err, want)
			}
			if err != nil && ErrorCode(err) != ECONFLICT {
				t.Errorf("%s --%s-->: %v is not CONFLICT", s, a, err)
			}
		}
	}
}

func TestReplayReconstructsAnyDay(t *testing.T) {
	d := func(s string) Date {
		x, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	evs := []CourseEvent{
		{Seq: 3, Kind: EventTrackChanged, On: d("2014-05-01"), Data: CourseEventData{Track: TrackExit}},
		{Seq: 1, Kind: EventStarted, CourseID: "c", On: d("2014-01-10"), Data: CourseEventData{Kind: CourseCTI, Track: TrackLifeSituation}},
		{Seq: 2, Kind: EventPhaseStarted, On: d("2014-03-01"), Data: CourseEventData{Phase: 2}},
		{Seq: 4, Kind: EventEnded, On: d("2015-01-10"), Data: CourseEventData{EndReason: EndCompleted}},
	}
	if c := Replay(evs, d("2014-01-09")); c.ID != "" {
		t.Fatal("a course exists before its start")
	}
	c := Replay(evs, d("2014-04-30"))
	if *c.Track != TrackLifeSituation || c.Phase != 2 || !c.Open() {
		t.Fatalf("as of 2014-04-30: %+v", c)
	}
	c = Replay(evs, d("2015-01-10"))
	if *c.Track != TrackExit || c.Open() {
		t.Fatalf("as of 2015-01-10: %+v", c)
	}
}
