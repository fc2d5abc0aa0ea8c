package keychain

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/zalando/go-keyring"

	"docvreview/fetch/eval"
	"docvreview/fetch/internal/safetext"
)

// Service is the service name of the app's keychain entries; the account is the environment.
const Service = "DocV Review"

// EnvAPIKey is the environment variable that overrides the keychain (for scripts).
const EnvAPIKey = "DOCV_API_KEY"

// MaxAPIKeyBytes bounds the length of an API key.
const MaxAPIKeyBytes = 4096

// Keychain errors.
var (
	ErrKeyNotFound   = errors.New("no API key stored")
	ErrUnavailable   = errors.New("no OS keychain available")
	ErrInvalidAPIKey = errors.New("invalid API key")
)

// TimeoutError says the keychain did not answer in time (e.g. an unlock prompt left open).
type TimeoutError struct {
	Op      string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the OS keychain did not answer within %s (%s); an unlock prompt may be waiting", e.Timeout, e.Op)
}

// KeySource says where a key came from.
type KeySource string

// Key sources.
const (
	SourceNone     KeySource = ""
	SourceEnvVar   KeySource = "environment variable DOCV_API_KEY"
	SourceKeychain KeySource = "OS keychain"
	SourceSession  KeySource = "this session only (memory)"
)

// keyringBackend is the OS keychain as the Keychain sees it; tests swap it.
type keyringBackend interface {
	get(service, user string) (string, error)
	set(service, user, secret string) error
	del(service, user string) error
}

// goKeyring is the real backend: github.com/zalando/go-keyring (which
// keyring.MockInit replaces with an in-memory store).
type goKeyring struct{}

func (goKeyring) get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (goKeyring) del(service, user string) error           { return keyring.Delete(service, user) }

// Keychain stores one API key per environment in the OS keychain, each call
// off the caller's goroutine and bounded by a timeout, with a session-only
// in-memory fallback. Keys are never logged or put in errors.
//
// A call that times out leaves its goroutine waiting on the OS keychain;
// it ends when the keychain answers. Keychain is safe for concurrent use.
type Keychain struct {
	timeout time.Duration
	getenv  func(string) string
	backend keyringBackend

	mu      sync.Mutex
	session map[eval.Environment]string
}

// DefaultTimeout is long enough for an OS unlock prompt.
const DefaultTimeout = 30 * time.Second

// New returns a Keychain; getenv is os.Getenv in the app (nil: no env override).
// A timeout of zero or less means DefaultTimeout.
func New(timeout time.Duration, getenv func(string) string) *Keychain {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Keychain{timeout: timeout, getenv: getenv, backend: goKeyring{}, session: map[eval.Environment]string{}}
}

// CleanAPIKey trims surrounding white space (a pasted or piped key ends in
// a newline) and checks the key: not empty, at most MaxAPIKeyBytes, no
// control characters. Errors wrap ErrInvalidAPIKey and never contain the key.
func CleanAPIKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return "", fmt.Errorf("%w: empty", ErrInvalidAPIKey)
	case len(key) > MaxAPIKeyBytes:
		return "", fmt.Errorf("%w: longer than %d bytes", ErrInvalidAPIKey, MaxAPIKeyBytes)
	case strings.ContainsFunc(key, unicode.IsControl):
		return "", fmt.Errorf("%w: contains a line break or control character", ErrInvalidAPIKey)
	}
	return key, nil
}

// checkEnv refuses an environment the app does not know.
func checkEnv(env eval.Environment) error {
	if !slices.Contains(eval.Environments(), env) {
		return fmt.Errorf("unknown environment %q", safetext.Name(string(env)))
	}
	return nil
}

// Get returns the key of env: DOCV_API_KEY first, then the session key, then the OS keychain.
// With no key anywhere the error wraps ErrKeyNotFound; without a keychain,
// ErrUnavailable; when the keychain hangs, *TimeoutError.
func (k *Keychain) Get(env eval.Environment) (string, KeySource, error) {
	if err := checkEnv(env); err != nil {
		return "", SourceNone, err
	}
	if key, ok, err := k.fromEnv(); ok {
		return key, SourceEnvVar, err
	}
	if key, ok := k.fromSession(env); ok {
		return key, SourceSession, nil
	}
	v, err := k.call("read", func() (string, error) { return k.backend.get(Service, string(env)) })
	if err != nil {
		return "", SourceNone, k.withEnv(err, env)
	}
	key, err := CleanAPIKey(v)
	if err != nil {
		return "", SourceKeychain, fmt.Errorf("the key stored in the OS keychain for %s: %w", env.Title(), err)
	}
	return key, SourceKeychain, nil
}

