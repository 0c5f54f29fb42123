package reliability_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestImporterKilledAtRandom imports a generated graph once cleanly and
// snapshots it, empties it, then starts the importer and SIGKILLs it at a
// random point of its expected run (delays from a seeded RNG), at least 50
// times, and finally lets a run finish. The graph must then be the clean
// one: no snapshot line twice (a duplicated entity or relationship), none
// missing (a lost record), none extra. Each run starts over what the killed
// ones left, except that a graph found complete is emptied first, so that
// the kills keep landing on writes, and so is one that the previous kill
// left unchanged (a nearly complete graph spends a run's first seconds
// comparing and skipping, so kills there stall: CI once saw 44 of 50 kills
// land on a graph 98 % complete and change nothing); the test fails unless
// at least a fifth of the kills interrupted writes (the graph grew during
// the run and was still incomplete after the kill).
func TestImporterKilledAtRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the importer repeatedly; skipped with -short")
	}
	db := neo4jtest.Open(t)
	cfg := neo4jtest.Config(t)
	env := []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "LOG_LEVEL=warn"}
	entities := envInt(t, "SCAMGRAPH_KILL_ENTITIES", 3000)
	rounds := envInt(t, "SCAMGRAPH_KILL_ROUNDS", 50)
	if rounds < 50 {
		t.Fatalf("SCAMGRAPH_KILL_ROUNDS=%d: at least 50 kills", rounds)
	}
	seed := int64(envInt(t, "SCAMGRAPH_KILL_SEED", 1))
	// Small batches commit often, so that a kill's effect on the graph shows
	// (and is counted) rather than being one rolled-back batch among few.
	args := []string{"import", "--quiet", "--batch-size", fmt.Sprint(envInt(t, "SCAMGRAPH_KILL_BATCH", 200))}
	bin := buildBinary(t)

	dir := t.TempDir()
	counts, err := generate.WriteAll(generate.Config{Entities: entities, Seed: seed, RelsPerEntity: 3}, dir, []string{"ndjson"})
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "ndjson")
	const prefix = "gen:" // generate's ids; cmd/scamgraph's SIGKILL test uses it too (tests run with -p 1)
	neo4jtest.Cleanup(t, db, prefix)
	ctx := context.Background()
	empty := func() {
		t.Helper()
		if _, err := db.DeleteByIDPrefix(ctx, prefix); err != nil {
			t.Fatal(err)
		}
	}
	empty()

	const limit = 60 * time.Minute
	clean := runBin(t, bin, env, limit, append(args, data)...)
	if clean.code != 0 {
		t.Fatalf("clean import: exit %d\n%s", clean.code, clean.stderr)
	}
	want := neo4jtest.Snapshot(t, db, prefix)
	if len(want) < entities {
		t.Fatalf("clean import left %d snapshot lines for %d entities", len(want), entities)
	}
	count := func() int64 {
		t.Helper()
		e, r, err := countPrefix(ctx, db, prefix)
		if err != nil {
			t.Fatalf("count: %v", err)
		}
		return e + r
	}
	full := count()
	t.Logf("clean import: %d entities, %d relationships, %d mentions in %s; snapshot %d lines",
		counts.Entities, counts.Relationships, counts.Mentions, clean.took.Round(time.Millisecond), len(want))

	// A run over data that is already there only compares and skips, so it
	// is faster than the clean one: about the shortest any run can take, so
	// the kill points are drawn within it. It must change nothing.
	rerun := runBin(t, bin, env, limit, append(args, data)...)
	if rerun.code != 0 {
		t.Fatalf("re-import: exit %d\n%s", rerun.code, rerun.stderr)
	}
	if again := neo4jtest.Snapshot(t, db, prefix); !equalLines(again, want) {
		t.Fatalf("importing the same files twice changed the graph: %d lines, want %d", len(again), len(want))
	}
	t.Logf("re-import of the same files: %s", rerun.took.Round(time.Millisecond))
	empty()

	// Kill points: uniform over 5%..95% of a window from a seeded RNG. The
	// window starts halfway between the idempotent re-run (the shortest
	// any run takes) and the clean import (a run that writes everything),
	// since most runs write part of the graph; a run that finishes before
	// its kill point shrinks it to that run's length, never below the
	// re-run (machine load varies). Each run goes over what the killed ones
	// wrote. A run that finishes before its kill point does not count as a
	// kill; we go on until `rounds` kills (at most 3*rounds runs).
	rng := rand.New(rand.NewSource(seed))
	shortest := (rerun.took + clean.took) / 2
	start := time.Now()
	kills, finished, interrupted, emptied := 0, 0, 0, 0
	stalled := false // the last kill changed nothing
	var points []string
	for i := 0; kills < rounds && i < 3*rounds; i++ {
		delay := shortest/20 + time.Duration(rng.Int63n(int64(shortest*9/10)))
		before := count()
		if before == full || (stalled && before > 0) {
			empty()
			emptied++
			before = 0
		}
		began := time.Now()
		cmd := exec.Command(bin, append(args, data)...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			finished++
			stalled = false
			took := time.Since(began)
			if err == nil && took < shortest {
				shortest = max(took, rerun.took)
			}
			t.Logf("run %d: finished (%v) in %s, before the kill at %s", i, err, took.Round(time.Millisecond), delay.Round(time.Millisecond))
		case <-time.After(delay):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-done
			kills++
			points = append(points, delay.Round(100*time.Millisecond).String())
			after := count()
			if after != before && after < full {
				interrupted++
			}
			stalled = after == before
			t.Logf("run %d: killed at %s; entities and relationships %d -> %d of %d", i, delay.Round(time.Millisecond), before, after, full)
		}
	}
	if kills < rounds {
		t.Fatalf("only %d runs were killed (%d finished first); want at least %d", kills, finished, rounds)
	}
	if interrupted < rounds/5 {
		t.Fatalf("only %d of %d kills interrupted writes (the graph grew during the run and stayed incomplete); want at least %d", interrupted, kills, rounds/5)
	}
	final := runBin(t, bin, env, limit, append(args, data)...)
	if final.code != 0 {
		t.Fatalf("final import after %d kills: exit %d\n%s", kills, final.code, final.stderr)
	}
	total := time.Since(start)
	got := neo4jtest.Snapshot(t, db, prefix)

	dups, lost, extra := diffLines(got, want)
	record(t, "importer-kill entities=%d relationships=%d mentions=%d snapshot_lines=%d kills=%d interrupted_writes=%d emptied=%d finished_early=%d seed=%d clean=%s rerun=%s final=%s kill_points=%s kill_phase=%s duplicates=%d lost=%d extra=%d",
		counts.Entities, counts.Relationships, counts.Mentions, len(want), kills, interrupted, emptied, finished, seed,
		clean.took.Round(time.Millisecond), rerun.took.Round(time.Millisecond), final.took.Round(time.Millisecond), strings.Join(points, ","), total.Round(time.Second),
		len(dups), len(lost), len(extra))
	for i, l := range dups {
		if i == 5 {
			break
		}
		t.Errorf("duplicate: %s", l)
	}
	for i, l := range lost {
		if i == 5 {
			break
		}
		t.Errorf("lost: %s", l)
	}
	for i, l := range extra {
		if i == 5 {
			break
		}
		t.Errorf("extra (not in the clean run): %s", l)
	}
	if len(dups)+len(lost)+len(extra) > 0 {
		t.Fatalf("after %d kills: %d duplicates, %d lost, %d extra of %d clean lines", kills, len(dups), len(lost), len(extra), len(want))
	}
}

// diffLines compares two sorted snapshots as multisets: lines got holds
// more often than the clean run did (duplicates), lines of want that got
// lacks (lost) and lines of got that want lacks entirely (extra).
func diffLines(got, want []string) (dups, lost, extra []string) {
	have := make(map[string]int, len(got))
	for _, l := range got {
		have[l]++
	}
	need := make(map[string]int, len(want))
	for _, l := range want {
		need[l]++
	}
	for l, n := range need {
		if have[l] < n {
			lost = append(lost, l)
		}
	}
	for l, n := range have {
		switch {
		case n <= need[l]:
		case need[l] == 0 && n == 1:
			extra = append(extra, l)
		default:
			dups = append(dups, l)
		}
	}
	sort.Strings(dups)
	sort.Strings(lost)
	sort.Strings(extra)
	return dups, lost, extra
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
