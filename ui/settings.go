package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
)

// Preference keys. Preferences hold these values and nothing else: never
// an eval_id, a key, a consumer's name or a path. prefReviewer is the
// user's own name or reviewer id (feedback's recorded_by), not case data.
const (
	prefEnv         = "env"
	prefAPIVersion  = "api_version"
	prefIdleMinutes = "idle_minutes"
	prefReviewer    = "reviewer"
)

// maxReviewerLen bounds the reviewer id, in runes (RiskOS's recorded_by).
const maxReviewerLen = 200

// Idle auto-clear bounds, in minutes.
const (
	defaultIdleMinutes = 15
	maxIdleMinutes     = 480
)

// preferences are the settings kept between runs.
type preferences struct {
	env         eval.Environment
	apiVersion  string
	idleMinutes int
	reviewer    string // "Your name or reviewer id"
}

func loadPreferences(p fyne.Preferences) preferences {
	env, err := eval.ParseEnvironment(p.StringWithFallback(prefEnv, string(eval.Demo)))
	if err != nil {
		env = eval.Demo
	}
	idle := p.IntWithFallback(prefIdleMinutes, defaultIdleMinutes)
	if idle < 1 || idle > maxIdleMinutes {
		idle = defaultIdleMinutes
	}
	return preferences{env: env, apiVersion: strings.TrimSpace(p.String(prefAPIVersion)), idleMinutes: idle,
		reviewer: cleanReviewer(p.String(prefReviewer))}
}

func (s preferences) save(p fyne.Preferences) {
	p.SetString(prefEnv, string(s.env))
	p.SetString(prefAPIVersion, s.apiVersion)
	p.SetInt(prefIdleMinutes, s.idleMinutes)
	p.SetString(prefReviewer, s.reviewer)
}

// cleanReviewer keeps one printable line of at most maxReviewerLen runes.
func cleanReviewer(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }), " ")
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > maxReviewerLen {
		s = string(r[:maxReviewerLen])
	}
	return s
}

func (s preferences) idleDuration() time.Duration {
	return time.Duration(s.idleMinutes) * time.Minute
}

// parseIdleMinutes validates the idle timeout typed in Settings.
func parseIdleMinutes(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxIdleMinutes {
		return 0, fmt.Errorf("enter whole minutes from 1 to %d", maxIdleMinutes)
	}
	return n, nil
}

// settingsDialog edits the API keys (in the keychain, immediately) and the
// preferences (on Save).
type settingsDialog struct {
	r        *review
	dlg      *dialog.ConfirmDialog
	keys     map[eval.Environment]*keyRow
	version  *widget.Entry
	idle     *widget.Entry
	reviewer *widget.Entry
}

// keyRow manages one environment's key.
type keyRow struct {
	env        eval.Environment
	state      *widget.Label
	entry      *widget.Entry
	save       *widget.Button
	del        *widget.Button
	warning    *widget.Label
	sessionBtn *widget.Button
	pending    string // a key the keychain refused, offered for this session only
	busy       bool
}

// showSettings opens the Settings dialog.
func (r *review) showSettings() {
	r.touch()
	if r.modal() {
		return
	}
	s := &settingsDialog{r: r, keys: map[eval.Environment]*keyRow{}}
	var keyObjs []fyne.CanvasObject
	for _, env := range eval.Environments() {
		if !env.NeedsKey() {
			continue
		}
		k := s.newKeyRow(env)
		s.keys[env] = k
		keyObjs = append(keyObjs, k.object())
	}
	s.version = widget.NewEntry()
	s.version.SetPlaceHolder("2025-01-01.orion (empty: RiskOS default)")
	s.version.SetText(r.prefs.apiVersion)
	s.idle = widget.NewEntry()
	s.idle.SetText(strconv.Itoa(r.prefs.idleMinutes))
	s.idle.Validator = func(v string) error { _, err := parseIdleMinutes(v); return err }
	s.reviewer = widget.NewEntry()
	s.reviewer.SetPlaceHolder("sent as recorded_by with fraud feedback")
	s.reviewer.SetText(r.prefs.reviewer)

	note := widget.NewLabel("Keys are saved in the OS keychain and never shown again. Demo needs no key.")
	note.Wrapping = fyne.TextWrapWord
	prefs := widget.NewForm(
		widget.NewFormItem("X-API-Version", s.version),
		widget.NewFormItem("Clear case after idle (minutes)", s.idle),
		widget.NewFormItem("Your name or reviewer id", s.reviewer),
	)
	content := container.NewVBox(heading("API keys"), note)
	content.Objects = append(content.Objects, keyObjs...)
	content.Add(widget.NewSeparator())
	content.Add(heading("Preferences"))
	content.Add(prefs)

	s.dlg = dialog.NewCustomConfirm("Settings", "Save", "Close", content, s.closed, r.win)
	s.dlg.Resize(fyne.NewSize(640, 560))
	r.settings = s
	r.showDialog(s.dlg)
	for _, k := range s.keys {
		s.refreshStatus(k)
	}
}

func (s *settingsDialog) newKeyRow(env eval.Environment) *keyRow {
	k := &keyRow{env: env}
	k.state = widget.NewLabel("checking…")
	k.state.Truncation = fyne.TextTruncateEllipsis
	k.entry = widget.NewPasswordEntry()
	k.entry.SetPlaceHolder("paste the " + env.Title() + " API key")
	k.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { s.saveKey(k) })
	k.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { s.deleteKey(k) })
	k.del.Disable()
	k.warning = widget.NewLabel("")
	k.warning.Wrapping = fyne.TextWrapWord
	k.warning.Importance = widget.WarningImportance
	k.warning.Hide()
	k.sessionBtn = widget.NewButton("Use for this session only", func() { s.useForSession(k) })
	k.sessionBtn.Hide()
	return k
}

