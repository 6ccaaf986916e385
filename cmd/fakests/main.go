// Command fakests serves the fakests engine over HTTP: STS (and IAM's
// control plane) for the aws CLI, boto3, the JS SDK or any program that
// takes an endpoint URL, with admin endpoints under /_fakests/ for the
// journal, fault injection, the engine clock, snapshots and reset.
//
//	go run github.com/fakests/fakests/cmd/fakests serve
//	aws --endpoint-url http://127.0.0.1:7787 sts get-caller-identity
//
// The first line on stdout is the base URL; then one line per request goes
// to stderr (operation, caller, status, time) unless -quiet. Run
// "fakests serve -h" for the flags. README.md's "Server" section
// describes the admin endpoints, the -seed format
// (testdata/seed.example.json) and the -state file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// This file is the command line: the subcommands, serve's flags and what
// they default to.

// defaultPort is serve's port when -addr gives none. 7787 is clear of the
// ports of the emulators people run beside fakests while they move their
// tests (LocalStack 4566 and 4510–4559, moto's server 5000, DynamoDB Local
// 8000) and of the usual development servers (3000, 8080), and below every
// operating system's ephemeral range, so it stays free between runs; 787 is
// "STS" on a phone keypad.
const defaultPort = "7787"

// defaultAddr is serve's -addr default: loopback only.
const defaultAddr = "127.0.0.1:" + defaultPort

// gcPercent is serve's GOGC unless the environment sets one. A server's
// live heap is small (identities, sessions, the journal) and each request
// allocates a few tens of kilobytes, so Go's default of 100 collects every
// hundred requests or so; 400 collects a quarter as often, for a heap that
// peaks at five times the live data instead of twice (BENCHMARKS.md: about
// a fifth of the time per call over loopback).
const gcPercent = 400

// config is what serve's flags asked for.
type config struct {
	addr       string // host:port to listen on
	state      string // -state: the state file ("" keeps state in memory only)
	seed       string // -seed: the declarative seed file applied when there is no state
	strict     bool   // -strict: fakests.Strict()
	account    string // -account: the engine's default account
	region     string // -region: the engine's default region
	quiet      bool   // -quiet: no per-request log lines
	adminToken string // -admin-token: the bearer token admin endpoints need
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command with args (without the program name) and returns
// its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "serve":
		cfg, err := parseServeFlags(args[1:], stderr)
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if err != nil {
			fmt.Fprintln(stderr, "fakests serve:", err)
			return 2
		}
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(gcPercent)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := serve(ctx, cfg, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "fakests serve:", err)
			return 1
		}
		return 0
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "fakests: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// usage prints the commands.
func usage(w io.Writer) {
	fmt.Fprint(w, `usage: fakests <command> [flags]

commands:
  serve   serve STS and IAM over HTTP (fakests serve -h for its flags)
`)
}

// parseServeFlags parses serve's flags. Help (-h) prints the flags to
// stderr and returns flag.ErrHelp.
func parseServeFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("fakests serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.addr, "addr", defaultAddr, "`host:port` to listen on; port 0 picks a free one")
	fs.StringVar(&c.state, "state", "", "keep state in `FILE` across restarts and crashes (created if missing)")
	fs.StringVar(&c.seed, "seed", "", "apply the identities of JSON `FILE` when there is no state yet")
	fs.BoolVar(&c.strict, "strict", false, "unknown access keys and roles are refused, as by AWS (default: lenient)")
	fs.StringVar(&c.account, "account", "123456789012", "the default `account` ID: the default user's and that of entities created without one")
	fs.StringVar(&c.region, "region", "us-east-1", "the engine's default `region`")
	fs.BoolVar(&c.quiet, "quiet", false, "no per-request log lines on stderr")
	fs.StringVar(&c.adminToken, "admin-token", "", "bearer `token` the /_fakests/ admin endpoints require; needed for them when -addr is not loopback")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: fakests serve [flags]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, nil
}
