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
	"watch":    "watch [--since RFC3339] [--retry-min D] [--retry-max D] [--resync D]",
}

// usageError is a mistake on the command line, found before anything was
// sent to the server.
type usageError struct{ msg string }

// Error is the mistake, in a sentence.
func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// env is what a command works with: the shared options and where to write.
type env struct {
	opts           options
	stdout, stderr io.Writer
}

// dispatch reads the options that may precede the command's name, then
// hands the rest of the line to the command.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{opts: defaultOptions(), stdout: stdout, stderr: stderr}
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
	return cmd(ctx, e, fs.Args()[1:])
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: ngo-client [--endpoint URL] [--token JWT] COMMAND ...")
	for _, n := range slices.Sorted(maps.Keys(synopses)) {
		fmt.Fprintf(w, "  ngo-client %s\n", synopses[n])
	}
	fmt.Fprintln(w, "options (before or after the command):")
	printDefaults(w, fs)
}

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
