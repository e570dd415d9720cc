package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"bankbro/core/money"
)

// RuleKind says what an owner's reconciliation rule does.
type RuleKind string

// The rule kinds.
const (
	// RuleMatch matches a bank line to the one open posting with the same
	// amount dated within the rule's tolerance.
	RuleMatch RuleKind = "match"
	// RulePostAndMatch posts the bank line against the rule's account and
	// matches it to the posting on the bank's GL account.
	RulePostAndMatch RuleKind = "post_and_match"
)

// Direction limits a rule to money in, money out, or both.
type Direction string

// The directions.
const (
	DirectionAny Direction = "any"
	DirectionIn  Direction = "in"
	DirectionOut Direction = "out"
)

// MaxToleranceDays is the most days a match rule may look either side of a
// bank line's date.
const MaxToleranceDays = 60

// Rule is one of the owner's reconciliation rules. The matcher applies the
// active rules in Position order after its own rules.
type Rule struct {
	ID       int64
	Position int
	Kind     RuleKind
	// TextContains is looked for in the bank line's text, ignoring case.
	TextContains string
	Direction    Direction
	// ToleranceDays is how many days the posting may lie before or after the
	// bank line (match rules only).
	ToleranceDays int
	// Amount limits the rule to lines of this size, compared without sign
	// (Direction gives the sign); 0 means any amount.
	Amount money.Amount
	// Account is the GL account a post-and-match rule posts the line to.
	Account int
	Active  bool
}

// Validate checks a rule as the editor saves it.
func (r Rule) Validate() error {
	switch r.Kind {
	case RuleMatch, RulePostAndMatch:
	default:
		return fmt.Errorf("a rule either matches or posts and matches, not %q", r.Kind)
	}
	switch r.Direction {
	case DirectionAny, DirectionIn, DirectionOut:
	default:
		return fmt.Errorf("a rule's direction is in, out or any, not %q", r.Direction)
	}
	if strings.TrimSpace(r.TextContains) == "" && r.Amount == 0 {
		return errors.New("a rule needs a text to look for or an amount, or it would take every bank line")
	}
	if r.ToleranceDays < 0 || r.ToleranceDays > MaxToleranceDays {
		return fmt.Errorf("days of tolerance must be between 0 and %d", MaxToleranceDays)
	}
	if r.Amount < 0 {
		return errors.New("a rule's amount is given without sign: the direction says in or out")
	}
	if r.Kind == RulePostAndMatch && r.Account == 0 {
		return errors.New("a post-and-match rule needs the account to post to")
	}
	if r.Kind == RuleMatch && r.Account != 0 {
		return errors.New("a match rule posts nothing, so it takes no account")
	}
	return nil
}

// Describe says in words (English) what the rule does, for logs and the audit.
func (r Rule) Describe() string {
	var b strings.Builder
	switch r.Kind {
	case RulePostAndMatch:
		b.WriteString("post to ")
		fmt.Fprint(&b, r.Account)
		b.WriteString(" and match")
	default:
		b.WriteString("match")
	}
	switch r.Direction {
	case DirectionIn:
		b.WriteString(" money in")
	case DirectionOut:
		b.WriteString(" money out")
	}
	if r.TextContains != "" {
		fmt.Fprintf(&b, " with text containing %q", r.TextContains)
	}
	if r.Amount != 0 {
		fmt.Fprintf(&b, " of %s", r.Amount)
	}
	if r.Kind == RuleMatch && r.ToleranceDays > 0 {
		fmt.Fprintf(&b, " within %d days", r.ToleranceDays)
	}
	return b.String()
}

const ruleColumns = `id, position, kind, text_contains, direction, tolerance_days, coalesce(amount, 0), coalesce(account, 0), active`

// Rules returns the owner's rules in the order the matcher applies them.
func (l *Ledger) Rules(ctx context.Context) ([]Rule, error) {
	return readRules(ctx, l.db)
}

// Rules returns the owner's rules in order, as this transaction sees them.
func (tx *Tx) Rules() ([]Rule, error) {
	return readRules(tx.ctx, tx.tx)
}

