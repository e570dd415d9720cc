package sync

import (
	"testing"
	"time"
)

func TestBackupTimeReadsTheName(t *testing.T) {
	for _, c := range []struct {
		path string
		want string // RFC 3339 in UTC; "" when not a backup's name
	}{
		{"/x/c-backup-20261127-074105.123.bankbro", "2026-11-27T07:41:05.123Z"},
		{"c-backup-20261127-074105.123-2.bankbro", "2026-11-27T07:41:05.123Z"},
		{"my-company-backup-20250101-000000.000.bankbro", "2025-01-01T00:00:00Z"},
		{"c.bankbro", ""},
		{"c-backup-yesterday.bankbro", ""},
	} {
		got, ok := BackupTime(c.path)
		if c.want == "" {
			if ok {
				t.Errorf("BackupTime(%q) = %s, want not ok", c.path, got)
			}
			continue
		}
		if !ok || got.Format(time.RFC3339Nano) != c.want {
			t.Errorf("BackupTime(%q) = %s, %v; want %s", c.path, got.Format(time.RFC3339Nano), ok, c.want)
		}
	}
}
