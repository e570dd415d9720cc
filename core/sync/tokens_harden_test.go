//go:build unix

package sync

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// tokenCatcher is an HTTP transport that notes every access and refresh
// token the bank's token endpoint hands out.
type tokenCatcher struct {
	mu     gosync.Mutex
	tokens []string
}

func (c *tokenCatcher) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
		return resp, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range []string{"access_token", "refresh_token"} {
		if i := bytes.Index(b, []byte(`"`+f+`":"`)); i >= 0 {
			v := b[i+len(f)+4:]
			c.tokens = append(c.tokens, string(v[:bytes.IndexByte(v, '"')]))
		}
	}
	return resp, nil
}

func (c *tokenCatcher) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.tokens...)
}

// loginCatching logs in at the demo bank as the daily manager, keeping the
// refresh token in store, and returns the session and the token catcher.
func loginCatching(t testing.TB, url string, store login.TokenStore) (*login.Session, *tokenCatcher) {
	t.Helper()
	tc := &tokenCatcher{}
	sess, err := login.Login(context.Background(), login.Config{AuthURL: url, ClientID: sandbox.ClientID,
		Browser: &sandbox.TestBrowser{}, Store: store, HTTPClient: &http.Client{Transport: tc}})
	if err != nil {
		t.Fatalf("log in at the demo bank: %v", err)
	}
	return sess, tc
}

// TestNoTokensInLedgerFiles logs in (the refresh token kept in a file
// beside the ledger, as where no keyring answers), imports with a backup,
// refreshes the tokens, imports again, and then searches the ledger file,
// its -wal and -shm, the backups and the log output (log and slog,
// captured), byte for byte, for every access and refresh token the bank
// issued. The login file, which holds the refresh
// token by design, is searched too, to prove the search finds what is there.
func TestNoTokensInLedgerFiles(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)
	startDate := civil.MustParse("2026-03-02")
	today := civil.MustParse("2026-03-10")
	srv, err := sandbox.Start("", sandbox.Options{Seed: demoSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "company.bankbro")
	store := login.NewFileStore(path + ".login")
	sess, tc := loginCatching(t, srv.URL, store)
	c := bank.New(srv.URL, sess.Client(ctx))
	l, _ := demoLedger(t, path, c, 4, startDate)
	defer l.Close()
	backups := filepath.Join(dir, "backups")
	if _, err := Run(ctx, l, c, Options{Today: today, BackupDir: backups}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Bank.SetToday(today.AddDays(1))
	if _, err := Run(ctx, l, c, Options{Today: today.AddDays(1), BackupDir: backups}); err != nil {
		t.Fatal(err)
	}
	tokens := tc.all()
	if len(tokens) < 4 {
		t.Fatalf("caught %d tokens, want at least 4 (two logins' worth)", len(tokens))
	}
	files := []string{path, path + "-wal", path + "-shm"}
	bs, _ := filepath.Glob(filepath.Join(backups, "*"))
	files = append(files, bs...)
	searched := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		searched++
		for _, tok := range tokens {
			if bytes.Contains(b, []byte(tok)) {
				t.Errorf("a token is in %s", filepath.Base(f))
			}
		}
	}
	if searched < 3 {
		t.Fatalf("searched %d files, want the ledger, its -wal and a backup at least", searched)
	}
	for _, tok := range tokens {
		if strings.Contains(logs.String(), tok) {
			t.Errorf("a token is in the log output")
		}
	}
	lf, err := os.ReadFile(path + ".login")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(lf, []byte(tokens[len(tokens)-1])) {
		t.Errorf("the login file does not hold the newest refresh token; the search proves nothing")
	}
	if fi, _ := os.Stat(path + ".login"); fi.Mode().Perm() != 0o600 {
		t.Errorf("the login file has mode %v, want 0600", fi.Mode().Perm())
	}
	t.Logf("%d tokens searched for in %d files", len(tokens), searched)
}

// The environment that turns TestHelperPanicChild into a crashing sync.
const (
	envPanicChild  = "BANKBRO_PANIC_CHILD"
	envPanicTokens = "BANKBRO_PANIC_TOKENS"
)

// TestHelperPanicChild is not a test: run by TestNoTokensInCrashOutput as
// a child process, it logs in, imports, writes the tokens it was given to
// a file for the parent, and then crashes with a panic that names the
// session and its client, with every goroutine's stack printed.
func TestHelperPanicChild(t *testing.T) {
	if os.Getenv(envPanicChild) != "1" {
		t.Skip("only runs as the child process of TestNoTokensInCrashOutput")
	}
	ctx := context.Background()
	sess, tc := loginCatching(t, os.Getenv(envBank), nil)
	c := bank.New(os.Getenv(envBank), sess.Client(ctx))
	l, err := ledger.Open(ctx, os.Getenv(envDB))
	if err != nil {
		t.Fatal(err)
	}
	today, _ := civil.Parse(os.Getenv(envToday))
	if _, err := Run(ctx, l, c, Options{Today: today}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv(envPanicTokens), []byte(strings.Join(tc.all(), "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	hc := sess.Client(ctx)
	panic(fmt.Sprintf("the import crashed: session %v %s %+v, client %v %+v", sess, sess, sess, hc, hc.Transport))
}

// TestNoTokensInCrashOutput runs a sync process that panics after logging
// in and importing, and searches everything it wrote (the panic message
// and all goroutines' stacks) for the tokens it held.
func TestNoTokensInCrashOutput(t *testing.T) {
	startDate := civil.MustParse("2026-03-02")
	today := civil.MustParse("2026-03-10")
	srv, c := demoBank(t, today)
	dir := t.TempDir()
	path := filepath.Join(dir, "company.bankbro")
	l, _ := demoLedger(t, path, c, 2, startDate)
	l.Close()
	tokFile := filepath.Join(dir, "tokens")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPanicChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envPanicChild+"=1", envBank+"="+srv.URL, envDB+"="+path,
		envToday+"="+today.String(), envPanicTokens+"="+tokFile, "GOTRACEBACK=all")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child did not crash:\n%s", out)
	}
	if !bytes.Contains(out, []byte("panic: the import crashed")) {
		t.Fatalf("the child failed before its panic:\n%s", out)
	}
	b, err := os.ReadFile(tokFile)
	if err != nil {
		t.Fatal(err)
	}
	tokens := strings.Fields(string(b))
	if len(tokens) < 2 {
		t.Fatalf("the child caught %d tokens", len(tokens))
	}
	for _, tok := range tokens {
		if bytes.Contains(out, []byte(tok)) {
			t.Fatalf("a token is in the crash output:\n%s", out)
		}
	}
	t.Logf("%d tokens searched for in %d bytes of crash output", len(tokens), len(out))
}
