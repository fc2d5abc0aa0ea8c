package keychain

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"docvreview/fetch/eval"
)

const testKey = "sk_test_0123456789abcdef"

// fakeKeyring is an in-memory backend that can fail or hang.
type fakeKeyring struct {
	mu    sync.Mutex
	store map[string]string
	err   error
	block chan struct{} // when non-nil, every call waits for it to close
	calls atomic.Int32
}

func (f *fakeKeyring) wait() error {
	f.calls.Add(1)
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	return f.err
}

func (f *fakeKeyring) get(service, user string) (string, error) {
	err := f.wait()
	defer f.mu.Unlock()
	if err != nil {
		return "", err
	}
	v, ok := f.store[service+"/"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) set(service, user, secret string) error {
	err := f.wait()
	defer f.mu.Unlock()
	if err != nil {
		return err
	}
	f.store[service+"/"+user] = secret
	return nil
}

func (f *fakeKeyring) del(service, user string) error {
	err := f.wait()
	defer f.mu.Unlock()
	if err != nil {
		return err
	}
	if _, ok := f.store[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.store, service+"/"+user)
	return nil
}

func newFakeKeychain(t *testing.T, fake *fakeKeyring, env map[string]string) *Keychain {
	if fake.store == nil {
		fake.store = map[string]string{}
	}
	k := New(100*time.Millisecond, func(name string) string { return env[name] })
	k.backend = fake
	return k
}

// noKey fails the test when err or its text carries the key.
func noKey(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), testKey) {
		t.Fatalf("error carries the key: %v", err)
	}
}

// TestKeychainWithMockInit uses go-keyring's global in-memory mock, so it
// must not run in parallel with anything else that touches go-keyring.
func TestKeychainWithMockInit(t *testing.T) {
	keyring.MockInit()
	k := New(time.Second, nil)

	_, src, err := k.Get(eval.Sandbox)
	if !errors.Is(err, ErrKeyNotFound) || src != SourceNone || err.Error() != "no API key stored for Sandbox" {
		t.Fatalf("empty keychain: %v, %q", err, src)
	}
	if err := k.Set(eval.Sandbox, testKey+"\n"); err != nil {
		t.Fatal(err)
	}
	if v, _ := keyring.Get(Service, "sandbox"); v != testKey {
		t.Fatal("the key is not stored under service \"DocV Review\", account \"sandbox\" (or not trimmed)")
	}
	key, src, err := k.Get(eval.Sandbox)
	if key != testKey || src != SourceKeychain || err != nil {
		t.Fatalf("Get = %v, %v", src, err)
	}
	if src, err := k.Status(eval.Sandbox); src != SourceKeychain || err != nil {
		t.Fatalf("Status = %v, %v", src, err)
	}
	if _, _, err := k.Get(eval.Production); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("Production sees Sandbox's key: %v", err)
	}
	if err := k.Delete(eval.Sandbox); err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.Get(eval.Sandbox); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := k.Delete(eval.Sandbox); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("second Delete: %v", err)
	}

	for _, cause := range []error{
		errors.New(`exec: "dbus-launch": executable file not found in $PATH`),
		errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
		keyring.ErrUnsupportedPlatform,
	} {
		keyring.MockInitWithError(cause)
		if err := k.Set(eval.Production, testKey); !errors.Is(err, ErrUnavailable) {
			t.Errorf("Set with %q: %v", cause, err)
		}
		if _, _, err := k.Get(eval.Production); !errors.Is(err, ErrUnavailable) {
			t.Errorf("Get with %q: %v", cause, err)
		}
	}
	keyring.MockInit()
}

