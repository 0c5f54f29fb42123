package reliability_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// The fault tests' settings. The request timeout is short so a request
// stuck on a dead Neo4j shows quickly; a request is "hung" when it takes
// longer than requestTimeout + hangMargin.
const (
	requestTimeout  = 3 * time.Second
	shutdownTimeout = 5 * time.Second
	hangMargin      = 5 * time.Second
	loadClients     = 4
	thinkTime       = 50 * time.Millisecond
	neo4jPassword   = "scamgraph-reliability-password"
	neo4jHeap       = "512m"
	neo4jStartLimit = 4 * time.Minute
	// readyAgainLimit: the service must answer 2xx on /v1 and /readyz this
	// soon after Neo4j is ready again (issue 15).
	readyAgainLimit = 10 * time.Second
)

// neo4jProc is an embedded Neo4j this test started with scripts/neo4j.sh,
// supervised (start --supervise) or not.
type neo4jProc struct {
	script, dataDir, pidfile, log string
	port                          int
	supervise                     bool
}

// newNeo4j prepares (does not start) a Neo4j of the test's own: its own
// data dir and port, never the one of make test. Cleanup stops it.
func newNeo4j(t *testing.T, supervise bool) *neo4jProc {
	t.Helper()
	root := repoRoot(t)
	_, err := os.Stat(filepath.Join(root, "tools/neo4j-embedded/target/neo4j-embedded.jar"))
	needOrSkip(t, err == nil, "the embedded Neo4j is not built: run `make neo4j-build` (make test does)")
	work := t.TempDir()
	n := &neo4jProc{script: filepath.Join(root, "scripts/neo4j.sh"), dataDir: filepath.Join(work, "neo4j"),
		pidfile: filepath.Join(work, "neo4j.pid"), log: filepath.Join(work, "neo4j.out"), port: freePort(t), supervise: supervise}
	t.Cleanup(func() { // runs before TempDir's removal
		if err := n.stop(t); err != nil {
			t.Errorf("stop neo4j: %v", err)
		}
		if t.Failed() {
			t.Logf("supervisor's reports:\n%s", n.events())
		}
	})
	return n
}

func (n *neo4jProc) run(t testing.TB, limit time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.script, args...)
	cmd.Env = n.env()
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	if err != nil {
		return so.String(), fmt.Errorf("neo4j.sh %s: %v\n%s", args[0], err, se.String())
	}
	return strings.TrimSpace(so.String()), nil
}

// env is the environment scripts/neo4j.sh runs with.
func (n *neo4jProc) env() []string {
	return append(os.Environ(), "NEO4J_PASSWORD="+neo4jPassword, "NEO4J_HEAP="+neo4jHeap,
		fmt.Sprintf("NEO4J_START_TIMEOUT=%d", int(neo4jStartLimit.Seconds())-10),
		"NEO4J_RESTART_BACKOFF=1", "NEO4J_RESTART_BACKOFF_MAX=4")
}

// startArgs are the arguments of scripts/neo4j.sh that start this Neo4j.
func (n *neo4jProc) startArgs() []string {
	args := []string{"start", "--data-dir", n.dataDir, "--port", fmt.Sprint(n.port), "--pidfile", n.pidfile, "--log", n.log}
	if n.supervise {
		args = append(args, "--supervise")
	}
	return args
}

func (n *neo4jProc) start(t testing.TB) (string, error) {
	return n.run(t, neo4jStartLimit, n.startArgs()...)
}

func (n *neo4jProc) stop(t testing.TB) error {
	_, err := n.run(t, 2*time.Minute, "stop", "--pidfile", n.pidfile)
	return err
}

// jvmPid is the pid of the running JVM, from the pidfile.
func (n *neo4jProc) jvmPid(t testing.TB) int {
	t.Helper()
	return readPid(t, n.pidfile)
}

// supervisorPid is the supervisor's pid, from its pidfile.
func (n *neo4jProc) supervisorPid(t testing.TB) int {
	t.Helper()
	return readPid(t, n.pidfile+".supervisor")
}

func readPid(t testing.TB, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("pidfile: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pidfile %s holds %q", path, b)
	}
	return pid
}

