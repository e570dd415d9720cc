package reconcile

import (
	"context"
	"time"

	"bankbro/core/civil"
	"errors"
	"strings"
	"testing"

	"bankbro/core/ledger"
	"bankbro/core/money"
)

func kr(n int64) money.Amount { return money.Kroner(n) }

func TestRunRules(t *testing.T) {
	matchHusleie := ledger.Rule{Kind: ledger.RuleMatch, TextContains: "husleie", Direction: ledger.DirectionOut, ToleranceDays: 3}
	tests := []struct {
		name      string
		lines     []item
		posts     []item
		rules     []ledger.Rule
		want      []string
		wantSugg  []string
		wantOpenL int
		wantOpenP int
	}{
		{
			name:  "reference beats an equal posting on the same day",
			lines: []item{{name: "L1", amount: kr(-1000), ref: "BB-000001"}},
			posts: []item{{name: "P1", amount: kr(-1000), ref: "BB-000001"}, {name: "P2", amount: kr(-1000)}},
			want:  []string{"reference L1|P1"}, wantOpenP: 1,
		},
		{
			name:  "reference: many postings to one line",
			lines: []item{{name: "L1", amount: kr(-3000), ref: "BB-000007"}},
			posts: []item{{name: "P1", date: "2026-03-01", amount: kr(-1000), ref: "BB-000007"}, {name: "P2", amount: kr(-2000), ref: "BB-000007"}},
			want:  []string{"reference L1|P1,P2"},
		},
		{
			name:  "reference whose sums disagree pairs by amount",
			lines: []item{{name: "L1", amount: kr(-1000), ref: "BB-9"}},
			posts: []item{{name: "P1", date: "2026-03-05", amount: kr(-1000), ref: "BB-9"}, {name: "P2", date: "2026-03-06", amount: kr(-500), ref: "BB-9"}},
			want:  []string{"reference L1|P1"}, wantOpenP: 1,
		},
		{
			name:  "KID across dates",
			lines: []item{{name: "L1", date: "2026-03-10", amount: kr(500), kid: "0000123456782"}},
			posts: []item{{name: "P1", date: "2026-03-02", amount: kr(500), kid: "0000123456782"}},
			want:  []string{"kid L1|P1"},
		},
		{
			name:  "KID with another amount does not match",
			lines: []item{{name: "L1", date: "2026-03-10", amount: kr(400), kid: "0000123456782"}},
			posts: []item{{name: "P1", date: "2026-03-02", amount: kr(500), kid: "0000123456782"}},
			want:  nil, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "KID ambiguity: two postings, suggestions only",
			lines: []item{{name: "L1", date: "2026-03-10", amount: kr(500), kid: "0000123456782"}},
			posts: []item{{name: "P1", date: "2026-03-02", amount: kr(500), kid: "0000123456782"}, {name: "P2", date: "2026-03-03", amount: kr(500), kid: "0000123456782"}},
			want:  nil, wantSugg: []string{"kid L1|P1", "kid L1|P2"}, wantOpenL: 1, wantOpenP: 2,
		},
		{
			name:  "one-to-one",
			lines: []item{{name: "L1", amount: kr(-250)}, {name: "L2", amount: kr(-99)}},
			posts: []item{{name: "P1", amount: kr(-250)}, {name: "P2", amount: kr(-99)}},
			want:  []string{"one_to_one L1|P1", "one_to_one L2|P2"},
		},
		{
			name:  "one-to-one needs the same date",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-250)}},
			posts: []item{{name: "P1", date: "2026-03-03", amount: kr(-250)}},
			want:  nil, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "one-to-one ambiguity: two equal postings, suggestions only",
			lines: []item{{name: "L1", amount: kr(-250)}},
			posts: []item{{name: "P1", amount: kr(-250)}, {name: "P2", amount: kr(-250)}},
			want:  nil, wantSugg: []string{"one_to_one L1|P1", "one_to_one L1|P2"}, wantOpenL: 1, wantOpenP: 2,
		},
		{
			name:  "one-to-one ambiguity: two equal lines",
			lines: []item{{name: "L1", amount: kr(-250)}, {name: "L2", amount: kr(-250)}},
			posts: []item{{name: "P1", amount: kr(-250)}, {name: "P3", amount: kr(-1)}},
			want:  nil, wantSugg: []string{"one_to_one L1|P1", "one_to_one L2|P1"}, wantOpenL: 2, wantOpenP: 2,
		},
		{
			name:  "same-day sums",
			lines: []item{{name: "L1", amount: kr(-300)}, {name: "L2", amount: kr(-200)}},
			posts: []item{{name: "P1", amount: kr(-500)}},
			want:  []string{"same_day_sum L1,L2|P1"},
		},
		{
			name:  "same-day sums take all of a day or nothing",
			lines: []item{{name: "L1", amount: kr(-300)}, {name: "L2", amount: kr(-200)}},
			posts: []item{{name: "P1", amount: kr(-500)}, {name: "P2", amount: kr(-10)}},
			want:  nil, wantOpenL: 2, wantOpenP: 2,
		},
		{
			name:  "same-day sums settle what one-to-one left ambiguous",
			lines: []item{{name: "L1", amount: kr(-250)}, {name: "L2", amount: kr(-250)}},
			posts: []item{{name: "P1", amount: kr(-250)}, {name: "P2", amount: kr(-250)}},
			want:  []string{"same_day_sum L1,L2|P1,P2"},
		},
		{
			name:  "posted from the line",
			lines: []item{{name: "L1", amount: kr(-35), text: "Gebyr"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-35), link: "L1"}, {name: "P2", amount: kr(-35)}},
			want:  []string{"posted_from_line L1|P1"}, wantOpenP: 1,
		},
		{
			name:  "a voucher and its reversal",
			posts: []item{{name: "P1", amount: kr(-800), ref: "BB-12"}, {name: "R1", date: "2026-03-05", reverses: "P1"}},
			want:  []string{"reversal |P1,R1"},
		},
		{
			name:  "match rule within tolerance",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-10000), text: "Husleie mars"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  []string{"rule:1 L1|P1"},
		},
		{
			name:  "match rule outside tolerance",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-10000), text: "Husleie mars"}},
			posts: []item{{name: "P1", date: "2026-03-06", amount: kr(-10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  nil, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "match rule text must be in the line",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-10000), text: "Strøm"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  nil, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "match rule direction",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(10000), text: "Husleie retur"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  nil, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "match rule amount",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-499), text: "Vipps"}, {name: "L2", date: "2026-03-09", amount: kr(-500), text: "Vipps"}},
			posts: []item{{name: "P1", date: "2026-03-03", amount: kr(-499)}, {name: "P2", date: "2026-03-10", amount: kr(-500)}},
			rules: []ledger.Rule{{Kind: ledger.RuleMatch, Amount: kr(500), Direction: ledger.DirectionAny, ToleranceDays: 1}},
			want:  []string{"rule:1 L2|P2"}, wantOpenL: 1, wantOpenP: 1,
		},
		{
			name:  "match rule ambiguity: a posting either side, suggestions only",
			lines: []item{{name: "L1", date: "2026-03-04", amount: kr(-10000), text: "Husleie"}},
			posts: []item{{name: "P1", date: "2026-03-03", amount: kr(-10000)}, {name: "P2", date: "2026-03-05", amount: kr(-10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  nil, wantSugg: []string{"rule:1 L1|P1", "rule:1 L1|P2"}, wantOpenL: 1, wantOpenP: 2,
		},
		{
			name: "match rule ambiguity: two lines want one posting",
			lines: []item{{name: "L1", date: "2026-03-03", amount: kr(-10000), text: "Husleie"},
				{name: "L2", date: "2026-03-05", amount: kr(-10000), text: "Husleie"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-10000)}},
			rules: []ledger.Rule{matchHusleie},
			want:  nil, wantSugg: []string{"rule:1 L1|P1", "rule:1 L2|P1"}, wantOpenL: 2, wantOpenP: 1,
		},
		{
			name:  "rules in order: post and match first",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-50), text: "Gebyr giro"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-50)}},
			rules: []ledger.Rule{
				{Kind: ledger.RulePostAndMatch, TextContains: "gebyr", Direction: ledger.DirectionOut, Account: 7770},
				{Kind: ledger.RuleMatch, TextContains: "gebyr", ToleranceDays: 5},
			},
			want: []string{"rule:1 L1|"}, wantOpenP: 1,
		},
		{
			name:  "rules in order: match first",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-50), text: "Gebyr giro"}},
			posts: []item{{name: "P1", date: "2026-03-04", amount: kr(-50)}},
			rules: []ledger.Rule{
				{Kind: ledger.RuleMatch, TextContains: "gebyr", ToleranceDays: 5},
				{Kind: ledger.RulePostAndMatch, TextContains: "gebyr", Direction: ledger.DirectionOut, Account: 7770},
			},
			want: []string{"rule:1 L1|P1"},
		},
		{
			name:  "inactive rules do nothing",
			lines: []item{{name: "L1", date: "2026-03-02", amount: kr(-50), text: "Gebyr giro"}},
			rules: []ledger.Rule{{Kind: ledger.RulePostAndMatch, TextContains: "gebyr", Account: 7770}},
			want:  nil, wantOpenL: 1,
		},
		{
			name:  "items before the start date are left alone",
			lines: []item{{name: "L1", date: "2026-02-27", amount: kr(-70)}},
			posts: []item{{name: "P1", date: "2026-02-27", amount: kr(-70)}},
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.addLines(t, f.bank, tc.lines...)
			f.addPostings(t, f.bank, tc.posts...)
			for i := range tc.rules {
				tc.rules[i].Active = tc.name != "inactive rules do nothing"
			}
			f.addRules(t, tc.rules...)
			res := f.run(t)
			if got := f.matches(t, f.bank); !equalStrings(got, tc.want) {
				t.Errorf("matches = %q, want %q", got, tc.want)
			}
			if got := f.suggestions(res.Suggestions); !equalStrings(got, tc.wantSugg) {
				t.Errorf("suggestions = %q, want %q", got, tc.wantSugg)
			}
			a := res.Accounts[0]
			if a.OpenLines != tc.wantOpenL || a.OpenPostings != tc.wantOpenP {
				t.Errorf("open after the run: %d lines, %d postings; want %d, %d", a.OpenLines, a.OpenPostings, tc.wantOpenL, tc.wantOpenP)
			}
			if a.Matches != len(tc.want) {
				t.Errorf("Result.Matches = %d, want %d", a.Matches, len(tc.want))
			}
			again := f.run(t)
			if again.Matched() != 0 {
				t.Errorf("a second run made %d more matches, want 0", again.Matched())
			}
		})
	}
}

