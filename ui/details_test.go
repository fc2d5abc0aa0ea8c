package ui

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func TestDetailsFlagExpiredAndMinor(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	score := 0.42
	ev := func(dob, exp string) *eval.Evaluation {
		return &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", Score: &score, Tags: []string{"a", "b"},
			ReviewQueues: []string{"q1"},
			DocV: &eval.DocumentVerification{
				ReasonCodes:  []string{"I831"},
				DocumentType: eval.DocumentType{Type: "Drivers License", Country: "US", State: "NY"},
				Decision:     eval.DocVDecision{Name: "standard", Value: "reject"},
				Data: eval.DocumentData{FirstName: "Jane", SurName: "Specimen", DOB: dob, ExpirationDate: exp,
					DocumentNumber: "S123", Address: "1 Main St"},
			}}
	}
	cases := map[string]struct {
		ev        *eval.Evaluation
		flags     []string
		mentioned []string
	}{
		"adult, valid":    {ev("1985-03-14", "2030-03-14"), nil, []string{"age 41", "2030-03-14", "Jane Specimen", "S123", "1 Main St", "I831", "q1", "a, b", "0.42", "reject (standard)"}},
		"expired":         {ev("1985-03-14", "2026-05-31"), []string{flagExpired}, []string{"EXPIRED"}},
		"minor":           {ev("2010-06-02", "2030-01-01"), []string{flagMinor}, []string{"UNDER 18", "age 15"}},
		"minor, expired":  {ev("2010-01-01", "2020-01-01"), []string{flagMinor, flagExpired}, []string{"UNDER 18", "EXPIRED"}},
		"18 today":        {ev("2008-06-01", "2030-01-01"), nil, []string{"age 18"}},
		"no DocV":         {&eval.Evaluation{Decision: "ACCEPT"}, nil, []string{"no document verification result"}},
		"no summary":      {nil, nil, []string{"could not be fetched"}},
		"unparsable date": {ev("14/03/1985", "soon"), nil, []string{"14/03/1985", "soon"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := newDetailsPanel()
			d.show(simulator.HappyID, tc.ev, []string{"unsafe path skipped"}, now)
			if strings.Join(d.flags, ",") != strings.Join(tc.flags, ",") {
				t.Errorf("flags %v, want %v", d.flags, tc.flags)
			}
			if d.alerts.Visible() != (len(tc.flags) > 0) {
				t.Errorf("alert banner visible %v with flags %v", d.alerts.Visible(), tc.flags)
			}
			text := markupOf(d.root)
			for _, m := range append(tc.mentioned, simulator.HappyID, "unsafe path skipped") {
				if !strings.Contains(text, m) {
					t.Errorf("details lack %q:\n%s", m, text)
				}
			}
		})
	}
}

func TestCopyEvalIDPutsOnlyTheIDOnTheClipboard(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.PassportID)
	h.app.Clipboard().SetContent("")
	test.Tap(h.copyEvalIDButton())
	if got := h.app.Clipboard().Content(); got != simulator.PassportID {
		t.Errorf("clipboard %q", got)
	}
}

func TestPreferencesHoldOnlySettings(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.HappyID)
	h.env(eval.Sandbox)
	h.env(eval.Demo)
	h.shortcut(fyne.KeyW)
	rv, ok := h.app.Preferences().(interface{ ReadValues(func(map[string]any)) })
	if !ok {
		t.Fatalf("cannot list the preferences of %T", h.app.Preferences())
	}
	rv.ReadValues(func(m map[string]any) {
		for k, v := range m {
			switch k {
			case prefEnv, prefAPIVersion, prefIdleMinutes, prefReviewer:
			default:
				t.Errorf("preference %q = %v is not a setting", k, v)
			}
		}
	})
}

// TestResizeRedecodesAtTheNewSize runs in a synctest bubble: the debounce
// timer (redecodeDelay) fires on the bubble's clock once everything else waits,
// so the test waits for the timer itself, never for wall-clock time.
func TestResizeRedecodesAtTheNewSize(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{Env: eval.Demo})
		h.open(simulator.HappyID)
		p := h.panes()[0]
		before := p.display.Image.Bounds()
		seq := p.seq
		h.win.Resize(fyne.NewSize(testSize.Width*2, testSize.Height*2))
		h.loop.until(t, "the re-decode", 30*time.Second, func() bool {
			return p.seq > seq && h.running() == 0 && p.display != nil
		})
		after := p.display.Image.Bounds()
		if after.Dx() < before.Dx()*3/2 {
			t.Errorf("after doubling the window the front is %v (was %v)", after, before)
		}
		// A small resize does not decode again: let the debounce timer fire
		// (the bubble's clock jumps to it), then run what it queued.
		seq = p.seq
		h.win.Resize(fyne.NewSize(testSize.Width*2+20, testSize.Height*2+10))
		if !h.redecodeArmed() {
			t.Fatal("a resize armed no debounce timer")
		}
		time.Sleep(redecodeDelay)
		synctest.Wait()
		h.loop.drain()
		if h.redecodeArmed() {
			t.Fatal("the debounce timer has not fired")
		}
		h.idle()
		if p.seq != seq {
			t.Error("a 1 % resize decoded the images again")
		}
	})
}