func readRules(ctx context.Context, q querier) ([]Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+` FROM rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("read the reconciliation rules: %w", err)
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.Position, &r.Kind, &r.TextContains, &r.Direction, &r.ToleranceDays,
			&r.Amount, &r.Account, &r.Active); err != nil {
			return nil, fmt.Errorf("read the reconciliation rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveRule stores a new rule (ID 0: placed last) or changes an existing one
// (its position is kept; use MoveRule). It returns the rule as stored.
func (tx *Tx) SaveRule(r Rule) (Rule, error) {
	r.TextContains = strings.TrimSpace(r.TextContains)
	if r.Direction == "" {
		r.Direction = DirectionAny
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	if r.Kind == RulePostAndMatch {
		if err := tx.usableAccount(r.Account); err != nil {
			return Rule{}, err
		}
		var n int
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM bank_accounts WHERE gl_account = ?`, r.Account).Scan(&n); err != nil {
			return Rule{}, err
		}
		if n > 0 {
			return Rule{}, &AccountError{Number: r.Account, Problem: AccountIsBank}
		}
	}
	var amount, account any
	if r.Amount != 0 {
		amount = int64(r.Amount)
	}
	if r.Account != 0 {
		account = r.Account
	}
	if r.ID == 0 {
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT coalesce(max(position), 0) + 1 FROM rules`).Scan(&r.Position); err != nil {
			return Rule{}, fmt.Errorf("save the rule: %w", err)
		}
		res, err := tx.exec(`INSERT INTO rules (position, kind, text_contains, direction, tolerance_days, amount, account, active)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Position, string(r.Kind), r.TextContains, string(r.Direction),
			r.ToleranceDays, amount, account, r.Active)
		if err != nil {
			return Rule{}, fmt.Errorf("save the rule %q: %w", r.Describe(), err)
		}
		r.ID, _ = res.LastInsertId()
	} else {
		err := tx.tx.QueryRowContext(tx.ctx, `UPDATE rules SET kind = ?, text_contains = ?, direction = ?, tolerance_days = ?,
			amount = ?, account = ?, active = ? WHERE id = ? RETURNING position`, string(r.Kind), r.TextContains,
			string(r.Direction), r.ToleranceDays, amount, account, r.Active, r.ID).Scan(&r.Position)
		if errors.Is(err, sql.ErrNoRows) {
			return Rule{}, fmt.Errorf("rule %d: %w", r.ID, ErrNoSuchRecord)
		}
		if err != nil {
			return Rule{}, fmt.Errorf("save the rule %q: %w", r.Describe(), err)
		}
	}
	return r, tx.Audit("rule.save", fmt.Sprintf("rule %d at %d: %s (active %t)", r.ID, r.Position, r.Describe(), r.Active))
}

// DeleteRule removes a rule; the rules after it move up. Matches it made stay.
func (tx *Tx) DeleteRule(id int64) error {
	res, err := tx.exec(`DELETE FROM rules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("rule %d: %w", id, ErrNoSuchRecord)
	}
	if err := tx.renumberRules(nil); err != nil {
		return err
	}
	return tx.Audit("rule.delete", fmt.Sprintf("rule %d", id))
}

// MoveRule puts the rule at position (1 is first; past the end is last).
func (tx *Tx) MoveRule(id int64, position int) error {
	rules, err := tx.Rules()
	if err != nil {
		return err
	}
	from := -1
	for i, r := range rules {
		if r.ID == id {
			from = i
		}
	}
	if from < 0 {
		return fmt.Errorf("rule %d: %w", id, ErrNoSuchRecord)
	}
	to := min(max(position, 1), len(rules)) - 1
	ids := make([]int64, 0, len(rules))
	for _, r := range rules {
		if r.ID != id {
			ids = append(ids, r.ID)
		}
	}
	ids = append(ids[:to], append([]int64{id}, ids[to:]...)...)
	if err := tx.renumberRules(ids); err != nil {
		return err
	}
	return tx.Audit("rule.move", fmt.Sprintf("rule %d to position %d", id, to+1))
}

// renumberRules gives the rules positions 1, 2, … in the order of ids (nil:
// their present order).
func (tx *Tx) renumberRules(ids []int64) error {
	if ids == nil {
		rules, err := tx.Rules()
		if err != nil {
			return err
		}
		for _, r := range rules {
			ids = append(ids, r.ID)
		}
	}
	for i, id := range ids {
		if _, err := tx.exec(`UPDATE rules SET position = ? WHERE id = ?`, i+1, id); err != nil {
			return fmt.Errorf("reorder the rules: %w", err)
		}
	}
	return nil
}
