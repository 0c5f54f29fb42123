package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// HeyResult is one run of hey (github.com/rakyll/hey, pinned as a tool in
// go.mod), an HTTP load generator outside this program: 8 clients on one
// URL for the throughput run's length. It checks the harness's own
// throughput figure with a tool that shares none of its code.
type HeyResult struct {
	Route       string  `json:"route"` // the URL's path and query, ids included
	Clients     int     `json:"clients"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"` // answers plus errors
	PerSecond   float64 `json:"requests_per_sec"`
	Errors      int     `json:"errors"` // non-200 answers and failed requests
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	StatusCodes string  `json:"status_codes"`
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
