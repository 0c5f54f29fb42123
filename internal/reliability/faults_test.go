package reliability_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// faultPhase is what one fault did and what the load saw around it.
type faultPhase struct {
	name                       string
	fault, ready, recovered    time.Time
	oldPid, newPid             int
	outage503, outageReadyz503 int
}

// describe says what the phase did; t0 is the load's start, from which
// the fault's and Neo4j's ready times are counted (as judge counts each
// answer's).
func (p faultPhase) describe(t0 time.Time) string {
	rec := "none"
	if !p.recovered.IsZero() {
		rec = p.recovered.Sub(p.ready).Round(time.Millisecond).String()
	}
	return fmt.Sprintf("%s: fault at +%s, ready at +%s: fault→ready=%s ready→recovered=%s 503s_in_outage=%d readyz_503s=%d pid %d→%d",
		p.name, p.fault.Sub(t0).Round(time.Millisecond), p.ready.Sub(t0).Round(time.Millisecond),
		p.ready.Sub(p.fault).Round(time.Millisecond), rec, p.outage503, p.outageReadyz503, p.oldPid, p.newPid)
}

// check fails the test unless the phase exercised its fault (a new JVM,
// 503 answers, /readyz among them, during the outage) and the service
// recovered within readyAgainLimit of Neo4j being ready again.
func (p faultPhase) check(t *testing.T) {
	t.Helper()
	if p.newPid == p.oldPid {
		t.Errorf("%s: the JVM's pid did not change (%d): no restart happened", p.name, p.oldPid)
	}
	if p.outage503 == 0 {
		t.Errorf("%s: no 503 was seen while Neo4j was down: the fault did not reach the service", p.name)
	}
	if p.outageReadyz503 == 0 {
		t.Errorf("%s: /readyz never answered 503 while Neo4j was down", p.name)
	}
	if p.recovered.IsZero() {
		t.Errorf("%s: no 2xx on /v1 and /readyz within %s of Neo4j being ready again", p.name, readyAgainLimit)
	} else if d := p.recovered.Sub(p.ready); d > readyAgainLimit {
		t.Errorf("%s: ready again %s after Neo4j, want within %s", p.name, d.Round(time.Millisecond), readyAgainLimit)
	}
}

// killSupervised SIGKILLs the JVM and waits for the supervisor's restart
// and the service's recovery.
func killSupervised(t *testing.T, n *neo4jProc, l *load, name string) faultPhase {
	t.Helper()
	p := faultPhase{name: name}
	before := n.readyLines()
	p.oldPid = n.kill(t)
	p.fault = time.Now()
	ready, err := n.waitReady(t, before)
	if err != nil {
		t.Fatal(err)
	}
	p.ready = ready
	p.newPid = n.jvmPid(t)
	p.recovered, _ = l.waitRecovered(p.ready, readyAgainLimit)
	l.mu.Lock()
	p.outage503, p.outageReadyz503 = outage(l.samples, p.fault, p.ready)
	l.mu.Unlock()
	if !strings.Contains(n.events(), fmt.Sprintf("pid %d died", p.oldPid)) {
		t.Errorf("%s: the supervisor did not report pid %d's death:\n%s", name, p.oldPid, n.events())
	}
	return p
}

