package cli

import (
	"context"

	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
)

func fillDemo(ctx context.Context, l *ledger.Ledger, today civil.Date) error {
	return demo.Fill(ctx, l, today)
}
