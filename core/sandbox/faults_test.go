package sandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	s := startBank(t, Options{Now: clock.Now})
	tok := login(t, s, ManagerID).AccessToken
	accounts := s.URL + "/api/v2/Accounts"

	t.Run("fail rate", func(t *testing.T) {
		s.Bank.SetFaults(Faults{FailRate: 1})
		defer s.Bank.SetFaults(Faults{})
		for range 3 {
			st, h, b := call(t, "GET", accounts, tok, nil)
			if st != http.StatusServiceUnavailable {
				t.Fatalf("got %d, want 503", st)
			}
			decodeProblem(t, h, b)
		}
		// Login is not an API call: it keeps working.
		login(t, s, BookkeeperID)
	})

	t.Run("rate limit", func(t *testing.T) {
		s.Bank.SetFaults(Faults{RateLimit: 2})
		defer s.Bank.SetFaults(Faults{})
		clock.Add(time.Second)
		for i := 1; i <= 3; i++ {
			st, h, b := call(t, "GET", accounts, tok, nil)
			if i <= 2 && st != http.StatusOK {
				t.Fatalf("call %d: %d, want 200", i, st)
			}
			if i == 3 {
				if st != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
					t.Fatalf("call 3: %d Retry-After %q, want 429 with Retry-After", st, h.Get("Retry-After"))
				}
				decodeProblem(t, h, b)
			}
		}
		clock.Add(time.Second)
		if st, _, _ := call(t, "GET", accounts, tok, nil); st != http.StatusOK {
			t.Errorf("next second: %d, want 200", st)
		}
	})

	t.Run("cut after", func(t *testing.T) {
		s.Bank.SetFaults(Faults{CutAfter: 2})
		defer s.Bank.SetFaults(Faults{})
		for i := 1; i <= 4; i++ {
			req, _ := http.NewRequest("GET", accounts, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if cut := i%2 == 0; cut != (err != nil) {
				t.Errorf("call %d: read error %v, want cut=%v", i, err, cut)
			} else if cut && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("call %d: %v, want unexpected EOF", i, err)
			}
		}
	})

	t.Run("latency", func(t *testing.T) {
		s.Bank.SetFaults(Faults{Latency: time.Millisecond})
		defer s.Bank.SetFaults(Faults{})
		if st, _, _ := call(t, "GET", accounts, tok, nil); st != http.StatusOK {
			t.Errorf("with latency: %d", st)
		}
	})

	t.Run("admin endpoint", func(t *testing.T) {
		st, _, b := call(t, "POST", s.URL+"/sandbox/faults", "", `{"failRate":0.25,"latencyMs":5,"rateLimit":7,"cutAfter":9}`)
		if st != http.StatusOK {
			t.Fatalf("POST faults: %d %s", st, b)
		}
		if got, want := s.Bank.Faults(), (Faults{FailRate: 0.25, Latency: 5 * time.Millisecond, RateLimit: 7, CutAfter: 9}); got != want {
			t.Errorf("faults = %+v, want %+v", got, want)
		}
		call(t, "POST", s.URL+"/sandbox/faults", "", `{"rateLimit":0}`)
		if got := s.Bank.Faults(); got.RateLimit != 0 || got.CutAfter != 9 {
			t.Errorf("partial update: %+v", got)
		}
		for _, bad := range []string{`{"failRate":1.5}`, `{"latencyMs":-1}`, `{"rateLimit":-2}`, `{"cutAfter":-1}`, `nonsense`} {
			if st, _, _ := call(t, "POST", s.URL+"/sandbox/faults", "", bad); st != http.StatusBadRequest {
				t.Errorf("POST %s: %d, want 400", bad, st)
			}
		}
		s.Bank.SetFaults(Faults{})
		for _, bad := range []string{`{"today":"25.11.2026"}`, `{}`} {
			if st, _, _ := call(t, "POST", s.URL+"/sandbox/clock", "", bad); st != http.StatusBadRequest {
				t.Errorf("clock %s: %d, want 400", bad, st)
			}
		}
	})

	t.Run("admin is loopback only", func(t *testing.T) {
		for _, path := range []string{"/sandbox/faults", "/sandbox/clock", "/sandbox/integration"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(`{"failRate":1,"today":"2030-01-01","state":"none"}`))
			req.RemoteAddr = "192.0.2.10:40000"
			rec := httptest.NewRecorder()
			s.Bank.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s from another host: %d, want 403", path, rec.Code)
			}
		}
		if s.Bank.Faults().FailRate != 0 || s.Bank.Integration() != IntegrationPluss || s.Bank.Today() != testToday {
			t.Errorf("a remote admin call changed the bank")
		}
	})
}

func TestMainCommand(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"--help"}, 0},
		{[]string{"--seed", "x"}, 2},
		{[]string{"--today", "2026-13-01"}, 2},
		{[]string{"--integration", "gold"}, 2},
		{[]string{"--fail-rate", "3"}, 2},
		{[]string{"--latency", "soon"}, 2},
		{[]string{"--rate-limit", "-1"}, 2},
		{[]string{"--cut-after", "-1"}, 2},
		{[]string{"--nope"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"--addr", "256.0.0.1:0"}, 1},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb strings.Builder
			code := Main(context.Background(), tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, errb.String())
			}
			switch code {
			case 0:
				if !strings.Contains(out.String(), "Usage: bankbro sandbox-bank") {
					t.Errorf("help: %q", out.String())
				}
			case 2:
				if strings.Count(errb.String(), "\n") != 1 {
					t.Errorf("stderr %q, want one line", errb.String())
				}
			}
		})
	}

	t.Run("serves until cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errb strings.Builder
		var wg sync.WaitGroup
		code := -1
		wg.Add(1)
		go func() {
			defer wg.Done()
			code = Main(ctx, []string{"--seed", "3", "--today", "2026-11-25", "--integration", "basis", "--latency", "1ms"}, pw, &errb)
			pw.Close()
		}()
		line, err := readLine(pr)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(line, "http://127.0.0.1:") || strings.HasSuffix(line, "/") {
			t.Fatalf("first line %q, want the base URL", line)
		}
		st, _, b := call(t, "GET", line+"/sandbox/integration", "", nil)
		if st != http.StatusOK || !strings.Contains(string(b), "basis") {
			t.Errorf("integration: %d %s", st, b)
		}
		st, _, b = call(t, "GET", line+"/sandbox/clock", "", nil)
		if !strings.Contains(string(b), "2026-11-25") {
			t.Errorf("clock: %d %s", st, b)
		}
		cancel()
		go io.Copy(io.Discard, pr)
		wg.Wait()
		if code != 0 {
			t.Errorf("exit %d, want 0 (%s)", code, errb.String())
		}
	})
}

func readLine(r io.Reader) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for {
		if _, err := r.Read(one); err != nil {
			return string(b), err
		}
		if one[0] == '\n' {
			return string(b), nil
		}
		b = append(b, one[0])
	}
}
