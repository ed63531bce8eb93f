package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagError is a command line that flag refused. Its text is flag's own
// message followed by the flags' usage, so it is printed as it is, once.
type flagError struct{ text string }

func (e flagError) Error() string { return strings.TrimSpace(e.text) }

// parseFlags parses args, keeping flag's message and usage for the error
// rather than letting flag print them and then printing the error again.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var out strings.Builder
	fs.SetOutput(&out)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return helpError{text: out.String()}
	case err != nil:
		return flagError{text: out.String()}
	}
	return nil
}

// helpError is -h or --help: the usage, asked for.
type helpError struct{ text string }

func (e helpError) Error() string { return strings.TrimSpace(e.text) }

// report prints err for a person and returns the exit code: 0 for help
// that was asked for, 2 for a command line that makes no sense, 1 for the
// rest. Each message says "exithub:" once: usage lines and flag's messages
// carry no prefix, and no error repeats one.
func report(stderr io.Writer, err error) int {
	var help helpError
	var bad flagError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		fmt.Fprintln(stderr, help.Error())
		return 0
	case errors.As(err, &bad):
		fmt.Fprintln(stderr, bad.Error())
		return 2
	}
	msg := strings.TrimPrefix(err.Error(), "exithub: ")
	if !strings.HasPrefix(msg, "usage: ") {
		msg = "exithub: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return 1
}