func TestPostAndMatchPostsABalancedVoucherLinkedToTheLine(t *testing.T) {
	f := newFixture(t)
	f.addLines(t, f.bank, item{name: "L1", date: "2026-03-03", amount: -3500, text: "GEBYR utland"})
	rules := f.addRules(t, ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "gebyr", Direction: ledger.DirectionOut, Account: 7770, Active: true})
	res := f.run(t)
	if got := res.Accounts[0].Posted; got != 1 {
		t.Fatalf("Posted = %d, want 1", got)
	}
	line := f.lines["L1"]
	vid, err := f.l.VoucherForBankTransaction(f.ctx, line)
	if err != nil || vid == 0 {
		t.Fatalf("no voucher posted from the line (%v)", err)
	}
	v, err := f.l.Voucher(f.ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	var sum money.Amount
	got := map[int]money.Amount{}
	for _, p := range v.Postings {
		sum += p.Amount
		got[p.Account] += p.Amount
		if p.BankTransaction != line {
			t.Errorf("posting on %d links to bank line %d, want %d", p.Account, p.BankTransaction, line)
		}
	}
	if sum != 0 || got[1920] != -3500 || got[7770] != 3500 || len(v.Postings) != 2 {
		t.Errorf("voucher postings = %+v, want 1920 -35,00 and 7770 35,00", v.Postings)
	}
	if v.Source != "rule" || v.Date != f.mustLines(t, f.bank, v.Date)[0].AccountingDate {
		t.Errorf("voucher source %q date %s, want rule on the line's date", v.Source, v.Date)
	}
	m, err := f.l.MatchOfBankLine(f.ctx, line)
	if err != nil || m == 0 {
		t.Fatalf("the line is not matched (%v)", err)
	}
	match, _ := f.l.Match(f.ctx, m)
	if match.Rule != OwnerRule(rules[0].ID) || len(match.Postings) != 1 || match.Postings[0] != v.Postings[0].ID {
		t.Errorf("match = %+v, want rule:%d with the 1920 posting %d", match, rules[0].ID, v.Postings[0].ID)
	}

	// Undone, the line is not posted a second time, nor matched again.
	if err := Unmatch(f.ctx, f.l, m); err != nil {
		t.Fatal(err)
	}
	again := f.run(t)
	if again.Matched() != 0 || again.Accounts[0].Posted != 0 {
		t.Errorf("after unmatching, a run made %d matches and posted %d, want 0 and 0", again.Matched(), again.Accounts[0].Posted)
	}
}

