package importer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// DefaultMaxLineBytes bounds one NDJSON line or one CSV record.
const DefaultMaxLineBytes = 1 << 20

// Format is an import file's format.
type Format string

// Formats.
const (
	FormatNDJSON Format = "ndjson"
	FormatCSV    Format = "csv"
	FormatFTM    Format = "ftm"  // FollowTheMoney entities, one per line (docs/import-ftm.md)
	FormatICIJ   Format = "icij" // an ICIJ Offshore Leaks CSV (docs/import-icij.md)
)

// FormatOf picks the format from a file name, or "" when unsupported:
// .ftm.json, .ftm.jsonl and .ftm.ndjson are FollowTheMoney (before the
// plain extensions). ICIJ files are plain .csv: only --format icij says so.
func FormatOf(name string) Format {
	lower := strings.ToLower(name)
	for _, ext := range []string{".ftm.json", ".ftm.jsonl", ".ftm.ndjson"} {
		if strings.HasSuffix(lower, ext) {
			return FormatFTM
		}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ndjson", ".jsonl":
		return FormatNDJSON
	case ".csv":
		return FormatCSV
	}
	return ""
}

// visit is called for every line: rec is valid when err is nil. Returning
// a non-nil error stops the scan with it.
type visit func(line int, rec Record, err error) error

// countingReader counts bytes read and feeds a checksum.
type countingReader struct {
	r     io.Reader
	n     int64
	sum   hash.Hash
	onAdd func(int)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.sum.Write(p[:n])
	if c.onAdd != nil && n > 0 {
		c.onAdd(n)
	}
	return n, err
}

func newCounting(r io.Reader, onAdd func(int)) *countingReader {
	return &countingReader{r: r, sum: sha256.New(), onAdd: onAdd}
}

// scanNDJSON reads r line by line without ever holding more than
// maxLine bytes of one line: an over-long line is reported and skipped.
// Lines are parsed on every core (ParseNDJSONLine is pure), and handed to
// fn in order by the calling goroutine.
func scanNDJSON(r io.Reader, maxLine int, fn visit) error {
	_, err := scanLinesParallel(r, maxLine, min(runtime.GOMAXPROCS(0), maxParseWorkers), parChunkLines, ndjsonRecords, fn)
	return err
}

// ndjsonRecords is an NDJSON line's one record, as scanLines' parse.
func ndjsonRecords(b []byte) ([]Record, error) {
	rec, err := ParseNDJSONLine(b)
	return []Record{rec}, err
}

// rawLine is one line as read: its number, its bytes (without the byte
// order mark of the first line) and how it ended.
type rawLine struct {
	n       int
	buf     []byte
	tooLong bool // longer than maxLine: buf is empty
	eof     bool // the last line of the input (no newline after it, or none at all)
}

// lineReader splits r into lines without ever holding more than maxLine
// bytes of one.
type lineReader struct {
	br      *bufio.Reader
	maxLine int
	line    int
	buf     []byte
	done    bool
}

func newLineReader(r io.Reader, maxLine int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64*1024), maxLine: maxLine}
}

