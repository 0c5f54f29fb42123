package reliability_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The restart test's settings. The request timeout is short so a request
// stuck on a dead Neo4j shows quickly; a request is "hung" when it takes
// longer than requestTimeout + hangMargin.
const (
	requestTimeout  = 3 * time.Second
	shutdownTimeout = 5 * time.Second
	hangMargin      = 5 * time.Second
	loadClients     = 4
	thinkTime       = 50 * time.Millisecond
	beforeStop      = 5 * time.Second // load against a healthy service first
	downFor         = 5 * time.Second // Neo4j stays stopped this long
	afterRecovery   = 5 * time.Second // load continues this long after the first 2xx
	recoveryLimit   = time.Minute     // the first 2xx must come this soon after Neo4j is ready
	neo4jPassword   = "scamgraph-reliability-password"
	neo4jHeap       = "512m"
	neo4jStartLimit = 4 * time.Minute
)

// neo4jProc is an embedded Neo4j this test started with scripts/neo4j.sh.
type neo4jProc struct {
	script, dataDir, pidfile, log string
	port                          int
}

func (n *neo4jProc) run(t testing.TB, limit time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.script, args...)
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+neo4jPassword, "NEO4J_HEAP="+neo4jHeap,
		fmt.Sprintf("NEO4J_START_TIMEOUT=%d", int(neo4jStartLimit.Seconds())-10))
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	if err != nil {
		return so.String(), fmt.Errorf("neo4j.sh %s: %v\n%s", args[0], err, se.String())
	}
	return strings.TrimSpace(so.String()), nil
}

func (n *neo4jProc) start(t testing.TB) (string, error) {
	return n.run(t, neo4jStartLimit, "start", "--data-dir", n.dataDir, "--port", fmt.Sprint(n.port),
		"--pidfile", n.pidfile, "--log", n.log)
}

func (n *neo4jProc) stop(t testing.TB) error {
	_, err := n.run(t, 2*time.Minute, "stop", "--pidfile", n.pidfile)
	return err
}

// sample is one answer (or failure) seen by the load.
type sample struct {
	path       string
	v1         bool
	start, end time.Time
	status     int
	retryAfter string
	err        error
}