func TestKeychainUnavailable(t *testing.T) {
	t.Parallel()
	causes := []error{
		errors.New(`exec: "dbus-launch": executable file not found in $PATH`),
		&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound},
		errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
		errors.New("dial unix /run/user/1000/bus: connect: no such file or directory"),
		fmt.Errorf("wrapped: %w", keyring.ErrUnsupportedPlatform),
		errors.New("Cannot autolaunch D-Bus without X11 $DISPLAY"),
	}
	for _, cause := range causes {
		k := newFakeKeychain(t, &fakeKeyring{err: cause}, nil)
		_, src, err := k.Get(eval.Sandbox)
		if !errors.Is(err, ErrUnavailable) || src != SourceNone {
			t.Errorf("Get with %q: %v", cause, err)
		}
		err = k.Set(eval.Sandbox, testKey)
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("Set with %q: %v", cause, err)
		}
		noKey(t, err)
		// The caller's fallback: keep the key for this session.
		k.SetSession(eval.Sandbox, testKey)
		if key, src, err := k.Get(eval.Sandbox); key != testKey || src != SourceSession || err != nil {
			t.Errorf("session fallback: %v %v", src, err)
		}
		if err := k.Delete(eval.Sandbox); err != nil {
			t.Errorf("Delete of a session key without keychain: %v", err)
		}
		if _, _, err := k.Get(eval.Sandbox); !errors.Is(err, ErrUnavailable) {
			t.Errorf("after Delete: %v", err)
		}
	}
}

func TestKeychainOtherErrorsAreSanitised(t *testing.T) {
	t.Parallel()
	cause := errors.New("prompt dismissed for secret " + testKey + "\n\x1b[31mred\x1b[0m " + strings.Repeat("x", 500))
	k := newFakeKeychain(t, &fakeKeyring{err: cause}, nil)
	err := k.Set(eval.Production, testKey)
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("err = %v", err)
	}
	noKey(t, err)
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\x1b") || len([]rune(msg)) > 260 || !strings.Contains(msg, "[redacted]") {
		t.Errorf("unsanitised: %q", msg)
	}
	if errors.Is(err, cause) {
		t.Error("the raw cause is still wrapped")
	}
	tooBig := newFakeKeychain(t, &fakeKeyring{err: keyring.ErrSetDataTooBig}, nil)
	if err := tooBig.Set(eval.Production, testKey); !errors.Is(err, ErrInvalidAPIKey) {
		t.Errorf("data too big: %v", err)
	}
}

func TestKeychainTimeout(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	fake := &fakeKeyring{block: block}
	k := newFakeKeychain(t, fake, nil)
	for name, op := range map[string]func() error{
		"read":   func() error { _, _, err := k.Get(eval.Sandbox); return err },
		"store":  func() error { return k.Set(eval.Sandbox, testKey) },
		"delete": func() error { return k.Delete(eval.Sandbox) },
	} {
		start := time.Now()
		err := op()
		elapsed := time.Since(start)
		var te *TimeoutError
		if !errors.As(err, &te) || te.Op != name || te.Timeout != 100*time.Millisecond {
			t.Fatalf("%s: err = %v", name, err)
		}
		if elapsed < 100*time.Millisecond || elapsed > 2*time.Second {
			t.Errorf("%s returned after %v", name, elapsed)
		}
		if !strings.Contains(err.Error(), "did not answer within 100ms") {
			t.Errorf("message %q", err)
		}
		noKey(t, err)
	}
	if src, err := k.Status(eval.Sandbox); src != SourceNone || err == nil {
		t.Errorf("Status while hung: %v %v", src, err)
	}
}