// next reads the next line; its buf is valid until the next call. ok is
// false at the end of the input.
func (l *lineReader) next() (rawLine, bool, error) {
	if l.done {
		return rawLine{}, false, nil
	}
	l.buf = l.buf[:0]
	tooLong := false
	var readErr error
	for {
		chunk, err := l.br.ReadSlice('\n')
		if !tooLong {
			if len(l.buf)+len(chunk) > l.maxLine+2 { // +2 for CRLF
				tooLong = true
				l.buf = l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		readErr = err
		break
	}
	if readErr != nil && readErr != io.EOF {
		l.done = true
		return rawLine{}, false, fmt.Errorf("read line %d: %w", l.line+1, readErr)
	}
	if readErr == io.EOF {
		l.done = true
		if len(l.buf) == 0 && !tooLong {
			return rawLine{}, false, nil
		}
	}
	l.line++
	if l.line == 1 {
		l.buf = bytes.TrimPrefix(l.buf, bom)
	}
	return rawLine{n: l.line, buf: l.buf, tooLong: tooLong, eof: readErr == io.EOF}, true, nil
}

// decodedLine is what one line gives: its records, or its one error.
// blank is trailing whitespace at the very end of the input, which is no
// line.
type decodedLine struct {
	recs  []Record
	err   error
	blank bool
}

func decodeLine(l rawLine, maxLine int, parse func([]byte) ([]Record, error)) decodedLine {
	switch {
	case l.tooLong:
		return decodedLine{err: fmt.Errorf("line is longer than %d bytes", maxLine)}
	case l.eof && len(bytes.TrimSpace(l.buf)) == 0:
		return decodedLine{blank: true}
	}
	recs, err := parse(l.buf)
	if err == nil && l.eof && !bytes.HasSuffix(l.buf, []byte("\n")) && !validJSONEnd(l.buf) {
		err = errors.New("truncated last line")
	}
	return decodedLine{recs: recs, err: err}
}

// deliver hands fn line n's records, all with its number, or its error.
func (d decodedLine) deliver(n int, fn visit) error {
	if d.err != nil {
		return fn(n, Record{Line: n}, d.err)
	}
	for _, rec := range d.recs {
		rec.Line = n
		if err := fn(n, rec, nil); err != nil {
			return err
		}
	}
	return nil
}

// scanLines reads r line by line, as scanNDJSON does, and hands each
// line's records from parse to fn (a line may give several, as an FtM
// sanction does, all with its line number), or the line's one error. It
// returns the number of the last line.
func scanLines(r io.Reader, maxLine int, parse func([]byte) ([]Record, error), fn visit) (int, error) {
	lr := newLineReader(r, maxLine)
	last := 0
	for {
		l, ok, err := lr.next()
		if err != nil || !ok {
			return last, err
		}
		d := decodeLine(l, maxLine, parse)
		if d.blank {
			return last, nil
		}
		last = l.n
		if err := d.deliver(l.n, fn); err != nil {
			return last, err
		}
	}
}

// parChunkLines and parChunkBytes bound the lines a parse worker takes at
// a time; maxParseWorkers bounds the workers (the in-order hand-over is
// the limit past a few), and so the memory in flight: at most
// 2×workers+2 chunks of parChunkBytes plus one line each.
const (
	parChunkLines   = 256
	parChunkBytes   = 1 << 20
	maxParseWorkers = 4
)

// scanLinesParallel is scanLines with parse run on workers goroutines
// (parse must be safe for concurrent use): one goroutine reads chunks of
// up to chunkLines lines, the workers parse them, and the calling
// goroutine hands them to fn in order, exactly as scanLines would. At
// most 2×workers+2 chunks are in flight; when fn stops the scan, or the
// input ends, every goroutine has ended before it returns, and nothing
// reads r after. A panic in parse is raised again in the calling
// goroutine when its line's turn comes, as scanLines would raise it.
func scanLinesParallel(r io.Reader, maxLine, workers, chunkLines int, parse func([]byte) ([]Record, error), fn visit) (int, error) {
	if workers < 2 {
		return scanLines(r, maxLine, parse, fn)
	}
	chunkLines = max(chunkLines, 1)
	type chunk struct {
		lines    []rawLine
		out      []decodedLine
		readErr  error
		ready    chan struct{}
		panicAt  int // the index of the line whose parse panicked, with panicked; -1 when none did
		panicked any
	}
	quit := make(chan struct{})
	ordered := make(chan *chunk, 2*workers)
	work := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	wg.Add(1 + workers)
	go func() { // the reader
		defer wg.Done()
		defer close(work)
		defer close(ordered)
		lr := newLineReader(r, maxLine)
		for end := false; !end; {
			c := &chunk{ready: make(chan struct{})}
			for size := 0; len(c.lines) < chunkLines && size < parChunkBytes; {
				l, ok, err := lr.next()
				if err != nil || !ok {
					c.readErr, end = err, true
					break
				}
				l.buf = bytes.Clone(l.buf)
				c.lines = append(c.lines, l)
				size += len(l.buf)
			}
			if len(c.lines) == 0 && c.readErr == nil {
				return
			}
			select {
			case ordered <- c:
			case <-quit:
				return
			}
			select {
			case work <- c:
			case <-quit:
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer wg.Done()
			for c := range work {
				c.out = make([]decodedLine, len(c.lines))
				c.panicAt = -1
				func() {
					i := 0
					defer func() {
						if p := recover(); p != nil {
							c.panicAt, c.panicked, c.out = i, p, c.out[:i]
						}
					}()
					for ; i < len(c.lines); i++ {
						c.out[i] = decodeLine(c.lines[i], maxLine, parse)
					}
				}()
				close(c.ready)
			}
		}()
	}
	defer wg.Wait()
	defer close(quit)
	last := 0
	for c := range ordered {
		<-c.ready
		for i, d := range c.out {
			if d.blank {
				return last, nil
			}
			last = c.lines[i].n
			if err := d.deliver(last, fn); err != nil {
				return last, err
			}
		}
		if c.panicAt >= 0 {
			panic(c.panicked)
		}
		if c.readErr != nil {
			return last, c.readErr
		}
	}
	return last, nil
}

func validJSONEnd(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[len(b)-1] == '}'
}

// CSV column names that are record fields; any other column is a property.
var (
	entityColumns = map[string]bool{"id": true, "kinds": true, "name": true, "aliases": true, "sources": true}
	relColumns    = map[string]bool{"type": true, "from": true, "to": true, "key": true, "evidence": true, "since": true, "until": true, "sources": true}
	columnPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
)

// limitedRecordReader fails a CSV record that grows past max bytes (an
// unterminated quote would otherwise swallow the rest of the file).
type limitedRecordReader struct {
	r     io.Reader
	since int
	max   int
}

var errRecordTooLong = errors.New("record too long")

func (l *limitedRecordReader) Read(p []byte) (int, error) {
	if l.since > l.max {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.since += n
	return n, err
}

// scanCSV reads an entity or relationship CSV (chosen by its header).
func scanCSV(r io.Reader, maxLine int, fn visit) error {
	lim := &limitedRecordReader{r: r, max: maxLine + 128*1024}
	cr := csv.NewReader(lim)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return fn(1, Record{}, errors.New("empty CSV file: a header line is required"))
		}
		return fn(1, Record{}, csvError(err, maxLine))
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if !utf8.ValidString(h) || !columnPattern.MatchString(h) {
			return fn(1, Record{}, fmt.Errorf("header column %d %q is not a lower_snake_case name", i+1, header[i]))
		}
		cols[i] = h
	}
	idx := map[string]int{}
	for i, c := range cols {
		if _, dup := idx[c]; dup {
			return fn(1, Record{}, fmt.Errorf("header column %q appears twice", c))
		}
		idx[c] = i
	}
	_, hasFrom := idx["from"]
	_, hasID := idx["id"]
	isRel := hasFrom
	if !isRel && !hasID {
		return fn(1, Record{}, errors.New("header needs id,kinds,name (entities) or type,from,to,evidence,sources (relationships)"))
	}
	known := entityColumns
	if isRel {
		known = relColumns
	}
	lastLine := 1
	for {
		lim.since = 0
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			stop, ferr := csvReadError(err, &lastLine, maxLine, fn)
			if ferr != nil {
				return ferr
			}
			if stop {
				return nil // the reader cannot resynchronise after this
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		rec, err := csvRecord(row, cols, idx, known, isRel)
		rec.Line = line
		if ferr := fn(line, rec, err); ferr != nil {
			return ferr
		}
	}
}

func csvError(err error, maxLine int) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errRecordTooLong):
		return fmt.Errorf("CSV record is longer than %d bytes (an unterminated quote?)", maxLine)
	case errors.As(err, &pe) && pe.Err == csv.ErrQuote:
		return fmt.Errorf("CSV: unterminated or misplaced quote (column %d)", pe.Column)
	case errors.As(err, &pe) && pe.Err == csv.ErrBareQuote:
		return fmt.Errorf("CSV: bare quote in an unquoted field (column %d)", pe.Column)
	case errors.As(err, &pe) && pe.Err == csv.ErrFieldCount:
		return errors.New("CSV: wrong number of fields for the header")
	case errors.As(err, &pe):
		return fmt.Errorf("CSV: %v", pe.Err)
	}
	return fmt.Errorf("CSV: %v", err)
}