func TestUnmatchAndRematch(t *testing.T) {
	f := newFixture(t)
	f.addLines(t, f.bank, item{name: "L1", amount: kr(-250)}, item{name: "L2", date: "2026-03-09", amount: kr(40)})
	f.addPostings(t, f.bank, item{name: "P1", amount: kr(-250)}, item{name: "P2", date: "2026-03-03", amount: kr(-250)},
		item{name: "P3", date: "2026-03-08", amount: kr(40)})
	f.run(t)
	if got, want := f.matches(t, f.bank), []string{"one_to_one L1|P1"}; !equalStrings(got, want) {
		t.Fatalf("matches = %q, want %q", got, want)
	}
	m, _ := f.l.MatchOfBankLine(f.ctx, f.lines["L1"])
	if err := Unmatch(f.ctx, f.l, m); err != nil {
		t.Fatal(err)
	}
	if err := Unmatch(f.ctx, f.l, m); !errors.Is(err, ledger.ErrNoSuchRecord) {
		t.Errorf("unmatching twice: err = %v, want ErrNoSuchRecord", err)
	}
	if got := f.matches(t, f.bank); len(got) != 0 {
		t.Fatalf("after Unmatch, matches = %q, want none", got)
	}
	// The matcher does not redo what the owner undid.
	if res := f.run(t); res.Matched() != 0 {
		t.Errorf("the matcher redid an undone match: %q", f.matches(t, f.bank))
	}
	// The owner matches by hand instead, and the matcher leaves that alone.
	if err := Match(f.ctx, f.l, []int64{f.lines["L1"]}, []int64{f.posts["P2"]}, ""); err != nil {
		t.Fatal(err)
	}
	if err := Match(f.ctx, f.l, []int64{f.lines["L2"]}, []int64{f.posts["P3"]}, ""); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	want := []string{"manual L1|P2", "manual L2|P3"}
	if got := f.matches(t, f.bank); !equalStrings(got, want) {
		t.Errorf("matches = %q, want %q", got, want)
	}
	// Undone by hand, the same match may be made by hand again.
	m, _ = f.l.MatchOfBankLine(f.ctx, f.lines["L2"])
	if err := Unmatch(f.ctx, f.l, m); err != nil {
		t.Fatal(err)
	}
	if err := Match(f.ctx, f.l, []int64{f.lines["L2"]}, []int64{f.posts["P3"]}, ""); err != nil {
		t.Errorf("rematch by hand: %v", err)
	}
}

