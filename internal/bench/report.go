package bench

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown prints the result as the tables docs/benchmarks.md keeps.
func WriteMarkdown(w io.Writer, r Result) {
	fmt.Fprintf(w, "### scale %d entities (%s; %s)\n\n", r.Scale, r.Date, r.Machine)
	if imp := r.Import; imp != nil {
		fmt.Fprintf(w, "**Import** of %d entities and %d relationships (MENTIONED_IN included), empty database, same constraints:\n\n", imp.Entities, imp.Relationships)
		fmt.Fprintln(w, "| | seconds | nodes/s | relationships/s |")
		fmt.Fprintln(w, "|---|---:|---:|---:|")
		fmt.Fprintf(w, "| LOAD CSV … IN TRANSACTIONS OF 1000 ROWS (baseline) | %.1f | %.0f | %.0f |\n", imp.LoadCSVSeconds, float64(imp.Entities)/imp.LoadCSVSeconds, float64(imp.Relationships)/imp.LoadCSVSeconds)
		fmt.Fprintf(w, "| scamgraph import (batch %d) | %.1f | %.0f | %.0f |\n", DefaultBatch, imp.ImporterSeconds, imp.NodesPerSec, imp.RelsPerSec)
		fmt.Fprintf(w, "\nRatio (LOAD CSV time / importer time): **%.2f×**; same graph (digests of every run equal): %v\n\n", imp.Ratio, imp.SameGraph)
		if len(imp.LoadCSVRuns) > 1 || len(imp.ImporterRuns) > 1 {
			fmt.Fprintf(w, "Medians of %d runs per side, order %s (L = LOAD CSV, I = importer), each side warmed up first; seconds, in the order run: LOAD CSV %s, importer %s\n\n",
				len(imp.ImporterRuns), imp.Order, seconds(imp.LoadCSVRuns), seconds(imp.ImporterRuns))
		}
		if len(imp.Digests) > 0 {
			fmt.Fprintf(w, "Graph digests, in the order run: %s\n\n", strings.Join(imp.Digests, ", "))
		}
		if ri := imp.Reimport; ri != nil {
			fmt.Fprintf(w, "**Re-import** of the same rows over the loaded graph: %.1f s, **%.2f×** the first import's median; %d writes; graph unchanged: %v\n\n",
				ri.Seconds, ri.Ratio, ri.Writes, ri.SameGraph)
		}
		fmt.Fprintln(w, "| batch size | records | seconds | rows/s |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|")
		for _, s := range imp.Sweep {
			fmt.Fprintf(w, "| %d | %d | %.1f | %.0f |\n", s.BatchSize, s.Records, s.Seconds, s.RowsPerSec)
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| input entities | records | importer peak RSS (MiB) | seconds |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|")
		for _, m := range imp.Memory {
			fmt.Fprintf(w, "| %d | %d | %.1f | %.1f |\n", m.Entities, m.Records, m.PeakMiB, m.Seconds)
		}
		fmt.Fprintln(w)
	}
	if len(r.Queries) > 0 {
		fmt.Fprintln(w, "**Queries**, API (HTTP on loopback, JSON, as served: key check, audit log, metrics) vs the same call through the driver; each side warmed up on its own, the side first in a block alternating; latencies of successful calls only, a ratio is void (—) when a side had errors:")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| query | clients | requests | API p50 ms | driver p50 ms | p50 ratio | API p99 ms | driver p99 ms | p99 ratio | API errors | driver errors |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, q := range r.Queries {
			fmt.Fprintf(w, "| %s | %d | %d | %.2f | %.2f | %s | %.2f | %.2f | %s | %d | %d |\n",
				q.Name, q.Clients, q.Requests, q.APIP50, q.DriverP50, ratio(q, q.RatioP50), q.APIP99, q.DriverP99, ratio(q, q.RatioP99), q.APIErrors, q.DriverErrors)
		}
		fmt.Fprintln(w)
	}
	if t := r.Throughput; t != nil {
		fmt.Fprintf(w, "**Throughput**, %d clients over the mix (%s), halves in the order API, driver, driver, API:\n\n", t.Clients, t.Mix)
		fmt.Fprintln(w, "| side | seconds | requests | requests/s | errors |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
		fmt.Fprintf(w, "| API | %.0f | %d | %.1f | %d |\n", t.Seconds, t.Requests, t.PerSecond, t.Errors)
		fmt.Fprintf(w, "| driver | %.0f | %d | %.1f | %d |\n", t.DriverSeconds, t.DriverRequests, t.DriverPerSecond, t.DriverErrors)
		r := "— (a side had errors)"
		if t.Ratio > 0 {
			r = fmt.Sprintf("%.2f×", t.Ratio)
		}
		fmt.Fprintf(w, "\nAPI / driver requests/s: **%s**\n\n", r)
		if h := t.Hey; h != nil {
			p99 := "— (hey prints no 99% line below 100 requests per process)"
			if h.P99 > 0 {
				p99 = fmt.Sprintf("%.2f ms", h.P99)
			}
			fmt.Fprintf(w, "**Throughput, hey** (github.com/rakyll/hey, an outside load generator; %d processes of one client, one request of the mix each): %.1f requests/s over %.0f s (%d requests, %d errors; statuses %s; median of the processes' p50 %.2f ms, largest p99 %s)\n\n",
				h.Clients, h.PerSecond, h.Seconds, h.Requests, h.Errors, h.StatusCodes, h.P50, p99)
		}
	}
}

// ratio prints a ratio, or — when a side had errors and there is none.
func ratio(q QueryResult, r float64) string {
	if q.APIErrors+q.DriverErrors > 0 || r == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", r)
}

func seconds(xs []float64) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%.1f", x)
	}
	return out
}
