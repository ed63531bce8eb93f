package main

import (
	"flag"
	"fmt"
	"time"
)

// config is the harness's flags.
type config struct {
	Scale      float64
	Duration   time.Duration // each measured run
	Warmup     time.Duration // before each measured run, not counted
	Workers    uint64        // closed-loop workers for the peak runs
	MaxWorkers uint64        // cap on a fixed-rate run's workers
	Rates      map[string]int
	NGOs       int // NGOs whose workers read their inboxes
	Caseworker int // municipalities whose caseworkers write
	OutDir     string
	Seed       bool
	Baselines  bool
	ScaleOut   bool
}

// scenarioNames are the hub's scenarios, in the order they run.
var scenarioNames = []string{"inbox", "writes", "statistics", "mix"}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := config{Rates: map[string]int{}}
	fs.Float64Var(&c.Scale, "scale", 0.1, "national dataset scale: 1.0 is a million citizens")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "length of each measured run")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "unmeasured load before each run")
	fs.Uint64Var(&c.Workers, "workers", 16, "closed-loop workers of the peak runs")
	fs.Uint64Var(&c.MaxWorkers, "max-workers", 256, "most workers a fixed-rate run may add when answers are slow")
	rates := map[string]int{"inbox": 1000, "writes": 100, "statistics": 20, "mix": 500}
	rateFlags := map[string]*int{}
	for _, name := range scenarioNames {
		rateFlags[name] = fs.Int("rate-"+name, rates[name], fmt.Sprintf("fixed rate of the %s scenario, requests/s", name))
	}
	fs.IntVar(&c.NGOs, "ngos", 20, "NGOs reading their inboxes, one token each")
	fs.IntVar(&c.Caseworker, "caseworkers", 8, "municipalities whose caseworkers write, one token each")
	fs.StringVar(&c.OutDir, "out", "bench/results", "directory of the Markdown results")
	fs.BoolVar(&c.Seed, "seed", true, "load the national dataset (false: use what DATABASE_URL holds)")
	fs.BoolVar(&c.Baselines, "baselines", true, "measure raw pgx and plain net/http beside the hub")
	fs.BoolVar(&c.ScaleOut, "scale-out", true, "measure two hubs behind PgBouncer")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for name, r := range rateFlags {
		c.Rates[name] = *r
	}
	return c, c.validate()
}

func (c config) validate() error {
	switch {
	case c.Scale <= 0 || c.Scale > 10:
		return fmt.Errorf("-scale must be in (0, 10]")
	case c.Duration <= 0 || c.Warmup < 0:
		return fmt.Errorf("-duration must be positive and -warmup not negative")
	case c.Workers == 0 || c.MaxWorkers == 0:
		return fmt.Errorf("-workers and -max-workers must be positive")
	case c.Rates["inbox"] < 1 || c.Rates["writes"] < 1 || c.Rates["statistics"] < 1 || c.Rates["mix"] < 1:
		return fmt.Errorf("every -rate-* must be positive")
	case c.NGOs < 1 || c.NGOs > 200 || c.Caseworker < 1 || c.Caseworker > 98:
		return fmt.Errorf("-ngos must be in 1..200 and -caseworkers in 1..98, what the national seed makes")
	}
	return nil
}