func TestKeychainEnvOverride(t *testing.T) {
	t.Parallel()
	fake := &fakeKeyring{err: errors.New("backend must not be called")}
	k := newFakeKeychain(t, fake, map[string]string{EnvAPIKey: " " + testKey + "\n"})
	k.SetSession(eval.Sandbox, "session-key")
	for _, env := range []eval.Environment{eval.Sandbox, eval.Production} {
		key, src, err := k.Get(env)
		if key != testKey || src != SourceEnvVar || err != nil {
			t.Errorf("Get(%s) = %v %v", env, src, err)
		}
		if src, err := k.Status(env); src != SourceEnvVar || err != nil {
			t.Errorf("Status(%s) = %v %v", env, src, err)
		}
	}
	if n := fake.calls.Load(); n != 0 {
		t.Errorf("keychain called %d times despite DOCV_API_KEY", n)
	}
	bad := newFakeKeychain(t, &fakeKeyring{}, map[string]string{EnvAPIKey: testKey + "\nsecond line"})
	_, src, err := bad.Get(eval.Sandbox)
	if !errors.Is(err, ErrInvalidAPIKey) || src != SourceEnvVar || !strings.Contains(err.Error(), EnvAPIKey) {
		t.Errorf("bad env key: %v %v", src, err)
	}
	noKey(t, err)
}

func TestKeychainSession(t *testing.T) {
	t.Parallel()
	fake := &fakeKeyring{}
	k := newFakeKeychain(t, fake, nil)
	k.SetSession(eval.Sandbox, testKey+"\r\n")
	key, src, err := k.Get(eval.Sandbox)
	if key != testKey || src != SourceSession || err != nil {
		t.Fatalf("Get = %v %v", src, err)
	}
	if fake.calls.Load() != 0 {
		t.Error("keychain called although a session key exists")
	}
	if _, _, err := k.Get(eval.Production); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("Production: %v", err)
	}
	k.SetSession(eval.Production, "bad\x00key")
	if _, src, _ := k.Get(eval.Production); src == SourceSession {
		t.Error("an invalid session key was kept")
	}
	// Storing in the keychain replaces the session key.
	if err := k.Set(eval.Sandbox, "stored-key"); err != nil {
		t.Fatal(err)
	}
	if key, src, _ := k.Get(eval.Sandbox); key != "stored-key" || src != SourceKeychain {
		t.Errorf("after Set: %v", src)
	}
	// The keychain holds a broken value.
	fake.mu.Lock()
	fake.store[Service+"/production"] = "two\nlines"
	fake.mu.Unlock()
	if _, src, err := k.Get(eval.Production); !errors.Is(err, ErrInvalidAPIKey) || src != SourceKeychain {
		t.Errorf("broken stored key: %v %v", src, err)
	}
}

func TestKeychainUnknownEnvironment(t *testing.T) {
	t.Parallel()
	k := newFakeKeychain(t, &fakeKeyring{}, nil)
	if _, _, err := k.Get("staging"); err == nil {
		t.Error("Get accepted an unknown environment")
	}
	if err := k.Set("", testKey); err == nil {
		t.Error("Set accepted an empty environment")
	}
	if err := k.Delete("x\n"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Delete: %v", err)
	}
}

func TestCleanAPIKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{testKey, testKey, true},
		{testKey + "\n", testKey, true},
		{testKey + "\r\n", testKey, true},
		{"  " + testKey + "\t", testKey, true},
		{strings.Repeat("k", MaxAPIKeyBytes), strings.Repeat("k", MaxAPIKeyBytes), true},
		{"", "", false},
		{" \n", "", false},
		{strings.Repeat("k", MaxAPIKeyBytes+1), "", false},
		{testKey + "\n" + testKey, "", false},
		{"abc\x00def", "", false},
		{"abc\tdef", "", false},
		{"abc\x7fdef", "", false},
	}
	for _, tt := range tests {
		got, err := CleanAPIKey(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("CleanAPIKey(%.20q) = %.20q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidAPIKey) {
			t.Errorf("error does not wrap ErrInvalidAPIKey: %v", err)
		}
		noKey(t, err)
	}
}

func TestNewKeychainDefaults(t *testing.T) {
	t.Parallel()
	k := New(0, nil)
	if k.timeout != DefaultTimeout {
		t.Errorf("timeout = %v", k.timeout)
	}
	if _, ok := k.backend.(goKeyring); !ok {
		t.Errorf("backend = %T, want go-keyring", k.backend)
	}
	if _, ok, _ := k.fromEnv(); ok {
		t.Error("nil getenv gave a key")
	}
}
