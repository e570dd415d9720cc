package sandbox

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"

	"bankbro/core/civil"
)

// withFaults injects the configured failures in front of the API.
func (b *Bank) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		f := b.faults
		limited := false
		if f.RateLimit > 0 {
			sec := b.now().Unix()
			if sec != b.rateWindow {
				b.rateWindow, b.rateCount = sec, 0
			}
			b.rateCount++
			limited = b.rateCount > f.RateLimit
		}
		failed := !limited && f.FailRate > 0 && b.rnd.Float64() < f.FailRate
		cut := false
		if f.CutAfter > 0 {
			b.responses++
			cut = b.responses%f.CutAfter == 0
		}
		b.mu.Unlock()

		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if cut {
			cw := &cutWriter{header: http.Header{}, status: http.StatusOK}
			w = cw.wrap(w)
			defer cw.finish(w)
		}
		switch {
		case limited:
			w.Header().Set("Retry-After", "1")
			problem(w, r, http.StatusTooManyRequests, "rate-limited", "Too many requests",
				"More than "+strconv.Itoa(f.RateLimit)+" requests a second; wait and try again.", nil)
		case failed:
			problem(w, r, http.StatusServiceUnavailable, "unavailable", "Service unavailable",
				"The bank could not answer right now (injected failure); try again.", nil)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// cutWriter holds a whole response, then sends its headers with the full
// Content-Length and only half the body before dropping the connection.
type cutWriter struct {
	real   http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

type cutProxy struct{ cw *cutWriter }

func (p cutProxy) Header() http.Header         { return p.cw.header }
func (p cutProxy) Write(b []byte) (int, error) { return p.cw.body.Write(b) }
func (p cutProxy) WriteHeader(status int)      { p.cw.status = status }
func (cw *cutWriter) wrap(w http.ResponseWriter) http.ResponseWriter {
	cw.real = w
	return cutProxy{cw}
}

func (cw *cutWriter) finish(http.ResponseWriter) {
	h := cw.real.Header()
	for k, v := range cw.header {
		h[k] = v
	}
	full := cw.body.Bytes()
	h.Set("Content-Length", strconv.Itoa(len(full)))
	cw.real.WriteHeader(cw.status)
	_, _ = cw.real.Write(full[:len(full)/2])
	if f, ok := cw.real.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler) // net/http closes the connection without logging
}

// isLoopback reports whether the request comes from this computer.
func isLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// faultsJSON is the body of /sandbox/faults; absent fields keep their value.
type faultsJSON struct {
	FailRate  *float64 `json:"failRate"`
	LatencyMs *int64   `json:"latencyMs"`
	RateLimit *int     `json:"rateLimit"`
	CutAfter  *int     `json:"cutAfter"`
}

// adminHandler serves /sandbox/faults, /sandbox/clock and /sandbox/integration (loopback only).
func (b *Bank) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var in faultsJSON
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				badRequest(w, r, "body", "must be JSON with failRate, latencyMs, rateLimit, cutAfter")
				return
			}
			f := b.Faults()
			if in.FailRate != nil {
				f.FailRate = *in.FailRate
			}
			if in.LatencyMs != nil {
				f.Latency = time.Duration(*in.LatencyMs) * time.Millisecond
			}
			if in.RateLimit != nil {
				f.RateLimit = *in.RateLimit
			}
			if in.CutAfter != nil {
				f.CutAfter = *in.CutAfter
			}
			if err := validFaults(f); err != nil {
				badRequest(w, r, "body", err.Error())
				return
			}
			b.SetFaults(f)
		}
		f := b.Faults()
		writeJSON(w, http.StatusOK, map[string]any{"failRate": f.FailRate, "latencyMs": f.Latency.Milliseconds(),
			"rateLimit": f.RateLimit, "cutAfter": f.CutAfter})
	})
	mux.HandleFunc("/sandbox/clock", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var in struct {
				Today string `json:"today"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				badRequest(w, r, "today", "must be JSON {\"today\":\"YYYY-MM-DD\"}")
				return
			}
			d, err := civil.Parse(in.Today)
			if err != nil {
				badRequest(w, r, "today", "must be a date YYYY-MM-DD")
				return
			}
			b.SetToday(d)
		}
		writeJSON(w, http.StatusOK, map[string]string{"today": b.Today().String()})
	})
	mux.HandleFunc("/sandbox/integration", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var in struct {
				State string `json:"state"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				badRequest(w, r, "state", "must be JSON {\"state\":\"none|basis|pluss\"}")
				return
			}
			if err := b.SetIntegration(in.State); err != nil {
				badRequest(w, r, "state", "must be none, basis or pluss")
				return
			}
		}
		writeJSON(w, http.StatusOK, map[string]string{"state": b.Integration()})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopback(r) {
			problem(w, r, http.StatusForbidden, "loopback-only", "Forbidden", "The sandbox admin endpoints answer only on loopback.", nil)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			problem(w, r, http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", "Use GET or POST.", nil)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