// Set stores key in the OS keychain (ErrUnavailable when there is none).
// The key is cleaned with CleanAPIKey first. Once stored, a session key of
// env is dropped so that Get returns the stored one.
func (k *Keychain) Set(env eval.Environment, key string) error {
	if err := checkEnv(env); err != nil {
		return err
	}
	key, err := CleanAPIKey(key)
	if err != nil {
		return err
	}
	_, err = k.call("store", func() (string, error) {
		return "", k.backend.set(Service, string(env), key)
	}, key)
	if err != nil {
		return err
	}
	k.mu.Lock()
	delete(k.session, env)
	k.mu.Unlock()
	return nil
}

// SetSession keeps key in memory for this process only. A key that
// CleanAPIKey refuses is not kept (validate it first to tell the user).
func (k *Keychain) SetSession(env eval.Environment, key string) {
	key, err := CleanAPIKey(key)
	if err != nil || checkEnv(env) != nil {
		return
	}
	k.mu.Lock()
	k.session[env] = key
	k.mu.Unlock()
}

// Delete removes the key of env from the OS keychain and from the session.
// It succeeds when a session key was removed even if the keychain had no
// key or is unavailable; otherwise "no key" wraps ErrKeyNotFound.
func (k *Keychain) Delete(env eval.Environment) error {
	if err := checkEnv(env); err != nil {
		return err
	}
	k.mu.Lock()
	_, hadSession := k.session[env]
	delete(k.session, env)
	k.mu.Unlock()
	_, err := k.call("delete", func() (string, error) { return "", k.backend.del(Service, string(env)) })
	if hadSession && (errors.Is(err, ErrKeyNotFound) || errors.Is(err, ErrUnavailable)) {
		return nil
	}
	return k.withEnv(err, env)
}

// Status says where env's key would come from, without returning it. With
// no key anywhere it returns SourceNone and an error wrapping ErrKeyNotFound.
func (k *Keychain) Status(env eval.Environment) (KeySource, error) {
	_, src, err := k.Get(env)
	return src, err
}

// fromEnv reads DOCV_API_KEY; ok is false when it is unset or empty.
func (k *Keychain) fromEnv() (key string, ok bool, err error) {
	if k.getenv == nil {
		return "", false, nil
	}
	v := k.getenv(EnvAPIKey)
	if v == "" {
		return "", false, nil
	}
	key, err = CleanAPIKey(v)
	if err != nil {
		return "", true, fmt.Errorf("%s: %w", EnvAPIKey, err)
	}
	return key, true, nil
}

// fromSession returns the session key of env.
func (k *Keychain) fromSession(env eval.Environment) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.session[env]
	return key, ok
}

// withEnv adds the environment to a not-found error.
func (k *Keychain) withEnv(err error, env eval.Environment) error {
	if errors.Is(err, ErrKeyNotFound) {
		return fmt.Errorf("%w for %s", ErrKeyNotFound, env.Title())
	}
	return err
}

// call runs f on its own goroutine (it sends on a buffered channel, so it
// never blocks once the caller has gone) and waits at most k.timeout.
// secrets are redacted from any error text.
func (k *Keychain) call(op string, f func() (string, error), secrets ...string) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", keyringError(op, r.err, append(secrets, r.v)...)
		}
		return r.v, nil
	case <-timer.C:
		return "", &TimeoutError{Op: op, Timeout: k.timeout}
	}
}

// keyringError maps a go-keyring error: not found → ErrKeyNotFound, no
// Secret Service / D-Bus / unsupported platform → ErrUnavailable,
// anything else → a keychain failure. The cause is kept only as sanitised
// text (secrets redacted, control characters removed, ≤ 200 characters).
func keyringError(op string, err error, secrets ...string) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return ErrKeyNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("keychain %s: the key is too large for the OS keychain: %w", op, ErrInvalidAPIKey)
	}
	cause := errors.New(sanitizeCause(err.Error(), secrets))
	if keychainMissing(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, cause)
	}
	return fmt.Errorf("keychain %s failed: %w", op, cause)
}

// keychainMissing recognises the errors go-keyring returns when there is
// no usable Secret Service (no D-Bus, no daemon, no platform support).
func keychainMissing(err error) bool {
	var ee *exec.Error
	if errors.Is(err, keyring.ErrUnsupportedPlatform) || errors.As(err, &ee) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{
		"dbus", "d-bus", "secret service", "secretservice", "org.freedesktop.secrets",
		"executable file not found", "not provided by any .service files", "serviceunknown",
		"unsupported platform", "no such file or directory", "connection refused", "$display",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// sanitizeCause makes an error text safe to show: every secret replaced,
// control characters turned into spaces, at most 200 characters.
func sanitizeCause(msg string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
		if t := strings.TrimSpace(s); t != "" && t != s {
			msg = strings.ReplaceAll(msg, t, "[redacted]")
		}
	}
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || safetext.UnsafeRune(r) {
			return ' '
		}
		return r
	}, msg)
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return msg
}