func (k *keyRow) object() fyne.CanvasObject {
	title := bold(k.env.Title())
	if k.env == eval.Production {
		title.Importance = widget.DangerImportance
	}
	return container.NewVBox(
		container.NewBorder(nil, nil, title, nil, k.state),
		container.NewBorder(nil, nil, nil, container.NewHBox(k.save, k.del), k.entry),
		k.warning, container.NewHBox(k.sessionBtn),
	)
}

// closed applies the preferences on Save.
func (s *settingsDialog) closed(save bool) {
	r := s.r
	r.settings = nil
	for _, k := range s.keys {
		k.pending = ""
	}
	if !save {
		return
	}
	r.touch()
	n, err := parseIdleMinutes(s.idle.Text)
	if err != nil {
		r.bar.setStatus("Settings not saved: idle timeout — " + err.Error() + ".")
		return
	}
	r.prefs.apiVersion = strings.TrimSpace(s.version.Text)
	r.prefs.idleMinutes = n
	r.prefs.reviewer = cleanReviewer(s.reviewer.Text)
	r.prefs.save(r.app.Preferences())
	r.setIdleAfter(r.prefs.idleDuration())
	r.bar.setStatus("Settings saved.")
}

// refreshStatus asks the keychain, off the Fyne goroutine, where the key
// would come from (never the key itself).
func (s *settingsDialog) refreshStatus(k *keyRow) {
	kc := s.r.opts.Keychain
	if kc == nil {
		k.state.SetText("no keychain configured")
		return
	}
	k.busy = true
	s.r.background(func() {
		src, err := kc.Status(k.env)
		s.r.opts.Do(func() {
			k.busy = false
			s.showStatus(k, src, err)
		})
	})
}

func (s *settingsDialog) showStatus(k *keyRow, src keychain.KeySource, err error) {
	switch {
	case err != nil && errors.Is(err, keychain.ErrUnavailable) && src == keychain.SourceNone:
		k.state.SetText("not stored — no OS keychain on this computer")
		k.del.Disable()
	case err != nil && !errors.Is(err, keychain.ErrKeyNotFound):
		k.state.SetText("unknown: the keychain could not be read")
		k.warning.SetText("The OS keychain answered: " + err.Error() + ". If it is locked, unlock it and open Settings again.")
		k.warning.Show()
		k.del.Disable()
	case src == keychain.SourceNone:
		k.state.SetText("not stored")
		k.del.Disable()
	default:
		k.state.SetText("stored (" + string(src) + ")")
		k.del.Enable()
	}
}

// saveKey stores the typed key in the keychain, off the Fyne goroutine.
func (s *settingsDialog) saveKey(k *keyRow) {
	s.r.touch()
	key := strings.TrimSpace(k.entry.Text)
	if key == "" {
		k.state.SetText("type or paste a key first")
		return
	}
	kc := s.r.opts.Keychain
	if kc == nil {
		k.state.SetText("no keychain configured")
		return
	}
	k.entry.SetText("")
	k.state.SetText("saving…")
	k.busy = true
	s.r.background(func() {
		err := kc.Set(k.env, key)
		src, serr := kc.Status(k.env)
		s.r.opts.Do(func() {
			k.busy = false
			k.warning.Hide()
			k.sessionBtn.Hide()
			k.pending = ""
			var te *keychain.TimeoutError
			switch {
			case err == nil:
				s.showStatus(k, src, serr)
			case errors.Is(err, keychain.ErrUnavailable):
				k.pending = key
				k.state.SetText("not stored")
				k.warning.SetText("No OS keychain is available on this computer, so the key cannot be saved. " +
					"You can use it for this session only: it stays in memory and is forgotten when the app quits.")
				k.warning.Show()
				k.sessionBtn.Show()
			case errors.As(err, &te):
				k.state.SetText("not stored")
				k.warning.SetText(fmt.Sprintf("The keychain did not answer within %s — is an unlock prompt open? Unlock it and press Save again.", te.Timeout))
				k.warning.Show()
			default:
				k.state.SetText("not stored — " + err.Error())
			}
		})
	})
}

// useForSession keeps the refused key in memory for this session.
func (s *settingsDialog) useForSession(k *keyRow) {
	s.r.touch()
	if k.pending == "" || s.r.opts.Keychain == nil {
		return
	}
	s.r.opts.Keychain.SetSession(k.env, k.pending)
	k.pending = ""
	k.sessionBtn.Hide()
	k.warning.SetText("The key is used for this session only. Without a keychain it has to be entered again after a restart.")
	k.state.SetText("stored (" + string(keychain.SourceSession) + ")")
	k.del.Enable()
}

// deleteKey removes the key from the keychain and the session.
func (s *settingsDialog) deleteKey(k *keyRow) {
	s.r.touch()
	kc := s.r.opts.Keychain
	if kc == nil {
		return
	}
	k.state.SetText("deleting…")
	k.busy = true
	s.r.background(func() {
		err := kc.Delete(k.env)
		src, serr := kc.Status(k.env)
		s.r.opts.Do(func() {
			k.busy = false
			k.warning.Hide()
			if err != nil && !errors.Is(err, keychain.ErrKeyNotFound) {
				k.state.SetText("not deleted — " + err.Error())
				return
			}
			s.showStatus(k, src, serr)
		})
	})
}
