package db

import (
	"context"
	"time"
)

// repeat runs a background job every interval until ctx ends (first at
// once when now is set), logging what fails under the job's name: the
// sealer and the statistics' checkpoints share this loop.
func (d *DB) repeat(ctx context.Context, name string, every time.Duration, now bool, job func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if now {
			if err := job(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn(name, "err", err)
			}
		}
		now = true
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
