package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"bankbro/core/civil"
)

// TestStateSurvivesRestart: a demo bank with a state file, stopped and
// started again, still honours the refresh token it issued, still knows
// the payment made through it, and still has the agreement as it was.
func TestStateSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demobank.json")
	opts := Options{Today: civil.MustParse("2026-11-26"), StateFile: file}
	srv, err := Start("", opts)
	if err != nil {
		t.Fatal(err)
	}
	first := login(t, srv, ManagerID)
	acct := srv.Bank.AccountsFor(ManagerID)[0].AccountID
	status, _, body := call(t, "POST", srv.URL+"/api/v2/Payments", first.AccessToken, map[string]any{
		"accountId": acct, "recipientAccountNumber": "15032080119", "beneficiaryName": "Gårdeier AS",
		"amount": json.Number("1250.00"), "dueDate": "2026-11-30", "kid": "0000123456782", "text": nil, "reference": "BB-STATE-1"})
	if status != http.StatusCreated {
		t.Fatalf("create payment: %d %s", status, body)
	}
	if err := srv.Bank.SetIntegration(IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v; want mode 0600", err)
	}

	srv2, err := Start("", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if srv2.Bank.Integration() != IntegrationBasis {
		t.Errorf("integration after restart = %s, want basis", srv2.Bank.Integration())
	}
	refresh := func(rt string) (int, tokenResponse) {
		return postToken(t, srv2.URL, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {ClientID}})
	}
	status, again := refresh(first.RefreshToken)
	if status != http.StatusOK {
		t.Fatalf("the refresh token from before the restart: %d %+v", status, again)
	}
	if status, _ := refresh(first.RefreshToken); status != http.StatusBadRequest {
		t.Errorf("a rotated refresh token was accepted again (%d)", status)
	}
	srv2.Bank.SetIntegration(IntegrationPluss)
	status, _, body = call(t, "GET", srv2.URL+"/api/v2/Payments/"+acct, again.AccessToken, nil)
	var list struct {
		Items []struct{ Reference string } `json:"items"`
	}
	json.Unmarshal(body, &list)
	if status != http.StatusOK || len(list.Items) != 1 || list.Items[0].Reference != "BB-STATE-1" {
		t.Errorf("payments after restart = %d %s, want the one made before", status, body)
	}
}
