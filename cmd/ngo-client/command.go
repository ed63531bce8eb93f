package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// commandFunc runs a subcommand with the arguments after its name.
type commandFunc func(ctx context.Context, e *env, args []string) error

// commands is every subcommand by name.
var commands = map[string]commandFunc{
	"inbox":    runInbox,
	"receive":  transitionCommand("receive"),
	"accept":   transitionCommand("accept"),
	"reject":   transitionCommand("reject"),
	"start":    transitionCommand("start"),
	"complete": transitionCommand("complete"),
	"fail":     transitionCommand("fail"),
	"note":     runNote,
	"watch":    runWatch,
}

// synopses is how each subcommand is called. (Apart from commands, which
// would otherwise refer to itself through the commands' usage messages.)
var synopses = map[string]string{
	"inbox":    "inbox [--status S] [--first N]",
	"receive":  "receive ID [--expected-version N]",
	"accept":   "accept ID [--expected-version N]",
	"reject":   "reject ID --reason TEXT [--expected-version N]",
	"start":    "start ID [--expected-version N]",
	"complete": "complete ID --outcome TEXT [--expected-version N]",
	"fail":     "fail ID --reason TEXT [--expected-version N]",
	"note":     "note ID TEXT",
	"watch":    "watch [--since RFC3339] [--retry-min D] [--retry-max D] [--idle D]",
}

// usageError is a mistake on the command line, found before anything was
// sent to the server.
type usageError struct{ msg string }

// Error is the mistake, in a sentence.
func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// env is what a command works with: the shared options, where to write,
// and the Retry-After of the hub's last answer.
type env struct {
	opts           options
	stdout, stderr io.Writer
	hints          *retryHints
}

// client is the HTTP client of a command, recording Retry-After in e.hints.
func (e *env) client() (graphql.Client, func()) {
	return e.opts.client(e.hints)
}

// retryLater is a failure that the same command may not meet on a later
// attempt, with the wait the hub asked for (zero when it named none).
type retryLater struct {
	err   error
	after time.Duration
}

// Error is the failure's own message.
func (r retryLater) Error() string { return r.err.Error() }

// Unwrap is the failure.
func (r retryLater) Unwrap() error { return r.err }

// advice says when to try again.
func (r retryLater) advice() string {
	if r.after > 0 {
		return fmt.Sprintf("retryable: try again in %v", r.after)
	}
	return "retryable: try again later"
}

// classify marks a failure that is worth retrying as retryLater: a mistake
// on the command line never is, whatever it says.
func (e *env) classify(err error) error {
	var u usageError
	if err == nil || errors.As(err, &u) || errors.Is(err, flag.ErrHelp) || !retryable(err) {
		return err
	}
	return retryLater{err: err, after: e.hints.take()}
}

// dispatch reads the options that may precede the command's name, then
// hands the rest of the line to the command.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{opts: defaultOptions(), stdout: stdout, stderr: stderr, hints: &retryHints{}}
	fs := quietFlagSet("ngo-client")
	e.opts.register(fs)
	fs.Usage = func() { printUsage(stderr, fs) }
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("no command given")
	}
	cmd, ok := commands[fs.Arg(0)]
	if !ok {
		fs.Usage()
		return usagef("unknown command %q", fs.Arg(0))
	}
	return e.classify(cmd(ctx, e, fs.Args()[1:]))
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: ngo-client [--endpoint URL] [--token JWT] COMMAND ...")
	for _, n := range slices.Sorted(maps.Keys(synopses)) {
		fmt.Fprintf(w, "  ngo-client %s\n", synopses[n])
	}
	fmt.Fprintln(w, "options (before or after the command):")
	printDefaults(w, fs)
	fmt.Fprint(w, exitCodes)
}

// exitCodes is the usage text's account of exitCode.
const exitCodes = `exit codes:
  0   done
  1   refused or failed for good (NOT_FOUND, CONFLICT, FORBIDDEN, INTERNAL, ...): retrying cannot help
  2   a mistake on the command line: nothing was sent
  75  may succeed later (UNAVAILABLE, RATE_LIMITED, the hub not reached): run the same command
      again after the wait printed; a transition that did commit answers CONFLICT then, and a
      note, which takes no idempotency key, may be added twice
`

// quietFlagSet is a flag set that prints nothing of its own: the flag
// package would print a bad flag's error, which run prints as well.
func quietFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func printDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// flagError makes a bad flag a usageError; -h stays flag.ErrHelp.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err.Error()}
}

// flags starts a command's flag set; the shared options are in it too, so
// they may also follow the command's name.
func (e *env) flags(name string) *flag.FlagSet {
	fs := quietFlagSet("ngo-client " + name)
	e.opts.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: ngo-client %s\n", synopses[name])
		printDefaults(e.stderr, fs)
	}
	return fs
}

// parse reads flags wherever they stand among the positional arguments, so
// that `accept ID --expected-version 3` works: flag.Parse alone stops at the
// first positional argument. After "--" everything is positional.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseN is parse for a command taking exactly n positional arguments.
func parseN(fs *flag.FlagSet, args []string, n int, names string) ([]string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, usagef("%s: want %s, got %q", strings.TrimPrefix(fs.Name(), "ngo-client "), names, pos)
	}
	return pos, nil
}