// readyLines counts the launcher's "ready" lines in its log: one per start.
func (n *neo4jProc) readyLines() int {
	b, _ := os.ReadFile(n.log)
	return bytes.Count(b, []byte("\nneo4j-embedded ready ")) + bool2int(bytes.HasPrefix(b, []byte("neo4j-embedded ready ")))
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// events are the supervisor's report lines.
func (n *neo4jProc) events() string {
	b, _ := os.ReadFile(n.log)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "neo4j.sh supervise:") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// kill SIGKILLs the JVM and returns its pid.
func (n *neo4jProc) kill(t testing.TB) int {
	t.Helper()
	pid := n.jvmPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL neo4j pid %d: %v", pid, err)
	}
	return pid
}

// waitReady waits until the log holds more than before ready lines (the
// supervisor restarted the JVM and it is ready) and returns when.
func (n *neo4jProc) waitReady(t testing.TB, before int) (time.Time, error) {
	t.Helper()
	deadline := time.Now().Add(neo4jStartLimit)
	for n.readyLines() <= before {
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("Neo4j not ready again within %s; supervisor: %s", neo4jStartLimit, n.events())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Now(), nil
}

// service is `scamgraph serve` against a Neo4j, with data/sample imported
// and an admin key.
type service struct {
	bin, base, key, logPath, uri string
	env                          []string
	proc                         *exec.Cmd
	exited                       chan error
	done                         bool
	client                       *http.Client
}

func startService(t *testing.T, uri string) *service {
	t.Helper()
	root := repoRoot(t)
	bin := buildBinary(t)
	httpPort := freePort(t)
	s := &service{bin: bin, base: fmt.Sprintf("http://127.0.0.1:%d", httpPort), uri: uri,
		env: []string{"NEO4J_URI=" + uri, "NEO4J_USER=neo4j", "NEO4J_PASSWORD=" + neo4jPassword,
			"HTTP_ADDR=" + fmt.Sprintf("127.0.0.1:%d", httpPort),
			"HTTP_REQUEST_TIMEOUT=" + requestTimeout.String(), "HTTP_READY_TIMEOUT=2s",
			"HTTP_SHUTDOWN_TIMEOUT=" + shutdownTimeout.String(), "LOG_LEVEL=warn",
			// The load is one key from one address: keep the rate limits out of the way.
			"RATE_LIMIT_RPS=100000", "RATE_LIMIT_BURST=100000", "RATE_LIMIT_IP_RPS=100000"},
		client: &http.Client{Timeout: requestTimeout + hangMargin}}
	if r := runBin(t, bin, s.env, 10*time.Minute, "import", "--quiet", filepath.Join(root, "data/sample")); r.code != 0 {
		t.Fatalf("import data/sample: exit %d\n%s", r.code, r.stderr)
	}
	s.key = createKey(t, bin, s.env)

	work := t.TempDir()
	s.logPath = filepath.Join(work, "serve.log")
	logf, err := os.Create(s.logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	s.proc = exec.Command(bin, "serve")
	s.proc.Env = append(os.Environ(), s.env...)
	s.proc.Dir = work
	s.proc.Stdout, s.proc.Stderr = logf, logf
	if err := s.proc.Start(); err != nil {
		t.Fatal(err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.proc.Wait() }()
	t.Cleanup(func() {
		if !s.done {
			_ = s.proc.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("service log (errors and warnings):\n%s", grepLog(s.logPath, 40, "level=ERROR", "level=WARN"))
			t.Logf("service log, answers other than 503:\n%s", grepLog(s.logPath, 40, "status=4", "status=500", "status=502", "status=504"))
		}
	})

	// Ready, and every request of the mix answers 200 while Neo4j is up.
	ready := time.Now().Add(2 * time.Minute)
	for s.get("/readyz").status != http.StatusOK {
		if time.Now().After(ready) {
			t.Fatal("the service never became ready")
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Warm up: the first queries compile their plans, which on a busy
	// machine may take longer than the request timeout (a 504: Neo4j is
	// up, the query slow; or a 503 if it was found unavailable moments ago).
	warm := time.Now().Add(2 * time.Minute)
	for _, p := range loadMix {
		for {
			r := s.get(p)
			if r.err == nil && r.status == http.StatusOK {
				break
			}
			if r.err != nil || (r.status != http.StatusServiceUnavailable && r.status != http.StatusGatewayTimeout) || time.Now().After(warm) {
				t.Fatalf("before any trouble, GET %s: status %d, err %v", p, r.status, r.err)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	return s
}

// loadMix is what each load client cycles through.
var loadMix = []string{
	"/v1/search?q=Chen",
	"/v1/search?q=compound&limit=5",
	"/v1/entities/person:chen-zhi",
	"/v1/entities/compound:great-wall-park",
	"/v1/entities/person:chen-zhi/neighbors",
	"/v1/entities/compound:great-wall-park/neighbors?limit=10",
	"/v1/paths?from=person:chen-zhi&to=compound:great-wall-park",
	"/readyz",
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

func (s *service) get(path string) sample {
	r := sample{path: path, v1: strings.HasPrefix(path, "/v1/"), start: time.Now()}
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		r.err = err
		return r
	}
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := s.client.Do(req)
	if err != nil {
		r.err, r.end = err, time.Now()
		return r
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	r.end, r.status, r.retryAfter, r.err = time.Now(), resp.StatusCode, resp.Header.Get("Retry-After"), err
	return r
}

// sigterm stops the service: it must drain and exit 0 within the shutdown
// timeout (+10 s); it returns what went wrong and how long it took.
func (s *service) sigterm(t *testing.T) (bad []string, took time.Duration) {
	t.Helper()
	start := time.Now()
	if err := s.proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.done = true
		if err != nil {
			bad = append(bad, fmt.Sprintf("serve exited with %v after SIGTERM, want status 0", err))
		}
	case <-time.After(shutdownTimeout + 10*time.Second):
		bad = append(bad, fmt.Sprintf("serve did not exit within %s of SIGTERM (HTTP_SHUTDOWN_TIMEOUT %s)", shutdownTimeout+10*time.Second, shutdownTimeout))
	}
	return bad, time.Since(start)
}

// load is loadClients clients cycling through loadMix until stopped, and
// a prober asking /readyz every readyzEvery (so that an outage of a few
// seconds always meets a /readyz, whatever the clients' phase).
type load struct {
	mu      sync.Mutex
	samples []sample
	stopped chan struct{}
	wg      sync.WaitGroup
	start   time.Time
}

const readyzEvery = 500 * time.Millisecond

func startLoad(s *service) *load {
	l := &load{stopped: make(chan struct{}), start: time.Now()}
	client := func(next func(i int) string, pause time.Duration) {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stopped:
					return
				default:
				}
				r := s.get(next(i))
				l.mu.Lock()
				l.samples = append(l.samples, r)
				l.mu.Unlock()
				time.Sleep(pause)
			}
		}()
	}
	for c := range loadClients {
		client(func(i int) string { return loadMix[(c+i)%len(loadMix)] }, thinkTime)
	}
	client(func(int) string { return "/readyz" }, readyzEvery)
	return l
}

func (l *load) stop() []sample {
	close(l.stopped)
	l.wg.Wait()
	return l.samples
}

// waitRecovered waits until, after since, both a /v1 route and /readyz
// answered 2xx, and returns the later of the two.
func (l *load) waitRecovered(since time.Time, limit time.Duration) (time.Time, bool) {
	deadline := since.Add(limit)
	for {
		var v1, ready time.Time
		l.mu.Lock()
		for _, s := range l.samples {
			if s.err != nil || s.status/100 != 2 || !s.start.After(since) {
				continue
			}
			if s.v1 && v1.IsZero() {
				v1 = s.end
			}
			if s.path == "/readyz" && ready.IsZero() {
				ready = s.end
			}
		}
		l.mu.Unlock()
		if !v1.IsZero() && !ready.IsZero() {
			return maxTime(v1, ready), true
		}
		if time.Now().After(deadline.Add(requestTimeout + hangMargin)) {
			return time.Time{}, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// verdict is what the load saw: counts per status, and the answers that
// break the rules (not 2xx or 503, a 503 without Retry-After, no answer,
// slower than the request timeout allows).
type verdict struct {
	statuses   map[int]int
	bad        []string
	maxLatency time.Duration
}

// judge applies the rules; when, if set, says when a bad answer came (in
// which fault's outage).
func judge(samples []sample, t0 time.Time, when func(sample) string) verdict {
	v := verdict{statuses: map[int]int{}}
	for _, s := range samples {
		d := s.end.Sub(s.start)
		if s.end.IsZero() {
			d = 0
		}
		v.maxLatency = max(v.maxLatency, d)
		at := s.start.Sub(t0).Round(time.Millisecond)
		switch {
		case s.err != nil:
			v.statuses[-1]++
			v.bad = append(v.bad, fmt.Sprintf("GET %s at +%s: no answer after %s: %v", s.path, at, d.Round(time.Millisecond), s.err))
		case s.status/100 == 2:
			v.statuses[s.status]++
		case s.status == http.StatusServiceUnavailable:
			v.statuses[s.status]++
			if s.retryAfter == "" {
				v.bad = append(v.bad, fmt.Sprintf("GET %s at +%s: 503 without Retry-After", s.path, at))
			}
		default:
			v.statuses[s.status]++
			w := ""
			if when != nil {
				w = ", " + when(s)
			}
			v.bad = append(v.bad, fmt.Sprintf("GET %s at +%s: status %d (want 2xx or 503)%s", s.path, at, s.status, w))
		}
		if s.err == nil && d > requestTimeout+hangMargin {
			v.bad = append(v.bad, fmt.Sprintf("GET %s at +%s: took %s (request timeout %s)", s.path, at, d.Round(time.Millisecond), requestTimeout))
		}
	}
	return v
}

func (v verdict) codes() string {
	var codes []string
	for _, c := range slices.Sorted(maps.Keys(v.statuses)) {
		name := fmt.Sprint(c)
		if c == -1 {
			name = "no_answer"
		}
		codes = append(codes, fmt.Sprintf("%s:%d", name, v.statuses[c]))
	}
	return strings.Join(codes, ",")
}

// outage counts the 503 answers (all, and /readyz's) to requests that
// started within [from, to].
func outage(samples []sample, from, to time.Time) (all, readyz int) {
	for _, s := range samples {
		if s.err == nil && s.status == http.StatusServiceUnavailable && !s.start.Before(from) && !s.start.After(to) {
			all++
			if s.path == "/readyz" {
				readyz++
			}
		}
	}
	return all, readyz
}

// openDB opens a neo4jdb.DB of the test's own on uri.
func openDB(t *testing.T, uri string) *neo4jdb.DB {
	t.Helper()
	db, err := neo4jdb.Open(neo4jdb.Config{URI: uri, User: "neo4j", Password: neo4jPassword})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

// countPrefix counts the entities under prefix and their outgoing
// relationships, through the guarded Cypher runner. Its explicit
// transaction is not retried by the driver, so a connection the pool kept
// from before a restart may fail once: it retries while the database is
// unavailable or answers a transient error, for up to a minute.
func countPrefix(ctx context.Context, db *neo4jdb.DB, prefix string) (entities, rels int64, err error) {
	var res graph.CypherResult
	for deadline := time.Now().Add(time.Minute); ; {
		res, err = db.RunReadOnly(ctx, graph.CypherQuery{Text: "MATCH (n:Entity) WHERE n.id STARTS WITH $p OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r",
			Params: map[string]any{"p": prefix}, Timeout: 20 * time.Second})
		// Unavailable, or a transient error such as Transaction.Outdated
		// (the killed importer's last transaction still committing).
		retry := graph.ErrorCode(err) == graph.CodeUnavailable || (err != nil && strings.Contains(err.Error(), "TransientError"))
		if err == nil || !retry || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return 0, 0, err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 2 {
		return 0, 0, errors.New("count: unexpected answer")
	}
	entities, err = strconv.ParseInt(string(res.Rows[0][0]), 10, 64)
	if err == nil {
		rels, err = strconv.ParseInt(string(res.Rows[0][1]), 10, 64)
	}
	return entities, rels, err
}

// grepLog returns up to max lines of the service log that hold one of
// the words.
func grepLog(path string, max int, words ...string) string {
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
		if slices.ContainsFunc(words, func(w string) bool { return strings.Contains(l, w) }) {
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
