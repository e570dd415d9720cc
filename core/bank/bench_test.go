package bank

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"bankbro/core/civil"
)

// page1000 is one full archive page as the bank sends it.
func page1000() []byte {
	items := make([]string, 1000)
	for i := range items {
		items[i] = fmt.Sprintf(txJSON, fmt.Sprintf("tx-%04d", i), fmt.Sprintf("-%d.%02d", i, i%100))
	}
	return []byte(`{"availableItems":1000,"items":[` + strings.Join(items, ",") + `]}`)
}

// BenchmarkParsePage measures decoding one page of 1000 transactions.
func BenchmarkParsePage(b *testing.B) {
	body := page1000()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_, txs, itemErr, err := parseTransactionPage("A1", body, true)
		if err != nil || itemErr != nil || len(txs) != 1000 {
			b.Fatal(len(txs), err, itemErr)
		}
	}
}

// BenchmarkArchivePage measures one Archive call of 1000 transactions over
// HTTP on 127.0.0.1 (request, transfer, decode).
func BenchmarkArchivePage(b *testing.B) {
	body := page1000()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	c := New(srv.URL, srv.Client())
	d := civil.MustParse("2026-11-25")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		txs, err := c.Archive(context.Background(), "A1", d, d)
		if err != nil || len(txs) != 1000 {
			b.Fatal(len(txs), err)
		}
	}
}