// TestNeo4jRestartUnderLoad stops and restarts the service's Neo4j under a
// bounded loopback load. Every answer must be 2xx, or 503 with Retry-After;
// nothing may hang past the request timeout; the service must answer 2xx
// again once Neo4j is back (the recovery time is reported); SIGTERM must
// then drain and exit 0 within the shutdown timeout.
func TestNeo4jRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts its own Neo4j; skipped with -short")
	}
	root := repoRoot(t)
	_, err := os.Stat(filepath.Join(root, "tools/neo4j-embedded/target/neo4j-embedded.jar"))
	needOrSkip(t, err == nil, "the embedded Neo4j is not built: run `make neo4j-build` (make test does)")

	// Our own Neo4j: its own data dir and port, never the one of make test.
	work := t.TempDir()
	n := &neo4jProc{script: filepath.Join(root, "scripts/neo4j.sh"), dataDir: filepath.Join(work, "neo4j"),
		pidfile: filepath.Join(work, "neo4j.pid"), log: filepath.Join(work, "neo4j.out"), port: freePort(t)}
	t.Cleanup(func() { // runs before TempDir's removal
		if err := n.stop(t); err != nil {
			t.Errorf("stop neo4j: %v", err)
		}
	})
	uri, err := n.start(t)
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	httpPort := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	env := []string{"NEO4J_URI=" + uri, "NEO4J_USER=neo4j", "NEO4J_PASSWORD=" + neo4jPassword,
		"HTTP_ADDR=" + fmt.Sprintf("127.0.0.1:%d", httpPort),
		"HTTP_REQUEST_TIMEOUT=" + requestTimeout.String(), "HTTP_READY_TIMEOUT=2s",
		"HTTP_SHUTDOWN_TIMEOUT=" + shutdownTimeout.String(), "LOG_LEVEL=warn",
		// The load is one key from one address: keep the rate limits out of the way.
		"RATE_LIMIT_RPS=100000", "RATE_LIMIT_BURST=100000", "RATE_LIMIT_IP_RPS=100000"}
	if r := runBin(t, bin, env, 10*time.Minute, "import", "--quiet", filepath.Join(root, "data/sample")); r.code != 0 {
		t.Fatalf("import data/sample: exit %d\n%s", r.code, r.stderr)
	}
	key := createKey(t, bin, env)

	// The service, its log in a file.
	logPath := filepath.Join(work, "serve.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	srv := exec.Command(bin, "serve")
	srv.Env = append(os.Environ(), env...)
	srv.Dir = work
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	srvDone := false
	t.Cleanup(func() {
		if !srvDone {
			_ = srv.Process.Kill()
			<-exited
		}
	})
	defer func() {
		if t.Failed() {
			t.Logf("service log (errors and warnings):\n%s", grepLog(logPath, 40))
		}
	}()

	client := &http.Client{Timeout: requestTimeout + hangMargin}
	get := func(path string) sample {
		s := sample{path: path, v1: strings.HasPrefix(path, "/v1/"), start: time.Now()}
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			s.err = err
			return s
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		if err != nil {
			s.err, s.end = err, time.Now()
			return s
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		s.end, s.status, s.retryAfter, s.err = time.Now(), resp.StatusCode, resp.Header.Get("Retry-After"), err
		return s
	}

	// Ready, and every request of the mix answers 200 while Neo4j is up.
	ready := time.Now().Add(2 * time.Minute)
	for get("/readyz").status != http.StatusOK {
		if time.Now().After(ready) {
			t.Fatal("the service never became ready")
		}
		time.Sleep(200 * time.Millisecond)
	}
	mix := []string{
		"/v1/search?q=Chen",
		"/v1/search?q=compound&limit=5",
		"/v1/entities/person:chen-zhi",
		"/v1/entities/compound:great-wall-park",
		"/v1/entities/person:chen-zhi/neighbors",
		"/v1/entities/compound:great-wall-park/neighbors?limit=10",
		"/v1/paths?from=person:chen-zhi&to=compound:great-wall-park",
		"/readyz",
	}
	// Warm up: the first queries compile their plans, which on a busy
	// machine may take longer than the request timeout (a 503).
	warm := time.Now().Add(2 * time.Minute)
	for _, p := range mix {
		for {
			s := get(p)
			if s.err == nil && s.status == http.StatusOK {
				break
			}
			if s.err != nil || s.status != http.StatusServiceUnavailable || time.Now().After(warm) {
				t.Fatalf("before any trouble, GET %s: status %d, err %v", p, s.status, s.err)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	// The load.
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	stop := make(chan struct{})
	firstV1OK := make(chan struct{}, 1)
	var readyAgain time.Time // set under mu once Neo4j is back
	var recovered time.Time
	loadStart := time.Now()
	for c := 0; c < loadClients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				s := get(mix[i%len(mix)])
				mu.Lock()
				samples = append(samples, s)
				if !readyAgain.IsZero() && recovered.IsZero() && s.v1 && s.err == nil &&
					s.status/100 == 2 && s.end.After(readyAgain) {
					recovered = s.end
					firstV1OK <- struct{}{}
				}
				mu.Unlock()
				time.Sleep(thinkTime)
			}
		}(c)
	}
	stopLoad := func() {
		close(stop)
		wg.Wait()
	}

	time.Sleep(beforeStop)
	stopBegin := time.Now()
	if err := n.stop(t); err != nil {
		stopLoad()
		t.Fatal(err)
	}
	stopped := time.Now()
	time.Sleep(downFor)
	startBegin := time.Now()
	if _, err := n.start(t); err != nil {
		stopLoad()
		t.Fatal(err)
	}
	mu.Lock()
	readyAgain = time.Now()
	mu.Unlock()
	didRecover := false
	select {
	case <-firstV1OK:
		didRecover = true
		time.Sleep(afterRecovery)
	case <-time.After(recoveryLimit):
	}
	stopLoad()
	loadTook := time.Since(loadStart)

	// What the load saw.
	statuses := map[int]int{}
	var bad []string
	var maxLatency time.Duration
	outage := 0
	for _, s := range samples {
		d := s.end.Sub(s.start)
		if s.end.IsZero() {
			d = 0
		}
		if d > maxLatency {
			maxLatency = d
		}
		switch {
		case s.err != nil:
			statuses[-1]++
			bad = append(bad, fmt.Sprintf("GET %s at +%s: no answer after %s: %v", s.path, s.start.Sub(loadStart).Round(time.Millisecond), d.Round(time.Millisecond), s.err))
		case s.status/100 == 2:
			statuses[s.status]++
		case s.status == http.StatusServiceUnavailable:
			statuses[s.status]++
			outage++
			if s.retryAfter == "" {
				bad = append(bad, fmt.Sprintf("GET %s at +%s: 503 without Retry-After", s.path, s.start.Sub(loadStart).Round(time.Millisecond)))
			}
		default:
			statuses[s.status]++
			bad = append(bad, fmt.Sprintf("GET %s at +%s: status %d (want 2xx or 503)", s.path, s.start.Sub(loadStart).Round(time.Millisecond), s.status))
		}
		if s.err == nil && d > requestTimeout+hangMargin {
			bad = append(bad, fmt.Sprintf("GET %s at +%s: took %s (request timeout %s)", s.path, s.start.Sub(loadStart).Round(time.Millisecond), d.Round(time.Millisecond), requestTimeout))
		}
	}
	var codes []string
	for _, c := range sortedKeys(statuses) {
		name := fmt.Sprint(c)
		if c == -1 {
			name = "no_answer"
		}
		codes = append(codes, fmt.Sprintf("%s:%d", name, statuses[c]))
	}
	recovery := "none"
	if didRecover {
		recovery = recovered.Sub(readyAgain).Round(time.Millisecond).String()
	}

	// SIGTERM: drain, close the driver, exit 0 within the shutdown timeout.
	termStart := time.Now()
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	exitOK := false
	select {
	case exitErr = <-exited:
		srvDone = true
		exitOK = exitErr == nil
	case <-time.After(shutdownTimeout + 10*time.Second):
		bad = append(bad, fmt.Sprintf("serve did not exit within %s of SIGTERM (HTTP_SHUTDOWN_TIMEOUT %s)", shutdownTimeout+10*time.Second, shutdownTimeout))
	}
	termTook := time.Since(termStart)
	if srvDone && !exitOK {
		bad = append(bad, fmt.Sprintf("serve exited with %v after SIGTERM, want status 0", exitErr))
	}

	record(t, "neo4j-restart clients=%d load=%s requests=%d statuses=%s max_latency=%s neo4j_stop=%s neo4j_down=%s neo4j_start=%s recovery=%s sigterm_exit=%v sigterm_took=%s",
		loadClients, loadTook.Round(time.Second), len(samples), strings.Join(codes, ","), maxLatency.Round(time.Millisecond),
		stopped.Sub(stopBegin).Round(time.Millisecond), readyAgain.Sub(stopped).Round(time.Millisecond),
		readyAgain.Sub(startBegin).Round(time.Millisecond), recovery, exitOK, termTook.Round(time.Millisecond))
	if outage == 0 {
		t.Logf("no 503 was seen while Neo4j was down: the outage may have been shorter than the load's sampling")
	}
	for i, b := range bad {
		if i == 30 {
			t.Errorf("... and %d more", len(bad)-30)
			break
		}
		t.Error(b)
	}
	if !didRecover {
		t.Errorf("no 2xx on a /v1 route within %s of Neo4j being ready again", recoveryLimit)
	}
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// grepLog returns up to max warning and error lines of the service log.
func grepLog(path string, max int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.Contains(l, "level=ERROR") || strings.Contains(l, "level=WARN") {
			out = append(out, l)
		}
	}
	if len(out) > max {
		out = append(out[:max/2], append([]string{fmt.Sprintf("... %d lines ...", len(out)-max)}, out[len(out)-max/2:]...)...)
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		out = append(out, err.Error())
	}
	return strings.Join(out, "\n")
}
