// Package reconcile is bank reconciliation (bankavstemming): matching the
// bank's lines against the postings on each bank account's GL account, and
// the report of where bank and books disagree.
//
// The matcher works on open items (in no match) dated from the account's
// reconciliation start date, and applies, in this order:
//
//  1. reversal: a voucher's open postings on the GL account against its
//     reversing voucher's (they cancel; no bank line will come);
//  2. posted from the line: postings that were posted from the bank line
//     itself (the morning import's fees, a line posted by hand);
//  3. reference: a payment sent from the app and its bank line, by the
//     payment's reference; many postings to one line when their sum equals it;
//  4. KID: a line carrying a KID and the open posting with that KID and amount;
//  5. one-to-one: same amount and same date, one candidate on each side;
//  6. same-day sums: all open postings of a day against all open lines of
//     that day, when the sums agree;
//  7. the owner's rules (ledger.Rule) in their order: "match" and
//     "post and match".
//
// Ambiguity is never resolved by guessing: where two candidates fit, the
// matcher makes no match and returns suggestions for the owner to accept or
// reject. A match the owner undid or a suggestion they rejected is never
// made again by the matcher (a person can still make it by hand).
package reconcile

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"bankbro/core/ledger"
	"bankbro/core/money"
)

// DefaultMaxSuggestions is how many suggestions a run returns per bank
// account when Options leaves it 0.
const DefaultMaxSuggestions = 500

// Options adjusts a run of the matcher.
type Options struct {
	// BankAccounts limits the run to these bank accounts (ids); empty means
	// every active account with reconciliation.
	BankAccounts []int64
	// DryRun works out matches and suggestions without storing anything.
	DryRun bool
	// MaxSuggestions caps the suggestions per bank account (0: DefaultMaxSuggestions).
	MaxSuggestions int
}

// Result is what a run did.
type Result struct {
	Accounts    []AccountResult
	Suggestions []Suggestion
}

// Matched is the number of matches the run made over all accounts.
func (r Result) Matched() int {
	n := 0
	for _, a := range r.Accounts {
		n += a.Matches
	}
	return n
}

// Posted is the number of bank lines the owner's post-and-match rules
// posted (and matched) in the run, over all accounts.
func (r Result) Posted() int {
	n := 0
	for _, a := range r.Accounts {
		n += a.Posted
	}
	return n
}

// OpenLines is the number of bank lines left open after the run, over all
// accounts: the owner's to post or match.
func (r Result) OpenLines() int {
	n := 0
	for _, a := range r.Accounts {
		n += a.OpenLines
	}
	return n
}

// AccountResult is what a run did on one bank account.
type AccountResult struct {
	BankAccount ledger.BankAccount
	// Matches is how many matches were made (with DryRun: would be made).
	Matches int
	// ByRule counts the matches per rule name (RuleKID, OwnerRule(id), …).
	ByRule map[string]int
	// Posted is how many bank lines post-and-match rules posted.
	Posted int
	// OpenLines and OpenPostings are what is still open after the run.
	OpenLines, OpenPostings int
}

// Suggestion is a match the matcher would make were it not ambiguous. It is
// returned for the owner to accept or reject, never applied by itself.
type Suggestion struct {
	BankAccount int64
	// Rule is the rule that found it.
	Rule      string
	BankLines []ledger.BankTransaction
	Postings  []ledger.Posting
}

// Key names the suggestion's items (ledger.MatchKey).
func (s Suggestion) Key() string { return ledger.MatchKey(s.lineIDs(), s.postingIDs()) }

// Amount is the sum of the suggestion's bank lines (equal to its postings').
func (s Suggestion) Amount() money.Amount {
	var a money.Amount
	for _, l := range s.BankLines {
		a += l.Amount
	}
	return a
}

func (s Suggestion) lineIDs() []int64 {
	ids := make([]int64, len(s.BankLines))
	for i, l := range s.BankLines {
		ids[i] = l.ID
	}
	return ids
}

