package ledger

import (
	"context"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// gather reads many rows faster than database/sql can: the matcher's read
// of 100,000 open items a side (BenchmarkMatch100k).
//
// Through database/sql every column of every row is a call into SQLite
// that takes the connection's mutex (the driver opens connections
// SQLITE_OPEN_FULLMUTEX), a boxed value, and a conversion in Scan: for the
// open bank lines that was 60 % of the read, SQLite's own work 40 %. An
// aggregate function written in Go gets the row's values in one call,
// inside SQLite's step, so
//
//	SELECT bankbro_gather(?, id, amount, …) FROM open_bank_lines WHERE …
//
// hands every row to a Go function and returns one row itself. The first
// argument names the function (a gatherer registered for the one query).
// The values are only valid during the call: text is a view into SQLite's
// memory (VolatileArgs), which the function copies what it keeps of.
const gatherFunc = "bankbro_gather"

// registry holds Go values that a running statement reaches by number
// (gather's functions, feeds, bankbro_in's sets): hold registers one for
// the statement and returns what takes it away again.
type registry[T any] struct{ m sync.Map }

// heldNext numbers the values of every registry, so that no two share one.
var heldNext atomic.Int64

func (r *registry[T]) hold(v T) (id int64, release func()) {
	id = heldNext.Add(1)
	r.m.Store(id, v)
	return id, func() { r.m.Delete(id) }
}

// get returns the value held under the number id (an SQL argument).
func (r *registry[T]) get(id driver.Value) (T, bool) {
	n, _ := id.(int64)
	v, ok := r.m.Load(n)
	if !ok {
		var zero T
		return zero, false
	}
	return v.(T), true
}

// gatherers holds the functions of the queries running.
var gatherers registry[func([]driver.Value) error]

func init() {
	sqlite.MustRegisterFunction(inFunc, &sqlite.FunctionImpl{
		NArgs: 2,
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			s, ok := sets.get(args[0])
			if !ok {
				return nil, errors.New(inFunc + ": no set with this number")
			}
			if s.has(valueInt(args[1])) {
				return int64(1), nil
			}
			return int64(0), nil
		},
	})
	sqlite.MustRegisterFunction(gatherFunc, &sqlite.FunctionImpl{
		NArgs:        -1,
		VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &gathering{}, nil
		},
	})
}

// gathering is one evaluation of bankbro_gather: it finds its function by
// the first argument of the first row.
type gathering struct {
	row func([]driver.Value) error
	n   int64
}

func (g *gathering) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if g.row == nil {
		f, ok := gatherers.get(args[0])
		if !ok {
			return errors.New(gatherFunc + ": no reader with this number")
		}
		g.row = f
	}
	g.n++
	return g.row(args[1:])
}

func (g *gathering) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return errors.New(gatherFunc + " is not a window function")
}

func (g *gathering) WindowValue(*sqlite.FunctionContext) (driver.Value, error) { return g.n, nil }

func (g *gathering) Final(*sqlite.FunctionContext) {}

// gather runs SELECT bankbro_gather(?, columns) FROM rest, with args for
// rest's placeholders, and calls row with the columns of every row, in the
// order SQLite reads them. row must not keep a string or []byte it is
// given (copy it: strings.Clone), nor use the connection.
func gather(ctx context.Context, q querier, columns, rest string, args []any, row func([]driver.Value) error) error {
	var rowErr error // SQLite passes on only the text of an error
	id, release := gatherers.hold(func(v []driver.Value) error {
		rowErr = row(v)
		return rowErr
	})
	defer release()
	var n any
	err := q.QueryRowContext(ctx, `SELECT `+gatherFunc+`(?, `+columns+`) FROM `+rest, append([]any{id}, args...)...).Scan(&n)
	if rowErr != nil {
		return rowErr
	}
	return err
}

// valueInt, valueText and valueString read an argument of a gatherer's
// row: an INTEGER column, a TEXT column (copied), a TEXT column not copied
// (only for use during the call).
func valueInt(v driver.Value) int64 {
	n, _ := v.(int64)
	return n
}

func valueString(v driver.Value) string {
	s, _ := v.(string)
	return s
}

func valueText(v driver.Value) string {
	s, _ := v.(string)
	if s == "" {
		return ""
	}
	return strings.Clone(s)
}

// bankbro_in(set, x) is 1 when the number x is in a set of numbers held in
// Go memory, 0 when not, and counts the numbers it found: one pass over a
// table with it tells the rows of a long list from the rest, where an IN
// (…) of the list would first build it into an index inside SQLite.
const inFunc = "bankbro_in"

var sets registry[*set]

// set is sorted numbers, and how many times bankbro_in found one.
type set struct {
	sorted []int64
	found  atomic.Int64
}

func (s *set) has(x int64) bool {
	_, ok := slices.BinarySearch(s.sorted, x)
	if ok {
		s.found.Add(1)
	}
	return ok
}

// withSet runs fn with sorted registered as a set for bankbro_in, under
// the number it gives fn, and returns how many times bankbro_in found one
// of its numbers.
func withSet(sorted []int64, fn func(id int64) error) (found int64, err error) {
	s := &set{sorted: sorted}
	id, release := sets.hold(s)
	defer release()
	err = fn(id)
	return s.found.Load(), err
}