func TestManualMatchErrors(t *testing.T) {
	f := newFixture(t)
	other := f.addBank(t, "A2", "97104133219", 1921)
	f.addLines(t, f.bank, item{name: "L1", amount: kr(-250)}, item{name: "L2", amount: kr(-100)}, item{name: "Early", date: "2026-02-20", amount: kr(-5)})
	f.addLines(t, other, item{name: "X1", amount: kr(-250)})
	f.addPostings(t, f.bank, item{name: "P1", date: "2026-03-05", amount: kr(-250)}, item{name: "P2", date: "2026-03-05", amount: kr(-100)},
		item{name: "Before", date: "2026-02-27", amount: kr(-100)})
	f.addPostings(t, other, item{name: "Q1", date: "2026-03-05", amount: kr(-250)})
	if err := Match(f.ctx, f.l, []int64{f.lines["L2"]}, []int64{f.posts["P2"]}, ""); err != nil {
		t.Fatal(err)
	}
	L, P := f.lines, f.posts
	tests := []struct {
		name  string
		lines []int64
		posts []int64
		want  string
	}{
		{"nothing chosen", nil, nil, "choose at least one"},
		{"one item alone", []int64{L["L1"]}, nil, "cannot be matched"},
		{"posting before start", []int64{L["L1"]}, []int64{P["P1"], P["Before"]}, "before the reconciliation start date"},
		{"line already matched", []int64{L["L1"], L["L2"]}, []int64{P["P1"]}, "already matched"},
		{"posting of another account", []int64{L["L1"]}, []int64{P["Q1"]}, "not on the bank account's GL account"},
		{"lines of two accounts", []int64{L["L1"], L["X1"]}, []int64{P["P1"], P["Q1"]}, "different bank accounts"},
		{"chosen twice", []int64{L["L1"]}, []int64{P["P1"], P["P1"]}, "chosen twice"},
		{"unknown line", []int64{999999}, []int64{P["P1"]}, "not found"},
		{"unknown posting", []int64{L["L1"]}, []int64{999999}, "not found"},
		{"line before start", []int64{L["Early"]}, []int64{}, "cannot be matched"},
		{"line before start with a posting", []int64{L["Early"], L["L1"]}, []int64{P["P1"]}, "before the reconciliation start date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Match(f.ctx, f.l, tc.lines, tc.posts, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Match: err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	err := Match(f.ctx, f.l, []int64{L["L1"]}, []int64{P["P2"]}, "")
	if !errors.Is(err, ledger.ErrAlreadyMatched) {
		t.Errorf("err = %v, want ErrAlreadyMatched", err)
	}
	err = Match(f.ctx, f.l, []int64{L["L1"]}, []int64{P["Q1"], P["P1"]}, "")
	if err == nil {
		t.Error("a posting on another bank account's GL account was accepted")
	}
	f.addPostings(t, f.bank, item{name: "P9", date: "2026-03-07", amount: kr(-200)})
	err = Match(f.ctx, f.l, []int64{L["L1"]}, []int64{f.posts["P9"]}, "")
	if !errors.Is(err, ledger.ErrSumsDisagree) || !strings.Contains(err.Error(), "-250,00") {
		t.Errorf("err = %v, want ErrSumsDisagree naming -250,00", err)
	}
	if got := f.matches(t, f.bank); len(got) != 1 {
		t.Errorf("refused matches left something behind: %q", got)
	}

	// A line posted from (voucher "Own" from line "Posted") is matched with
	// its own posting, not another: its amount would stand twice.
	f.addLines(t, f.bank, item{name: "Posted", date: "2026-03-06", amount: kr(-80)})
	f.addPostings(t, f.bank, item{name: "Own", date: "2026-03-06", amount: kr(-80), link: "Posted"},
		item{name: "Invoice", date: "2026-03-06", amount: kr(-80)})
	err = Match(f.ctx, f.l, []int64{f.lines["Posted"]}, []int64{f.posts["Invoice"]}, "")
	var elsewhere *PostedElsewhereError
	if !errors.As(err, &elsewhere) || elsewhere.BankLine != f.lines["Posted"] {
		t.Errorf("matching a posted line against another posting: err = %v, want PostedElsewhereError", err)
	}
	if err := Match(f.ctx, f.l, []int64{f.lines["Posted"]}, []int64{f.posts["Own"]}, ""); err != nil {
		t.Errorf("matching a posted line against its own posting: %v", err)
	}
}

func TestSuggestionsAcceptAndReject(t *testing.T) {
	f := newFixture(t)
	f.addLines(t, f.bank, item{name: "L1", amount: kr(-250)}, item{name: "L2", date: "2026-03-04", amount: kr(-80)})
	f.addPostings(t, f.bank, item{name: "P1", amount: kr(-250)}, item{name: "P2", amount: kr(-250)},
		item{name: "P3", date: "2026-03-04", amount: kr(-80)}, item{name: "P4", date: "2026-03-04", amount: kr(-80)}, item{name: "Pday", date: "2026-03-04", amount: kr(-1)})
	ss, err := Suggestions(f.ctx, f.l)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"one_to_one L1|P1", "one_to_one L1|P2", "one_to_one L2|P3", "one_to_one L2|P4"}
	if got := f.suggestions(ss); !equalStrings(got, want) {
		t.Fatalf("suggestions = %q, want %q", got, want)
	}
	if got := f.matches(t, f.bank); len(got) != 0 {
		t.Fatalf("Suggestions stored matches: %q", got)
	}
	byName := map[string]Suggestion{}
	for _, s := range ss {
		byName[f.describe(s.Rule, s.lineIDs(), s.postingIDs())] = s
	}
	if err := Accept(f.ctx, f.l, byName["one_to_one L1|P2"]); err != nil {
		t.Fatal(err)
	}
	if err := Reject(f.ctx, f.l, byName["one_to_one L2|P3"]); err != nil {
		t.Fatal(err)
	}
	ss, err = Suggestions(f.ctx, f.l)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.suggestions(ss), []string{"one_to_one L2|P4"}; !equalStrings(got, want) {
		t.Errorf("after accept and reject, suggestions = %q, want %q", got, want)
	}
	if got, want := f.matches(t, f.bank), []string{"accepted:one_to_one L1|P2"}; !equalStrings(got, want) {
		t.Errorf("matches = %q, want %q", got, want)
	}
	if err := Accept(f.ctx, f.l, byName["one_to_one L1|P1"]); !errors.Is(err, ledger.ErrAlreadyMatched) {
		t.Errorf("accepting a stale suggestion: err = %v, want ErrAlreadyMatched", err)
	}
}

func TestRulesEditor(t *testing.T) {
	f := newFixture(t)
	a := f.addRules(t,
		ledger.Rule{Kind: ledger.RuleMatch, TextContains: "a", Active: true},
		ledger.Rule{Kind: ledger.RuleMatch, TextContains: "b", Active: true},
		ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "c", Account: 7770, Active: true})
	order := func() string {
		rs, err := Rules(f.ctx, f.l)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range rs {
			s = append(s, r.TextContains)
		}
		return strings.Join(s, "")
	}
	if got := order(); got != "abc" {
		t.Fatalf("order = %q, want abc", got)
	}
	if err := MoveRule(f.ctx, f.l, a[2].ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "cab" {
		t.Errorf("after moving c first: %q, want cab", got)
	}
	if err := MoveRule(f.ctx, f.l, a[2].ID, 99); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "abc" {
		t.Errorf("after moving c last: %q, want abc", got)
	}
	if err := DeleteRule(f.ctx, f.l, a[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "bc" {
		t.Errorf("after deleting a: %q, want bc", got)
	}
	changed := a[1]
	changed.TextContains = "bb"
	changed.ToleranceDays = 2
	if _, err := SaveRule(f.ctx, f.l, changed); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "bbc" {
		t.Errorf("after changing b: %q, want bbc", got)
	}
	bad := []struct {
		name string
		r    ledger.Rule
		want string
	}{
		{"no kind", ledger.Rule{TextContains: "x"}, "either matches"},
		{"takes everything", ledger.Rule{Kind: ledger.RuleMatch}, "every bank line"},
		{"post without account", ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "x"}, "needs the account"},
		{"post to a bank account", ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "x", Account: 1920}, "bank account's GL account"},
		{"post to no account", ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "x", Account: 1111}, "not in the chart"},
		{"tolerance", ledger.Rule{Kind: ledger.RuleMatch, TextContains: "x", ToleranceDays: 400}, "tolerance"},
		{"direction", ledger.Rule{Kind: ledger.RuleMatch, TextContains: "x", Direction: "up"}, "direction"},
		{"negative amount", ledger.Rule{Kind: ledger.RuleMatch, Amount: -5}, "without sign"},
		{"unknown id", ledger.Rule{ID: 999, Kind: ledger.RuleMatch, TextContains: "x"}, "not found"},
	}
	for _, tc := range bad {
		if _, err := SaveRule(f.ctx, f.l, tc.r); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

func TestDayNumber(t *testing.T) {
	for d := civil.New(1999, 12, 1); d.Before(civil.New(2101, 3, 1)); d = d.AddDays(1) {
		if got, want := dayNumber(d), int32(d.Time(time.UTC).Unix()/86400); got != want {
			t.Fatalf("dayNumber(%s) = %d, want %d", d, got, want)
		}
	}
}

// A run whose context ends (the window's Cancel) matches nothing: its
// matches are stored in one transaction, which is rolled back.
func TestRunCancelledMatchesNothing(t *testing.T) {
	f := newFixture(t)
	f.addLines(t, f.bank, item{name: "L1", amount: kr(-250)})
	f.addPostings(t, f.bank, item{name: "P1", amount: kr(-250)})
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	if _, err := Run(ctx, f.l, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel = %v, want context.Canceled", err)
	}
	if got := f.matches(t, f.bank); len(got) != 0 {
		t.Fatalf("a cancelled run stored matches %q", got)
	}
	f.run(t)
	if got, want := f.matches(t, f.bank), []string{"one_to_one L1|P1"}; !equalStrings(got, want) {
		t.Errorf("the run after: matches = %q, want %q", got, want)
	}
}

// Suggestions for one bank account read and propose that account's items
// only; without accounts they cover every account with reconciliation.
func TestSuggestionsForOneAccount(t *testing.T) {
	f := newFixture(t)
	other := f.addBank(t, "A2", "97104133219", 1921)
	f.addLines(t, f.bank, item{name: "L1", amount: kr(-250)})
	f.addPostings(t, f.bank, item{name: "P1", amount: kr(-250)}, item{name: "P2", amount: kr(-250)})
	f.addLines(t, other, item{name: "M1", amount: kr(-90)})
	f.addPostings(t, other, item{name: "Q1", amount: kr(-90)}, item{name: "Q2", amount: kr(-90)})
	for _, c := range []struct {
		name     string
		accounts []int64
		want     []string
	}{
		{"every account", nil, []string{"one_to_one L1|P1", "one_to_one L1|P2", "one_to_one M1|Q1", "one_to_one M1|Q2"}},
		{"the first", []int64{f.bank.ID}, []string{"one_to_one L1|P1", "one_to_one L1|P2"}},
		{"the other", []int64{other.ID}, []string{"one_to_one M1|Q1", "one_to_one M1|Q2"}},
	} {
		ss, err := Suggestions(f.ctx, f.l, c.accounts...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := f.suggestions(ss); !equalStrings(got, c.want) {
			t.Errorf("%s: suggestions = %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := Suggestions(f.ctx, f.l, 999); !errors.Is(err, ledger.ErrNoSuchRecord) {
		t.Errorf("an unknown bank account: err = %v, want ErrNoSuchRecord", err)
	}
}
