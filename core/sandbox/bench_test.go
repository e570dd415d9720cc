package sandbox

import (
	"fmt"
	"io"
	"net/http"
	"testing"
)

// BenchmarkArchiveYear serves one year of the operating account's archive,
// paged at 1000, over loopback; it reports transactions a second.
func BenchmarkArchiveYear(b *testing.B) {
	s := startBank(b, Options{})
	tok := login(b, s, ManagerID).AccessToken
	acct := s.Bank.AccountsFor(ManagerID)[0]
	from, to := testToday.AddDays(-365), testToday
	want, _ := s.Bank.ArchiveFor(acct.AccountNumber, from, to)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.ResetTimer()
	lines := 0
	for b.Loop() {
		for index := 0; index < len(want); index += 1000 {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v2/Transactions/archive/%s?startDate=%s&endDate=%s&index=%d&length=1000",
				s.URL, acct.AccountID, from, to, index), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
		lines += len(want)
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "transactions/s")
}