func csvRecord(row, cols []string, idx map[string]int, known map[string]bool, isRel bool) (Record, error) {
	for i, v := range row {
		if !utf8.ValidString(v) {
			return Record{}, fmt.Errorf("column %s is not valid UTF-8", cols[i])
		}
		if strings.ContainsRune(v, '\uFEFF') {
			return Record{}, fmt.Errorf("column %s holds a byte-order mark (U+FEFF)", cols[i])
		}
		if len(v) > DefaultMaxLineBytes {
			return Record{}, fmt.Errorf("column %s is too long", cols[i])
		}
	}
	get := func(c string) string {
		if i, ok := idx[c]; ok {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	list := func(c string) []string {
		s := get(c)
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	props := map[string]any{}
	for i, c := range cols {
		if known[c] || strings.TrimSpace(row[i]) == "" {
			continue
		}
		props[c] = strings.TrimSpace(row[i])
	}
	if isRel {
		var since, until *string
		if s := get("since"); s != "" {
			since = &s
		}
		if u := get("until"); u != "" {
			until = &u
		}
		r, err := buildRelationship(get("type"), get("from"), get("to"), get("key"), get("evidence"), since, until, list("sources"), props)
		if err != nil {
			return Record{}, err
		}
		return Record{Relationship: &r}, nil
	}
	e, err := buildEntity(get("id"), list("kinds"), get("name"), list("aliases"), list("sources"), props)
	if err != nil {
		return Record{}, err
	}
	return Record{Entity: &e}, nil
}

// Scan parses every record of r in format f, calling fn with each record
// (Line set) or with the reason it is bad. Lines over maxLine bytes are
// reported without being held in memory. fn's error stops the scan.
func Scan(r io.Reader, f Format, maxLine int, fn func(rec Record, err error) error) error {
	return ScanNamed(r, f, "", maxLine, fn)
}

// ScanNamed is Scan for an input called name: an ICIJ file's name says
// what it holds, and an FtM line without datasets takes the file's name as
// its dataset. FtM and ICIJ inputs are read twice (relationships may come
// before their ends), so ScanNamed holds them in memory; the importer
// reads their files twice instead.
func ScanNamed(r io.Reader, f Format, name string, maxLine int, fn func(rec Record, err error) error) error {
	if maxLine <= 0 {
		maxLine = DefaultMaxLineBytes
	}
	v := func(line int, rec Record, err error) error {
		rec.Line = line
		return fn(rec, err)
	}
	switch f {
	case FormatCSV:
		return scanCSV(r, maxLine, v)
	case FormatFTM, FormatICIJ:
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		x := newRefIndex(graph.Date{})
		scan := scanFTM
		if f == FormatICIJ {
			scan = scanICIJ
		}
		if err := scan(bytes.NewReader(data), maxLine, name, x, true, func(int, Record, error) error { return nil }); err != nil {
			return err
		}
		return scan(bytes.NewReader(data), maxLine, name, x, false, v)
	}
	return scanNDJSON(r, maxLine, v)
}

// csvReadError reports a failed csv Read to fn at its line (the parse
// error's, else the line after the last good one: FieldPos is only defined
// after a successful Read), and says whether the reader must stop because it
// cannot resynchronise (a record too long, an open quote, an I/O error).
func csvReadError(err error, lastLine *int, maxLine int, fn visit) (stop bool, ferr error) {
	line := *lastLine + 1
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.StartLine > 0 {
		line = pe.StartLine
	}
	*lastLine = line
	if ferr := fn(line, Record{}, csvError(err, maxLine)); ferr != nil {
		return true, ferr
	}
	return errors.Is(err, errRecordTooLong) || !errors.As(err, &pe) || pe.Err == csv.ErrQuote, nil
}