func (s Suggestion) postingIDs() []int64 {
	ids := make([]int64, len(s.Postings))
	for i, p := range s.Postings {
		ids[i] = p.ID
	}
	return ids
}

// Run runs the matcher over every bank account with reconciliation (or
// those opts names) and stores all its matches, and the vouchers its
// post-and-match rules post, in one ledger transaction.
func Run(ctx context.Context, l *ledger.Ledger, opts Options) (Result, error) {
	accounts, err := accountsFor(ctx, l, opts.BankAccounts)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		var err error
		res, err = runTx(ctx, tx, accounts, opts)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// RunTx runs the matcher inside a transaction the caller holds, so that an
// import and its matching are stored together.
func RunTx(ctx context.Context, l *ledger.Ledger, tx *ledger.Tx, opts Options) (Result, error) {
	accounts, err := accountsFor(ctx, l, opts.BankAccounts)
	if err != nil {
		return Result{}, err
	}
	return runTx(ctx, tx, accounts, opts)
}

// accountsFor returns the active bank accounts with reconciliation, limited
// to ids when given; an id that is not such an account is an error.
func accountsFor(ctx context.Context, l *ledger.Ledger, ids []int64) ([]ledger.BankAccount, error) {
	all, err := l.BankAccounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []ledger.BankAccount
	for _, b := range all {
		if len(ids) > 0 && !slices.Contains(ids, b.ID) {
			continue
		}
		if !b.Active || !b.Reconciliation {
			if len(ids) > 0 {
				return nil, fmt.Errorf("bank account %s has no bank reconciliation: turn it on in the bank integration first", b.Formatted())
			}
			continue
		}
		out = append(out, b)
	}
	for _, id := range ids {
		if !slices.ContainsFunc(out, func(b ledger.BankAccount) bool { return b.ID == id }) {
			return nil, fmt.Errorf("bank account %d: %w", id, ledger.ErrNoSuchRecord)
		}
	}
	// The start date falls back on the conversion date: before it the books
	// hold nothing to reconcile against.
	c, err := l.Company(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].StartDate.IsZero() {
			out[i].StartDate = c.ConversionDate
		}
	}
	return out, nil
}

