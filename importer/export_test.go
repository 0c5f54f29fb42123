package importer

import "io"

// ScanNDJSONWith scans NDJSON as scanNDJSON does, with workers parse
// goroutines taking chunkLines lines at a time (workers < 2: the
// sequential scan). It returns the last line's number.
func ScanNDJSONWith(r io.Reader, maxLine, workers, chunkLines int, fn func(line int, rec Record, err error) error) (int, error) {
	return scanLinesParallel(r, maxLine, workers, chunkLines, func(b []byte) ([]Record, error) {
		rec, err := ParseNDJSONLine(b)
		return []Record{rec}, err
	}, fn)
}

// ScanLinesWith is scanLinesParallel with a parse of the test's own.
func ScanLinesWith(r io.Reader, maxLine, workers, chunkLines int, parse func([]byte) ([]Record, error), fn func(line int, rec Record, err error) error) (int, error) {
	return scanLinesParallel(r, maxLine, workers, chunkLines, parse, fn)
}
