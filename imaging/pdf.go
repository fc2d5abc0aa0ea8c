package imaging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfCallTimeout bounds one engine call (open, count, render) when the
// caller's context has no earlier deadline, so a hostile document cannot
// hold the single engine worker forever.
const pdfCallTimeout = 30 * time.Second

// pdfInstanceTimeout bounds instantiating the WebAssembly module.
const pdfInstanceTimeout = 30 * time.Second

// PDFEngine renders PDFs from memory with PDFium in WebAssembly. The engine
// starts lazily in the background; create one per process.
//
// The sandbox is given an empty filesystem, no stdout/stderr, and one
// worker: calls are serialised, and a PDFEngine is safe for concurrent use.
// A call whose context ends while PDFium runs is interrupted; the worker is
// then replaced and open documents are transparently reloaded. When the last
// document closes the worker and its WebAssembly memory are freed; the next
// Open instantiates a new one (about 10–20 ms).
type PDFEngine struct {
	cacheDir string
	wasm     []byte // nil = go-pdfium's embedded module (tests override)

	startOnce sync.Once
	ready     chan struct{} // closed when initialisation finished
	// Set by the start goroutine before ready is closed; read-only after.
	pool     pdfium.Pool
	cache    wazero.CompilationCache
	initErr  error
	initTime time.Duration

	ctx    context.Context // parent of the engine; cancelled by Close
	cancel context.CancelFunc

	// sem serialises engine calls (a channel so waiting honours contexts)
	// and guards every field below.
	sem    chan struct{}
	inst   pdfium.Pdfium // nil until needed, and after a worker is dropped
	gen    uint64        // incremented whenever inst is replaced
	open   int           // documents open
	closed bool
}

// NewPDFEngine returns an engine whose wazero compiled-code cache lives in
// cacheDir ("" = no cache). Nothing else is ever written.
func NewPDFEngine(cacheDir string) *PDFEngine {
	ctx, cancel := context.WithCancel(context.Background())
	return &PDFEngine{
		cacheDir: cacheDir,
		ready:    make(chan struct{}),
		ctx:      ctx,
		cancel:   cancel,
		sem:      make(chan struct{}, 1),
	}
}

// DefaultPDFCacheDir is <user cache dir>/docvreview/pdfium-wasm ("" when unknown).
func DefaultPDFCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "docvreview", "pdfium-wasm")
}

// Start begins initialising the engine in the background (idempotent).
func (e *PDFEngine) Start() {
	e.startOnce.Do(func() { go e.initialise() })
}

// StartLowPriority is Start for a window warming the engine up before it
// is needed: the compile runs on an OS thread of the lowest CPU priority
// (Linux), so a case being loaded meanwhile gets the cores first. The
// thread ends with the start. If the engine has started already, it does
// nothing.
func (e *PDFEngine) StartLowPriority() {
	e.startOnce.Do(func() {
		go func() {
			// Never unlocked: the thread ends with this goroutine, so its
			// priority is not passed on. A failure only leaves it normal.
			runtime.LockOSThread()
			_ = lowerThreadPriority()
			e.initialise()
		}()
	})
}

// WaitReady starts the engine if needed and waits until it is ready, failed
// (an error wrapping ErrPDFEngine) or ctx ends.
func (e *PDFEngine) WaitReady(ctx context.Context) error {
	e.Start()
	select {
	case <-e.ready:
	case <-ctx.Done():
		return fmt.Errorf("wait for PDF engine: %w", ctx.Err())
	}
	return e.initErr
}

// InitTime is how long the engine took to start (zero until it is ready).
func (e *PDFEngine) InitTime() time.Duration {
	select {
	case <-e.ready:
		return e.initTime
	default:
		return 0
	}
}