// TestNeo4jFaultsUnderLoad runs the service against a supervised embedded
// Neo4j of its own (scripts/neo4j.sh start --supervise) under a bounded
// loopback read load, and does three things to Neo4j:
//
//  1. SIGKILL under the read load; the supervisor restarts it.
//  2. SIGKILL while `scamgraph import` writes a generated graph (the kill
//     must land while the import runs and the graph is partial); once the
//     supervisor restarted Neo4j, the import is run again and the graph
//     must equal a clean import's, line for line (neo4jtest.Snapshot).
//  3. A clean stop, 3 s down, a start.
//
// Throughout, every answer must be 2xx or 503 with Retry-After, none may
// hang; after each fault at least one 503 (one of /readyz among them) must
// have been seen while Neo4j was down, and the service must answer 2xx on
// /v1 and /readyz within readyAgainLimit of Neo4j being ready again. Then
// SIGTERM must drain and exit 0.
func TestNeo4jFaultsUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills its own Neo4j; skipped with -short")
	}
	n := newNeo4j(t, true)
	uri, err := n.start(t)
	if err != nil {
		t.Fatal(err)
	}
	entities := envInt(t, "SCAMGRAPH_FAULT_ENTITIES", 6000)
	dir := t.TempDir()
	counts, err := generate.WriteAll(generate.Config{Entities: entities, Seed: 15, RelsPerEntity: 3}, dir, []string{"ndjson"})
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "ndjson")
	const prefix = "gen:"
	s := startService(t, uri)
	db := openDB(t, uri)
	ctx := context.Background()

	// The clean graph the killed import must converge to.
	importArgs := []string{"import", "--quiet", "--batch-size", "200", data}
	clean := runBin(t, s.bin, s.env, 20*time.Minute, importArgs...)
	if clean.code != 0 {
		t.Fatalf("clean import: exit %d\n%s", clean.code, clean.stderr)
	}
	want := neo4jtest.Snapshot(t, db, prefix)
	wantE, wantR, err := countPrefix(ctx, db, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteByIDPrefix(ctx, prefix); err != nil {
		t.Fatal(err)
	}

	l := startLoad(s)
	loadStopped := false
	defer func() {
		if !loadStopped {
			l.stop()
		}
	}()
	time.Sleep(3 * time.Second)
	var phases []faultPhase

	// 1. SIGKILL under read load.
	p := killSupervised(t, n, l, "sigkill-read")
	phases = append(phases, p)
	time.Sleep(2 * time.Second)

	// 2. SIGKILL during an import.
	imp := exec.Command(s.bin, importArgs...)
	imp.Env = append(os.Environ(), s.env...)
	imp.Dir = dir
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	impDone := make(chan error, 1)
	go func() { impDone <- imp.Wait() }()
	var partialE, partialR int64
	deadline := time.Now().Add(5 * time.Minute)
	for partialE == 0 {
		select {
		case err := <-impDone:
			t.Fatalf("the import finished (%v) before it wrote anything we saw: nothing to interrupt", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the import wrote nothing within 5 minutes")
		}
		if partialE, partialR, err = countPrefix(ctx, db, prefix); err != nil {
			t.Fatalf("count during import: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-impDone:
		t.Fatalf("the import finished (%v) before the kill", err)
	default:
	}
	p = killSupervised(t, n, l, "sigkill-import")
	if partialE+partialR >= wantE+wantR {
		t.Errorf("sigkill-import: the graph was complete (%d entities, %d relationships) when Neo4j was killed: no write was interrupted", partialE, partialR)
	}
	var impErr error
	select {
	case impErr = <-impDone:
	case <-time.After(10 * time.Minute):
		_ = imp.Process.Kill()
		t.Fatal("the interrupted import did not end within 10 minutes")
	}
	rerun := runBin(t, s.bin, s.env, 20*time.Minute, importArgs...)
	if rerun.code != 0 {
		t.Fatalf("re-run of the interrupted import: exit %d\n%s", rerun.code, rerun.stderr)
	}
	got := neo4jtest.Snapshot(t, db, prefix)
	dups, lost, extra := diffLines(got, want)
	phases = append(phases, p)
	time.Sleep(2 * time.Second)

	// 3. Stop, 3 s down, start.
	p = faultPhase{name: "stop-start", oldPid: n.jvmPid(t), fault: time.Now()}
	if err := n.stop(t); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if _, err := n.start(t); err != nil {
		t.Fatal(err)
	}
	p.ready, p.newPid = time.Now(), n.jvmPid(t)
	p.recovered, _ = l.waitRecovered(p.ready, readyAgainLimit)
	samples := l.stop()
	loadStopped = true
	p.outage503, p.outageReadyz503 = outage(samples, p.fault, p.ready)
	phases = append(phases, p)

	// Every answer must be 2xx or 503, also those while Neo4j was down,
	// starting or warming up (graph/neo4jdb classifyReq): a 504 says when
	// it came, to tell an outage's from a slow query's.
	when := func(r sample) string {
		for _, p := range phases {
			if r.end.After(p.fault) && r.start.Before(p.ready.Add(readyAgainLimit)) {
				return fmt.Sprintf("during %s (fault at +%s, Neo4j ready at +%s)", p.name,
					p.fault.Sub(l.start).Round(time.Millisecond), p.ready.Sub(l.start).Round(time.Millisecond))
			}
		}
		return "outside every fault and the 10 s after Neo4j was ready again"
	}
	v := judge(samples, l.start, when)
	bad, termTook := s.sigterm(t)
	v.bad = append(v.bad, bad...)

	var ph []string
	for _, p := range phases {
		ph = append(ph, p.describe(l.start))
	}
	record(t, "neo4j-faults clients=%d requests=%d statuses=%s max_latency=%s import_entities=%d import_rels=%d snapshot_lines=%d partial_at_kill=%d+%d/%d+%d interrupted_import=%v digest_clean=%x digest_rerun=%x duplicates=%d lost=%d extra=%d sigterm_took=%s | %s",
		loadClients, len(samples), v.codes(), v.maxLatency.Round(time.Millisecond), counts.Entities, counts.Relationships, len(want),
		partialE, partialR, wantE, wantR, impErr, digest(want), digest(got), len(dups), len(lost), len(extra),
		termTook.Round(time.Millisecond), strings.Join(ph, " | "))
	for _, p := range phases {
		p.check(t)
	}
	for i, b := range v.bad {
		if i == 30 {
			t.Errorf("... and %d more", len(v.bad)-30)
			break
		}
		t.Error(b)
	}
	for i, l := range append(append(dups, lost...), extra...) {
		if i == 10 {
			break
		}
		t.Errorf("after the killed import and its re-run, the graph differs from a clean import's: %s", l)
	}
	if len(dups)+len(lost)+len(extra) > 0 {
		t.Errorf("after the killed import and its re-run: %d duplicates, %d lost, %d extra of %d clean lines", len(dups), len(lost), len(extra), len(want))
	}
}

// digest is a SHA-256 of a snapshot's lines.
func digest(lines []string) []byte {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return h.Sum(nil)[:8]
}
