package sync

import (
	"context"
	"fmt"
	"path/filepath"

	"bankbro/core/ledger"
	"bankbro/core/reconcile"
)

// BackupDir is where the morning keeps its backups: "backups" beside the
// ledger file.
func BackupDir(l *ledger.Ledger) string {
	return filepath.Join(filepath.Dir(l.Path()), "backups")
}

// MorningResult is what the morning did: the import, and the matches the
// matcher made afterwards.
type MorningResult struct {
	Result
	Matched int
}

// Morning is the whole morning run, as the window (at launch, at 06:00, on
// "Fetch now") and `bankbro sync` do it: a backup, the import of every
// account, then the matcher over what is open. opts.BackupDir defaults to
// BackupDir(l). The matcher runs even when an account failed, so the
// others' lines are matched; its own failure is returned with the import's.
func Morning(ctx context.Context, l *ledger.Ledger, b Bank, opts Options) (MorningResult, error) {
	if opts.BackupDir == "" {
		opts.BackupDir = BackupDir(l)
	}
	res, err := Run(ctx, l, b, opts)
	out := MorningResult{Result: res}
	if ctx.Err() != nil || len(res.Accounts) == 0 {
		return out, err
	}
	rec, recErr := reconcile.Run(ctx, l, reconcile.Options{})
	if recErr != nil {
		recErr = fmt.Errorf("the lines were read, but matching them failed: %w", recErr)
		if err == nil {
			return out, recErr
		}
		return out, fmt.Errorf("%w; %v", err, recErr)
	}
	out.Matched = rec.Matched()
	return out, err
}
