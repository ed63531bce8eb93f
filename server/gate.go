package server

import (
	"crypto/rand"
	"time"

	"exithub"
)

// gate builds the statistics' one gate over the backend's, drawing noise
// from crypto/rand.
func (s *Server) gate() *exithub.Gate {
	now := s.cfg.Now
	if now == nil {
		now = time.Now
	}
	return &exithub.Gate{Privacy: s.cfg.Privacy, Service: s.backend.Statistics, Rand: rand.Reader, Now: now}
}
