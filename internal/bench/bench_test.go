package bench_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/internal/bench"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []string
	}{
		{"two statements", "CREATE INDEX x IF NOT EXISTS FOR (n:A) ON (n.b);\nRETURN 1;\n", []string{"CREATE INDEX x IF NOT EXISTS FOR (n:A) ON (n.b)", "RETURN 1"}},
		{"comments and blank lines dropped", "// hello\n\nLOAD CSV FROM 'x' AS row\nRETURN row;\n", []string{"LOAD CSV FROM 'x' AS row\nRETURN row"}},
		{"semicolon inside a line does not split", "RETURN ';' AS s;\n", []string{"RETURN ';' AS s"}},
		{"last statement without semicolon kept", "RETURN 1", []string{"RETURN 1"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bench.SplitStatements(tc.script); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"none", nil, 0},
		{"one", []float64{3}, 3},
		{"odd count, unsorted", []float64{9, 1, 4}, 4},
		{"even count is the mean of the middle two", []float64{10, 2, 4, 6}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bench.Median(tc.in); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	bench.WriteMarkdown(&b, bench.Result{Scale: 1000, Date: "2026-11-22", Machine: "test",
		Import: &bench.ImportResult{Entities: 1000, Relationships: 4000, LoadCSVSeconds: 2, ImporterSeconds: 1, Ratio: 2, SameGraph: true,
			LoadCSVRuns: []float64{2.5, 2, 1.5}, ImporterRuns: []float64{1, 0.9, 1.2}},
		Queries: []bench.QueryResult{{Name: "neighbors depth 1", Clients: 1, Requests: 10, APIP50: 1.1, DriverP50: 1, RatioP50: 1.1, RatioP99: 1},
			{Name: "timeline", Clients: 8, Requests: 10, APIP50: 1, DriverP50: 1, DriverErrors: 3}},
		Throughput: &bench.Throughput{Clients: 8, Seconds: 1, Requests: 100, PerSecond: 100}})
	for _, want := range []string{"### scale 1000", "**2.00×**", "| neighbors depth 1 | 1 | 10 | 1.10 | 1.00 | 1.10× |", "| timeline | 8 | 10 | 1.00 | 1.00 | — | 0.00 | 0.00 | — | 0 | 3 |", "seconds, in the order run: LOAD CSV 2.5, 2.0, 1.5, importer 1.0, 0.9, 1.2", "| API | 1 | 100 | 100.0 | 0 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

// TestRunSmall runs the whole harness at the smallest scale against the
// test Neo4j (which it empties: it is a throwaway database).
func TestRunSmall(t *testing.T) {
	db := neo4jtest.Open(t)
	cfg := neo4jtest.Config(t)
	bin := filepath.Join(t.TempDir(), "scamgraph")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/scamgraph").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	hey := filepath.Join(t.TempDir(), "hey") // the tool go.mod pins
	if out, err := exec.Command("go", "build", "-o", hey, "github.com/rakyll/hey").CombinedOutput(); err != nil {
		t.Fatalf("build hey: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// cmd/scamgraph-bench passes serve's own handler (cmd/internal/wiring,
	// which only commands may import); here the API over the same store,
	// with an audit log, as serve has.
	handler := api.New(api.Config{Reader: db, Investigator: db, Keys: db, Audit: audit.New(io.Discard),
		Logger: slog.New(slog.DiscardHandler), RequestTimeout: bench.DefaultRequestTimeout,
		Limits: api.Limits{RateRPS: 1e6, RateBurst: 1_000_000, IPRateRPS: 1e6}})
	res, err := bench.Run(ctx, db, bench.Config{
		Scale: 1000, Seed: 3, WorkDir: t.TempDir(), Bin: bin, Handler: handler,
		Env:      []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "LOG_LEVEL=warn"},
		Requests: 6, BatchSizes: []int{bench.DefaultBatch}, LoadSeconds: 1, Hey: hey, ImportRuns: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.DeleteAll(context.Background()); err != nil {
			t.Errorf("clean up: %v", err)
		}
	})
	// --queries-only labels its tables with the graph it found, not --scale.
	qonly, err := bench.Run(ctx, db, bench.Config{
		Scale: 100000, Seed: 3, WorkDir: t.TempDir(), Bin: bin, SkipImport: true, Handler: handler,
		Env:      []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "LOG_LEVEL=warn"},
		Requests: 2, Clients: []int{1}, LoadSeconds: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"both loads built the same graph, digest for digest", res.Import != nil && res.Import.SameGraph &&
			len(res.Import.Digests) == 4 && res.Import.Digests[0] == res.Import.Digests[3] && res.Import.Digests[0] != ""},
		{"runs counterbalanced, ours last", res.Import != nil && res.Import.Order == "ILLI"},
		{"re-import changed nothing", res.Import != nil && res.Import.Reimport != nil && res.Import.Reimport.Writes == 0 &&
			res.Import.Reimport.SameGraph && res.Import.Reimport.Seconds > 0},
		{"import timed", res.Import != nil && res.Import.ImporterSeconds > 0 && res.Import.LoadCSVSeconds > 0},
		{"two runs per side, medians reported", res.Import != nil && len(res.Import.LoadCSVRuns) == 2 && len(res.Import.ImporterRuns) == 2 &&
			res.Import.ImporterSeconds == bench.Median(res.Import.ImporterRuns) && res.Import.LoadCSVSeconds == bench.Median(res.Import.LoadCSVRuns)},
		{"peak memory measured at three sizes", res.Import != nil && len(res.Import.Memory) == 3 && res.Import.Memory[2].PeakMiB > 0},
		{"every query case at two concurrencies", len(res.Queries) == 18},
		{"no query errors", func() bool {
			for _, q := range res.Queries {
				if q.APIErrors != 0 || q.DriverErrors != 0 || q.APIP50 <= 0 || q.DriverP50 <= 0 || q.RatioP50 <= 0 {
					return false
				}
			}
			return true
		}()},
		{"throughput measured on both sides without errors", res.Throughput != nil && res.Throughput.Requests > 0 && res.Throughput.Errors == 0 &&
			res.Throughput.DriverRequests > 0 && res.Throughput.DriverErrors == 0 && res.Throughput.Ratio > 0},
		{"hey measured the same API on the mix without errors", res.Throughput != nil && res.Throughput.Hey != nil &&
			len(res.Throughput.Hey.Routes) == 8 && res.Throughput.Hey.Clients == 8 &&
			res.Throughput.Hey.Requests > 0 && res.Throughput.Hey.Errors == 0 && res.Throughput.Hey.PerSecond > 0 && res.Throughput.Hey.P50 > 0},
		{"queries only: scale is the graph's", res.Import != nil && qonly.Scale == res.Import.Entities && qonly.Import == nil},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("result: %+v\nimport: %+v\nthroughput: %+v", res, res.Import, res.Throughput)
			}
		})
	}
}
