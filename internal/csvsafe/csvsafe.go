// Package csvsafe writes CSV (and TSV) for people: files that end up in a
// spreadsheet. A spreadsheet runs a cell that starts with =, +, -, @, a tab
// or a carriage return as a formula (OWASP "CSV injection"): a name or an
// alias taken from a report could then fetch URLs or run commands on the
// reader's machine. Every cell written here is neutralised first (Cell).
//
// Machine-read CSV (the LOAD CSV and neo4j-admin files of internal/generate,
// which Neo4j reads) must keep its values exactly and does not use this
// package.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
)

// number is a plain decimal number: "-5" or "+1.5e3" is a value, not a
// formula, and stays as it is.
var number = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)

// Cell returns s made safe for a spreadsheet: when s starts with one of
// = + - @ tab CR (and is not a plain number), a single quote is put in
// front, which spreadsheets show as text and do not evaluate. Quoting for
// the CSV syntax itself is the writer's job.
func Cell(s string) string {
	if s == "" || number.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	w     *csv.Writer
	cells []string
}

// NewWriter writes comma-separated values to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// NewTSVWriter writes tab-separated values to w (cells holding a tab are
// quoted).
func NewTSVWriter(w io.Writer) *Writer {
	cw := csv.NewWriter(w)
	cw.Comma = '\t'
	return &Writer{w: cw}
}

// Write writes one record, every cell neutralised; record is not changed.
func (w *Writer) Write(record []string) error {
	w.cells = w.cells[:0]
	for _, c := range record {
		w.cells = append(w.cells, Cell(c))
	}
	return w.w.Write(w.cells)
}

// Flush writes buffered data out; Error reports a failed write or flush.
func (w *Writer) Flush() { w.w.Flush() }

// Error returns the first error of a Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