func runTx(ctx context.Context, tx *ledger.Tx, accounts []ledger.BankAccount, opts Options) (Result, error) {
	limit := opts.MaxSuggestions
	if limit <= 0 {
		limit = DefaultMaxSuggestions
	}
	if err := tx.LargeCache(); err != nil {
		return Result{}, err
	}
	rules, err := tx.Rules()
	if err != nil {
		return Result{}, err
	}
	rejected, err := tx.RejectedMatches()
	if err != nil {
		return Result{}, err
	}
	var res Result
	var all []ledger.NewMatch
	for _, b := range accounts {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		lines, posts, err := tx.UnmatchedItems(b.ID, b.GLAccount, b.StartDate)
		if err != nil {
			return Result{}, fmt.Errorf("reconcile %s: %w", b.Formatted(), err)
		}
		m := newMatcher(lines, posts, rejected)
		m.run(rules)

		ar := AccountResult{BankAccount: b, Matches: len(m.matches) + len(m.posted), ByRule: m.byRule, Posted: len(m.posted)}
		// The matches are listed by the ledger's ids on another core while
		// SQLite posts what the post-and-match rules took.
		var made []ledger.NewMatch
		listed := make(chan struct{})
		go func() {
			defer close(listed)
			made = m.newMatches()
		}()
		var posted []ledger.NewMatch
		if !opts.DryRun {
			posted, err = postLines(tx, b, m)
		}
		<-listed
		if err != nil {
			return Result{}, fmt.Errorf("reconcile %s: %w", b.Formatted(), err)
		}
		all = append(append(all, made...), posted...)
		for _, open := range m.lineOpen {
			if open {
				ar.OpenLines++
			}
		}
		for _, open := range m.postOpen {
			if open {
				ar.OpenPostings++
			}
		}
		sugg, err := suggestions(tx, m, b.ID, limit)
		if err != nil {
			return Result{}, fmt.Errorf("reconcile %s: %w", b.Formatted(), err)
		}
		res.Suggestions = append(res.Suggestions, sugg...)
		res.Accounts = append(res.Accounts, ar)
	}
	if opts.DryRun {
		return res, nil
	}
	if _, err := tx.AddMatches(all); err != nil {
		return Result{}, fmt.Errorf("store the reconciliation: %w", err)
	}
	for _, ar := range res.Accounts {
		if ar.Matches == 0 {
			continue
		}
		if err := tx.Audit("reconcile.run", fmt.Sprintf("%s: %d matched (%s), %d bank lines and %d postings open",
			ar.BankAccount.Formatted(), ar.Matches, describeCounts(ar.ByRule), ar.OpenLines, ar.OpenPostings)); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// suggestions turns the matcher's live suggestions into Suggestions with
// every field of their items.
func suggestions(tx *ledger.Tx, m *matcher, bankAccount int64, limit int) ([]Suggestion, error) {
	live := m.liveSuggestions(limit)
	if len(live) == 0 {
		return nil, nil
	}
	var lineIDs, postIDs []int64
	for _, s := range live {
		for _, x := range s.lines {
			lineIDs = append(lineIDs, m.lines[x].ID)
		}
		for _, x := range s.posts {
			postIDs = append(postIDs, m.posts[x].ID)
		}
	}
	lines, posts, err := tx.ReconcileDetails(lineIDs, postIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, len(live))
	for i, s := range live {
		out[i] = Suggestion{BankAccount: bankAccount, Rule: s.rule}
		for _, x := range s.lines {
			out[i].BankLines = append(out[i].BankLines, lines[m.lines[x].ID])
		}
		for _, x := range s.posts {
			out[i].Postings = append(out[i].Postings, posts[m.posts[x].ID])
		}
	}
	return out, nil
}

func describeCounts(byRule map[string]int) string {
	names := make([]string, 0, len(byRule))
	for k := range byRule {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, byRule[k])
	}
	return strings.Join(parts, ", ")
}

// postLines posts the bank lines the matcher's post-and-match rules took
// and returns their matches.
func postLines(tx *ledger.Tx, b ledger.BankAccount, m *matcher) ([]ledger.NewMatch, error) {
	out := make([]ledger.NewMatch, 0, len(m.posted))
	for _, pr := range m.posted {
		nm, err := postLine(tx, b, m.lines[pr.line].BankTransaction, pr.rule)
		if err != nil {
			return nil, err
		}
		out = append(out, nm)
	}
	return out, nil
}

// postLine posts a bank line by a post-and-match rule: a voucher on the
// line's date with the bank's GL account against the rule's account, both
// postings linked to the line; the bank side is matched to the line.
func postLine(tx *ledger.Tx, b ledger.BankAccount, line ledger.BankTransaction, r ledger.Rule) (ledger.NewMatch, error) {
	text := line.Text
	if text == "" {
		text = r.Describe()
	}
	v, err := tx.AddVoucher(ledger.Voucher{
		Date:        line.AccountingDate,
		Description: text,
		Source:      "rule",
		Postings: []ledger.Posting{
			{Account: b.GLAccount, Amount: line.Amount, Text: text, BankTransaction: line.ID},
			{Account: r.Account, Amount: -line.Amount, Text: text, BankTransaction: line.ID},
		},
	})
	if err != nil {
		return ledger.NewMatch{}, fmt.Errorf("post bank line %s %q by rule %d: %w", line.AccountingDate, line.Text, r.ID, err)
	}
	return ledger.NewMatch{Rule: OwnerRule(r.ID), BankLines: []int64{line.ID}, Postings: []int64{v.Postings[0].ID},
		First: line.AccountingDate, Last: line.AccountingDate}, nil
}