// initialise compiles the module (or loads it from the compiled-code cache)
// and instantiates the one worker.
func (e *PDFEngine) initialise() {
	start := time.Now()
	defer close(e.ready)
	defer func() {
		if r := recover(); r != nil {
			e.initErr = fmt.Errorf("%w: start panicked: %v", ErrPDFEngine, r)
		}
	}()

	rc := wazero.NewRuntimeConfig().
		// The bundled PDFium needs exception handling (setjmp/longjmp).
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// Lets a cancelled context or Kill interrupt a running call.
		WithCloseOnContextDone(true)
	if e.cacheDir != "" {
		// A cache that cannot be created only makes starts slower.
		if cache, err := wazero.NewCompilationCacheWithDir(e.cacheDir); err == nil {
			e.cache = cache
			rc = rc.WithCompilationCache(cache)
		}
	}
	cfg := webassembly.Config{
		Context:       e.ctx,
		MinIdle:       0,
		MaxIdle:       1,
		MaxTotal:      1,
		WASM:          e.wasm,
		FSConfig:      wazero.NewFSConfig(), // empty: the sandbox sees no files
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
		// Closing an instance destroys its worker, which frees the
		// WebAssembly memory of the documents it held.
		ReuseWorkers: false,
	}
	pool, err := webassembly.Init(cfg)
	if err != nil {
		e.closeCache()
		e.initErr = fmt.Errorf("%w: %s", ErrPDFEngine, firstLine(err))
		return
	}
	e.pool = pool
	// Instantiate the worker now so the first Open is fast; it is kept until
	// no document is open.
	inst, err := pool.GetInstance(pdfInstanceTimeout)
	if err != nil {
		_ = pool.Close()
		e.pool = nil
		e.closeCache()
		e.initErr = fmt.Errorf("%w: %s", ErrPDFEngine, firstLine(err))
		return
	}
	e.inst = inst // no call can run before ready is closed
	e.gen++
	e.initTime = time.Since(start)
}

func (e *PDFEngine) closeCache() {
	if e.cache != nil {
		_ = e.cache.Close(context.Background())
		e.cache = nil
	}
}

// acquire waits for the engine to be ready and takes the call lock.
func (e *PDFEngine) acquire(ctx context.Context) error {
	if err := e.WaitReady(ctx); err != nil {
		return err
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for PDF engine: %w", ctx.Err())
	}
	if e.closed {
		<-e.sem
		return fmt.Errorf("%w: closed", ErrPDFEngine)
	}
	return nil
}

func (e *PDFEngine) release() { <-e.sem }

// instance returns the worker, instantiating a new one if the last was
// dropped. Call with the lock held.
func (e *PDFEngine) instance(ctx context.Context) (pdfium.Pdfium, error) {
	if e.inst != nil {
		return e.inst, nil
	}
	ictx, cancel := context.WithTimeout(ctx, pdfInstanceTimeout)
	defer cancel()
	inst, err := e.pool.GetInstanceWithContext(ictx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("start PDF worker: %w", ctx.Err())
		}
		return nil, fmt.Errorf("%w: start worker: %s", ErrPDFEngine, firstLine(err))
	}
	e.inst = inst
	e.gen++
	return inst, nil
}

// dropInstance discards the worker (and every document loaded in it). Call
// with the lock held.
func (e *PDFEngine) dropInstance(kill bool) {
	if e.inst == nil {
		return
	}
	if kill {
		_ = e.inst.Kill()
	} else {
		_ = e.inst.Close()
	}
	e.inst = nil
}

// call runs fn on the worker with a bounded context: when ctx ends (or
// pdfCallTimeout passes) during fn, the worker is killed, dropped, and the
// context's error returned. fn must only use inst. Call with the lock held.
func (e *PDFEngine) call(ctx context.Context, what string, fn func(inst pdfium.Pdfium) error) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	inst, err := e.instance(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	cctx, cancel := context.WithTimeout(ctx, pdfCallTimeout)
	defer cancel()
	killed := make(chan struct{})
	stop := context.AfterFunc(cctx, func() {
		defer close(killed)
		_ = inst.Kill()
	})
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s: %w (%w: panic)", what, ErrPDFCorrupt, errEngineFault)
			}
		}()
		err = fn(inst)
	}()
	if !stop() {
		<-killed
		e.inst = nil
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("%s: %w", what, cerr)
		}
		return fmt.Errorf("%s: gave up after %v: %w", what, pdfCallTimeout, context.DeadlineExceeded)
	}
	if errors.Is(err, errEngineFault) {
		// A trap or closed worker: start afresh next time.
		e.dropInstance(true)
	}
	return err
}

// Close shuts the engine down. It waits for a start in progress, interrupts
// a running call, and makes every later call fail with ErrPDFEngine.
func (e *PDFEngine) Close() error {
	// Prevent a later start, or wait for the one under way.
	e.startOnce.Do(func() {
		e.initErr = fmt.Errorf("%w: closed", ErrPDFEngine)
		close(e.ready)
	})
	<-e.ready
	e.cancel() // interrupts a running call
	e.sem <- struct{}{}
	defer e.release()
	if e.closed {
		return nil
	}
	e.closed = true
	var err error
	if e.pool != nil {
		e.dropInstance(false)
		// go-pdfium reports a pool closed twice; anything else is real.
		if cerr := e.pool.Close(); cerr != nil && !errors.Is(cerr, context.Canceled) {
			err = fmt.Errorf("close PDF engine: %s", firstLine(cerr))
		}
	}
	e.closeCache()
	return err
}
