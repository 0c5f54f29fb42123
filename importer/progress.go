package importer

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress receives an import's progress. Implementations must be cheap
// (Bytes is called for every read) and safe for concurrent use: Bytes is
// called from the goroutine that reads a file, which is not the one that
// calls the other methods.
type Progress interface {
	Start(totalBytes int64)
	Phase(name, file string)
	Bytes(n int)
	Records(n int)
	Done()
}

type nopProgress struct{}

func (nopProgress) Start(int64)          {}
func (nopProgress) Phase(string, string) {}
func (nopProgress) Bytes(int)            {}
func (nopProgress) Records(int)          {}
func (nopProgress) Done()                {}

// NewProgress returns a progress reporter writing to w: a redrawn bar when
// w is a terminal, otherwise a plain line every interval.
func NewProgress(w io.Writer, terminal bool, interval time.Duration) Progress {
	return &textProgress{w: w, terminal: terminal, interval: interval}
}

type textProgress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	interval time.Duration
	total    int64
	done     int64
	records  int
	phase    string
	file     string
	start    time.Time
	last     time.Time
}

func (p *textProgress) Start(total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.start = total, time.Now()
}

func (p *textProgress) Phase(name, file string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase, p.file = name, file
	p.draw(p.terminal) // plain output: one line per interval, not per file
}

func (p *textProgress) Bytes(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(n)
	p.draw(false)
}

func (p *textProgress) Records(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.records += n
	p.draw(false)
}

func (p *textProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = p.total
	p.phase = "done"
	p.draw(true)
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}

func (p *textProgress) draw(force bool) {
	now := time.Now()
	every := p.interval
	if p.terminal {
		every = 100 * time.Millisecond
	}
	if !force && now.Sub(p.last) < every {
		return
	}
	p.last = now
	pct := 100.0
	if p.total > 0 {
		pct = float64(p.done) * 100 / float64(p.total)
	}
	if pct > 100 {
		pct = 100
	}
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.records) / elapsed
	}
	if p.terminal {
		const width = 30
		filled := int(pct / 100 * width)
		bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
		fmt.Fprintf(p.w, "\r[%s] %5.1f%% %-13s %d records written (%.0f/s)   ", bar, pct, p.phase, p.records, rate)
		return
	}
	fmt.Fprintf(p.w, "import progress=%.1f%% phase=%s file=%s records_written=%d rate=%.0f/s\n", pct, p.phase, p.file, p.records, rate)
}
