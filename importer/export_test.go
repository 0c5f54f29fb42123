package importer

import "io"

// NDJSONRecords is the parse scanNDJSON gives its scan.
var NDJSONRecords = ndjsonRecords

// ScanLinesWith is scanLinesParallel: workers parse goroutines (fewer
// than 2: the sequential scan) taking chunkLines lines at a time. It
// returns the last line's number.
func ScanLinesWith(r io.Reader, maxLine, workers, chunkLines int, parse func([]byte) ([]Record, error), fn func(line int, rec Record, err error) error) (int, error) {
	return scanLinesParallel(r, maxLine, workers, chunkLines, parse, fn)
}
