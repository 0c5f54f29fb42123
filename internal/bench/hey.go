package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// HeyResult is hey (github.com/rakyll/hey, pinned as a tool in go.mod),
// an HTTP load generator outside this program, on the throughput run's
// mix: hey takes one URL, so one hey process of one client per request of
// the mix, all at once, for the throughput run's length; their counts are
// summed. It checks the harness's own throughput figure with a tool that
// shares none of its code.
type HeyResult struct {
	Route       string   `json:"route,omitempty"` // one process's URL path and query, ids included
	Routes      []string `json:"routes,omitempty"`
	Clients     int      `json:"clients"`
	Seconds     float64  `json:"seconds"`
	Requests    int      `json:"requests"` // answers plus errors
	PerSecond   float64  `json:"requests_per_sec"`
	Errors      int      `json:"errors"` // non-200 answers and failed requests
	P50         float64  `json:"p50_ms"` // one process: its p50; the mix: the median of the processes' p50s
	P99         float64  `json:"p99_ms"` // one process: its p99; the mix: the largest of the processes' p99s
	StatusCodes string   `json:"status_codes"`
}

// runHey runs the hey binary against url with a bearer key.
func runHey(ctx context.Context, bin, url, key string, clients, seconds int) (HeyResult, error) {
	cmd := exec.CommandContext(ctx, bin, "-z", fmt.Sprintf("%ds", seconds), "-c", strconv.Itoa(clients),
		"-H", "Authorization: Bearer "+key, url)
	out, err := cmd.Output()
	if err != nil {
		return HeyResult{}, fmt.Errorf("hey: %w", err)
	}
	r, err := ParseHey(bytes.NewReader(out))
	if err != nil {
		return HeyResult{}, err
	}
	r.Clients = clients
	return r, nil
}

// runHeyMix runs one hey process of one client per route, all at once,
// and sums what they counted.
func runHeyMix(ctx context.Context, bin, base string, routes []string, key string, seconds int) (HeyResult, error) {
	res := make([]HeyResult, len(routes))
	errs := make([]error, len(routes))
	var wg sync.WaitGroup
	for i, r := range routes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = runHey(ctx, bin, base+r, key, 1, seconds)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return HeyResult{}, err
	}
	return SumHey(routes, res), nil
}

// SumHey adds up hey runs that ran at the same time.
func SumHey(routes []string, runs []HeyResult) HeyResult {
	out := HeyResult{Routes: routes}
	var p50s []float64
	codes := map[string]int{}
	for _, r := range runs {
		out.Clients += r.Clients
		out.Seconds = max(out.Seconds, r.Seconds)
		out.Requests += r.Requests
		out.PerSecond += r.PerSecond
		out.Errors += r.Errors
		out.P99 = max(out.P99, r.P99)
		p50s = append(p50s, r.P50)
		for _, f := range strings.Fields(r.StatusCodes) {
			k, v, _ := strings.Cut(f, ":")
			n, _ := strconv.Atoi(v)
			codes[k] += n
		}
	}
	out.P50 = median(p50s)
	keys := slices.Sorted(maps.Keys(codes))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+":"+strconv.Itoa(codes[k]))
	}
	out.StatusCodes = strings.Join(parts, " ")
	return out
}

// maxHeyCount bounds one count of hey's summary, so sums cannot overflow.
const maxHeyCount = 1 << 40

// ParseHey reads hey's text summary: total seconds, requests/s, the 50%
// and 99% latencies, the status code and error distributions. A summary
// without "Requests/sec" (hey got no answer at all) is an error.
func ParseHey(r io.Reader) (HeyResult, error) {
	var out HeyResult
	codes := map[int]int{}
	section := ""
	sawRate := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case strings.HasSuffix(line, ":") && !strings.Contains(line, "\t"):
			section = strings.TrimSuffix(line, ":")
			continue
		}
		switch section {
		case "Summary":
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			f, err := strconv.ParseFloat(strings.Fields(strings.TrimSpace(v) + " x")[0], 64)
			switch k {
			case "Total":
				if err != nil {
					return out, fmt.Errorf("hey: total %q: %w", v, err)
				}
				out.Seconds = f
			case "Requests/sec":
				if err != nil {
					return out, fmt.Errorf("hey: requests/sec %q: %w", v, err)
				}
				out.PerSecond, sawRate = f, true
			}
		case "Latency distribution":
			// "50% in 0.0123 secs" ("50%% in" from hey v0.1.5)
			f := strings.Fields(line)
			if len(f) < 3 || f[1] != "in" {
				continue
			}
			secs, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				return out, fmt.Errorf("hey: latency %q: %w", line, err)
			}
			switch strings.TrimRight(f[0], "%") + "%" { // v0.1.5 prints "50%%"
			case "50%":
				out.P50 = secs * 1000
			case "99%":
				out.P99 = secs * 1000
			}
		case "Status code distribution", "Error distribution":
			// "[200]	812 responses" or "[3]	Get ...: connection refused"
			if !strings.HasPrefix(line, "[") {
				continue
			}
			inner, rest, ok := strings.Cut(line[1:], "]")
			if !ok {
				return out, fmt.Errorf("hey: %s line %q", strings.ToLower(section), line)
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 || n > maxHeyCount {
				return out, fmt.Errorf("hey: %s line %q", strings.ToLower(section), line)
			}
			if section == "Error distribution" {
				out.Errors += n
				out.Requests += n
				continue
			}
			f := strings.Fields(rest)
			if len(f) == 0 {
				return out, fmt.Errorf("hey: status line %q", line)
			}
			count, err := strconv.Atoi(f[0])
			if err != nil || count < 0 || count > maxHeyCount {
				return out, fmt.Errorf("hey: status line %q", line)
			}
			codes[n] += count
			out.Requests += count
			if n != 200 {
				out.Errors += count
			}
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("hey: %w", err)
	}
	if !sawRate {
		return out, fmt.Errorf("hey: no Requests/sec in its summary (no request answered)")
	}
	keys := make([]int, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d:%d", k, codes[k]))
	}
	out.StatusCodes = strings.Join(parts, " ")
	return out, nil
}
