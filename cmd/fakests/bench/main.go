// Command bench measures STS servers from the Go SDK, for BENCHMARKS.md's
// server section. It is a development tool, not part of fakests:
//
//	go run ./cmd/fakests/bench canned                       # a server answering fixed bytes: the loopback limit
//	go run ./cmd/fakests/bench calls -op AssumeRole -rounds 5 -duration 2s canned=URL fakests=URL moto=URL
//	go run ./cmd/fakests/bench startup -- fakests serve -addr 127.0.0.1:0 -quiet
//
// calls runs the same operation against every named endpoint in turn,
// round after round, so that a shared machine's changing load falls on all
// of them alike, and prints the median calls/s and time per call of each,
// with its ratio to the first. startup starts a server command and reports
// the time from the start to the first answered GetCallerIdentity.
// cmd/fakests/bench/run.sh runs the whole comparison.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench canned|calls|startup [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "canned":
		err = canned(os.Args[2:])
	case "calls":
		err = calls(os.Args[2:])
	case "startup":
		err = startup(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// Fixed answers of the canned server, as fakests sends them (same sizes).
const (
	cannedIdentity = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/fakests-default</Arn>
    <UserId>AIDARZPUZDIKFSQFH5DYP</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>d46d54a1-3ba6-414f-b051-c683fa80b451</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`
	cannedAssumeRole = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIARZPUZDIKATI4R3M5</AccessKeyId>
      <SecretAccessKey>OlWrFQemSNBlZp/L9v+LA60J+2k+qwR6BEAxGVAs</SecretAccessKey>
      <SessionToken>` + cannedToken + `</SessionToken>
      <Expiration>2036-11-29T20:41:15Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROARZPUZDIKCCNZRITUO:bench</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/bench/bench</Arn>
    </AssumedRoleUser>
    <SessionTokenSize>764</SessionTokenSize>
    <SessionTokenUtilization>19</SessionTokenUtilization>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>3469dfd6-0fb3-4697-956b-82fe02f24aa6</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`
)

// cannedToken is a session token of fakests' usual size (764 bytes).
const cannedToken = "IQoJb3JpZ2luX2VjQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoQUJDREVGR0hJSktMTU5PUFFSU1RVVldY"

// canned serves fixed bytes: the answer for the Action the body names,
// without parsing or checking anything else. It prints its URL first.
func canned(args []string) error {
	fs := flag.NewFlagSet("canned", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "host:port to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	identity, assume := []byte(cannedIdentity), []byte(cannedAssumeRole)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		out := identity
		if strings.Contains(string(body), "Action=AssumeRole&") {
			out = assume
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "3469dfd6-0fb3-4697-956b-82fe02f24aa6")
		w.Write(out)
	})
	srv := &http.Server{Handler: h}
	go func() {
		stop := make(chan os.Signal, 1)
		signalNotify(stop)
		<-stop
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// endpoint is a named server URL.
type endpoint struct{ name, url string }

// calls measures one operation against each endpoint, interleaved.
func calls(args []string) error {
	fs := flag.NewFlagSet("calls", flag.ContinueOnError)
	op := fs.String("op", "GetCallerIdentity", "GetCallerIdentity or AssumeRole")
	rounds := fs.Int("rounds", 5, "rounds; each measures every endpoint once")
	dur := fs.Duration("duration", 2*time.Second, "how long each endpoint is called per round")
	conc := fs.Int("c", 1, "clients calling at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var eps []endpoint
	for _, a := range fs.Args() {
		name, url, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("endpoint %q is not name=URL", a)
		}
		eps = append(eps, endpoint{name, url})
	}
	if len(eps) == 0 {
		return errors.New("no endpoints")
	}
	rates := make([][]float64, len(eps))
	for r := 0; r < *rounds; r++ {
		for i, ep := range eps {
			rate, err := measure(ep.url, *op, *dur, *conc)
			if err != nil {
				return fmt.Errorf("%s: %w", ep.name, err)
			}
			rates[i] = append(rates[i], rate)
		}
	}
	fmt.Printf("Go SDK %s, %d client(s), median of %d rounds of %v\n", *op, *conc, *rounds, *dur)
	fmt.Printf("%-16s %10s %12s %10s\n", "server", "calls/s", "µs/call", "time ×")
	base := median(rates[0])
	for i, ep := range eps {
		m := median(rates[i])
		fmt.Printf("%-16s %10.0f %12.1f %10.2f\n", ep.name, m, 1e6*float64(*conc)/m, base/m)
	}
	return nil
}

// median returns the median of xs.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// newClient returns a Go SDK client for url with a fixed access key.
func newClient(url string) *sts.Client {
	return sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, nil
		}),
		Retryer: aws.NopRetryer{},
	})
}

// measure calls op on url for d from conc clients and returns calls/s.
func measure(url, op string, d time.Duration, conc int) (float64, error) {
	ctx := context.Background()
	call := func(c *sts.Client) error {
		if op == "AssumeRole" {
			_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/bench"), RoleSessionName: aws.String("bench")})
			return err
		}
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}
	var wg sync.WaitGroup
	counts := make([]int, conc)
	failed := make([]int, conc)
	errs := make([]error, conc)
	// Warm up each client's connection first.
	clients := make([]*sts.Client, conc)
	for i := range clients {
		clients[i] = newClient(url)
		if err := call(clients[i]); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := call(clients[i]); err != nil {
					// A dropped connection (moto's development server
					// closes some) is counted, not fatal; too many fail
					// the measurement.
					failed[i]++
					errs[i] = err
					continue
				}
				counts[i]++
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	n, nf := 0, 0
	var last error
	for i := range counts {
		n += counts[i]
		nf += failed[i]
		if errs[i] != nil {
			last = errs[i]
		}
	}
	if nf*100 > n {
		return 0, fmt.Errorf("%d of %d calls failed, the last: %w", nf, n+nf, last)
	}
	return float64(n) / elapsed.Seconds(), nil
}

// startup starts the server command after "--", waits for its first
// answered GetCallerIdentity and stops it. The URL is the first line the
// command prints when it is an http URL (fakests), else -url (moto).
func startup(args []string) error {
	fs := flag.NewFlagSet("startup", flag.ContinueOnError)
	url := fs.String("url", "", "the server's URL when its first line does not say it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	if len(argv) == 0 {
		return errors.New("no server command after --")
	}
	start := time.Now()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	target := *url
	if target == "" {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			return fmt.Errorf("the server printed no URL: %v", err)
		}
		target = strings.TrimSpace(line)
	} else {
		go io.Copy(io.Discard, out)
	}
	c := newClient(target)
	deadline := start.Add(30 * time.Second)
	for {
		_, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer within 30s: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	fmt.Printf("first answer after %.1f ms\n", float64(time.Since(start))/float64(time.Millisecond))
	return nil
}
